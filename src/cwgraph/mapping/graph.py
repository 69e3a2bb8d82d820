"""A small triple collector with the vocabulary's terms, shared by the mapping modules.

Triples are kept as plain tuples (:mod:`cwgraph.core.terms`), printed as canonical
N-Triples, rendered as Turtle and JSON-LD and indexed for validation without a
pyoxigraph object per triple; :meth:`Triples.to_ox` gives them to pyoxigraph when
a small graph must be serialised whole.
"""

from __future__ import annotations

import datetime as _dt

import pyoxigraph as ox

from cwgraph.core.ids import type_iri
from cwgraph.core.namespaces import PREFIXES
from cwgraph.core.terms import RDF_TYPE, XSD_STRING, Term, Triple, from_ox, iri, literal, nt_line, to_ox
from cwgraph.interpreting.dates import DateReading

__all__ = ["Triples", "term"]

XSD_DATETIME = PREFIXES["xsd"] + "dateTime"
XSD_BOOLEAN = PREFIXES["xsd"] + "boolean"
_CURIES: dict[str, str] = {}


def term(curie: str) -> str:
    """``crm:P2_has_type`` → its full IRI."""
    full = _CURIES.get(curie)
    if full is None:
        prefix, local = curie.split(":", 1)
        full = _CURIES[curie] = PREFIXES[prefix] + local
    return full


def _object(o: object) -> Term:
    if isinstance(o, tuple):
        return o
    if isinstance(o, (ox.NamedNode, ox.Literal)):
        return from_ox(o)
    if isinstance(o, bool):
        return ("L", "true" if o else "false", XSD_BOOLEAN, "")
    if isinstance(o, _dt.datetime):
        return ("L", o.strftime("%Y-%m-%dT%H:%M:%S"), XSD_DATETIME, "")
    return ("L", str(o), XSD_STRING, "")


class Triples:
    """Collects triples; IRIs as strings, literals as Python values or terms."""

    def __init__(self) -> None:
        self.triples: set[Triple] = set()
        self.types_used: dict[str, str] = {}  # type slug → label

    def add(self, s: str, p: str, o: object) -> None:
        """Add one triple; ``o`` may be a term, a pyoxigraph term or a str/bool/datetime (a literal)."""
        if o is None:
            return
        subject = iri(s.value if isinstance(s, ox.NamedNode) else s)[1]
        predicate = p.value if isinstance(p, ox.NamedNode) else (p if p.startswith("http") else term(p))
        self.triples.add((subject, predicate, _object(o)))

    def a(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.add(s, RDF_TYPE, ("I", term(cls)))

    def iri(self, s: str, p: str, o: str | None) -> None:
        if o:
            self.add(s, p, iri(o))

    def lang(self, s: str, p: str, text: str | None, language: str = "en") -> None:
        if text:
            self.add(s, p, literal(text, language=language))

    def typed(self, s: str, slug: str, label: str) -> None:
        """``s crm:P2_has_type type/{slug}``; the concept is emitted once, later."""
        self.types_used[slug] = label
        self.add(s, "crm:P2_has_type", ("I", type_iri(slug)))

    def timespan(self, owner: str, date: DateReading | None) -> str | None:
        """``owner crm:P4_has_time-span owner/time`` with bounds; None when undated."""
        if date is None or not date.is_dated:
            return None
        ts = f"{owner}/time"
        self.add(owner, "crm:P4_has_time-span", ("I", ts))
        self.a(ts, "crm:E52_Time-Span")
        self.add(ts, "rdfs:label", date.printed)
        self.add(ts, "cw:edtf", date.edtf)
        self.add(ts, "crm:P82a_begin_of_the_begin", date.begin)
        self.add(ts, "crm:P82b_end_of_the_end", date.end)
        return ts

    def update(self, other: Triples) -> None:
        """Add every triple of ``other``, and the type concepts it used."""
        self.triples |= other.triples
        for slug, label in other.types_used.items():
            self.types_used.setdefault(slug, label)

    def lines(self) -> list[str]:
        """Sorted, unique N-Triples lines."""
        return sorted({nt_line(t) for t in self.triples})

    def sorted_triples(self) -> list[tuple[str, Triple]]:
        """(line, triple) pairs in line order: subjects together, as the dumps list them."""
        return sorted((nt_line(t), t) for t in self.triples)

    def to_ox(self) -> list[ox.Triple]:
        return [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), to_ox(o)) for _, (s, p, o) in self.sorted_triples()]
