"""SHACL validation (``shapes/``) and the CRM term check, each finding tied to its record.

pyshacl runs over an rdflib graph of the data without inference; the shapes
say what each emitted class must carry. The CRM check reads the vendored
official RDFS (7.1.3 plus the 7.1.2 property classes) and verifies that every
``crm:`` term used exists there and is used within its domain and range.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import rdflib
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, RDFS, SH, SKOS

from cwgraph.core.config import project_path
from cwgraph.core.errors import ValidationFailed
from cwgraph.core.namespaces import CRM, CW
from cwgraph.validation.shacl import CompiledShapes, Index, type_context

__all__ = ["Finding", "Report", "check_crm_terms", "load_shapes", "validate_graph", "validate_partition"]

VENDOR_FILES = ("CIDOC_CRM_v7.1.3.rdf", "CIDOC_CRM_v7.1.2_PC.rdf")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: the record it came from, the node, and a message a curator understands."""

    source: str
    focus: str
    path: str
    message: str
    severity: str = "Violation"
    check: str = "shacl"
    shape: str = ""

    def render(self) -> str:
        path = f" [{self.path}]" if self.path else ""
        return f"{self.source}: {self.severity}: {self.message} (node {self.focus}{path})"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def render(self) -> str:
        if not self.findings:
            return "conforms"
        return "\n".join(f.render() for f in sorted(self.findings))


def load_shapes(folder: Path | None = None) -> rdflib.Graph:
    folder = folder or project_path("shapes")
    shapes = rdflib.Graph()
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ValidationFailed(f"no SHACL shapes in {folder}", hint="run from the project checkout or set CWGRAPH_HOME")
    for path in files:
        shapes.parse(path, format="turtle")
    return shapes


def _sources(data: rdflib.Graph) -> dict[str, str]:
    """Node IRI → source location; nodes without one inherit their document's."""
    out: dict[str, str] = {}
    for s, o in data.subject_objects(rdflib.URIRef(CW + "sourceRecord")):
        key = str(s)
        out[key] = min(out.get(key, str(o)), str(o))
    return out


def _source_of(node: str, sources: dict[str, str]) -> str:
    probe = node
    while probe:
        if probe in sources:
            return sources[probe]
        if "/" not in probe.rstrip("/"):
            break
        probe = probe.rsplit("/", 1)[0]
    return "(no source record)"


def _shacl(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    from pyshacl import validate

    _conforms, results, _text = validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                         allow_warnings=True)
    sources = _sources(data)
    findings = []
    # top-level results only: sh:detail results nested under them explain, they do not add
    for result in results.objects(None, SH.result):
        focus = str(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = str(results.value(result, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
        shape = results.value(result, SH.sourceShape)
        findings.append(Finding(_source_of(focus, sources), focus,
                                str(path) if isinstance(path, rdflib.URIRef) else "",
                                str(message) if message else "constraint violated", severity,
                                shape=str(shape) if isinstance(shape, rdflib.URIRef) else ""))
    return findings


_COMPILED: dict[str, object] = {}
_DIGESTS: weakref.WeakKeyDictionary[rdflib.Graph, tuple[int, str]] = weakref.WeakKeyDictionary()


def shapes_digest(shapes: rdflib.Graph) -> str:
    """A digest of the shapes graph's content (blank nodes canonicalised): equal graphs, equal digests.

    Remembered per graph object while its size is unchanged, so a partition does not pay for it."""
    known = _DIGESTS.get(shapes)
    if known is not None and known[0] == len(shapes):
        return known[1]
    digest = f"{to_isomorphic(shapes).graph_digest():x}"
    _DIGESTS[shapes] = (len(shapes), digest)
    return digest


def _compiled(shapes: rdflib.Graph) -> CompiledShapes:
    """The compiled form of a shapes graph, cached by its content (never by object identity)."""

    key = shapes_digest(shapes)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = CompiledShapes(shapes)
    assert isinstance(compiled, CompiledShapes)
    return compiled


def _native(index: object, shapes: rdflib.Graph, sources_of: dict[str, str], only: set[str]) -> list[Finding]:
    """The compiled SHACL Core evaluator (:mod:`cwgraph.validation.shacl`) over a partition's index."""

    assert isinstance(index, Index)
    compiled = _compiled(shapes)
    findings = []
    for r in compiled.validate(index, only):
        message = r.message or f"{r.component} constraint of {r.shape} violated"
        findings.append(Finding(_source_of(r.focus, sources_of), r.focus, r.path, message, r.severity,
                                shape=r.shape))
    return findings


@cache
def _crm_schema() -> tuple[dict[str, set[str]], dict[str, tuple[set[str], set[str]]], set[str]]:
    """(class → superclasses incl. itself, property → (domains, ranges), declared terms)."""
    g = rdflib.Graph()
    folder = project_path("ontology", "vendor")
    for name in VENDOR_FILES:
        g.parse(folder / name, format="xml")
    supers: dict[str, set[str]] = defaultdict(set)
    declared = {str(s) for s in g.subjects() if str(s).startswith(CRM)}
    # E55_Type is skos:Concept in 7.1.3 but still the range of P14.1 in the PC file (and in 7.1.2 and
    # Linked Art): type concepts are typed both ways, so E55_Type counts as declared
    declared |= {str(o) for o in g.objects(None, RDFS.range) if str(o).startswith(CRM)}
    for s, o in g.subject_objects(RDFS.subClassOf):
        supers[str(s)].add(str(o))
    closure: dict[str, set[str]] = {}

    def up(cls: str) -> set[str]:
        if cls not in closure:
            closure[cls] = {cls}
            for parent in supers.get(cls, ()):
                closure[cls] |= up(parent)
        return closure[cls]

    for cls in list(supers) + list(declared):
        up(cls)
    props: dict[str, tuple[set[str], set[str]]] = {}
    for p in declared:
        ref = rdflib.URIRef(p)
        props[p] = ({str(d) for d in g.objects(ref, RDFS.domain)}, {str(r) for r in g.objects(ref, RDFS.range)})
    # E55_Type is skos:Concept in 7.1.3; E1 is the top of CRM
    for cls in closure:
        closure[cls].add(CRM + "E1_CRM_Entity")
    closure[str(SKOS.Concept)] = {str(SKOS.Concept), CRM + "E1_CRM_Entity"}
    return closure, props, declared


def check_crm_terms(data: rdflib.Graph) -> list[Finding]:
    """Every crm: class and property used is declared, and used within its domain and range."""
    closure, props, declared = _crm_schema()
    sources = _sources(data)
    types: dict[str, set[str]] = defaultdict(set)
    for s, o in data.subject_objects(RDF.type):
        types[str(s)] |= closure.get(str(o), {str(o)})
    findings = []
    for cls in {str(o) for o in data.objects(None, RDF.type) if str(o).startswith(CRM)}:
        if cls not in declared:
            findings.append(Finding("(vocabulary)", cls, "", f"class {cls} is not declared in CIDOC-CRM 7.1.3", check="crm"))
    literal_ranges = {str(RDFS.Literal)}
    for s, p, o in data:
        prop = str(p)
        if not prop.startswith(CRM):
            continue
        if prop not in props:
            findings.append(Finding(_source_of(str(s), sources), str(s), prop,
                                    f"property {prop} is not declared in CIDOC-CRM 7.1.3", check="crm"))
            continue
        domains, ranges = props[prop]
        if domains and not (types[str(s)] & domains):
            findings.append(Finding(_source_of(str(s), sources), str(s), prop,
                                    f"subject is not in the domain {sorted(domains)} of {prop}", check="crm"))
        if isinstance(o, rdflib.Literal):
            if ranges and not ranges & literal_ranges:
                findings.append(Finding(_source_of(str(s), sources), str(s), prop,
                                        f"a literal where {prop} expects {sorted(ranges)}", check="crm"))
        elif ranges and not ranges & literal_ranges and not (types[str(o)] & ranges):
            findings.append(Finding(_source_of(str(s), sources), str(s), prop,
                                    f"object {o} is not in the range {sorted(ranges)} of {prop}", check="crm"))
    return findings


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> Report:
    """SHACL plus the CRM term check."""
    shapes = shapes if shapes is not None else load_shapes()
    return Report(sorted(_shacl(data, shapes) + check_crm_terms(data)))


def validate_partition(lines: list[str], context: list[str], shapes: rdflib.Graph,
                       engine: str = "native") -> list[Finding]:
    """Findings for the subjects of ``lines`` only; ``context`` gives the types of what they point to.

    A partition is a chunk of documents (with all their parts) or everything else; the
    shapes never look further than a node's own triples and the classes of its values,
    so the findings are those of a whole-graph validation restricted to the partition.
    """
    own = {line.split(" ", 1)[0][1:-1] for line in lines}
    if engine == "pyshacl":
        text = "".join(lines) + "".join(context)
        data = rdflib.Graph()
        data.parse(data=text, format="nt")
        findings = _shacl(data, shapes) + check_crm_terms(data)
        return [f for f in findings if f.focus in own or f.check == "crm" and f.source == "(vocabulary)"]

    index = Index("".join(lines), type_context(context))
    sources_of = _line_sources(lines)
    return _native(index, shapes, sources_of, own) + _check_crm_index(index, own, sources_of)


def validate_triples(triples: list[tuple[str, str, tuple]], context: dict[tuple, set[str]],
                     shapes: rdflib.Graph) -> list[Finding]:
    """:func:`validate_partition` on triples as the mapping emits them (:mod:`cwgraph.core.terms`);
    ``context`` is :func:`cwgraph.validation.shacl.type_context` of what they point to, built once."""

    index = Index(context=context, inverse=_compiled(shapes).inverse)
    index.add(triples)
    own = {s for s, _, _ in triples}
    sources_of: dict[str, str] = {}
    for s, p, o in triples:
        if p == _SOURCE_RECORD:
            sources_of[s] = min(sources_of.get(s, o[1]), o[1])
    return _native(index, shapes, sources_of, own) + _check_crm_index(index, own, sources_of)


_SOURCE_RECORD = "https://w3id.org/cwgraph/vocab#sourceRecord"


_SOURCE_LINE = re.compile(r'^<([^>]+)> <https://w3id\.org/cwgraph/vocab#sourceRecord> "([^"]*)"')


def _line_sources(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        if "vocab#sourceRecord" in line and (m := _SOURCE_LINE.match(line)):
            out[m.group(1)] = min(out.get(m.group(1), m.group(2)), m.group(2))
    return out


def _check_crm_index(index: object, own: set[str], sources: dict[str, str]) -> list[Finding]:
    """:func:`check_crm_terms` over a partition's index (see :mod:`cwgraph.validation.shacl`), own subjects only."""
    closure, props, declared = _crm_schema()
    literal = str(RDFS.Literal)
    findings = []
    types_of: dict[object, set[str]] = {}

    def types(node: object) -> set[str]:
        if node not in types_of:
            found: set[str] = set()
            for cls in index.types.get(node, ()):  # type: ignore[attr-defined]
                found |= closure.get(cls, {cls})
            types_of[node] = found
        return types_of[node]

    for node, edges in index.out.items():  # type: ignore[attr-defined]
        if node[1] not in own:
            continue
        s = node[1]
        for cls in index.types.get(node, ()):  # type: ignore[attr-defined]
            if cls.startswith(CRM) and cls not in declared:
                findings.append(Finding("(vocabulary)", cls, "", f"class {cls} is not declared in CIDOC-CRM 7.1.3",
                                        check="crm"))
        for p, objects in edges.items():
            if not p.startswith(CRM):
                continue
            if p not in props:
                findings.append(Finding(_source_of(s, sources), s, p,
                                        f"property {p} is not declared in CIDOC-CRM 7.1.3", check="crm"))
                continue
            domains, ranges = props[p]
            if domains and not (types(node) & domains):
                findings.append(Finding(_source_of(s, sources), s, p,
                                        f"subject is not in the domain {sorted(domains)} of {p}", check="crm"))
            for o in objects:
                if o[0] == "L":
                    if ranges and literal not in ranges:
                        findings.append(Finding(_source_of(s, sources), s, p,
                                                f"a literal where {p} expects {sorted(ranges)}", check="crm"))
                elif ranges and literal not in ranges and not (types(o) & ranges):
                    findings.append(Finding(_source_of(s, sources), s, p,
                                            f"object {o[1]} is not in the range {sorted(ranges)} of {p}", check="crm"))
    return findings
