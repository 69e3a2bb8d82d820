"""The JSON-LD context ships once, as package data: the release's ``context.jsonld`` and the context
inside every JSON-LD we write or serve are it (with the served base as ``@base``), the prefix table
is read from it in its order, and JSON-LD processors (pyld, rdflib) read it as a context."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyld import jsonld

from cwgraph.core.config import BASE_IRI
from cwgraph.core.namespaces import CONTEXT_RESOURCE, PREFIXES, TURTLE_PREFIXES, packaged_context
from cwgraph.web.negotiation import jsonld_document

ROOT = Path(__file__).resolve().parents[1]
CRM, CW = PREFIXES["crm"], PREFIXES["cw"]


def _packaged() -> dict:
    return json.loads(resources.files("cwgraph").joinpath(CONTEXT_RESOURCE).read_text("utf-8"))


def test_the_release_ships_the_packaged_context() -> None:
    assert BASE_IRI == _packaged()["@context"]["@base"]  # the release is built for the packaged base
    shipped = (ROOT / "dist" / "context.jsonld").read_text("utf-8")
    assert json.loads(shipped) == _packaged()
    with open(ROOT / "dist" / "cwgraph.jsonld", encoding="utf-8") as f:
        assert json.load(f)["@context"] == _packaged()["@context"]


def test_a_served_description_embeds_the_context_with_the_served_base() -> None:
    base = "http://127.0.0.1:8765/"
    triple = ox.Triple(ox.NamedNode(f"{BASE_IRI}document/1"), ox.NamedNode(f"{CRM}P102_has_title"),
                       ox.NamedNode(f"{BASE_IRI}document/1/title"))
    assert jsonld_document([triple], base)["@context"] == {**_packaged()["@context"], "@base": base}


def test_the_prefix_table_is_the_packaged_context_in_its_order() -> None:
    context = packaged_context()
    assert list(PREFIXES) == [p for p in context if not p.startswith("@")] + ["sh"]
    assert all(PREFIXES[p] == iri for p, iri in context.items() if not p.startswith("@"))
    assert context["cwd"] == context["@base"]  # cwd is the data's own namespace
    assert list(TURTLE_PREFIXES) == [p for p in PREFIXES if p not in ("cwd", "sh")]  # the dump's @prefix lines


def test_a_configured_base_replaces_the_packaged_one() -> None:
    code = ("from cwgraph.core.namespaces import PREFIXES, jsonld_context as c;"
            "print(PREFIXES['cwd'], c('http://b/')['@base'], c('http://b/')['cwd'])")
    env = {**os.environ, "CWGRAPH_BASE_IRI": "https://example.org/graph/"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["https://example.org/graph/", "http://b/", "https://example.org/graph/"]


def test_jsonld_processors_read_it_as_a_context() -> None:
    context = _packaged()["@context"]
    node = {"@context": context, "@id": "document/1", "@type": "crm:E31_Document",
            "dcterms:title": {"@value": "Cable — Москва", "@language": "en"},
            **{f"{p}:p": {"@id": f"{p}:o"} for p in context if not p.startswith("@")}}
    expanded = jsonld.expand(node)
    assert len(expanded) == 1
    expected = {"@id": f"{BASE_IRI}document/1", "@type": [f"{CRM}E31_Document"],
                f"{PREFIXES['dcterms']}title": [{"@value": "Cable — Москва", "@language": "en"}],
                **{f"{iri}p": [{"@id": f"{iri}o"}] for p, iri in context.items() if not p.startswith("@")}}
    assert expanded[0] == expected  # every prefix is one a processor expands
    assert jsonld.compact(expanded, {"@context": context})["crm:p"] == {"@id": "crm:o"}

    graph = rdflib.Graph().parse(data=json.dumps(node), format="json-ld")
    subject = rdflib.URIRef(f"{BASE_IRI}document/1")
    assert (subject, rdflib.RDF.type, rdflib.URIRef(f"{CRM}E31_Document")) in graph
    assert (subject, rdflib.URIRef(f"{CW}p"), rdflib.URIRef(f"{CW}o")) in graph
    assert len(graph) == 2 + sum(1 for p in context if not p.startswith("@"))
