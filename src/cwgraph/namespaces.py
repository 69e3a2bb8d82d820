"""One prefix table for rdflib, pyoxigraph, the JSON-LD context and CURIE display."""

from __future__ import annotations

import curies

from cwgraph.config import BASE_IRI

__all__ = ["PREFIXES", "CRM", "CW", "converter", "sparql_prologue"]

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

converter = curies.Converter.from_prefix_map(PREFIXES)


def sparql_prologue() -> str:
    """PREFIX lines for every prefix in the table."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

