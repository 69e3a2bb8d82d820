"""Records in shards: map, render and validate a chunk of documents, in worker processes.

What a record means is :func:`cwgraph.mapping.record.map_record`'s; this module only
streams it. A chunk's documents become blocks — one subject with its N-Triples lines, Turtle
statement and JSON-LD node, already rendered (:mod:`cwgraph.publishing.serialize`) — in a run
file in subject order. The edges documents add to the entities outside them
(cover-name attestations, conversations of a visit or a negotiation, the sources of
minted names) go to an edge run (:mod:`cwgraph.building.outside`), the letter rows to a
letter run (:mod:`cwgraph.exports.chunks`); the minted names and the entity counts come back
as small aggregates. Each chunk is validated on its own: the shapes are local to a
document and its parts, so a chunk's triples plus the types of the entities they point
to (indexed once per process) are all a shape can see. Findings are kept only for the
chunk's own nodes. The output does not depend on how records were chunked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cwgraph.building.outside import edge_entries
from cwgraph.core.config import BASE_IRI
from cwgraph.core.errors import CwgraphError
from cwgraph.core.pool import ordered_map
from cwgraph.core.records import Record, Reject
from cwgraph.core.runs import write_run
from cwgraph.exports import write_letter_run
from cwgraph.mapping import Triples, local_types, map_local_sources
from cwgraph.mapping.record import map_record
from cwgraph.mapping.rows import LetterSkeleton
from cwgraph.publishing.serialize import BLOCKS, Renderer, Stats, render_blocks
from cwgraph.resolving.authorities import Authorities, load_authorities
from cwgraph.resolving.resolve import LocalEntity, Resolver
from cwgraph.validation.shacl import type_context
from cwgraph.validation.validate import Finding, _crm_schema, load_shapes, validate_triples

__all__ = ["ChunkOutput", "ShardContext", "chunked", "process_chunk", "run_chunks"]

MAX_DOCS_PER_ENTITY = 50  # documents listed per unlinked entity in the reconciliation report


@dataclass
class ShardContext:
    """What every worker needs: where the authorities are, what to validate against."""

    authorities: Path
    root: Path
    workdir: Path
    validate: bool
    static_types: list[str]  # rdf:type lines of every entity and concept outside the documents


@dataclass
class ChunkOutput:
    run: Path  # the chunk's blocks (:data:`cwgraph.publishing.serialize.BLOCKS`), in subject order
    published: int = 0
    lines: int = 0
    stats: Stats = field(default_factory=Stats)
    letters: Path | None = None  # the chunk's letter run (:mod:`cwgraph.exports.chunks`)
    edges: Path | None = None  # the chunk's edges to entities outside it (:mod:`cwgraph.building.outside`)
    counts: dict[str, int] = field(default_factory=dict)  # entity IRI → documents referring to it
    rejects: list[Reject] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    local: dict[str, LocalEntity] = field(default_factory=dict)
    used: dict[str, list[str]] = field(default_factory=dict)  # entity id → documents (capped)
    used_count: dict[str, int] = field(default_factory=dict)


_STATE: dict[str, object] = {}


def _init(context: ShardContext) -> None:
    """Per process: authorities and shapes, loaded once (inherited from the parent when forked)."""
    if _STATE.get("context") is context:
        return
    _STATE["context"] = context
    _STATE["auth"] = load_authorities(context.authorities, context.root)
    _STATE["renderer"] = Renderer(BASE_IRI)
    if context.validate:
        _STATE["shapes"] = load_shapes()
        _STATE["types"] = type_context(context.static_types)
        _crm_schema()  # parse the ontology's RDFS once, before any fork


def process_chunk(job: tuple[int, list[Record]]) -> ChunkOutput:
    """Map (:func:`cwgraph.mapping.record.map_record`) and, optionally, validate one chunk; write its
    sorted lines, edges and letters to run files."""
    index, records = job
    context = _STATE["context"]
    auth = _STATE["auth"]
    assert isinstance(context, ShardContext) and isinstance(auth, Authorities)
    resolver = Resolver(auth)
    g = Triples()
    edges = Triples()  # attestations, conversations of events, sources of minted names
    letters: list[LetterSkeleton] = []
    out = ChunkOutput(run=context.workdir / f"run-{index:06d}.blocks")
    for record in records:
        try:
            mapped = map_record(record, auth, resolver)
        except CwgraphError as exc:
            out.rejects.append(Reject(record.location, exc.message, hint=exc.hint, text=record.title,
                                      stage="interpret"))
            continue
        g.update(mapped.triples)
        edges.update(mapped.edges)
        out.rejects.extend(mapped.warnings)
        for entity_id in mapped.entities:
            out.used_count[entity_id] = out.used_count.get(entity_id, 0) + 1
            docs = out.used.setdefault(entity_id, [])
            if len(docs) < MAX_DOCS_PER_ENTITY:
                docs.append(mapped.doc)
        for entity in mapped.counted:
            out.counts[entity] = out.counts.get(entity, 0) + 1
        if mapped.letter is not None:
            letters.append(mapped.letter)
        out.published += 1
    out.local = resolver.local.entities
    map_local_sources(edges, resolver.local)
    pairs = g.sorted_triples()
    if edges.triples:
        out.edges = write_run(edge_entries(edges.sorted_triples(), pairs), context.workdir / f"edges-{index:06d}.nt")
    out.lines = len(pairs)
    renderer = _STATE["renderer"]
    assert isinstance(renderer, Renderer)
    write_run(render_blocks(pairs, renderer, out.stats), out.run, BLOCKS)
    if letters:
        out.letters = write_letter_run(letters, context.workdir / f"letters-{index:06d}.jsonl")
    if context.validate and pairs:
        types = dict(_STATE["types"])  # type: ignore[call-overload]
        types.update(local_types(out.local.values()))
        out.findings = validate_triples([t for _, t in pairs], types, _STATE["shapes"])  # type: ignore[arg-type]
    return out


def chunked(records: Iterable[Record], size: int) -> Iterator[tuple[int, list[Record]]]:
    chunk: list[Record] = []
    index = 0
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield index, chunk
            index, chunk = index + 1, []
    if chunk:
        yield index, chunk


def run_chunks(records: Iterable[Record], context: ShardContext, workers: int, size: int) -> Iterator[ChunkOutput]:
    """Process the chunks in order, in ``workers`` processes (in this process when 1)."""
    _init(context)  # forked workers inherit authorities, shapes and the ontology
    yield from ordered_map(process_chunk, chunked(records, size), workers, _init, (context,))
