"""One record to everything a build needs from it: the meaning, apart from the machinery.

:func:`map_record` resolves a record against the authorities and maps it: its document's
triples, the edges it adds to entities that grow with the documents (a cover name's
attestations, the conversations of a visit or negotiation), the entities it refers to and
the warnings of its reading. The build's chunks (:mod:`cwgraph.building.shards`) call it for
every record and know nothing of CIDOC-CRM; anything else that maps records calls it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cwgraph.core.records import Record, Reject
from cwgraph.interpreting.titles.report import unread_warnings
from cwgraph.mapping.documents import map_document
from cwgraph.mapping.entities import attestation, conversation_part, meetings_of
from cwgraph.mapping.graph import Triples
from cwgraph.resolving.authorities import Authorities
from cwgraph.resolving.resolve import Resolved, Resolver

__all__ = ["MappedRecord", "map_record"]


@dataclass
class MappedRecord:
    """What one record gave: its document's IRI, its resolution, the entities it refers to, warnings."""

    doc: str
    resolved: Resolved
    entities: set[str] = field(default_factory=set)
    warnings: list[Reject] = field(default_factory=list)


def map_record(record: Record, auth: Authorities, resolver: Resolver, g: Triples, edges: Triples) -> MappedRecord:
    """Resolve and map one record: the document's triples into ``g``, its edges to entities into
    ``edges``. Raises :class:`cwgraph.core.errors.CwgraphError` when the record cannot be read;
    ``resolver`` keeps the names it had to mint (one resolver for many records)."""
    res = resolver.resolve(record)
    doc = map_document(g, res)
    for event_id, _ in meetings_of(g, auth, res):
        conversation_part(edges, event_id, doc)
    for cover in res.covers_attested:
        entity = auth.get(cover)
        if entity is not None and entity.kind == "cover":
            attestation(edges, cover, doc)
    entities = {a.entity_id for a in res.all_agents} | set(res.mentions)
    return MappedRecord(doc, res, entities, unread_warnings(record, res.reading))
