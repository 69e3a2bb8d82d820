"""A compiled evaluator for the SHACL Core subset that ``shapes/`` uses.

pyshacl is the reference; it validates ten documents a second here, far too slow for
a million. The shapes are compiled once into plain Python checks over an in-memory index
of a partition's triples. The evaluator implements the SHACL Core features our shapes use
and a few more: targets (class, implicit class, node, subjects-of, objects-of), predicate,
inverse and sequence paths, and the components class, datatype, nodeKind, pattern (with
XPath flags), min/maxLength, in, hasValue, languageIn, uniqueLang, min/maxCount, equals,
disjoint, lessThan(OrEquals), node, and, or, xone, not and qualified value shapes, with
``sh:severity``. A shape that uses anything else is refused (``UnsupportedShape``), never
silently skipped. Tests prove that the findings equal pyshacl's on the collection, on the
negative case of every constraint and on generated literals, and that it passes the W3C
SHACL Core test suite for what it implements (``tests/test_shacl_w3c.py``).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

__all__ = ["CompiledShapes", "Index", "NativeResult", "UnsupportedShape", "type_context", "well_formed"]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
# what this evaluator implements; any other sh: term on a shape is refused (UnsupportedShape)
_KNOWN = {str(SH[x]) for x in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "path", "class", "datatype",
    "nodeKind", "pattern", "flags", "minLength", "maxLength", "in", "hasValue", "minCount", "maxCount", "equals",
    "disjoint", "lessThan", "lessThanOrEquals", "node", "or", "and", "xone", "not", "qualifiedValueShape",
    "qualifiedMinCount", "qualifiedMaxCount", "languageIn", "uniqueLang", "message", "name", "description",
    "severity", "order", "group", "deactivated", "defaultValue")}


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
        self.superclasses: dict[str, set[str]] = {}  # rdfs:subClassOf edges of the data, if any
        self.inverse = inverse  # the predicates inverse paths follow (None: all)
        if data:
            self.add((_term(t.subject), t.predicate.value, _term(t.object))
                     for t in ox.parse(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))

    @classmethod
    def of_triples(cls, triples: Iterable[ox.Triple]) -> Index:
        """An index of any pyoxigraph triples (blank nodes included), e.g. of a parsed Turtle file."""
        index = cls()
        index.add((_term(t.subject), t.predicate.value, _term(t.object)) for t in triples)
        return index

    def add(self, triples: Iterable[tuple[str | Term, str, Term]]) -> None:
        """Index triples given as (subject IRI or term, predicate IRI, object term)."""
        rdf_type = _RDF_TYPE
        out, inv, types, by_type, inverse = self.out, self.inv, self.types, self.by_type, self.inverse
        for subject, p, o in triples:
            s = ("I", subject) if subject.__class__ is str else subject
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
            elif p == _RDFS_SUBCLASS and o[0] == "I" and s[0] == "I":
                self.superclasses.setdefault(s[1], set()).add(o[1])

    def subclasses(self, cls: str) -> list[str]:
        """``cls`` and every class below it through the data's ``rdfs:subClassOf`` (SHACL instance)."""
        if not self.superclasses:
            return [cls]
        found, todo = [cls], [cls]
        while todo:
            parent = todo.pop()
            for child in sorted(c for c, sups in self.superclasses.items() if parent in sups):
                if child not in found:
                    found.append(child)
                    todo.append(child)
        return found

    def is_instance(self, node: Term, cls: str) -> bool:
        """SHACL instance: a type of ``node`` is ``cls`` or below it through ``rdfs:subClassOf``."""
        direct = dict.get(self.types, node, ()) or self.context.get(node, ())
        if cls in direct or cls in self.context.get(node, ()):
            return True
        if not self.superclasses:
            return False
        todo, seen = list(direct), set(direct)
        while todo:
            for parent in self.superclasses.get(todo.pop(), ()):
                if parent == cls:
                    return True
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return False


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
    severity: str = "Violation"  # the local name of the shape's sh:severity
    value_kind: str = ""  # "I", "L" or "B" when there is a value


@dataclass
class _Shape:
    iri: str
    path: list[tuple[str, str]] | None = None  # (direction, predicate) steps; None for a node shape
    checks: list[tuple[str, object]] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    message: str = ""
    severity: str = "Violation"
    targets: list[str] = field(default_factory=list)  # classes
    target_nodes: list[Term] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    target_objects_of: list[str] = field(default_factory=list)
    plan: list[tuple[int, object, str]] = field(default_factory=list)  # see _plan

    @property
    def has_target(self) -> bool:
        return bool(self.targets or self.target_nodes or self.target_subjects_of or self.target_objects_of)


def _list(g: rdflib.Graph, head: rdflib.term.Node) -> list[rdflib.term.Node]:
    return list(rdflib.collection.Collection(g, head))


def _compile(g: rdflib.Graph, node: rdflib.term.Node, cache: dict[str, _Shape]) -> _Shape:
    key = str(node)
    if key in cache:
        return cache[key]
    shape = _Shape(iri=key if isinstance(node, rdflib.URIRef) else "")
    cache[key] = shape
    for p in set(g.predicates(node)):
        if str(p).startswith(str(SH)) and str(p) not in _KNOWN:
            raise UnsupportedShape(f"{key} uses {p}, which the native SHACL engine does not implement")
    if (node, SH.deactivated, rdflib.Literal(True)) in g:
        return shape
    message = g.value(node, SH.message)
    shape.message = str(message) if message is not None else ""
    severity = g.value(node, SH.severity)
    shape.severity = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
    shape.targets = sorted(str(c) for c in g.objects(node, SH.targetClass))
    if (node, RDF.type, rdflib.URIRef(_RDFS_CLASS)) in g and isinstance(node, rdflib.URIRef):
        shape.targets = sorted(set(shape.targets) | {key})  # an implicit class target
    shape.target_nodes = sorted({_rdflib_term(n) for n in g.objects(node, SH.targetNode)})
    shape.target_subjects_of = sorted(str(p) for p in g.objects(node, SH.targetSubjectsOf))
    shape.target_objects_of = sorted(str(p) for p in g.objects(node, SH.targetObjectsOf))
    path = g.value(node, SH.path)
    if path is not None:
        shape.path = _path(g, path)
    for component, value in sorted(g.predicate_objects(node), key=lambda pv: (str(pv[0]), str(pv[1]))):
        name = str(component)[len(str(SH)):] if str(component).startswith(str(SH)) else ""
        if name in ("class", "datatype", "nodeKind", "equals", "disjoint", "lessThan", "lessThanOrEquals"):
            shape.checks.append((name, str(value)))
        elif name in ("minCount", "maxCount", "minLength", "maxLength", "qualifiedMinCount", "qualifiedMaxCount"):
            shape.checks.append((name, int(value)))
        elif name == "pattern":
            shape.checks.append((name, _regex(str(value), str(g.value(node, SH.flags) or ""))))
        elif name == "in":
            shape.checks.append((name, {_rdflib_term(v) for v in _list(g, value)}))
        elif name == "hasValue":
            shape.checks.append((name, _rdflib_term(value)))
        elif name == "languageIn":
            shape.checks.append((name, [str(v).lower() for v in _list(g, value)]))
        elif name == "uniqueLang":
            if value == rdflib.Literal(True) and str(value) == "true":  # only the literal true (not "1")
                shape.checks.append((name, True))
        elif name in ("node", "not", "qualifiedValueShape"):
            shape.checks.append((name, _compile(g, value, cache)))
        elif name in ("or", "and", "xone"):
            shape.checks.append((name, [_compile(g, v, cache) for v in _list(g, value)]))
        elif name == "property":
            shape.properties.append(_compile(g, value, cache))
    return shape


def _regex(pattern: str, flags: str) -> re.Pattern[str]:
    """An XPath ``fn:matches`` pattern with its flags (s, m, i, x, q) as a Python regex."""
    unknown = set(flags) - set("smixq")
    if unknown:
        raise UnsupportedShape(f"regex flags {''.join(sorted(unknown))!r} are not XPath flags")
    if "q" in flags:
        pattern = re.escape(pattern)
    elif "x" in flags:  # XPath: whitespace is removed, except inside a character class
        pattern = re.sub(r"\[.*?\]|\s+", lambda m: m.group(0) if m.group(0).startswith("[") else "", pattern)
    bits = (re.S if "s" in flags else 0) | (re.M if "m" in flags else 0) | (re.I if "i" in flags else 0)
    return re.compile(pattern, bits)


def _rdflib_term(v: rdflib.term.Node) -> Term:
    if isinstance(v, rdflib.URIRef):
        return ("I", str(v))
    if isinstance(v, rdflib.BNode):
        return ("B", str(v))
    assert isinstance(v, rdflib.Literal)
    datatype = str(v.datatype) if v.datatype else (RDF_LANGSTRING if v.language else XSD + "string")
    return ("L", str(v), datatype, v.language or "")


def _path(g: rdflib.Graph, path: rdflib.term.Node) -> list[tuple[str, str]]:
    if isinstance(path, rdflib.URIRef):
        return [("out", str(path))]
    if g.value(path, RDF.first) is not None and len(set(g.predicates(path)) - {RDF.first, RDF.rest}) > 0:
        raise UnsupportedShape(f"ill-formed path {path}: a list that is also another kind of path")
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        if not isinstance(inverse, rdflib.URIRef):
            raise UnsupportedShape("only an inverse of a predicate is supported")
        return [("in", str(inverse))]
    if g.value(path, RDF.first) is not None:
        steps: list[tuple[str, str]] = []
        for item in _list(g, path):
            steps.extend(_path(g, item))
        return steps
    raise UnsupportedShape(f"unsupported path {path} (alternative, zero-or-more, one-or-more and zero-or-one "
                           "paths are not implemented)")


class CompiledShapes:
    """The shapes graph compiled; call :meth:`validate` with an :class:`Index`."""

    def __init__(self, shapes: rdflib.Graph) -> None:
        cache: dict[str, _Shape] = {}
        heads = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                 for s in shapes.subjects(p)}
        heads |= {s for s in shapes.subjects(RDF.type, rdflib.URIRef(_RDFS_CLASS))
                  if (s, RDF.type, SH.NodeShape) in shapes or (s, RDF.type, SH.PropertyShape) in shapes}
        if any(True for _ in shapes.subjects(SH.target)):
            raise UnsupportedShape("sh:target (SHACL-AF targets) is not implemented")
        self.targeted = [s for s in (_compile(shapes, node, cache) for node in sorted(heads, key=str))
                         if s.has_target]
        self.inverse = {p for shape in cache.values() for direction, p in (shape.path or ()) if direction != "out"}
        self.inverse |= {p for shape in cache.values() for p in shape.target_objects_of}
        for shape in cache.values():
            shape.plan = _plan(shape)
        self._conforms_cache: dict[tuple[int, Term], bool] = {}

    def validate(self, index: Index, only: set[str] | None = None) -> list[NativeResult]:
        """Every result of every targeted shape; with ``only``, for those focus nodes only."""
        self._index = index
        self._conforms_cache = {}
        results: list[NativeResult] = []
        for shape in self.targeted:
            for focus in self._focus_nodes(shape, index):
                if only is None or focus[1] in only:
                    results.extend(self._node(shape, focus))
        return results

    @staticmethod
    def _focus_nodes(shape: _Shape, index: Index) -> list[Term]:
        found: dict[Term, None] = {}
        for cls in shape.targets:
            for sub in index.subclasses(cls):
                found.update(dict.fromkeys(index.by_type.get(sub, ())))
        found.update(dict.fromkeys(shape.target_nodes))
        for p in shape.target_subjects_of:
            found.update(dict.fromkeys(s for s, edges in index.out.items() if p in edges))
        for p in shape.target_objects_of:
            found.update(dict.fromkeys(o for o, edges in index.inv.items() if p in edges))
        return list(found)

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
        key = (id(shape), value)  # shapes live as long as this evaluator: their id is stable here
        if key not in self._conforms_cache:
            self._conforms_cache[key] = not self._node(shape, value)
        return self._conforms_cache[key]

    def _node(self, shape: _Shape, focus: Term) -> list[NativeResult]:
        if shape.path is not None:  # a targeted property shape, or one used as a value shape (sh:or …)
            return self._property(shape, focus)
        results = self._checks(shape, focus, [focus], "")
        for prop in shape.properties:
            results.extend(self._property(prop, focus))
        return results

    def _property(self, prop: _Shape, focus: Term) -> list[NativeResult]:
        """A property shape at a focus node; its own sh:property shapes apply to each value node."""
        assert prop.path is not None
        values = self._values(focus, prop.path)
        path = prop.path[0][1] if len(prop.path) == 1 and prop.path[0][0] == "out" else ""
        results = self._checks(prop, focus, values, path)
        for nested in prop.properties:
            for value in dict.fromkeys(values):
                results.extend(self._property(nested, value))
        return results

    def _result(self, shape: _Shape, focus: Term, path: str, component: str, value: Term | None = None) -> NativeResult:
        return NativeResult(focus[1], path, shape.iri, component, shape.message, value[1] if value else "",
                            shape.severity, value[0] if value else "")

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
                for v in sorted(set(unique) ^ other):
                    out.append(self._result(shape, focus, path, component, v))
            elif code == _DISJOINT:
                other = set(self._index.out.get(focus, {}).get(str(arg), ()))
                for v in unique:
                    if v in other:
                        out.append(self._result(shape, focus, path, component, v))
            elif code in (_LESS, _LESS_STRICT):
                for v in unique:
                    for w in self._index.out.get(focus, {}).get(str(arg), ()):
                        if not _less(v, w, strict=code == _LESS_STRICT):
                            out.append(self._result(shape, focus, path, component, v))
            elif code == _HAS_VALUE:
                if arg not in unique:
                    out.append(self._result(shape, focus, path, component))
            elif code == _UNIQUE_LANG:
                langs = [v[3].lower() for v in unique if v[0] == "L" and v[3]]
                for _lang in sorted({x for x in langs if langs.count(x) > 1}):
                    out.append(self._result(shape, focus, path, component))
            elif code == _QUALIFIED:
                value_shape, minimum, maximum = arg  # type: ignore[misc]
                count = sum(1 for v in unique if self._conforms(value_shape, v))
                if minimum is not None and count < minimum:
                    out.append(self._result(shape, focus, path, "QualifiedMinCount"))
                if maximum is not None and count > maximum:
                    out.append(self._result(shape, focus, path, "QualifiedMaxCount"))
        return out


_VALUE, _MIN, _MAX, _EQUALS, _DISJOINT, _LESS, _LESS_STRICT, _HAS_VALUE, _UNIQUE_LANG, _QUALIFIED = range(10)
_GROUP_CODES = {"minCount": _MIN, "maxCount": _MAX, "equals": _EQUALS, "disjoint": _DISJOINT,
                "lessThanOrEquals": _LESS, "lessThan": _LESS_STRICT, "hasValue": _HAS_VALUE,
                "uniqueLang": _UNIQUE_LANG}


def _plan(shape: _Shape) -> list[tuple[int, object, str]]:
    """The shape's checks in their order, each as (kind, argument, component); value checks carry a
    test of one value, so evaluation does not dispatch on the component's name for every value."""
    plan: list[tuple[int, object, str]] = []
    for name, arg in shape.checks:
        component = name[0].upper() + name[1:]
        if name in _GROUP_CODES:
            plan.append((_GROUP_CODES[name], arg, component))
        elif name == "qualifiedValueShape":
            minimum = next((a for n, a in shape.checks if n == "qualifiedMinCount"), None)
            maximum = next((a for n, a in shape.checks if n == "qualifiedMaxCount"), None)
            plan.append((_QUALIFIED, (arg, minimum, maximum), "QualifiedValueShape"))
        elif name in ("qualifiedMinCount", "qualifiedMaxCount"):
            continue
        else:
            plan.append((_VALUE, _value_test(name, arg), component))
    return plan


def _value_test(name: str, arg: object) -> object:
    """A test of one value against one component (``self`` is the evaluator)."""
    if name == "class":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v[0] != "L" and self._index.is_instance(v, arg)  # type: ignore[arg-type]
    elif name == "datatype":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v[0] == "L" and v[2] == arg and well_formed(v[1], v[2])
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
    elif name == "maxLength":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v[0] != "B" and len(v[1]) <= arg  # type: ignore[operator]
    elif name == "in":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v in arg  # type: ignore[operator]
    elif name == "languageIn":
        def test(self: CompiledShapes, v: Term) -> bool:
            return v[0] == "L" and bool(v[3]) and any(_lang_matches(v[3], r) for r in arg)  # type: ignore[attr-defined]
    elif name == "node":
        def test(self: CompiledShapes, v: Term) -> bool:
            return self._conforms(arg, v)  # type: ignore[arg-type]
    elif name == "not":
        def test(self: CompiledShapes, v: Term) -> bool:
            return not self._conforms(arg, v)  # type: ignore[arg-type]
    elif name == "or":
        def test(self: CompiledShapes, v: Term) -> bool:
            return any(self._conforms(s, v) for s in arg)  # type: ignore[attr-defined]
    elif name == "and":
        def test(self: CompiledShapes, v: Term) -> bool:
            return all(self._conforms(s, v) for s in arg)  # type: ignore[attr-defined]
    elif name == "xone":
        def test(self: CompiledShapes, v: Term) -> bool:
            return sum(1 for s in arg if self._conforms(s, v)) == 1  # type: ignore[attr-defined]
    else:
        raise UnsupportedShape(name)
    return test


def _lang_matches(tag: str, range_: str) -> bool:
    """SPARQL langMatches (basic filtering, RFC 4647)."""
    tag = tag.lower()
    return range_ == "*" or tag == range_ or tag.startswith(range_ + "-")


# the Python type rdflib gives a well-formed literal of each datatype (pyshacl's own check)
_PY_TYPES: dict[str, type | tuple[type, ...]] = {
    XSD + "string": str, RDF_LANGSTRING: str, XSD + "integer": int, XSD + "float": float,
    XSD + "decimal": Decimal, XSD + "boolean": bool, XSD + "date": date, XSD + "time": time,
    XSD + "dateTime": datetime,
}
_RDFLIB_TERM_LOG = logging.getLogger("rdflib.term")


@lru_cache(maxsize=1 << 16)
def well_formed(lexical: str, datatype: str) -> bool:
    """Whether a literal is a well-formed value of its datatype, decided as pyshacl (the reference)
    decides it: rdflib's typed value, not ill-typed, of the Python type of the datatype.

    >>> well_formed("1947-02-28T00:00:00", XSD + "dateTime"), well_formed("1947-02-30T00:00:00", XSD + "dateTime")
    (True, False)
    """
    if datatype in (XSD + "string", RDF_LANGSTRING):
        return True
    disabled, _RDFLIB_TERM_LOG.disabled = _RDFLIB_TERM_LOG.disabled, True  # rdflib logs every bad lexical form
    try:
        literal = rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
    finally:
        _RDFLIB_TERM_LOG.disabled = disabled
    if literal.ill_typed:
        return False
    expected = _PY_TYPES.get(datatype)
    if expected is None:
        return True
    value = literal.value
    if expected is int and isinstance(value, bool):
        return False
    if expected is date and isinstance(value, datetime):
        return False
    return isinstance(value, expected)


def _is_string(v: Term) -> bool:
    return v[0] == "I" or (v[0] == "L" and v[2] in (XSD + "string", RDF_LANGSTRING))


def _less(v: Term, w: Term, strict: bool = False) -> bool:
    """SHACL lessThan(OrEquals) for the literals we emit. Values of different datatypes are left to the
    datatype constraints, as pyshacl (the reference) does: no result for a pair it cannot order."""
    if _is_string(v) != _is_string(w):
        return False  # a string and a number or date cannot be ordered: a result (pyshacl, SPARQL)
    if v[0] != "L" or w[0] != "L":
        return False
    if v[2] != w[2]:
        return True
    if v[2] == XSD + "dateTime":
        tz_v, tz_w = v[1].endswith("Z") or "+" in v[1][19:], w[1].endswith("Z") or "+" in w[1][19:]
        if tz_v != tz_w:
            return False
        a, b = v[1], w[1]
    elif v[2] in (XSD + "integer", XSD + "decimal"):
        try:
            a, b = Decimal(v[1]), Decimal(w[1])  # type: ignore[assignment]
        except InvalidOperation:
            return True  # an ill-typed number: the datatype constraint reports it
        if not (a.is_finite() and b.is_finite()):  # type: ignore[attr-defined]
            return True
    else:
        a, b = v[1], w[1]
    return a < b if strict else a <= b
