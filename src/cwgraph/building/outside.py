"""The graph outside the documents, with the edges the documents add to it.

Entities, cover names, events, minted names and type concepts are mapped once, in the
main process; their number grows with the entities. A few of their triples grow with
the documents instead: a cover name's attribution names every document that attests it
(``crm:P16_used_specific_object``), an event every conversation that was part of it
(``crm:P9_consists_of``), a minted name every line it was read from
(``cw:sourceRecord``). Those edges never wait in memory: each chunk writes its own,
sorted, to an edge run (:func:`edge_entries`, lines written with
:func:`cwgraph.core.runs.write_run`), each with the classes of the node it
points to. :func:`render_outside` merges the runs with the entities' own triples in
subject order, validates a batch of subjects at a time and renders their blocks.

Validating in batches finds what validating everything at once finds, because the
shapes never look further than a node's own triples and the classes of its values
(see :func:`cwgraph.validation.validate.validate_partition`); the classes come from the edge runs
and from the ``rdf:type`` lines outside the documents.
"""

from __future__ import annotations

import heapq
from collections import ChainMap
from collections.abc import Iterable, Iterator
from pathlib import Path

from cwgraph.core.runs import FAN_IN, merge_runs, reduce_runs, write_run
from cwgraph.core.terms import RDF_TYPE, Triple, parse_line
from cwgraph.publishing.serialize import BLOCKS, Renderer, Stats, render_blocks
from cwgraph.validation.validate import Finding, validate_triples

__all__ = ["BATCH", "edge_entries", "merge_outside", "render_outside"]

BATCH = 50_000  # triples validated at once (whole subjects; a subject with more is one batch)
_SEP = "\x00"  # never in an N-Triples line: pyoxigraph escapes it as \u0000


def edge_entries(edges: Iterable[tuple[str, Triple]], chunk: Iterable[tuple[str, Triple]]) -> list[str]:
    """Run entries for ``edges`` ((line, triple) pairs): the line, then the classes of its
    object as the chunk's triples give them (a document, a conversation; none for a literal)."""
    edges = list(edges)
    wanted = {o[1] for _, (_, _, o) in edges if o[0] == "I"}
    classes: dict[str, list[str]] = {}
    if wanted:
        for _, (s, p, o) in chunk:
            if p == RDF_TYPE and s in wanted:
                classes.setdefault(s, []).append(o[1])
    return sorted(f"{line[:-1]}{_SEP}{' '.join(sorted(classes.get(o[1], ()) if o[0] == 'I' else ()))}\n"
                  for line, (_, _, o) in edges)


def _own(pairs: Iterable[tuple[str, Triple]]) -> Iterator[tuple[str, str, Triple, tuple[str, ...]]]:
    for line, triple in pairs:
        yield line[:-1], line, triple, ()


def _edges(entries: Iterable[str]) -> Iterator[tuple[str, str, Triple, tuple[str, ...]]]:
    for entry in entries:
        text, _, classes = entry.rstrip("\n").partition(_SEP)
        line = text + "\n"
        yield text, line, parse_line(line), tuple(classes.split()) if classes else ()


def merge_outside(own: Iterable[tuple[str, Triple]], edge_runs: list[Path], workdir: Path,
                  fan_in: int = FAN_IN) -> Iterator[tuple[str, Triple, tuple[str, ...]]]:
    """(line, triple, classes of the object) in line order: ``own`` (sorted (line, triple)
    pairs) merged with the edge runs (``fan_in`` at a time), each line once."""
    runs = reduce_runs(list(edge_runs), workdir, "edges", fan_in)
    previous = None
    for key, line, triple, classes in heapq.merge(_own(own), _edges(merge_runs(runs)), key=lambda item: item[0]):
        if key == previous:
            continue
        previous = key
        yield line, triple, classes


def render_outside(merged: Iterable[tuple[str, Triple, tuple[str, ...]]], renderer: Renderer, stats: Stats,
                   run: Path, shapes: object | None = None,
                   context: dict[tuple, set[str]] | None = None) -> list[Finding]:
    """Render the merged stream (:func:`merge_outside`) into the block run ``run`` and, with
    ``shapes``, validate it a batch of subjects at a time; ``context``: the classes of the
    nodes outside the documents (:func:`cwgraph.validation.shacl.type_context` of their type lines)."""
    findings: list[Finding] = []
    batch: list[Triple] = []
    classes: dict[tuple, set[str]] = {}

    def check() -> None:
        if shapes is not None and batch:
            findings.extend(validate_triples(batch, ChainMap(classes, context or {}), shapes))  # type: ignore[arg-type]
        batch.clear()
        classes.clear()

    def pairs() -> Iterator[tuple[str, Triple]]:
        subject = None
        for line, triple, object_classes in merged:
            if triple[0] != subject:
                if len(batch) >= BATCH:
                    check()
                subject = triple[0]
            if shapes is not None:
                batch.append(triple)
                if object_classes:
                    classes.setdefault(triple[2], set()).update(object_classes)
            yield line, triple
        check()

    write_run(render_blocks(pairs(), renderer, stats), run, BLOCKS)
    return findings
