"""The build: read → interpret/resolve → map → validate → publish, with rejects carried along."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib

from cwgraph.authorities import Authorities, load_authorities
from cwgraph.config import BASE_IRI, project_path, project_root
from cwgraph.describe import describe_dataset
from cwgraph.errors import CwgraphError, Location, SourceError
from cwgraph.mapping import build_triples
from cwgraph.publish import (
    atomic_release,
    jsonld_context,
    nquads_sorted,
    sort_triples,
    write_checksums,
    write_jsonld,
    write_ntriples_gz,
    write_text,
    write_turtle,
)
from cwgraph.records import Reject
from cwgraph.reports import reconciliation_tsv, rejects_jsonl
from cwgraph.resolve import Resolved, Resolver
from cwgraph.sources import read_sources
from cwgraph.validate import Report, validate_graph

__all__ = ["BuildResult", "build", "interpret"]


@dataclass
class BuildResult:
    """What a build did: counts, rejects, the validation report, where it wrote."""

    read: int = 0
    published: int = 0
    rejects: list[Reject] = field(default_factory=list)
    triples: int = 0
    report: Report | None = None
    out: Path | None = None
    unresolved: int = 0
    merged: int = 0
    source_files: list[str] = field(default_factory=list)  # every file read, as displayed

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rejects if r.severity == "error" and r.stage != "authority")

    @property
    def conforms(self) -> bool:
        return self.report is None or self.report.conforms

    def summary(self) -> str:
        where = "reports/rejects.jsonl"
        if self.out:
            report = self.out / "reports" / "rejects.jsonl"
            try:
                where = report.resolve().relative_to(Path.cwd().resolve()).as_posix()
            except ValueError:
                where = report.as_posix()
        warnings = sum(1 for r in self.rejects if r.severity != "error")
        notes = [f"{self.merged} merged with curated records"] if self.merged else []
        notes += [f"{warnings} warnings"] if warnings else []
        notes += [f"{self.unresolved} names awaiting reconciliation"] if self.unresolved else []
        extra = f" ({'; '.join(notes)})" if notes else ""
        return f"{self.read} records read, {self.published} published, {self.rejected} rejected — see {where}{extra}"


def _authorities(path: Path | None) -> Authorities:
    folder = path or project_path("source", "authorities")
    if not folder.is_dir():
        raise SourceError(f"no authority folder at {folder}", hint="pass --authorities DIR")
    return load_authorities(folder, project_root())


def interpret(sources: list[Path], authorities: Path | None = None) -> tuple[list[Resolved], Resolver, BuildResult]:
    """Read and resolve every record; what cannot be read or resolved becomes a reject."""
    result = BuildResult()
    auth = _authorities(authorities)
    for problem in auth.problems:
        result.rejects.append(Reject(problem.location or Location("source/authorities", 1), problem.message,
                                     hint=problem.hint, severity="warning", stage="authority"))
    read = read_sources(sources, project_root())
    result.read = read.read
    result.source_files = sorted(set(read.files) | {
        str(p.location.file) for p in auth.entities.values() if p.location} | {
        str(p.location.file) for p in auth.problems if p.location})
    result.rejects.extend(read.rejects)
    resolver = Resolver(auth)
    resolved: list[Resolved] = []
    for record in read.records:
        try:
            resolved.append(resolver.resolve(record))
        except CwgraphError as exc:
            result.rejects.append(Reject(record.location, exc.message, hint=exc.hint, text=record.title,
                                         stage="interpret"))
    for entity in sorted(resolver.local.entities.values(), key=lambda e: (e.kind, e.id)):
        first = min(entity.sources)
        file, _, line = first.rpartition("#L")
        kind = "place" if entity.kind == "place" else "name"
        result.rejects.append(Reject(
            Location(file, int(line) if line.isdigit() else 1),
            f"{kind} {entity.label!r} is not in the authority files: published as a local entity "
            f"({entity.kind}/{entity.id}) and listed in reports/reconciliation.tsv",
            hint="add it (with its spellings) to source/authorities/"
                 f"{'places' if entity.kind == 'place' else 'persons or groups'}.tsv, or correct the spelling",
            severity="warning", stage="resolve", text=", ".join(sorted(entity.written))))
    result.published = len(resolved)
    result.merged = read.read - len(read.records) - sum(1 for r in read.rejects if r.severity == "error")
    result.unresolved = len(resolver.local.entities)
    return resolved, resolver, result


def build(sources: list[Path] | None = None, out: Path | None = None, authorities: Path | None = None,
          validate: bool = True) -> BuildResult:
    """Build the published graph from ``sources`` into ``out`` (default ``dist/``)."""
    sources = sources or [project_path("source")]
    out = out or project_path("dist")
    resolved, resolver, result = interpret(sources, authorities)
    g = build_triples(resolved, resolver.auth, resolver.local)
    triples = sort_triples(g.triples)
    result.triples = len(triples)
    lines = nquads_sorted(triples)
    if validate:
        data = rdflib.Graph()
        data.parse(data="".join(lines), format="nt")
        result.report = validate_graph(data)
        if not result.report.conforms:
            return result
    with atomic_release(out) as release:
        folder = release.folder
        write_ntriples_gz(lines, folder / "cwgraph.nt.gz")
        write_turtle(triples, folder / "cwgraph.ttl", BASE_IRI)
        write_jsonld(triples, folder / "cwgraph.jsonld", BASE_IRI)
        import json

        write_text(folder / "context.jsonld", json.dumps(jsonld_context(BASE_IRI), indent=2, sort_keys=True) + "\n")
        files = [(name, _source_path(name, sources)) for name in result.source_files]
        void = describe_dataset(triples, folder, files)
        buf = io.BytesIO()
        buf.write(ox.serialize(void, format=ox.RdfFormat.TURTLE,
                               prefixes={"void": "http://rdfs.org/ns/void#", "dcat": "http://www.w3.org/ns/dcat#",
                                         "dcterms": "http://purl.org/dc/terms/", "prov": "http://www.w3.org/ns/prov#",
                                         "xsd": "http://www.w3.org/2001/XMLSchema#",
                                         "cw": "https://w3id.org/cwgraph/vocab#",
                                         "foaf": "http://xmlns.com/foaf/0.1/", "owl": "http://www.w3.org/2002/07/owl#",
                                         "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
                               base_iri=BASE_IRI))
        (folder / "void.ttl").write_bytes(buf.getvalue())
        write_text(folder / "reports" / "rejects.jsonl", rejects_jsonl(result.rejects))
        write_text(folder / "reports" / "reconciliation.tsv",
                   reconciliation_tsv(resolver.auth, resolver.local, resolved))
        write_checksums(folder)
    result.out = out
    return result


def _source_path(display: str, sources: list[Path]) -> Path:
    """The file behind a displayed source name (relative to the project or to a --source folder)."""
    candidate = project_root() / display
    if candidate.is_file():
        return candidate
    for given in sources:
        for base in (given.resolve().parent, given.resolve()):
            if (base / display).is_file():
                return base / display
    return candidate
