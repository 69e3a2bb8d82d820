"""A compiled evaluator for the SHACL Core subset that ``shapes/`` uses.

pyshacl is the reference; it validates ten documents a second here, far too slow for
a million. Our shapes use a small part of SHACL Core — targets by class, predicate,
inverse and sequence paths, and the components class, datatype, nodeKind, pattern,
minLength, in, minCount, maxCount, equals, lessThanOrEquals, node, or, not and
qualified value shapes — so they are compiled once into plain Python checks over an
in-memory index of a partition's triples. A shape that uses anything else is refused
(``UnsupportedShape``), never silently skipped. Tests prove that the findings equal
pyshacl's, focus node by focus node and shape by shape, on the collection, on a
generated corpus with injected violations and on the negative case of every constraint.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

__all__ = ["CompiledShapes", "Index", "NativeResult", "UnsupportedShape", "compile_shapes", "type_context"]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_KNOWN = {str(SH[x]) for x in (
    "targetClass", "property", "path", "class", "datatype", "nodeKind", "pattern", "flags", "minLength", "in",
    "minCount", "maxCount", "equals", "lessThanOrEquals", "node", "or", "not", "qualifiedValueShape",
    "qualifiedMinCount", "message", "name", "description", "severity", "order", "group", "deactivated")}


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature this evaluator does not implement."""


# A term: ("I", iri) or ("L", lexical, datatype, language)
Term = tuple


def _term(t: ox.NamedNode | ox.Literal | ox.BlankNode) -> Term:
    if isinstance(t, ox.NamedNode):
        return ("I", t.value)
    if isinstance(t, ox.BlankNode):
        return ("B", t.value)
    return ("L", t.value, t.datatype.value if not t.language else RDF_LANGSTRING, t.language or "")


class _Types(dict):
    """Types of a partition's nodes, falling back on (and adding to) the types of the context."""

    def __init__(self, context: dict[Term, set[str]]) -> None:
        super().__init__()
        self.context = context

    def get(self, node: Term, default: object = ()) -> object:  # type: ignore[override]
        own = dict.get(self, node)
        ctx = self.context.get(node)
        if own is None:
            return ctx if ctx is not None else default
        return own | ctx if ctx else own


class Index:
    """Outgoing and incoming edges and types of every node of a partition.

    ``context`` maps the nodes the partition points to (entities, concepts) to their
    classes; it is built once per process and shared by every chunk's index.
    """

    def __init__(self, data: str = "", context: dict[Term, set[str]] | None = None,
                 inverse: set[str] | None = None) -> None:
        self.out: dict[Term, dict[str, list[Term]]] = {}
        self.inv: dict[Term, dict[str, list[Term]]] = {}
        self.context: dict[Term, set[str]] = context or {}
        self.types: dict[Term, set[str]] = _Types(self.context)
        self.by_type: dict[str, list[Term]] = {}
        self.inverse = inverse  # the predicates inverse paths follow (None: all)
        if data:
            self.add((t.subject.value, t.predicate.value, _term(t.object))
                     for t in ox.parse(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))

    def add(self, triples: Iterable[tuple[str, str, Term]]) -> None:
        """Index triples given as (subject IRI, predicate IRI, object term)."""
        rdf_type = _RDF_TYPE
        out, inv, types, by_type, inverse = self.out, self.inv, self.types, self.by_type, self.inverse
        for subject, p, o in triples:
            s = ("I", subject)
            edges = out.get(s)
            if edges is None:
                out[s] = {p: [o]}
            elif p in edges:
                edges[p].append(o)
            else:
                edges[p] = [o]
            if inverse is None or p in inverse:
                inv.setdefault(o, {}).setdefault(p, []).append(s)
            if p == rdf_type and o[0] == "I":
                mine = dict.get(types, s)
                if mine is None:
                    mine = types[s] = set()
                if o[1] not in mine:
                    by_type.setdefault(o[1], []).append(s)
                    mine.add(o[1])


def type_context(lines: Iterable[str]) -> dict[Term, set[str]]:
    """Node → classes from ``rdf:type`` lines (N-Triples), for :class:`Index`'s ``context``."""
    types: dict[Term, set[str]] = defaultdict(set)
    data = "".join(lines).encode("utf-8")
    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            types[_term(t.subject)].add(t.object.value)
    return dict(types)


@dataclass(frozen=True)
class NativeResult:
    focus: str
    path: str
    shape: str
    component: str
    message: str
    value: str = ""


@dataclass
class _Shape:
    iri: str
    path: list[tuple[str, str]] | None = None  # (direction, predicate) steps; None for a node shape
    checks: list[tuple[str, object]] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    message: str = ""
    targets: list[str] = field(default_factory=list)
    plan: list[tuple[int, object, str]] = field(default_factory=list)  # see _plan


def _compile(g: rdflib.Graph, node: rdflib.term.Node, cache: dict[str, _Shape]) -> _Shape:
    key = str(node)
    if key in cache:
        return cache[key]
    shape = _Shape(iri=key)
    cache[key] = shape
    for p in set(g.predicates(node)):
        if str(p).startswith(str(SH)) and str(p) not in _KNOWN:
            raise UnsupportedShape(f"{key} uses {p}, which the native SHACL engine does not implement")
    if (node, SH.deactivated, rdflib.Literal(True)) in g:
        return shape
    message = g.value(node, SH.message)
    shape.message = str(message) if message is not None else ""
    shape.targets = sorted(str(c) for c in g.objects(node, SH.targetClass))
    path = g.value(node, SH.path)
    if path is not None:
        shape.path = _path(g, path)
    for component, value in sorted(g.predicate_objects(node), key=lambda pv: (str(pv[0]), str(pv[1]))):
        name = str(component)[len(str(SH)):] if str(component).startswith(str(SH)) else ""
        if name in ("class", "datatype", "nodeKind", "equals", "lessThanOrEquals"):
            shape.checks.append((name, str(value)))
        elif name in ("minCount", "maxCount", "minLength", "qualifiedMinCount"):
            shape.checks.append((name, int(value)))
        elif name == "pattern":
            flags = str(g.value(node, SH.flags) or "")
            shape.checks.append((name, re.compile(str(value), re.I if "i" in flags else 0)))
        elif name == "in":
            shape.checks.append((name, {_rdflib_term(v) for v in rdflib.collection.Collection(g, value)}))
        elif name in ("node", "not"):
            shape.checks.append((name, _compile(g, value, cache)))
        elif name == "or":
            shape.checks.append((name, [_compile(g, v, cache) for v in rdflib.collection.Collection(g, value)]))
        elif name == "qualifiedValueShape":
            shape.checks.append((name, _compile(g, value, cache)))
        elif name == "property":
            shape.properties.append(_compile(g, value, cache))
    return shape


def _rdflib_term(v: rdflib.term.Node) -> Term:
    if isinstance(v, rdflib.URIRef):
        return ("I", str(v))
    assert isinstance(v, rdflib.Literal)
    datatype = str(v.datatype) if v.datatype else (RDF_LANGSTRING if v.language else XSD + "string")
    return ("L", str(v), datatype, v.language or "")


def _path(g: rdflib.Graph, path: rdflib.term.Node) -> list[tuple[str, str]]:
    if isinstance(path, rdflib.URIRef):
        return [("out", str(path))]
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        if not isinstance(inverse, rdflib.URIRef):
            raise UnsupportedShape("only an inverse of a predicate is supported")
        return [("in", str(inverse))]
    if g.value(path, RDF.first) is not None:
        steps: list[tuple[str, str]] = []
        for item in rdflib.collection.Collection(g, path):
            steps.extend(_path(g, item))
        return steps
    raise UnsupportedShape(f"unsupported path {path}")


class CompiledShapes:
    """The shapes graph compiled; call :meth:`validate` with an :class:`Index`."""

    def __init__(self, shapes: rdflib.Graph) -> None:
        cache: dict[str, _Shape] = {}
        self.targeted = [_compile(shapes, node, cache) for node in
                         sorted(set(shapes.subjects(SH.targetClass)), key=str)]
        self.inverse = {p for shape in cache.values() for direction, p in (shape.path or ()) if direction != "out"}
        for shape in cache.values():
            shape.plan = _plan(shape)
        self._conforms_cache: dict[tuple[str, Term], bool] = {}

    def validate(self, index: Index, only: set[str] | None = None) -> list[NativeResult]:
        """Every result of every targeted shape; with ``only``, for those focus nodes only."""
        self._index = index
        self._conforms_cache = {}
        results: list[NativeResult] = []
        for shape in self.targeted:
            seen: set[Term] = set()
            for cls in shape.targets:
                for focus in index.by_type.get(cls, ()):
                    if focus in seen or (only is not None and focus[1] not in only):
                        continue
                    seen.add(focus)
                    results.extend(self._node(shape, focus))
        return results

    # -- evaluation --------------------------------------------------------------------------
    def _values(self, focus: Term, path: list[tuple[str, str]]) -> list[Term]:
        current = [focus]
        for direction, predicate in path:
            nxt: list[Term] = []
            edges = self._index.out if direction == "out" else self._index.inv
            for node in current:
                nxt.extend(edges.get(node, {}).get(predicate, ()))
            current = nxt
        return current

    def _conforms(self, shape: _Shape, value: Term) -> bool:
        key = (shape.iri, value)
        if key not in self._conforms_cache:
            self._conforms_cache[key] = not self._node(shape, value)
        return self._conforms_cache[key]

    def _node(self, shape: _Shape, focus: Term) -> list[NativeResult]:
        results: list[NativeResult] = []
        if shape.path is None:
            results.extend(self._checks(shape, focus, [focus], ""))
        else:  # a property shape used as a value shape (in sh:or, sh:node, sh:not)
            path = shape.path[0][1] if len(shape.path) == 1 and shape.path[0][0] == "out" else ""
            results.extend(self._checks(shape, focus, self._values(focus, shape.path), path))
        for prop in shape.properties:
            assert prop.path is not None
            values = self._values(focus, prop.path)
            path = prop.path[0][1] if len(prop.path) == 1 and prop.path[0][0] == "out" else ""
            results.extend(self._checks(prop, focus, values, path))
        return results

    def _result(self, shape: _Shape, focus: Term, path: str, component: str, value: Term | None = None) -> NativeResult:
        return NativeResult(focus[1], path, shape.iri, component, shape.message, value[1] if value else "")

    def _checks(self, shape: _Shape, focus: Term, values: list[Term], path: str) -> list[NativeResult]:
        out: list[NativeResult] = []
        unique = values if len(values) < 2 else list(dict.fromkeys(values))
        for code, arg, component in shape.plan:
            if code == _VALUE:
                for v in unique:
                    if not arg(self, v):  # type: ignore[operator]
                        out.append(self._result(shape, focus, path, component, v))
            elif code == _MIN:
                if len(unique) < arg:  # type: ignore[operator]
                    out.append(self._result(shape, focus, path, component))
            elif code == _MAX:
                if len(unique) > arg:  # type: ignore[operator]
                    out.append(self._result(shape, focus, path, component))
            elif code == _EQUALS:
                other = set(self._index.out.get(focus, {}).get(str(arg), ()))
                for v in set(unique) ^ other:
                    out.append(self._result(shape, focus, path, component, v))
            elif code == _LESS:
                for v in unique:
                    for w in self._index.out.get(focus, {}).get(str(arg), ()):
                        if not _less_or_equal(v, w):
                            out.append(self._result(shape, focus, path, component, v))
            elif code == _QUALIFIED:
                value_shape, minimum = arg  # type: ignore[misc]
                if sum(1 for v in unique if self._conforms(value_shape, v)) < minimum:
                    out.append(self._result(shape, focus, path, component))
        return out


_VALUE, _MIN, _MAX, _EQUALS, _LESS, _QUALIFIED = range(6)


def _plan(shape: _Shape) -> list[tuple[int, object, str]]:
    """The shape's checks in their order, each as (kind, argument, component); value checks carry a
    test of one value, so evaluation does not dispatch on the component's name for every value."""
    plan: list[tuple[int, object, str]] = []
    for name, arg in shape.checks:
        component = name[0].upper() + name[1:]
        if name == "minCount":
            plan.append((_MIN, arg, component))
        elif name == "maxCount":
            plan.append((_MAX, arg, component))
        elif name == "equals":
            plan.append((_EQUALS, arg, component))
        elif name == "lessThanOrEquals":
            plan.append((_LESS, arg, component))
        elif name == "qualifiedValueShape":
            minimum = next((a for n, a in shape.checks if n == "qualifiedMinCount"), 0)
            plan.append((_QUALIFIED, (arg, minimum), "QualifiedMinCount"))
        elif name == "qualifiedMinCount":
            continue
        else:
            plan.append((_VALUE, _value_test(name, arg), component))
    return plan


def _value_test(name: str, arg: object) -> object:
    """A test of one value against one component (``self`` is the evaluator)."""
    if name == "class":
        def test(self: CompiledShapes, v: Term) -> bool:
            if v[0] == "L":
                return False
            index = self._index
            return arg in dict.get(index.types, v, ()) or arg in index.context.get(v, ())  # type: ignore[operator]
    elif name == "datatype":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v[0] == "L" and v[2] == arg and _well_formed(v)
    elif name == "nodeKind":
        allowed = {"IRI": "I", "Literal": "L", "BlankNode": "B", "BlankNodeOrIRI": "BI",
                   "IRIOrLiteral": "IL", "BlankNodeOrLiteral": "BL"}[str(arg).rsplit("#", 1)[-1]]

        def test(self: CompiledShapes, v: Term) -> bool:
            return v[0] in allowed
    elif name == "pattern":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v[0] != "B" and bool(arg.search(v[1]))  # type: ignore[attr-defined]
    elif name == "minLength":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v[0] != "B" and len(v[1]) >= arg  # type: ignore[operator]
    elif name == "in":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v in arg  # type: ignore[operator]
    elif name == "node":
        def test(self: CompiledShapes, v: Term) -> bool:
            return self._conforms(arg, v)  # type: ignore[arg-type]
    elif name == "not":
        def test(self: CompiledShapes, v: Term) -> bool:
            return not self._conforms(arg, v)  # type: ignore[arg-type]
    elif name == "or":
        def test(self: CompiledShapes, v: Term) -> bool:
            return any(self._conforms(s, v) for s in arg)  # type: ignore[attr-defined]
    else:
        raise UnsupportedShape(name)
    return test


_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_BOOLEAN = {"true", "false", "1", "0"}


def _well_formed(v: Term) -> bool:
    datatype, lexical = v[2], v[1]
    if datatype == XSD + "dateTime":
        return bool(_DATETIME.match(lexical))
    if datatype in (XSD + "integer", XSD + "nonNegativeInteger"):
        return bool(_INTEGER.match(lexical))
    if datatype == XSD + "boolean":
        return lexical in _BOOLEAN
    return True


def _less_or_equal(v: Term, w: Term) -> bool:
    """SHACL lessThanOrEquals for the literals we emit. Values of different datatypes are left to the
    datatype constraints, as pyshacl (the reference) does: no result for a pair it cannot order."""
    if v[0] != "L" or w[0] != "L":
        return False
    if v[2] != w[2]:
        return True
    if v[2] == XSD + "dateTime":
        tz_v, tz_w = v[1].endswith("Z") or "+" in v[1][19:], w[1].endswith("Z") or "+" in w[1][19:]
        if tz_v != tz_w:
            return False
        return v[1] <= w[1]
    if v[2] in (XSD + "integer", XSD + "decimal"):
        return float(v[1]) <= float(w[1])
    return v[1] <= w[1]


def compile_shapes(shapes: rdflib.Graph) -> CompiledShapes:
    return CompiledShapes(shapes)
