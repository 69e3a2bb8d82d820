"""One prefix table for rdflib, pyoxigraph, the JSON-LD context and CURIE display.

The table is the release's JSON-LD context, shipped as package data
(``cwgraph/data/context.jsonld``, read once): its prefixes in its order (the order the
Turtle ``@prefix`` lines and SPARQL prologues keep), plus ``sh`` for the shapes. ``cwd``
is the data's own namespace, the configured base (``CWGRAPH_BASE_IRI``).
"""

from __future__ import annotations

import json
from importlib import resources

import curies

from cwgraph.core.config import BASE_IRI

__all__ = ["CONTEXT_RESOURCE", "CRM", "CW", "PREFIXES", "SH", "SPDX", "TURTLE_PREFIXES", "VOID_PREFIXES", "converter",
           "curie", "jsonld_context", "packaged_context", "sparql_prologue"]

CONTEXT_RESOURCE = "data/context.jsonld"  # inside the cwgraph package


def packaged_context() -> dict[str, str]:
    """The ``@context`` object of the packaged ``context.jsonld``, in its order."""
    text = resources.files("cwgraph").joinpath(CONTEXT_RESOURCE).read_text("utf-8")
    return json.loads(text)["@context"]


_CONTEXT = packaged_context()

SH = "http://www.w3.org/ns/shacl#"

PREFIXES: dict[str, str] = {
    **{p: BASE_IRI if p == "cwd" else iri for p, iri in _CONTEXT.items() if not p.startswith("@")}, "sh": SH}

CRM = PREFIXES["crm"]
CW = PREFIXES["cw"]

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
    the packaged context with ``base`` as ``@base`` (the prefix table without ``sh``)."""
    return {**_CONTEXT, "@base": base, "cwd": PREFIXES["cwd"]}


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

