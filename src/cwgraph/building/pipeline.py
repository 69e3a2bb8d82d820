"""The build: read → interpret/resolve → map → validate → publish, with rejects carried along.

Records stream from the sources in chunks; each chunk is resolved, mapped, rendered
and validated (in worker processes with ``workers > 1``) into a run file of subject
blocks. The triples that are not about one document (authorities, cover names,
events, minted names, types) are mapped once, merged with the edges the chunks add
to them (:mod:`cwgraph.building.outside`), validated and rendered. The runs and those blocks
are merged into one stream in subject order that the release writer only
concatenates, while the exports are written beside it. The records read so far wait
in an on-disk table (:mod:`cwgraph.sources.tables`), so memory grows with the
entities, not the documents, and the bytes do not depend on the number of workers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from cwgraph.building.background import Background
from cwgraph.building.outside import merge_outside, render_outside
from cwgraph.building.shards import MAX_DOCS_PER_ENTITY, ChunkOutput, ShardContext, run_chunks
from cwgraph.core.config import BASE_IRI, DATASET, project_path, project_root
from cwgraph.core.errors import CwgraphError, Location, SourceError
from cwgraph.core.ids import document_iri
from cwgraph.core.namespaces import VOID_PREFIXES, jsonld_context
from cwgraph.core.records import Reject
from cwgraph.core.runs import merge_runs, reduce_runs
from cwgraph.exports import write_exports_from_runs
from cwgraph.mapping import Triples, map_globals
from cwgraph.mapping.record import MappedRecord, map_record
from cwgraph.publishing.describe import describe_dataset
from cwgraph.publishing.outdir import check_out, new_scratch, remove_tree, tidy_scratch
from cwgraph.publishing.publish import atomic_release, write_checksums, write_text
from cwgraph.publishing.reports import authority_links_tsv, reconciliation_tsv, rejects_jsonl
from cwgraph.publishing.serialize import BLOCKS, Block, ReleaseWriter, Renderer, Stats
from cwgraph.resolving.authorities import Authorities, load_authorities
from cwgraph.resolving.resolve import LocalEntity, LocalRegistry, Resolver
from cwgraph.sources import ReadResult
from cwgraph.sources.discover import file_digest, iter_records
from cwgraph.validation.shacl import type_context
from cwgraph.validation.validate import Finding, Report, load_shapes

__all__ = ["BuildResult", "Progress", "ProgressEvent", "build", "map_records"]

CHUNK = 500  # documents a chunk: small enough for quick validation, large enough to amortise a task



@dataclass(frozen=True)
class ProgressEvent:
    """Where a build is: ``stage`` is ``mapping`` (``done`` records read, ``count`` mapped),
    ``writing`` (``done`` subjects written) or ``exports`` (waiting for the exports)."""

    stage: str
    done: int
    count: int


Progress = Callable[[ProgressEvent], None]

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
    digests: dict[str, str] = field(default_factory=dict)  # SHA-256 of the bytes read, by displayed name

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


def _authority_folder(path: Path | None) -> Path:
    folder = path or project_path("source", "authorities")
    if not folder.is_dir():
        raise SourceError(f"no authority folder at {folder}", hint="pass --authorities DIR")
    return folder


def _authority_rejects(auth: Authorities) -> list[Reject]:
    return [Reject(p.location or Location("source/authorities", 1), p.message, hint=p.hint, severity="warning",
                   stage="authority") for p in auth.problems]


def _local_rejects(local: Iterable[LocalEntity]) -> list[Reject]:
    rejects = []
    for entity in sorted(local, key=lambda e: (e.kind, e.id)):
        file, _, line = min(entity.sources).rpartition("#L")
        kind = {"place": "place", "group": "organisation"}.get(entity.kind, "name")
        table = {"place": "places", "group": "groups"}.get(entity.kind, "persons or groups")
        rejects.append(Reject(
            Location(file, int(line) if line.isdigit() else 1),
            f"{kind} {entity.label!r} is not in the authority files: published as a local entity "
            f"({entity.kind}/{entity.id}) and listed in reports/reconciliation.tsv",
            hint=f"add it (with its spellings) to source/authorities/{table}.tsv, or correct the spelling",
            severity="warning", stage="resolve", text=", ".join(sorted(entity.written))))
    return rejects


def _source_files(read: ReadResult, auth: Authorities) -> list[str]:
    return sorted(set(read.files) | {str(e.location.file) for e in auth.entities.values() if e.location}
                  | {str(p.location.file) for p in auth.problems if p.location})


def map_records(sources: list[Path], authorities: Path | None = None) -> tuple[list[MappedRecord], Resolver,
                                                                               BuildResult]:
    """Read, resolve and map every record in memory, each by :func:`cwgraph.mapping.record.map_record`
    as the build's chunks do (for small corpora, tests and benchmarks)."""
    result = BuildResult()
    auth = load_authorities(_authority_folder(authorities), project_root())
    result.rejects.extend(_authority_rejects(auth))
    read = ReadResult()
    records = sorted(iter_records(sources, project_root(), read), key=lambda r: r.key or "")
    result.read = read.read
    result.rejects.extend(read.rejects)
    resolver = Resolver(auth)
    mapped: list[MappedRecord] = []
    for record in records:
        try:
            mapped.append(map_record(record, auth, resolver))
            result.rejects.extend(mapped[-1].warnings)
        except CwgraphError as exc:
            result.rejects.append(Reject(record.location, exc.message, hint=exc.hint, text=record.title,
                                         stage="interpret"))
    result.rejects.extend(_local_rejects(resolver.local.entities.values()))
    result.published = len(mapped)
    result.merged = read.read - len(records) - read.rejected
    result.unresolved = len(resolver.local.entities)
    result.source_files = _source_files(read, auth)
    return mapped, resolver, result


def _merge_local(into: LocalRegistry, found: dict[str, LocalEntity]) -> None:
    """Add a chunk's minted names. Only the first documents and source lines of each are kept
    (for the reconciliation report); the graph has every source line (:mod:`cwgraph.building.outside`)."""
    for key, entity in found.items():
        mine = into.entities.get(key)
        if mine is None:
            mine = into.entities[key] = entity
        else:
            mine.label = min(mine.label, entity.label)
            mine.written |= entity.written
            mine.documents |= entity.documents
            mine.contexts |= entity.contexts
            mine.sources |= entity.sources
        if len(mine.documents) > MAX_DOCS_PER_ENTITY:
            mine.documents = set(sorted(mine.documents, key=document_iri)[:MAX_DOCS_PER_ENTITY])
        if len(mine.sources) > MAX_DOCS_PER_ENTITY:
            mine.sources = set(sorted(mine.sources)[:MAX_DOCS_PER_ENTITY])


def _static_types(lines: list[str]) -> list[str]:
    return [line for line in lines if " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " in line]


MAX_OPEN_RUNS: int | None = None  # run files merged at once (None: as many as the open-file limit allows)


def fan_in() -> int:
    """Run files one merge may open: :data:`MAX_OPEN_RUNS`, else what the open-file limit leaves
    (raised to the hard limit first, as sort(1) would want), at most 4 096; more merge in rounds."""
    if MAX_OPEN_RUNS:
        return MAX_OPEN_RUNS
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or hard > soft):
            wanted = 8192 if hard == resource.RLIM_INFINITY else min(hard, 8192)
            if wanted > soft:
                resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
                soft = wanted
    except (ImportError, ValueError, OSError):  # no resource module (Windows), or not allowed
        return 200
    return 4096 if soft == resource.RLIM_INFINITY else max(16, min(4096, soft - 256))


def build(sources: list[Path] | None = None, out: Path | None = None, authorities: Path | None = None,
          validate: bool = True, workers: int = 1, progress: Progress | None = None) -> BuildResult:
    """Build the published graph from ``sources`` into ``out`` (default ``dist/``).

    ``progress`` is called with a :class:`ProgressEvent` as the build goes (records mapped,
    subjects written, waiting for the exports); the library prints nothing itself.

    Long: the build's stages in the order they run (read, map in chunks, merge, validate, publish),
    each one call; split, the order would be harder to see."""
    sources = sources or [project_path("source")]
    folder = _authority_folder(authorities)
    out = check_out(out or project_path("dist"), [("authority folder", folder), *(("source", s) for s in sources)],
                    home=project_root())
    auth = load_authorities(folder, project_root())
    result = BuildResult()
    result.rejects.extend(_authority_rejects(auth))

    # the graph outside the documents that does not depend on them: known before any record
    static = Triples()
    map_globals(static, auth, LocalRegistry(), {}, [], set())
    static_lines = static.lines()

    workdir = new_scratch(out, "runs")
    try:
        read = ReadResult()
        context = ShardContext(folder, project_root(), workdir, validate, _static_types(static_lines))
        local = LocalRegistry()
        used: dict[str, list[str]] = {}
        findings: list[Finding] = []
        runs: list[Path] = []
        letter_runs: list[Path] = []
        edge_runs: list[Path] = []
        counts: dict[str, int] = {}
        stats = Stats()
        records = iter_records(sources, project_root(), read, workdir)
        for chunk in run_chunks(records, context, workers, CHUNK):
            _collect(chunk, result, local, used, findings)
            stats.update(chunk.stats)
            runs.append(chunk.run)
            if chunk.letters is not None:
                letter_runs.append(chunk.letters)
            if chunk.edges is not None:
                edge_runs.append(chunk.edges)
            for iri, n in chunk.counts.items():
                counts[iri] = counts.get(iri, 0) + n
            if progress is not None:
                progress(ProgressEvent("mapping", read.read, result.published))
        result.read = read.read
        result.rejects.extend(read.rejects)
        result.rejects.extend(_local_rejects(local.entities.values()))
        result.merged = read.read - result.published - read.rejected - sum(
            1 for r in result.rejects if r.stage == "interpret")
        result.unresolved = len(local.entities)
        result.source_files = _source_files(read, auth)
        result.digests = read.digests

        # the rest of the graph outside the documents, now that the documents are known,
        # merged with the edges the chunks added to it, validated and rendered
        g = Triples()
        map_globals(g, auth, local, {}, [], set())
        global_pairs = g.sorted_triples()
        del g  # the triples live on in the pairs; at a million records every copy counts
        global_lines = [line for line, _ in global_pairs]
        global_run = workdir / "globals.blocks"
        shapes, types = None, None
        if validate:
            shapes, types = load_shapes(), type_context(_static_types(global_lines))
        merged = merge_outside(global_pairs, edge_runs, workdir, fan_in())
        findings.extend(render_outside(merged, Renderer(BASE_IRI), stats, global_run, shapes, types))
        del global_pairs, merged, types  # rendered: the exports need only the lines
        if validate:
            result.report = Report(sorted(set(findings)))
            if not result.report.conforms:
                return result
        with atomic_release(out) as release:
            runs = reduce_runs(runs, workdir, "merge", fan_in(), BLOCKS, consume=True)
            blocks = merge_runs([*runs, global_run], BLOCKS)
            exports = _Exports(letter_runs, global_lines, counts, workdir)
            _publish(release.folder, blocks, stats, exports, result, auth, local, used, sources, progress)
        result.out = out
        return result
    finally:
        remove_tree(workdir)
        tidy_scratch(out)


def _collect(chunk: ChunkOutput, result: BuildResult, local: LocalRegistry, used: dict[str, list[str]],
             findings: list[Finding]) -> None:
    result.published += chunk.published
    result.rejects.extend(chunk.rejects)
    findings.extend(chunk.findings)
    _merge_local(local, chunk.local)
    for entity_id, docs in chunk.used.items():
        mine = used.setdefault(entity_id, [])
        mine.extend(docs[: max(0, MAX_DOCS_PER_ENTITY - len(mine))])


@dataclass
class _Exports:
    """What the exports need from the chunks and the rest of the graph."""

    letter_runs: list[Path]
    global_lines: list[str]
    counts: dict[str, int]
    workdir: Path


def _publish(folder: Path, blocks: Iterator[Block], stats: Stats, exports: _Exports, result: BuildResult,
             auth: Authorities, local: LocalRegistry, used: dict[str, list[str]], sources: list[Path],
             progress: Progress | None = None) -> None:
    def report(subjects: int) -> None:
        if progress is not None:
            progress(ProgressEvent("writing", subjects, subjects))

    # CMIF, GEXF, GraphML, pictures, Mix'n'match, BEACON: beside the dumps, on the other core
    # (started before the writer's gzip thread exists, so the fork copies no thread)
    background = Background(partial(write_exports_from_runs, published=DATASET.issued, workdir=exports.workdir),
                            folder, exports.letter_runs, exports.global_lines, exports.counts)
    try:
        writer = ReleaseWriter(folder, BASE_IRI)
        try:
            writer.write_blocks(blocks, report if progress is not None else None)
        finally:
            writer.close()
    except BaseException:
        background.cancel()
        raise
    if progress is not None:
        progress(ProgressEvent("exports", 0, 0))
    result.triples = stats.triples
    context = json.dumps({"@context": jsonld_context(BASE_IRI)}, indent=2, sort_keys=True)
    write_text(folder / "context.jsonld", context + "\n")
    background.wait()
    files = [(name, result.digests.get(name) or _digest(_source_path(name, sources))) for name in result.source_files]
    void = describe_dataset(stats, folder, files)
    buf = io.BytesIO()
    buf.write(ox.serialize(void, format=ox.RdfFormat.TURTLE, prefixes=VOID_PREFIXES, base_iri=BASE_IRI))
    (folder / "void.ttl").write_bytes(buf.getvalue())
    write_text(folder / "reports" / "rejects.jsonl", rejects_jsonl(result.rejects))
    write_text(folder / "reports" / "reconciliation.tsv", reconciliation_tsv(auth, local, used))
    write_text(folder / "reports" / "authority-links.tsv", authority_links_tsv(auth, used))
    write_checksums(folder)


def _digest(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:  # unreadable, or gone: its reject says so
        return None


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
