"""Validating what a user points at: a release folder (its sorted dump streamed through the
compiled engine, in worker processes) or one RDF file (loaded whole into pyshacl, the reference)."""

from __future__ import annotations

from pathlib import Path

import rdflib

from cwgraph.core.dumps import dump_of, read_bytes
from cwgraph.core.errors import ValidationFailed
from cwgraph.validation.dump import NotSorted, is_dump, validate_dump
from cwgraph.validation.validate import Report, validate_graph

__all__ = ["ENGINES", "validate_path"]

ENGINES = ("auto", "native", "pyshacl")


def validate_path(path: Path, engine: str = "auto", workers: int = 1) -> Report:
    """Validate a published release folder or one RDF file; raise on files that cannot load.

    ``auto``: a release's sorted N-Triples dump is streamed through the compiled engine a
    chunk of documents at a time (:mod:`cwgraph.validation.dump`, in ``workers`` processes);
    any other file is loaded whole and validated by pyshacl, the reference (``pyshacl``
    forces it; ``native`` requires a sorted dump).
    """
    if engine not in ENGINES:
        raise ValidationFailed(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
    if path.is_dir():
        candidates = [dump_of(path), path / "cwgraph.ttl"]
        found = next((c for c in candidates if c.exists()), None)
        if found is None:
            raise ValidationFailed(f"no cwgraph.nt.gz or cwgraph.ttl in {path}", hint="build first: cwgraph build")
        path = found
    if engine == "native" and not is_dump(path):
        raise ValidationFailed(f"the native engine streams N-Triples dumps; {path} is not one",
                               hint="validate the release's cwgraph.nt.gz, or use --engine pyshacl")
    if engine == "native" or (engine == "auto" and is_dump(path)):
        try:
            return validate_dump(path, workers=workers)
        except NotSorted:
            if engine == "native":
                raise  # auto: an unsorted N-Triples file is loaded whole, below
    data = rdflib.Graph()
    try:
        if path.name.endswith(".nt.gz"):
            data.parse(data=read_bytes(path).decode("utf-8"), format="nt")
        else:
            data.parse(path)
    except Exception as exc:  # any parser error means the file cannot be loaded
        raise ValidationFailed(f"cannot load {path}: {exc}", hint="check the file is RDF (Turtle, N-Triples, JSON-LD)") from None
    return validate_graph(data)
