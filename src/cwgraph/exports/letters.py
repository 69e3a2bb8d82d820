"""The correspondence as plain records, read from the published graph: who sent what to whom, how.

Every export of the correspondence (CMIF, the network files, the picture) reads
these records, never the triples, so they all agree. A *letter* is a document
that documents a communication with a sender or a recipient; each party keeps
the name as written and the cover name used, and the intermediaries are kept
with theirs. Everything is sorted, so the exports are byte-reproducible.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cwgraph.config import BASE_IRI
from cwgraph.namespaces import PREFIXES, sparql_prologue

__all__ = ["Entity", "Letter", "Party", "load_graph", "read_entities", "read_letters"]

WD = PREFIXES["wd"]


@dataclass(frozen=True, order=True)
class Party:
    """An actor in one role of one letter."""

    iri: str
    label: str
    kind: str  # person | group | actor
    wikidata: str | None = None
    as_written: str | None = None
    cover_iri: str | None = None
    cover_label: str | None = None


@dataclass
class Letter:
    iri: str
    title: str
    type_label: str | None
    edtf: str | None
    begin: str | None  # xsd:dateTime of the inclusive bounds
    end: str | None
    date_label: str | None
    senders: list[Party] = field(default_factory=list)
    recipients: list[Party] = field(default_factory=list)
    intermediaries: list[Party] = field(default_factory=list)
    places: list[tuple[str, str, str | None]] = field(default_factory=list)  # iri, label, wikidata
    pages: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.begin or "9999", self.iri)


@dataclass(frozen=True)
class Entity:
    """A person, group, place or event of the authorities (for link files and catalogues)."""

    iri: str
    kind: str
    label: str
    description: str | None
    wikidata: tuple[str, ...]
    documents: int
    alt_labels: tuple[str, ...] = ()


def load_graph(source: Path | ox.Store) -> ox.Store:
    """A store holding the graph: the given store, or one loaded from a release folder or RDF file."""
    if isinstance(source, ox.Store):
        return source
    from cwgraph.store import open_store

    return open_store(source)


def _kind(iri: str) -> str:
    return iri[len(BASE_IRI):].split("/", 1)[0] if iri.startswith(BASE_IRI) else "external"


def _select(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    result = store.query(sparql_prologue() + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        rows.append({n: (solution[n].value if solution[n] is not None else None) for n in names})
    return rows


def read_letters(store: ox.Store) -> list[Letter]:
    """Every document with a sender or a recipient, in date order."""
    docs = _select(store, """
SELECT ?doc ?title ?type ?edtf ?begin ?end WHERE {
  ?doc a crm:E31_Document .
  FILTER EXISTS { ?doc cw:sender|cw:recipient ?someone }
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc crm:P2_has_type/skos:prefLabel ?type }
  OPTIONAL { ?doc cw:edtf ?edtf }
  OPTIONAL { ?doc cw:dateBegin ?begin }
  OPTIONAL { ?doc cw:dateEnd ?end }
}""")
    letters: dict[str, Letter] = {}
    for row in docs:
        iri = row["doc"] or ""
        if iri in letters:
            continue
        letters[iri] = Letter(iri, row["title"] or iri, row["type"], row["edtf"], row["begin"], row["end"], None)
    parties = _select(store, """
SELECT ?doc ?role ?actor ?label ?written ?cover ?coverLabel ?wd WHERE {
  ?doc crm:P70_documents ?act . ?act crm:P9_consists_of ?part .
  ?node crm:P01_has_domain ?part ; crm:P02_has_range ?actor ; crm:P14.1_in_the_role_of ?roleType .
  BIND(STRAFTER(STR(?roleType), "/role/") AS ?role)
  OPTIONAL { ?actor rdfs:label ?label }
  OPTIONAL { ?node cw:nameAsWritten ?written }
  OPTIONAL { ?node cw:usedAppellation ?cover . OPTIONAL { ?cover rdfs:label ?coverLabel } }
  OPTIONAL { ?actor skos:exactMatch ?wd FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/")) }
}""")
    seen: set[tuple[str, str, str]] = set()
    for row in sorted(parties, key=lambda r: tuple(v or "" for v in r.values())):
        letter = letters.get(row["doc"] or "")
        if letter is None:
            continue
        key = (letter.iri, row["role"] or "", row["actor"] or "")
        if key in seen:
            continue
        seen.add(key)
        party = Party(row["actor"] or "", row["label"] or (row["actor"] or "").rsplit("/", 1)[-1],
                      _kind(row["actor"] or ""), row["wd"], row["written"], row["cover"], row["coverLabel"])
        {"sender": letter.senders, "recipient": letter.recipients,
         "intermediary": letter.intermediaries}.get(row["role"] or "", []).append(party)
    places = _select(store, """
SELECT ?doc ?place ?label ?wd WHERE {
  ?doc crm:P70_documents/crm:P7_took_place_at ?place .
  OPTIONAL { ?place rdfs:label ?label }
  OPTIONAL { ?place skos:exactMatch ?wd FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/")) }
}""")
    for row in places:
        letter = letters.get(row["doc"] or "")
        if letter is not None:
            item = (row["place"] or "", row["label"] or "", row["wd"])
            if item not in letter.places:
                letter.places.append(item)
    dates = _select(store, """
SELECT ?doc ?label WHERE { ?doc crm:P70_documents/crm:P4_has_time-span/rdfs:label ?label }""")
    for row in dates:
        letter = letters.get(row["doc"] or "")
        if letter is not None and (letter.date_label is None or (row["label"] or "") < letter.date_label):
            letter.date_label = row["label"]
    for row in _select(store, "SELECT ?doc ?page WHERE { ?doc a crm:E31_Document ; foaf:page ?page }"):
        letter = letters.get(row["doc"] or "")
        if letter is not None:
            letter.pages.append(row["page"] or "")
    for letter in letters.values():
        letter.senders.sort()
        letter.recipients.sort()
        letter.intermediaries.sort()
        letter.places.sort(key=lambda p: (p[1], p[0]))
        letter.pages.sort()
    return sorted(letters.values(), key=lambda l: l.sort_key)


def read_entities(store: ox.Store, kind: str) -> list[Entity]:
    """The authority entities of one kind (``person``, ``group``, ``place``, ``event``), by IRI."""
    prefix = f"{BASE_IRI}{kind}/"
    rows = _select(store, f"""
SELECT ?e ?label ?note ?wd ?alt WHERE {{
  ?e skos:prefLabel ?label .
  FILTER(STRSTARTS(STR(?e), "{prefix}"))
  OPTIONAL {{ ?e crm:P3_has_note ?note }}
  OPTIONAL {{ ?e skos:exactMatch ?wd FILTER(STRSTARTS(STR(?wd), "{WD}")) }}
  OPTIONAL {{ ?e skos:altLabel ?alt }}
}}""")
    docs = _select(store, f"""
SELECT ?e (COUNT(DISTINCT ?doc) AS ?n) WHERE {{
  ?doc a crm:E31_Document ; ?p ?e .
  FILTER(STRSTARTS(STR(?e), "{prefix}"))
  VALUES ?p {{ cw:sender cw:recipient cw:intermediary cw:participant cw:author crm:P67_refers_to dcterms:spatial cw:about }}
}} GROUP BY ?e""")
    counts = {r["e"]: int(r["n"] or 0) for r in docs}
    grouped: dict[str, dict[str, object]] = defaultdict(lambda: {"wd": set(), "alt": set()})
    for row in rows:
        iri = row["e"] or ""
        if iri[len(prefix):].count("/"):
            continue  # a part (…/name), not the entity
        g = grouped[iri]
        g["label"], g["note"] = row["label"], row["note"]
        if row["wd"]:
            g["wd"].add(row["wd"])  # type: ignore[attr-defined]
        if row["alt"]:
            g["alt"].add(row["alt"])  # type: ignore[attr-defined]
    return [Entity(iri, kind, str(g["label"]), g["note"], tuple(sorted(g["wd"])),  # type: ignore[arg-type]
                   counts.get(iri, 0), tuple(sorted(g["alt"])))  # type: ignore[arg-type]
            for iri, g in sorted(grouped.items())]
