"""One record to everything a build needs from it: the meaning, apart from the machinery.

:func:`map_record` resolves a record against the authorities and maps it: its document's
triples, the edges it adds to entities that grow with the documents (a cover name's
attestations, the conversations of a visit or negotiation), the entities it refers to,
its letter row and the entities it counts for in the exports (:mod:`cwgraph.mapping.rows`),
and the warnings of its reading. The build's chunks (:mod:`cwgraph.building.shards`) and
the in-memory reading (:func:`cwgraph.building.pipeline.map_records`) both call it, so
the streaming build and any in-memory use cannot drift; the machinery around it (chunks,
runs, merges, pools) knows nothing of CIDOC-CRM.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cwgraph.core.records import Record, Reject
from cwgraph.interpreting.titles.report import unread_warnings
from cwgraph.mapping.documents import map_document
from cwgraph.mapping.entities import attestation, conversation_part, meetings_of
from cwgraph.mapping.graph import Triples
from cwgraph.mapping.rows import LetterSkeleton, document_rows
from cwgraph.resolving.authorities import Authorities
from cwgraph.resolving.resolve import Resolved, Resolver

__all__ = ["MappedRecord", "map_record"]


@dataclass
class MappedRecord:
    """What one record gave the build."""

    doc: str  # the document's IRI
    resolved: Resolved
    triples: Triples  # the document and its parts
    edges: Triples  # attestations of cover names, conversations of events: triples about entities outside
    entities: set[str] = field(default_factory=set)  # entity ids of its agents and mentions (reconciliation)
    counted: set[str] = field(default_factory=set)  # entity IRIs it counts for (see rows.COUNTED)
    letter: LetterSkeleton | None = None  # its letter row, when it has a sender or a recipient
    warnings: list[Reject] = field(default_factory=list)


def map_record(record: Record, auth: Authorities, resolver: Resolver) -> MappedRecord:
    """Resolve and map one record. Raises :class:`cwgraph.core.errors.CwgraphError` when the
    record cannot be read; ``resolver`` keeps the names it had to mint (one resolver for many
    records: a minted name's id is shared by every record that names it)."""
    res = resolver.resolve(record)
    g, edges = Triples(), Triples()
    doc = map_document(g, res)
    for event_id, _ in meetings_of(g, auth, res):
        conversation_part(edges, event_id, doc)
    for cover in res.covers_attested:
        entity = auth.get(cover)
        if entity is not None and entity.kind == "cover":
            attestation(edges, cover, doc)
    rows = document_rows(g.triples)
    return MappedRecord(doc, res, g, edges, {a.entity_id for a in res.all_agents} | set(res.mentions),
                        set(rows.counts), rows.letters[0] if rows.letters else None,
                        unread_warnings(record, res.reading))
