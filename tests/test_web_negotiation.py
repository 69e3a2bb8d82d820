"""Content negotiation, extensions, the rewrite-rule table, and the RDF serialisations of descriptions."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from cwgraph.web.negotiation import FORMATS, RDF_FORMATS, RULES, by_extension, format_for, negotiate, serialize
from cwgraph.web.pages import relative

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

CASES = [
    (None, "html"), ("", "html"), ("*/*", "html"), (BROWSER, "html"),
    ("text/turtle", "ttl"), ("application/x-turtle", "ttl"), ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"), ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"),
    ("text/turtle;q=0.9, application/ld+json", "jsonld"), ("application/rdf+xml;q=0.5, text/turtle", "ttl"),
    ("application/ld+json, */*;q=0.1", "jsonld"), ("text/turtle, application/n-triples;q=0.8", "ttl"),
    ("text/*", "html"), ("image/png", None), ("application/pdf, image/*", None),
]


@pytest.mark.parametrize(("accept", "ext"), CASES)
def test_negotiate(accept: str | None, ext: str | None) -> None:
    fmt = negotiate(accept)
    assert (fmt.extension if fmt else None) == ext


def _rules(accept: str) -> str:
    """What the static site's rewrite rules answer (first matching rule, HTML otherwise)."""
    if re.search(RULES[0][0], accept, re.IGNORECASE):
        return "html"
    for regex, ext in RULES[1:]:
        if re.search(regex, accept, re.IGNORECASE):
            return ext
    return "html"


@pytest.mark.parametrize(("accept", "ext"), [c for c in CASES if c[1] is not None and c[0] is not None
                                             and "q=" not in (c[0] or "").replace(BROWSER, "")])
def test_rewrite_rules_agree_with_the_server_on_common_headers(accept: str, ext: str) -> None:
    assert _rules(accept) == ext


def test_extensions() -> None:
    assert by_extension("document/110296.ttl") == ("document/110296", format_for("ttl"))
    assert by_extension("document/110296") is None
    assert by_extension("person/a.b/c") is None
    assert by_extension("document/x.pdf") is None
    assert [f.extension for f in FORMATS] == ["html", "ttl", "jsonld", "nt", "rdf"]


def test_relative_links() -> None:
    assert relative("person/joseph-stalin.html", "document/110296.html") == "../person/joseph-stalin.html"
    assert relative("person/joseph-stalin.html", "document/110296/communication.html") == \
        "../../person/joseph-stalin.html"
    assert relative("index.html#people", "sparql") == "index.html#people"


BASE = "https://w3id.org/cwgraph/"
TRIPLES = [
    ox.Triple(ox.NamedNode(BASE + "document/1"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
              ox.NamedNode("http://www.cidoc-crm.org/cidoc-crm/E31_Document")),
    ox.Triple(ox.NamedNode(BASE + "document/1"), ox.NamedNode("https://w3id.org/cwgraph/vocab#sender"),
              ox.NamedNode(BASE + "person/joseph-stalin")),
    ox.Triple(ox.NamedNode(BASE + "document/1"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
              ox.Literal('Cable, "quoted" </script>')),
    ox.Triple(ox.NamedNode(BASE + "document/1"), ox.NamedNode("https://w3id.org/cwgraph/vocab#dateBegin"),
              ox.Literal("1947-12-16T00:00:00", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"))),
    ox.Triple(ox.NamedNode(BASE + "person/joseph-stalin"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
              ox.Literal("Сталин", language="ru")),
]


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.extension)
def test_every_rdf_format_round_trips(fmt) -> None:  # type: ignore[no-untyped-def]
    data = serialize(TRIPLES, fmt, BASE)
    parsed = ox.parse(data, format=ox.RdfFormat.from_media_type(fmt.media_type), base_iri=BASE)
    assert sorted(map(str, parsed)) == sorted(map(str, TRIPLES))


def test_jsonld_is_compacted_with_the_context_inline() -> None:
    doc = json.loads(serialize(TRIPLES, format_for("jsonld"), BASE))
    assert doc["@context"]["@base"] == BASE and doc["@context"]["cw"] == BASE + "vocab#"
    node = next(n for n in doc["@graph"] if n["@id"] == "document/1")
    assert node["@type"] == ["crm:E31_Document"] and node["cw:sender"] == [{"@id": "person/joseph-stalin"}]


def test_jsonld_expands_the_same_in_pyld() -> None:
    from pyld import jsonld

    doc = json.loads(serialize(TRIPLES, format_for("jsonld"), BASE))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert sorted(line for line in nquads.splitlines() if line) == sorted(f"{t} ." for t in TRIPLES)


# --- media-type parameters, wildcards, the SPARQL endpoint's format choice ------------------------

@pytest.mark.parametrize(("accept", "ext"), [
    ("text/turtle;charset=utf-8", "ttl"), ("text/turtle; charset=UTF-8; q=0.9", "ttl"),
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', "jsonld"),
    ("TEXT/Turtle", "ttl"), ("application/n-triples;charset=utf-8, text/html;q=0.1", "nt"),
    ("application/*", "jsonld"), ("application/*, text/html;q=0.5", "jsonld"),
    ("text/html;q=0, */*", "ttl"), ("text/turtle;q=0", None), ("*/*;q=0", None),
    ("application/xhtml+xml", "html"), ("text/*;q=0.5, application/rdf+xml;q=0.6", "rdf"),
])
def test_negotiate_parameters_and_wildcards(accept: str, ext: str | None) -> None:
    fmt = negotiate(accept)
    assert (fmt.extension if fmt else None) == ext


@pytest.mark.parametrize(("kind", "accept", "params", "media"), [
    # SPARQLWrapper's defaults: Accept and format=/output=/results= agree
    ("solutions", "application/sparql-results+xml", ["xml"], "application/sparql-results+xml"),
    ("graph", "application/rdf+xml", ["xml"], "application/rdf+xml"),
    ("graph", "*/*", ["xml", "xml", "xml"], "application/rdf+xml"),  # RDF for a graph query
    ("graph", "*/*", ["rdf+xml", "application/rdf+xml"], "application/rdf+xml"),
    ("graph", "*/*", ["rdf xml"], "application/rdf+xml"),  # "+" unescaped in a URL
    ("graph", "text/n3,text/rdf+n3", ["n3"], "text/turtle"),
    ("graph", "*/*", ["json-ld", "application/ld+json"], "application/ld+json"),
    ("graph", "*/*", ["json"], "application/ld+json"),
    ("solutions", "*/*", ["tsv", "text/tab-separated-values"], "text/tab-separated-values"),
    ("solutions", None, ["csv"], "text/csv"),
    ("boolean", "*/*", ["json"], "application/sparql-results+json"),
    # Accept first when it names a data format; a browser's form choice otherwise
    ("solutions", "application/sparql-results+json", ["xml"], "application/sparql-results+json"),
    ("solutions", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ["csv"], "text/csv"),
    ("solutions", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", [], "text/html"),
    ("solutions", "application/*", [], "application/sparql-results+json"),
    ("graph", "application/*", [], "application/ld+json"),
    ("graph", "text/turtle;charset=utf-8", ["json"], "text/turtle"),
    ("solutions", "*/*", ["turtle"], "application/sparql-results+json"),  # not a results format: the default
    ("solutions", "image/png", ["nonsense"], None),
])
def test_sparql_format_choice(kind: str, accept: str | None, params: list[str], media: str | None) -> None:
    from cwgraph.web.sparql_endpoint import choose_format

    fmt = choose_format(kind, accept, params)
    assert (fmt.media_type if fmt else None) == media
