"""Validation with teeth: one negative case per SHACL constraint.

Every constraint of every shape in ``shapes/*.ttl`` that has a target, or is reached from
one through ``sh:property``, has a case in ``tests/shacl_cases.py``: ``shapes/examples/valid.ttl``
broken in one place (a list of text edits, applied in memory) so that exactly that constraint
fires, with its curator message and the record to fix. A new constraint without a case fails
``test_every_constraint_has_a_negative_case``: add its edit to the table.

The cases are validated once, in parallel worker processes (each loads the shapes once),
because every case is a full validation of ``valid.ttl``-sized data.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH
from shacl_cases import BY_NAME, CASES, NO_SOURCE, message_start, mutate

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
VALID = SHAPES_DIR / "examples" / "valid.ttl"
NAMES = sorted(BY_NAME)
CWSH = "https://w3id.org/cwgraph/shapes#"

# SHACL core constraint parameters (one constraint component each) and the component's local name
CONSTRAINT_PARAMETERS = {
    p: p[0].upper() + p[1:] + "ConstraintComponent"
    for p in ("class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
              "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang",
              "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node",
              "qualifiedMinCount", "qualifiedMaxCount", "closed", "hasValue", "in")
} | {"sparql": "SPARQLConstraintComponent"}
# sh: predicates on a shape that are not constraints of their own
NOT_CONSTRAINTS = {"path", "property", "message", "severity", "name", "description", "order", "group",
                   "deactivated", "defaultValue", "targetClass", "targetNode", "targetSubjectsOf",
                   "targetObjectsOf", "target", "flags", "ignoredProperties", "qualifiedValueShape",
                   "qualifiedValueShapesDisjoint"}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


# --- the validation, run in worker processes -------------------------------------------------


@cache
def _shapes() -> rdflib.Graph:
    from cwgraph.validation.validate import load_shapes

    return load_shapes(SHAPES_DIR)


@cache
def _valid_triples() -> frozenset:
    return frozenset(rdflib.Graph().parse(VALID))


def _name(node: Any, prefix: str) -> str:
    return str(node).removeprefix(prefix)


def outcome(name: str) -> dict[str, Any]:
    """Validate one case with validate_graph; plain data for the test to check.

    The shape and constraint component of each result are read from pyshacl's own results graph
    (sh:sourceShape, sh:sourceConstraintComponent) of that same validation, caught on its way out
    of pyshacl.validate, rather than from a second full pyshacl run: that would double the time of
    this file (each validation takes about 0.13 s). Should validate_graph stop calling
    pyshacl.validate through the module attribute, pyshacl is run directly instead."""
    from cwgraph.validation.validate import validate_graph

    data = rdflib.Graph().parse(data=mutate(BY_NAME[name]), format="turtle")
    caught: list[rdflib.Graph] = []
    real = pyshacl.validate

    def spy(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        caught.append(out[1])
        return out

    pyshacl.validate = spy
    try:
        report = validate_graph(data, _shapes())
    finally:
        pyshacl.validate = real
    if len(caught) == 1:
        results = caught[0]
    else:
        _, results, _ = pyshacl.validate(data, shacl_graph=_shapes(), inference="none")
    # top-level results only (not the sh:detail results nested under an sh:node result)
    tops = [r for rep in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(rep, SH.result)]

    def describe(r: Any) -> dict[str, str]:
        return {"shape": _name(results.value(r, SH.sourceShape), CWSH),
                "component": _name(results.value(r, SH.sourceConstraintComponent), str(SH)),
                "severity": _name(results.value(r, SH.resultSeverity), str(SH)),
                "focus": str(results.value(r, SH.focusNode)),
                "message": str(results.value(r, SH.resultMessage))}

    return {
        "results": [describe(r) for r in tops],
        "findings": [{"check": f.check, "severity": f.severity, "source": f.source, "focus": f.focus,
                      "message": f.message, "shape": getattr(f, "shape", "")} for f in report.findings],
        "changed": len(frozenset(data) ^ _valid_triples()),
    }


@pytest.fixture(scope="session")
def outcomes(request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    """Outcomes of the selected cases, computed in parallel (spawned workers: safe beside threads)."""
    selected = sorted({str(item.callspec.params["name"]) for item in request.session.items
                       if getattr(item, "originalname", "") == "test_negative_case_fires_exactly_its_constraint"
                       and hasattr(item, "callspec")})
    workers = min(os.cpu_count() or 1, 8, max(len(selected), 1))
    if workers == 1 or len(selected) < 8:
        return {p: outcome(p) for p in selected}
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        return dict(zip(selected, pool.map(outcome, selected, chunksize=4)))


# --- the tests --------------------------------------------------------------------------------


def test_there_are_negative_cases() -> None:
    assert len(CASES) > 100


@pytest.mark.parametrize("name", NAMES)
def test_negative_case_fires_exactly_its_constraint(name: str, outcomes: dict[str, dict[str, Any]]) -> None:
    case = BY_NAME[name]
    assert CONSTRAINT_PARAMETERS.get(case.param) == case.component, f"{name}: {case.param} is not a constraint"
    message = message_start(_shapes(), case.shape)
    got = outcomes[name]
    assert 0 < got["changed"] <= 8, f"{name} must be valid.ttl broken in one place ({got['changed']} triples differ)"

    # pyshacl's results graph: exactly one result, from the expected shape and constraint component
    assert len(got["results"]) == 1, got["results"]
    result = got["results"][0]
    assert (result["shape"], result["component"]) == (case.shape, case.component), (
        f"{name} fired another constraint: {result}")
    assert result["severity"] == "Violation"
    assert message in result["message"]

    # validate_graph: exactly one SHACL violation, with the curator message and the record to fix
    shacl = [f for f in got["findings"] if f["check"] == "shacl"]
    crm = sorted(f["message"] for f in got["findings"] if f["check"] != "shacl")
    assert [f["severity"] for f in shacl] == ["Violation"], shacl
    finding = shacl[0]
    assert finding["focus"] == result["focus"]
    assert finding["shape"] in ("", CWSH + case.shape), finding
    assert message in finding["message"]
    if case.no_source:
        assert finding["source"] == NO_SOURCE
    else:
        assert finding["source"].startswith("source/"), f"the finding must name its record: {finding}"
    assert bool(crm) == case.crm, f"CRM term-check findings {crm}, expected {'some' if case.crm else 'none'}"


def _constraints(shapes: rdflib.Graph) -> set[tuple[str, str]]:
    """(shape, parameter) for every constraint of a targeted shape or of a property shape reached from one.

    Shapes without a target used only through sh:node (cwsh:ActorValue, cwsh:EventValue), and the
    blank shapes inside sh:or / sh:not, are exercised through the constraints that use them."""
    todo = [s for t in TARGETS for s in shapes.subjects(t, None)]
    seen: set[rdflib.term.Node] = set()
    pairs = set()
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        assert isinstance(shape, rdflib.URIRef) and str(shape).startswith(CWSH), (
            f"{shape}: every node shape and property shape has an IRI in cwsh: (shapes/README.md)")
        todo.extend(shapes.objects(shape, SH.property))
        for p in set(shapes.predicates(shape)):
            if not str(p).startswith(str(SH)):
                continue  # rdf:type, rdfs:label, rdfs:comment
            local = _name(p, str(SH))
            assert local in CONSTRAINT_PARAMETERS or local in NOT_CONSTRAINTS, (
                f"{_name(shape, CWSH)} uses sh:{local}: add it to CONSTRAINT_PARAMETERS or NOT_CONSTRAINTS")
            if local in CONSTRAINT_PARAMETERS:
                pairs.add((_name(shape, CWSH), local))
    return pairs


def test_every_constraint_has_a_negative_case() -> None:
    constraints = _constraints(_shapes())
    cases = {(c.shape, c.param) for c in CASES}
    missing = sorted(f"{s}--{p}.ttl" for s, p in constraints - cases)
    orphans = sorted(f"{s}--{p}.ttl" for s, p in cases - constraints)
    assert not missing, f"constraints without a negative case in shapes/examples/negative/: {missing}"
    assert not orphans, f"negative cases of constraints that no longer exist: {orphans}"
