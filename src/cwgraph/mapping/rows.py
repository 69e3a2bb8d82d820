"""What the exports need of documents, read from the documents' own triples: letter rows and counts.

A *letter* is a document with a sender or a recipient. Its row (:class:`LetterSkeleton`)
holds what the document's own triples tell: title, types, dates, pages, each party with
the names as written and cover names used, places of writing and receipt. Where a name
of something outside the document belongs (an actor's label, a type's label), the row
holds the IRI; :class:`cwgraph.exports.letters.Names` fills those in. The *counts* say,
for each entity of ours, how many documents refer to it (as a party, a subject, a place).

:func:`document_rows` walks plain triples (:mod:`cwgraph.core.terms`), no store and no
SPARQL, so one function serves :func:`cwgraph.mapping.record.map_record` (one record's
triples, in a build's worker), a chunk of a published dump and a whole graph in memory.
The paths it follows are CIDOC-CRM's, as :mod:`cwgraph.mapping.documents` writes them::

    doc  crm:P70_documents act . act crm:P9_consists_of part .      # sending, transmission, receipt
    node crm:P01_has_domain part ; crm:P02_has_range actor ;        # the PC14 node of one actor
         crm:P14.1_in_the_role_of role ; cw:nameAsWritten w ; cw:usedAppellation cover .

A message the document conveys (an act typed ``…/type/conveyed-message``) has parties
of its own, not the letter's. Where a slot holds several values (two titles), the
least is taken, so a row never depends on the order triples came in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import product

from cwgraph.core.config import BASE_IRI
from cwgraph.core.namespaces import PREFIXES
from cwgraph.core.terms import RDF_TYPE, Term, Triple

__all__ = ["COUNTED", "ROLES", "DocumentRows", "LetterSkeleton", "document_rows"]

CRM, CW, DCTERMS = PREFIXES["crm"], PREFIXES["cw"], PREFIXES["dcterms"]
E31 = CRM + "E31_Document"
P70, P9, P7, P4, P2 = (CRM + p for p in ("P70_documents", "P9_consists_of", "P7_took_place_at",
                                         "P4_has_time-span", "P2_has_type"))
P01, P02, P14_1 = CRM + "P01_has_domain", CRM + "P02_has_range", CRM + "P14.1_in_the_role_of"
SENDER, RECIPIENT = CW + "sender", CW + "recipient"
WRITTEN, COVER = CW + "nameAsWritten", CW + "usedAppellation"
TITLE, EDTF, BEGIN, END = DCTERMS + "title", CW + "edtf", CW + "dateBegin", CW + "dateEnd"
LABEL, PAGE = PREFIXES["rdfs"] + "label", PREFIXES["foaf"] + "page"
ROLES = ("sender", "recipient", "intermediary")  # the roles of a letter's parties
# the predicates through which a document is counted as one of an entity's documents
COUNTED = frozenset(CW + p for p in ("sender", "recipient", "intermediary", "participant", "author", "about")) \
    | {CRM + "P67_refers_to", DCTERMS + "spatial"}
_CONVEYED = "/type/conveyed-message"

Option = tuple[str | None, str | None]  # (name as written, cover name IRI) of one way a document states a party


@dataclass
class LetterSkeleton:
    """A letter as its document's own triples tell it: IRIs where names will go."""

    iri: str
    title: str
    types: list[str]  # type concepts (their labels are outside the documents)
    edtf: str | None
    begin: str | None
    end: str | None
    date_label: str | None
    pages: list[str] = field(default_factory=list)
    # (role, actor, [(name as written, cover name IRI), …] of each way the document states it)
    parties: list[tuple[str, str, list[Option]]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # of writing
    received_places: list[str] = field(default_factory=list)  # of receipt

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.begin or "9999", self.iri)

    def to_json(self) -> list:
        return [self.iri, self.title, self.types, self.edtf, self.begin, self.end, self.date_label, self.pages,
                [[role, actor, [list(o) for o in options]] for role, actor, options in self.parties], self.places,
                self.received_places]

    @classmethod
    def from_json(cls, row: list) -> LetterSkeleton:
        iri, title, types, edtf, begin, end, date_label, pages, parties, places, *rest = row
        return cls(iri, title, types, edtf, begin, end, date_label, pages,
                   [(role, actor, [(w, c) for w, c in options]) for role, actor, options in parties], places,
                   rest[0] if rest else [])


@dataclass
class DocumentRows:
    """The letters of some documents (in sort-key order) and, per entity IRI, how many refer to it."""

    letters: list[LetterSkeleton] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class _Graph:
    """Values by subject and predicate, and the PC14 nodes by the activity they qualify."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.values: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.nodes: dict[str, list[str]] = defaultdict(list)  # activity → nodes with P01_has_domain it
        for s, p, o in triples:
            self.values[s][p].append(o)
            if p == P01 and o[0] == "I":
                self.nodes[o[1]].append(s)

    def get(self, subject: str, predicate: str) -> list[Term]:
        by_predicate = self.values.get(subject)
        return by_predicate.get(predicate, []) if by_predicate else []

    def strings(self, subject: str, predicate: str) -> set[str]:
        """The values' lexical forms (an IRI's text for an IRI)."""
        return {o[1] for o in self.get(subject, predicate)}

    def iris(self, subject: str, predicate: str) -> list[str]:
        return [o[1] for o in self.get(subject, predicate) if o[0] == "I"]

    def documents(self) -> list[str]:
        return sorted(s for s, by_predicate in self.values.items()
                      if any(o == ("I", E31) for o in by_predicate.get(RDF_TYPE, ())))


def _least(values: Iterable[str]) -> str | None:
    return min(values, default=None)


def _after(text: str, marker: str) -> str:
    """SPARQL's STRAFTER: the text after the first ``marker``, "" without one."""
    at = text.find(marker)
    return text[at + len(marker):] if at >= 0 else ""


def _parties(g: _Graph, doc: str) -> list[tuple[str, str, list[Option]]]:
    """(role, actor, options) of the letter's own communications' parts, sorted."""
    found: dict[tuple[str, str], set[Option]] = defaultdict(set)
    for act in g.iris(doc, P70):
        if any(t.endswith(_CONVEYED) for t in g.strings(act, P2)):
            continue
        for part in g.iris(act, P9):
            for node in g.nodes.get(part, ()):
                written = sorted(g.strings(node, WRITTEN)) or [None]
                covers = sorted(g.strings(node, COVER)) or [None]
                for actor in g.strings(node, P02):
                    for role_type in g.strings(node, P14_1):
                        role = _after(role_type, "/role/")
                        if role in ROLES:
                            found[(role, actor)].update(product(written, covers))
    return [(role, actor, sorted(options, key=lambda o: (o[0] or "", o[1] or "", o[0] is None, o[1] is None)))
            for (role, actor), options in sorted(found.items())]


def _places(g: _Graph, doc: str) -> tuple[list[str], list[str]]:
    """Places of writing (where a documented act, or its sending, took place) and of receipt."""
    written: set[str] = set()
    received: set[str] = set()
    for act in g.iris(doc, P70):
        written |= g.strings(act, P7)
        for part in g.iris(act, P9):
            places = g.strings(part, P7)
            kinds = {_after(t, "/type/") for t in g.strings(part, P2)}
            if "sending" in kinds:
                written |= places
            if "receipt" in kinds:
                received |= places
    return sorted(written), sorted(received)


def _letter(g: _Graph, doc: str) -> LetterSkeleton | None:
    if not (g.get(doc, SENDER) or g.get(doc, RECIPIENT)):
        return None
    dates = {label for act in g.iris(doc, P70) for span in g.iris(act, P4) for label in g.strings(span, LABEL)}
    places, received = _places(g, doc)
    return LetterSkeleton(
        doc, _least(g.strings(doc, TITLE)) or doc, sorted(g.strings(doc, P2)), _least(g.strings(doc, EDTF)),
        _least(g.strings(doc, BEGIN)), _least(g.strings(doc, END)), _least(dates), sorted(g.strings(doc, PAGE)),
        _parties(g, doc), places, received)


def document_rows(triples: Iterable[Triple]) -> DocumentRows:
    """The letter rows and entity counts of the documents (``crm:E31_Document``) among ``triples``.

    The triples must hold each document with its parts (its activities, their parts and
    actor nodes); triples about anything else are ignored. Counted are our own IRIs
    (under the base) a document reaches through one of :data:`COUNTED`.
    """
    g = _Graph(triples)
    rows = DocumentRows()
    counts: dict[str, int] = defaultdict(int)
    for doc in g.documents():
        letter = _letter(g, doc)
        if letter is not None:
            rows.letters.append(letter)
        reached = {o[1] for p in COUNTED for o in g.get(doc, p) if o[0] == "I" and o[1].startswith(BASE_IRI)}
        for entity in reached:
            counts[entity] += 1
    rows.letters.sort(key=lambda s: s.sort_key)
    rows.counts = dict(counts)
    return rows
