"""Resolved records to triples: CIDOC-CRM paths first, flat views derived from them."""

from __future__ import annotations

from cwgraph.authorities import Authorities
from cwgraph.mapping.documents import map_document
from cwgraph.mapping.entities import map_cover_names, map_entities, map_events, map_locals, map_types
from cwgraph.mapping.graph import Triples
from cwgraph.resolve import LocalRegistry, Resolved

__all__ = ["Triples", "build_triples"]


def build_triples(resolved: list[Resolved], auth: Authorities, local: LocalRegistry) -> Triples:
    """Every triple of the published graph (documents, entities, events, types)."""
    g = Triples()
    for res in resolved:
        map_document(g, res)
    map_entities(g, auth)
    map_cover_names(g, auth, resolved)
    map_events(g, auth, resolved)
    map_locals(g, local)
    map_types(g, {r.language for r in resolved if r.language})
    return g
