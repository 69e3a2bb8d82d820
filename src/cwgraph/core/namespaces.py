"""One prefix table for rdflib, pyoxigraph, the JSON-LD context and CURIE display."""

from __future__ import annotations

import curies

from cwgraph.core.config import BASE_IRI

__all__ = ["CRM", "CW", "PREFIXES", "SPDX", "TURTLE_PREFIXES", "VOID_PREFIXES", "converter", "curie", "jsonld_context",
           "sparql_prologue"]

CRM = "http://www.cidoc-crm.org/cidoc-crm/"
CW = "https://w3id.org/cwgraph/vocab#"

PREFIXES: dict[str, str] = {
    "cwd": BASE_IRI,
    "cw": CW,
    "crm": CRM,
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "aat": "http://vocab.getty.edu/aat/",
    "wd": "http://www.wikidata.org/entity/",
    "wgs84": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "sh": "http://www.w3.org/ns/shacl#",
}

SPDX = "http://spdx.org/rdf/terms#"

# Turtle (the dump, served descriptions, RDF/XML): every prefix but cwd (the data's @base) and sh
TURTLE_PREFIXES = {p: iri for p, iri in PREFIXES.items() if p not in ("cwd", "sh")}
# the dataset description (void.ttl): the description vocabularies and SPDX for checksums
VOID_PREFIXES = {p: PREFIXES[p] for p in ("void", "dcat", "dcterms", "prov", "xsd", "cw", "foaf", "owl", "rdfs")} \
    | {"spdx": SPDX}

converter = curies.Converter.from_prefix_map(PREFIXES)
# JSON-LD compacts with the context's prefixes: the table without sh
_JSONLD = curies.Converter.from_prefix_map({p: iri for p, iri in PREFIXES.items() if p != "sh"})


def jsonld_context(base: str) -> dict[str, object]:
    """The release's JSON-LD context (``context.jsonld``, and inline in every JSON-LD we write):
    the prefix table without ``sh``, with the data's base as ``@base``."""
    return {"@base": base, **{p: iri for p, iri in PREFIXES.items() if p != "sh"}}


def curie(iri: str, jsonld: bool = False) -> str | None:
    """The CURIE of an IRI by the longest namespace of the table (of the JSON-LD context with
    ``jsonld``), or None when none fits or the local part is empty or starts with ``//``.

    >>> curie("http://www.cidoc-crm.org/cidoc-crm/P14_carried_out_by"), curie("https://example.org/x")
    ('crm:P14_carried_out_by', None)
    """
    compact = (_JSONLD if jsonld else converter).compress(iri)
    if compact is None:
        return None
    local = compact.split(":", 1)[1]
    return compact if local and not local.startswith("//") else None


def sparql_prologue() -> str:
    """PREFIX lines for every prefix in the table."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

