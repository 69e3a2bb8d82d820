"""The correspondence as plain records, read from the graph: who sent what to whom, how.

Every export of the correspondence (CMIF, the network files, the picture) reads
these records, never the triples, so they all agree. A *letter* is a document
that documents a communication with a sender or a recipient; each party keeps
the name as written and the cover name used, and the intermediaries are kept
with theirs. Everything is sorted, so the exports are byte-reproducible.

A letter is read in two steps, so that the documents can be read a chunk at a time:
:func:`cwgraph.mapping.rows.document_rows` takes from a document's own triples everything but
the names of what it points to (a :class:`LetterSkeleton` holds IRIs there; a build gets it
from :func:`cwgraph.mapping.record.map_record`), and :class:`Names`,
built from the triples outside the documents, fills those in (:meth:`Names.letter`).
Where the graph holds several values for one slot (two labels, two titles), the
smallest is taken, so the choice never depends on a store's order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cwgraph.core.config import BASE_IRI
from cwgraph.core.namespaces import PREFIXES, sparql_prologue
from cwgraph.core.terms import from_ox
from cwgraph.mapping.rows import DocumentRows, LetterSkeleton, document_rows
from cwgraph.stores.embedded import open_store

__all__ = ["Entity", "Letter", "LetterSkeleton", "Names", "Party", "Place", "document_counts", "geonames_id",
           "letter_skeletons", "load_graph", "read_entities", "read_letters", "read_places"]

WD = PREFIXES["wd"]
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_PREF = PREFIXES["skos"] + "prefLabel"
SKOS_MATCH = PREFIXES["skos"] + "exactMatch"
SKOS_CLOSE = PREFIXES["skos"] + "closeMatch"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
CRM_P168 = "http://www.cidoc-crm.org/cidoc-crm/P168_place_is_defined_by"
_GEONAMES = re.compile(r"^https?://(?:sws\.|www\.)?geonames\.org/(\d+)(?:/.*)?$")
_POINT = re.compile(r"^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$", re.IGNORECASE)


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


def geonames_id(iri: str) -> str | None:
    """The GeoNames id of a GeoNames IRI (``https://sws.geonames.org/524901/``, ``http://www.geonames.org/524901``)."""
    m = _GEONAMES.match(iri)
    return m.group(1) if m else None


@dataclass(frozen=True, order=True)
class Place:
    """A place of the graph with its authority links and coordinates (WGS84 degrees), where known."""

    iri: str
    label: str
    wikidata: str | None = None
    geonames: str | None = None  # the GeoNames id (digits)
    lat: float | None = None
    long: float | None = None

    @property
    def geonames_uri(self) -> str | None:
        """The GeoNames URI in the form correspSearch indexes (``http://www.geonames.org/ID``)."""
        return f"http://www.geonames.org/{self.geonames}" if self.geonames else None

    @property
    def refs(self) -> list[str]:
        """Authority URIs first (GeoNames, Wikidata), then ours."""
        return [r for r in (self.geonames_uri, self.wikidata, self.iri) if r]

    @property
    def located(self) -> bool:
        return self.lat is not None and self.long is not None


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
    places: list[Place] = field(default_factory=list)  # of writing
    pages: list[str] = field(default_factory=list)
    received_places: list[Place] = field(default_factory=list)  # of receipt

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


def _least(values: set[str | None] | list[str | None]) -> str | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _document_rows(store: ox.Store) -> DocumentRows:
    return document_rows((q.subject.value, q.predicate.value, from_ox(q.object))
                         for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def letter_skeletons(store: ox.Store) -> list[LetterSkeleton]:
    """Every document with a sender or a recipient, in date order, without the names of what it points to
    (:func:`cwgraph.mapping.rows.document_rows` over the store's triples)."""
    return _document_rows(store).letters


def document_counts(store: ox.Store) -> dict[str, int]:
    """For each entity of ours, the number of documents that refer to it (as sender, subject, place, …)."""
    return _document_rows(store).counts


class Names:
    """Labels and Wikidata links of what the documents point to: actors, cover names, places, types."""

    def __init__(self, labels: Mapping[str, tuple[str, ...]], preferred: Mapping[str, tuple[str, ...]],
                 wikidata: Mapping[str, tuple[str, ...]], geonames: Mapping[str, tuple[str, ...]] | None = None,
                 coordinates: Mapping[str, tuple[float, float]] | None = None) -> None:
        self.labels, self.preferred, self.wikidata = labels, preferred, wikidata
        self.geonames = geonames or {}
        self.coordinates = coordinates or {}  # place IRI → (lat, long)

    @classmethod
    def from_store(cls, store: ox.Store) -> Names:
        """From a store of the triples outside the documents (documents' own labels are left out)."""
        documents = BASE_IRI + "document/"
        tables: dict[str, dict[str, set[str]]] = {RDFS_LABEL: defaultdict(set), SKOS_PREF: defaultdict(set),
                                                  SKOS_MATCH: defaultdict(set)}
        for predicate, table in tables.items():
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph()):
                subject, value = quad.subject, quad.object
                if isinstance(subject, ox.NamedNode) and not subject.value.startswith(documents):
                    if predicate != SKOS_MATCH or (isinstance(value, ox.NamedNode) and value.value.startswith(WD)):
                        table[subject.value].add(value.value)
        labels, preferred, wikidata = ({k: tuple(sorted(v)) for k, v in t.items()} for t in tables.values())
        geonames: dict[str, set[str]] = defaultdict(set)
        for predicate in (SKOS_CLOSE, SKOS_MATCH):  # the mapping publishes GeoNames as skos:closeMatch
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph()):
                gid = geonames_id(quad.object.value) if isinstance(quad.object, ox.NamedNode) else None
                if gid and isinstance(quad.subject, ox.NamedNode):
                    geonames[quad.subject.value].add(gid)
        return cls(labels, preferred, wikidata, {k: tuple(sorted(v, key=int)) for k, v in geonames.items()},
                   _coordinates(store))

    def place(self, iri: str) -> Place:
        """The place with its label, authority links and coordinates (the least of several)."""
        lat_long = self.coordinates.get(iri)
        return Place(iri, self._first(self.labels, iri) or "", self._first(self.wikidata, iri),
                     self._first(self.geonames, iri), *(lat_long or (None, None)))

    def _first(self, table: Mapping[str, tuple[str, ...]], iri: str | None) -> str | None:
        values = table.get(iri or "")
        return values[0] if values else None

    def party(self, actor: str, options: list[tuple[str | None, str | None]]) -> Party:
        # of every (name as written, cover, cover label) the document allows, the least, "" for none
        candidates = [(written, cover, label) for written, cover in options
                      for label in (self.labels.get(cover, ()) or (None,) if cover else (None,))]
        written, cover, cover_label = min(candidates, key=lambda c: tuple(v or "" for v in c))
        return Party(actor, self._first(self.labels, actor) or actor.rsplit("/", 1)[-1], _kind(actor),
                     self._first(self.wikidata, actor), written, cover, cover_label)

    def letter(self, skeleton: LetterSkeleton) -> Letter:
        """The letter with its names filled in."""
        type_labels = sorted(label for t in skeleton.types for label in self.preferred.get(t, ()))
        letter = Letter(skeleton.iri, skeleton.title, type_labels[0] if type_labels else None, skeleton.edtf,
                        skeleton.begin, skeleton.end, skeleton.date_label, pages=list(skeleton.pages))
        groups = {"sender": letter.senders, "recipient": letter.recipients, "intermediary": letter.intermediaries}
        for role, actor, options in skeleton.parties:
            groups[role].append(self.party(actor, options))
        letter.places = sorted((self.place(p) for p in skeleton.places), key=lambda p: (p.label, p.iri))
        letter.received_places = sorted((self.place(p) for p in skeleton.received_places),
                                        key=lambda p: (p.label, p.iri))
        for group in groups.values():
            group.sort()
        return letter


def _coordinates(store: ox.Store) -> dict[str, tuple[float, float]]:
    """(lat, long) of every subject with ``wgs84:lat``/``wgs84:long`` or a ``crm:P168`` WKT point; the least
    when there are several, so the choice never depends on a store's order. Out-of-range values are ignored."""
    found: dict[str, set[tuple[float, float]]] = defaultdict(set)
    lats: dict[str, set[float]] = defaultdict(set)
    longs: dict[str, set[float]] = defaultdict(set)
    for name, table in (("lat", lats), ("long", longs)):
        for quad in store.quads_for_pattern(None, ox.NamedNode(WGS84 + name), None, ox.DefaultGraph()):
            try:
                table[quad.subject.value].add(float(quad.object.value))
            except ValueError:
                continue
    for iri in lats.keys() & longs.keys():
        found[iri].add((min(lats[iri]), min(longs[iri])))
    for quad in store.quads_for_pattern(None, ox.NamedNode(CRM_P168), None, ox.DefaultGraph()):
        m = _POINT.match(quad.object.value) if isinstance(quad.object, ox.Literal) else None
        if m:
            found[quad.subject.value].add((float(m.group(2)), float(m.group(1))))  # WKT is (long lat)
    return {iri: min(points) for iri, points in sorted(found.items())
            if all(-90 <= lat <= 90 and -180 <= long <= 180 for lat, long in points)}


def read_places(names: Names, counts: Mapping[str, int]) -> list[Place]:
    """Every place (``place/…``) that documents refer to, with its links and coordinates, by IRI.

    ``counts``: documents per entity IRI (see :func:`document_counts`).
    """
    prefix = f"{BASE_IRI}place/"
    iris = sorted(i for i in names.labels if i.startswith(prefix) and "/" not in i[len(prefix):] and counts.get(i, 0))
    return [names.place(i) for i in iris]


def read_letters(store: ox.Store) -> list[Letter]:
    """Every letter of a store holding the whole graph, in date order (for graphs that fit in memory)."""
    names = Names.from_store(store)
    return [names.letter(s) for s in letter_skeletons(store)]


def read_entities(store: ox.Store, kind: str, counts: Mapping[str, int] | None = None) -> list[Entity]:
    """The authority entities of one kind (``person``, ``group``, ``place``, ``event``), by IRI.

    ``counts``: documents per entity IRI (see :func:`document_counts`); default counted in ``store``.
    """
    prefix = f"{BASE_IRI}{kind}/"
    rows = _select(store, f"""
SELECT ?e ?label ?note ?wd ?alt WHERE {{
  ?e skos:prefLabel ?label .
  FILTER(STRSTARTS(STR(?e), "{prefix}"))
  OPTIONAL {{ ?e crm:P3_has_note ?note }}
  OPTIONAL {{ ?e skos:exactMatch ?wd FILTER(STRSTARTS(STR(?wd), "{WD}")) }}
  OPTIONAL {{ ?e skos:altLabel ?alt }}
}}""")
    if counts is None:
        counts = document_counts(store)
    grouped: dict[str, dict[str, set]] = defaultdict(lambda: {"label": set(), "note": set(), "wd": set(),
                                                              "alt": set()})
    for row in rows:
        iri = row["e"] or ""
        if iri[len(prefix):].count("/"):
            continue  # a part (…/name), not the entity
        g = grouped[iri]
        for name, column in (("label", "label"), ("note", "note"), ("wd", "wd"), ("alt", "alt")):
            if row[column] is not None:
                g[name].add(row[column])
    return [Entity(iri, kind, min(g["label"]), _least(g["note"]), tuple(sorted(g["wd"])), counts.get(iri, 0),
                   tuple(sorted(g["alt"])))
            for iri, g in sorted(grouped.items())]
