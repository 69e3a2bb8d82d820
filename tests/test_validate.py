"""Validation with teeth: the shapes are valid SHACL, fire on broken data with curator messages,
cover every class we emit; every CRM and cw: term we emit is declared and used within its
domain and range."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from cwgraph.core.namespaces import CRM, CW
from cwgraph.building.pipeline import BuildResult
from cwgraph.validation.validate import check_crm_terms, load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "shapes" / "examples").glob("invalid-*.ttl"))


def _release_graph(out: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=gzip.decompress((out / "cwgraph.nt.gz").read_bytes()).decode(), format="nt")
    return g


def test_shapes_conform_to_shacl_shacl() -> None:
    shacl_shacl = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    conforms, _, text = pyshacl.validate(load_shapes(), shacl_graph=rdflib.Graph().parse(shacl_shacl))
    assert conforms, text


def test_valid_example_conforms() -> None:
    report = validate_graph(rdflib.Graph().parse(ROOT / "shapes" / "examples" / "valid.ttl"))
    assert report.conforms, report.render()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_each_broken_example_fires_its_shape(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    m = re.match(r'# expected-violation: cwsh:(\w+) "(.+)"', first)
    assert m, "first line names the expected violation"
    report = validate_graph(rdflib.Graph().parse(path))
    violations = [f for f in report.findings if f.severity == "Violation"]
    assert len(violations) == 1, report.render()
    assert m.group(2) in violations[0].message
    assert violations[0].source.startswith("source/"), "the finding names its source record"


def test_every_emitted_class_has_a_shape(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    data = _release_graph(out)
    shapes = load_shapes()
    targeted = {str(o) for o in shapes.objects(None, SH.targetClass)}
    emitted = {str(o) for o in data.objects(None, RDF.type)}
    assert emitted - targeted == set()


def test_every_crm_term_is_declared_and_used_within_domain_and_range(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    assert check_crm_terms(_release_graph(out)) == []


def test_crm_check_catches_a_wrong_domain() -> None:
    g = rdflib.Graph()
    person = rdflib.URIRef("https://w3id.org/cwgraph/person/x")
    g.add((person, RDF.type, rdflib.URIRef(CRM + "E21_Person")))
    g.add((person, rdflib.URIRef(CRM + "P102_has_title"), rdflib.URIRef("https://w3id.org/cwgraph/t")))
    g.add((person, rdflib.URIRef(CRM + "P999_invented"), rdflib.Literal("x")))
    messages = [f.message for f in check_crm_terms(g)]
    assert any("not in the domain" in m for m in messages)
    assert any("not declared" in m for m in messages)


def test_every_cw_term_used_is_declared_with_label_comment_and_alignment(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    vocab = rdflib.Graph().parse(ROOT / "ontology" / "cwgraph.ttl")
    data = _release_graph(out)
    data.parse(out / "void.ttl")
    used = {str(p) for p in data.predicates() if str(p).startswith(CW)}
    assert used
    alignment = rdflib.URIRef(CW + "crmAlignment")
    for term in sorted(used):
        t = rdflib.URIRef(term)
        assert vocab.value(t, RDFS.label), f"{term} has no label"
        assert vocab.value(t, RDFS.comment), f"{term} has no comment"
        aligned = any(str(o).startswith(CRM) for o in vocab.objects(t, RDFS.subPropertyOf))
        assert aligned or vocab.value(t, alignment), f"{term} has no CRM alignment"


def test_ontology_crm_terms_exist_in_the_vendored_rdfs() -> None:
    vocab = rdflib.Graph().parse(ROOT / "ontology" / "cwgraph.ttl")
    crm = rdflib.Graph()
    for name in ("CIDOC_CRM_v7.1.3.rdf", "CIDOC_CRM_v7.1.2_PC.rdf"):
        crm.parse(ROOT / "ontology" / "vendor" / name, format="xml")
    declared = {str(s) for s in crm.subjects()} | {str(o) for o in crm.objects(None, RDFS.range)}
    used = {str(o) for s, p, o in vocab if str(o).startswith(CRM) and p in (RDFS.subPropertyOf, RDFS.domain, RDFS.range)}
    assert used and used <= declared, used - declared
