"""A small triple collector with the vocabulary's terms, shared by the mapping modules."""

from __future__ import annotations

import datetime as _dt

import pyoxigraph as ox

from cwgraph.dates import DateReading
from cwgraph.ids import type_iri
from cwgraph.namespaces import PREFIXES

__all__ = ["Triples", "crm", "cw", "term"]

XSD_DATETIME = ox.NamedNode(PREFIXES["xsd"] + "dateTime")
XSD_BOOLEAN = ox.NamedNode(PREFIXES["xsd"] + "boolean")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


def term(curie: str) -> ox.NamedNode:
    """``crm:P2_has_type`` → NamedNode."""
    prefix, local = curie.split(":", 1)
    return ox.NamedNode(PREFIXES[prefix] + local)


def crm(local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES["crm"] + local)


def cw(local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES["cw"] + local)


class Triples:
    """Collects triples; IRIs as strings or NamedNodes, literals as Python values."""

    def __init__(self) -> None:
        self.triples: set[ox.Triple] = set()
        self.types_used: dict[str, str] = {}  # type slug → label

    @staticmethod
    def node(value: str | ox.NamedNode) -> ox.NamedNode:
        return value if isinstance(value, ox.NamedNode) else ox.NamedNode(value)

    def add(self, s: str | ox.NamedNode, p: str | ox.NamedNode, o: object) -> None:
        """Add one triple; ``o`` may be an IRI node, a literal node or a str/bool/datetime."""
        if o is None:
            return
        subject = self.node(s)
        predicate = p if isinstance(p, ox.NamedNode) else term(p)
        if isinstance(o, (ox.NamedNode, ox.Literal)):
            obj = o
        elif isinstance(o, bool):
            obj = ox.Literal("true" if o else "false", datatype=XSD_BOOLEAN)
        elif isinstance(o, _dt.datetime):
            obj = ox.Literal(o.strftime("%Y-%m-%dT%H:%M:%S"), datatype=XSD_DATETIME)
        else:
            obj = ox.Literal(str(o))
        self.triples.add(ox.Triple(subject, predicate, obj))

    def a(self, s: str | ox.NamedNode, *classes: str) -> None:
        for cls in classes:
            self.add(s, RDF_TYPE, term(cls))

    def iri(self, s: str | ox.NamedNode, p: str, o: str | None) -> None:
        if o:
            self.add(s, p, ox.NamedNode(o))

    def lang(self, s: str | ox.NamedNode, p: str, text: str | None, language: str = "en") -> None:
        if text:
            self.add(s, p, ox.Literal(text, language=language))

    def typed(self, s: str | ox.NamedNode, slug: str, label: str) -> None:
        """``s crm:P2_has_type type/{slug}``; the concept is emitted once, later."""
        self.types_used[slug] = label
        self.add(s, "crm:P2_has_type", ox.NamedNode(type_iri(slug)))

    def timespan(self, owner: str, date: DateReading | None) -> str | None:
        """``owner crm:P4_has_time-span owner/time`` with bounds; None when undated."""
        if date is None or not date.is_dated:
            return None
        ts = f"{owner}/time"
        self.add(owner, "crm:P4_has_time-span", ox.NamedNode(ts))
        self.a(ts, "crm:E52_Time-Span")
        self.add(ts, "rdfs:label", date.printed)
        self.add(ts, "cw:edtf", date.edtf)
        self.add(ts, "crm:P82a_begin_of_the_begin", date.begin)
        self.add(ts, "crm:P82b_end_of_the_end", date.end)
        return ts
