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
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

__all__ = ["CompiledShapes", "Index", "NativeResult", "UnsupportedShape", "compile_shapes"]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
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


class Index:
    """Outgoing and incoming edges and types of every node of a partition."""

    def __init__(self, data: str) -> None:
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.inv: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.types: dict[Term, set[str]] = defaultdict(set)
        self.by_type: dict[str, list[Term]] = defaultdict(list)
        rdf_type = str(RDF.type)
        for triple in ox.parse(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
            s, p, o = _term(triple.subject), triple.predicate.value, _term(triple.object)
            self.out[s][p].append(o)
            self.inv[o][p].append(s)
            if p == rdf_type and o[0] == "I":
                if o[1] not in self.types[s]:
                    self.by_type[o[1]].append(s)
                self.types[s].add(o[1])


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
        unique = list(dict.fromkeys(values))
        for name, arg in shape.checks:
            if name == "minCount" and len(unique) < arg:  # type: ignore[operator]
                out.append(self._result(shape, focus, path, "MinCount"))
            elif name == "maxCount" and len(unique) > arg:  # type: ignore[operator]
                out.append(self._result(shape, focus, path, "MaxCount"))
            elif name == "equals":
                other = set(self._index.out.get(focus, {}).get(str(arg), ()))
                for v in set(unique) ^ other:
                    out.append(self._result(shape, focus, path, "Equals", v))
            elif name == "lessThanOrEquals":
                for v in unique:
                    for w in self._index.out.get(focus, {}).get(str(arg), ()):
                        if not _less_or_equal(v, w):
                            out.append(self._result(shape, focus, path, "LessThanOrEquals", v))
            elif name == "qualifiedValueShape":
                minimum = next((a for n, a in shape.checks if n == "qualifiedMinCount"), 0)
                conforming = sum(1 for v in unique if self._conforms(arg, v))  # type: ignore[arg-type]
                if conforming < minimum:  # type: ignore[operator]
                    out.append(self._result(shape, focus, path, "QualifiedMinCount"))
            elif name in ("minCount", "maxCount", "qualifiedMinCount"):
                continue
            else:
                for v in unique:
                    if not self._value_ok(name, arg, v):
                        out.append(self._result(shape, focus, path, name[0].upper() + name[1:], v))
        return out

    def _value_ok(self, name: str, arg: object, v: Term) -> bool:
        if name == "class":
            return v[0] != "L" and arg in self._index.types.get(v, ())
        if name == "datatype":
            return v[0] == "L" and v[2] == arg and _well_formed(v)
        if name == "nodeKind":
            kind = str(arg).rsplit("#", 1)[-1]
            allowed = {"IRI": "I", "Literal": "L", "BlankNode": "B", "BlankNodeOrIRI": "BI",
                       "IRIOrLiteral": "IL", "BlankNodeOrLiteral": "BL"}[kind]
            return v[0] in allowed
        if name == "pattern":
            return v[0] != "B" and bool(arg.search(v[1]))  # type: ignore[union-attr]
        if name == "minLength":
            return v[0] != "B" and len(v[1]) >= arg  # type: ignore[operator]
        if name == "in":
            return v in arg  # type: ignore[operator]
        if name == "node":
            return self._conforms(arg, v)  # type: ignore[arg-type]
        if name == "not":
            return not self._conforms(arg, v)  # type: ignore[arg-type]
        if name == "or":
            return any(self._conforms(s, v) for s in arg)  # type: ignore[union-attr]
        raise UnsupportedShape(name)


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
