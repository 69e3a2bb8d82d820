"""Resolved records to triples: CIDOC-CRM paths first, flat views derived from them.

Documents are mapped one by one (:func:`map_document`, with :func:`meetings_of` for the
conversations that belong to a visit or a negotiation); the entities, cover names,
events, locally minted names and type concepts are mapped once, from what the documents
left behind (:func:`map_globals`).
"""

from __future__ import annotations

from cwgraph.authorities import Authorities
from cwgraph.mapping.documents import map_document
from cwgraph.mapping.entities import (
    map_cover_names,
    map_entities,
    map_events,
    map_locals,
    map_types,
    meetings_of,
)
from cwgraph.mapping.graph import Triples
from cwgraph.resolve import LocalRegistry

__all__ = ["Triples", "map_document", "map_globals", "meetings_of"]


def map_globals(g: Triples, auth: Authorities, local: LocalRegistry, attested: dict[str, set[str]],
                meetings: list[tuple[str, str]], languages: set[str]) -> None:
    """Every triple that is not about one document."""
    map_entities(g, auth)
    map_cover_names(g, auth, attested)
    map_events(g, auth, meetings)
    map_locals(g, local)
    map_types(g, languages)
