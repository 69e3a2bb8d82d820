"""Resolved records to triples: CIDOC-CRM paths first, flat views derived from them.

Documents are mapped one by one (:func:`map_document`, with :func:`meetings_of` for the
conversations that belong to a visit or a negotiation); the entities, cover names,
events, locally minted names and type concepts are mapped once, from what the documents
left behind (:func:`map_globals`).
"""

from __future__ import annotations

from cwgraph.mapping.documents import map_document
from cwgraph.mapping.entities import (
    attestation,
    conversation_part,
    local_types,
    map_cover_names,
    map_entities,
    map_events,
    map_local_sources,
    map_locals,
    map_types,
    meetings_of,
)
from cwgraph.mapping.graph import Triples
from cwgraph.resolving.authorities import Authorities
from cwgraph.resolving.resolve import LocalRegistry

__all__ = ["Triples", "attestation", "conversation_part", "local_types", "map_document", "map_globals",
           "map_local_sources", "meetings_of"]


def map_globals(g: Triples, auth: Authorities, local: LocalRegistry, attested: dict[str, set[str]],
                meetings: list[tuple[str, str]], languages: set[str]) -> None:
    """Every triple that is not about one document, but the sources of minted names
    (:func:`map_local_sources`). A build passes no ``attested`` or ``meetings``: it emits
    those edges chunk by chunk, with the minted names' sources (:mod:`cwgraph.building.outside`)."""
    map_entities(g, auth)
    map_cover_names(g, auth, attested)
    map_events(g, auth, meetings)
    map_locals(g, local)
    map_types(g, languages)
