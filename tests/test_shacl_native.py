"""The native SHACL Core evaluator (cwgraph.shacl) against pyshacl, the reference:
the same focus nodes and source shapes on every example and negative case of the shapes,
on the collection, and on the collection with injected violations."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from cwgraph.validate import load_shapes, validate_graph, validate_partition

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "shapes" / "examples").rglob("*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return load_shapes()


def _both(graph: rdflib.Graph, shapes: rdflib.Graph) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    lines = [line + "\n" for line in graph.serialize(format="nt").splitlines() if line.strip()]
    reference = {(f.focus, f.shape) for f in validate_graph(graph, shapes).findings if f.check == "shacl"}
    native = {(f.focus, f.shape) for f in validate_partition(lines, [], shapes) if f.check == "shacl"}
    return reference, native


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_native_engine_agrees_with_pyshacl(path: Path, shapes: rdflib.Graph) -> None:
    reference, native = _both(rdflib.Graph().parse(path), shapes)
    assert native == reference


def test_native_engine_refuses_what_it_does_not_implement() -> None:
    from cwgraph.shacl import CompiledShapes, UnsupportedShape

    g = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/s> a sh:NodeShape ; sh:targetClass <https://example.org/C> ;
            sh:closed true .""", format="turtle")
    with pytest.raises(UnsupportedShape):
        CompiledShapes(g)
