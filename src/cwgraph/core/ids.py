"""Deterministic IRIs: one path per kind under the base, keys from stable identifiers.

>>> document_iri("110296")
'https://w3id.org/cwgraph/document/110296'
>>> entity_iri("person", "joseph-stalin")
'https://w3id.org/cwgraph/person/joseph-stalin'
"""

from __future__ import annotations

from urllib.parse import quote

from cwgraph.core.config import BASE_IRI

__all__ = ["COLLECTION", "document_iri", "entity_iri", "type_iri", "vocab", "wikidata"]

_PATH = {
    "person": "person",
    "group": "group",
    "place": "place",
    "event": "event",
    "cover": "name",
    "actor": "actor",
    "local-place": "place",
    "local-group": "group",
    "language": "language",
}


def _safe(key: str) -> str:
    return quote(key, safe="-._~")


def document_iri(key: str) -> str:
    return f"{BASE_IRI}document/{_safe(key)}"


def entity_iri(kind: str, entity_id: str) -> str:
    return f"{BASE_IRI}{_PATH[kind]}/{_safe(entity_id)}"


def type_iri(slug: str) -> str:
    return f"{BASE_IRI}type/{slug}"


def vocab(term: str) -> str:
    return f"https://w3id.org/cwgraph/vocab#{term}"


def wikidata(qid: str) -> str:
    return f"http://www.wikidata.org/entity/{qid}"


COLLECTION = f"{BASE_IRI}collection/sino-soviet-alliance"
