"""The entities the reconciliation service matches: names, variants, dates, links, read from a release.

Every person, group, place, event, cover name and unidentified actor of the graph becomes an
:class:`Entry` (:func:`load_entries`): its preferred name and every variant (``skos:altLabel``,
``rdfs:label``), the authority's description, its Wikidata QID (``skos:exactMatch`` only) and
GeoNames id (``skos:closeMatch``), how many documents refer to it and their span, and for a cover
name its bearer and years of use. :func:`normalise` is how names are compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from cwgraph.core.config import BASE_IRI
from cwgraph.core.namespaces import sparql_prologue
from cwgraph.interpreting.normalize import normalize_name

__all__ = ["TYPES", "Entry", "load_entries", "normalise"]

TYPES = {  # type id → (name, the IRI path its entities live under)
    "person": ("Person", "person/"), "group": ("Group", "group/"), "place": ("Place", "place/"),
    "event": ("Event", "event/"), "cover-name": ("Cover name", "name/"), "actor": ("Unidentified actor", "actor/"),
}
_HONORIFICS = {"cde", "comrade", "comrades", "com", "tov", "mr", "mrs", "gen", "general", "marshal", "chairman",
               "premier", "ambassador", "minister", "dr"}


def normalise(text: str) -> str:
    """The authorities' matching key (:func:`cwgraph.interpreting.normalize.normalize_name`: case,
    accents, punctuation) without honorifics: ``Cde. Zhou  Enlai`` → ``zhou enlai``."""
    words = normalize_name(text).split()
    kept = [w for w in words if w not in _HONORIFICS]
    return " ".join(kept or words)


@dataclass
class Entry:
    """One entity that can be reconciled."""

    id: str
    type: str
    name: str
    names: list[str] = field(default_factory=list)  # variants
    description: str = ""
    wikidata: list[str] = field(default_factory=list)
    documents: int = 0
    begin: str | None = None  # YYYY-MM-DD
    end: str | None = None
    bearer: tuple[str, str] | None = None  # (id, name) of a cover name's bearer
    covers: list[tuple[str, str]] = field(default_factory=list)
    geonames: str | None = None

    @property
    def iri(self) -> str:
        return BASE_IRI + self.id

    def summary(self) -> str:
        """The description shown beside a candidate: what it is, its bearer, its dates and documents."""
        parts = []
        if self.type == "cover-name":
            parts.append(f"cover name of {self.bearer[1]}" if self.bearer else "cover name (bearer unknown)")
        if self.description:
            parts.append(self.description)
        if self.begin:
            years = self.begin[:4] if self.begin[:4] == (self.end or self.begin)[:4] else \
                f"{self.begin[:4]}–{(self.end or self.begin)[:4]}"
            parts.append(years)
        parts.append(f"{self.documents} document{'s' if self.documents != 1 else ''}")
        return " · ".join(parts)


def _rows(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    result = store.query(sparql_prologue() + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]


def _type_of(iri: str) -> str | None:
    path = iri[len(BASE_IRI):] if iri.startswith(BASE_IRI) else ""
    for type_id, (_, prefix) in TYPES.items():
        rest = path[len(prefix):]
        if path.startswith(prefix) and rest and "/" not in rest:
            return type_id
    return None


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def load_entries(store: ox.Store) -> dict[str, Entry]:
    """Every person, group, place, event, cover name and unidentified actor of the release, by id.

    Long: one SPARQL pass per kind of entity (persons, groups, places, events, cover names, actors),
    each a few lines."""
    entries: dict[str, Entry] = {}
    labels: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(store, """
SELECT ?e ?p ?label WHERE { VALUES ?p { skos:prefLabel rdfs:label skos:altLabel crm:P190_has_symbolic_content }
  ?e ?p ?label FILTER(isIRI(?e) && isLiteral(?label)) }"""):
        iri = row["e"] or ""
        if _type_of(iri):
            labels[iri][(row["p"] or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]].add(row["label"] or "")
    for iri, by in labels.items():
        type_id = _type_of(iri)
        assert type_id is not None
        preferred = sorted(by.get("prefLabel") or by.get("P190_has_symbolic_content") or by.get("label") or {iri})
        name = preferred[0]
        if type_id == "actor":
            name = name.removesuffix(" (bearer unknown)")
        variants = sorted({v for values in by.values() for v in values} - {name})
        entries[iri[len(BASE_IRI):]] = Entry(iri[len(BASE_IRI):], type_id, name, variants)

    def entry(iri: str | None) -> Entry | None:
        return entries.get((iri or "")[len(BASE_IRI):]) if (iri or "").startswith(BASE_IRI) else None

    for row in _rows(store, "SELECT ?e ?note WHERE { ?e crm:P3_has_note ?note }"):
        e = entry(row["e"])
        if e is not None and (not e.description or (row["note"] or "") < e.description):
            e.description = " ".join((row["note"] or "").split())
    for row in _rows(store, """
SELECT ?e ?m ?close WHERE { { ?e skos:exactMatch ?m BIND(false AS ?close) } UNION { ?e skos:closeMatch ?m BIND(true AS ?close) } }"""):
        e, match = entry(row["e"]), row["m"] or ""
        if e is None:
            continue
        if match.startswith("http://www.wikidata.org/entity/") and row["close"] == "false":  # the identity only
            e.wikidata = sorted({*e.wikidata, match.rsplit("/", 1)[-1]})
        elif m := re.match(r"^https?://(?:sws\.|www\.)?geonames\.org/(\d+)", match):
            e.geonames = min(e.geonames or m.group(1), m.group(1))
    # documents and their span, through every way a document points at an entity
    for row in _rows(store, """
SELECT ?e (COUNT(DISTINCT ?doc) AS ?n) (MIN(?b) AS ?begin) (MAX(?z) AS ?end) WHERE {
  ?doc a crm:E31_Document ; ?p ?e .
  VALUES ?p { cw:sender cw:recipient cw:intermediary cw:participant cw:author crm:P67_refers_to dcterms:spatial
              cw:about }
  OPTIONAL { ?doc cw:dateBegin ?b } OPTIONAL { ?doc cw:dateEnd ?z }
} GROUP BY ?e"""):
        e = entry(row["e"])
        if e is not None:
            e.documents, e.begin, e.end = int(row["n"] or 0), _day(row["begin"]), _day(row["end"])
    # cover names: the documents that attest them, their years of use, their bearer
    for row in _rows(store, """
SELECT ?cover (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?a crm:P141_assigned ?cover ; crm:P16_used_specific_object ?doc }
GROUP BY ?cover"""):
        e = entry(row["cover"])
        if e is not None:
            e.documents = int(row["n"] or 0)
    for row in _rows(store, f"""
SELECT ?x ?begin ?end WHERE {{
  {{ ?a crm:P141_assigned ?x ; crm:P4_has_time-span ?ts }}
  UNION {{ ?x crm:P4_has_time-span ?ts FILTER(STRSTARTS(STR(?x), "{BASE_IRI}event/")) }}
  ?ts crm:P82a_begin_of_the_begin ?begin ; crm:P82b_end_of_the_end ?end }}"""):
        e = entry(row["x"])
        if e is not None and e.type in ("cover-name", "event"):
            e.begin = min(filter(None, (e.begin, _day(row["begin"]))))  # type: ignore[type-var]
            e.end = max(filter(None, (e.end, _day(row["end"]))))  # type: ignore[type-var]
    for row in _rows(store, "SELECT ?bearer ?cover WHERE { ?bearer crm:P1_is_identified_by ?cover }"):
        bearer, cover = entry(row["bearer"]), entry(row["cover"])
        if bearer is not None and cover is not None and cover.type == "cover-name":
            if cover.bearer is None or bearer.id < cover.bearer[0]:
                cover.bearer = (bearer.id, bearer.name)
            bearer.covers = sorted({*bearer.covers, (cover.id, cover.name)})
    return dict(sorted(entries.items()))
