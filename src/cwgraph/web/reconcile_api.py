"""The W3C Reconciliation Service API (version 0.2, the one OpenRefine 3.x speaks) over a release.

``cwgraph serve`` offers it at ``/reconcile`` (:func:`reconcile_response`):

- ``GET /reconcile``: the service manifest (JSONP with ``callback``);
- ``POST /reconcile`` (form ``queries=``) or ``GET /reconcile?queries=``: a batch of queries by
  name, optionally with types (``person``, ``group``, ``place``, ``event``, ``cover-name``,
  ``actor`` — an unidentified correspondent) and properties (``active``: a year or date the
  entity is active in; ``wikidata``: a QID);
- ``/reconcile/preview?id=``: an HTML preview; ``/reconcile/view/{id}``: 303 to the entity's page;
- ``/reconcile/suggest/{entity,type,property}?prefix=&cursor=``: the suggest services;
- ``/reconcile/properties?type=`` and ``extend=``: data extension.

Identifiers are our IRIs below the base (``person/joseph-stalin``; the identifier space is the
base). Candidates come from the names and variants of the release graph (labels, ``skos:altLabel``),
compared after folding case, accents and punctuation: the preferred name scores 100, a variant
95, the same words in another order 90, a name that contains every word of the query less (by
the share of its words matched), a spelling a letter or two off (similarity 0.8 or more) at most 80. A cover name
reconciles to itself, its description naming its bearer. ``match`` is true for a single
candidate at 95 or more whose properties agree. Ordering: score, then documents, then id.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import threading
import unicodedata
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.wrappers import Request, Response

from cwgraph import __version__
from cwgraph.config import BASE_IRI, DATASET
from cwgraph.namespaces import sparql_prologue

__all__ = ["MAX_BATCH", "TYPES", "Candidate", "ReconcileError", "ReconcileService", "reconcile_response"]

TYPES = {  # type id → (name, the IRI path its entities live under)
    "person": ("Person", "person/"), "group": ("Group", "group/"), "place": ("Place", "place/"),
    "event": ("Event", "event/"), "cover-name": ("Cover name", "name/"), "actor": ("Unidentified actor", "actor/"),
}
PROPERTIES = {  # property id → (name, description, types it applies to; () = all)
    "active": ("active in", "a year (1949), month (1949-12) or day (1949-12-16) within the entity's dates: "
               "its documents' dates, a cover name's years of use, an event's dates", ()),
    "wikidata": ("Wikidata item", "the Wikidata QID the authority links (Q855)", ()),
    "documents": ("documents", "how many documents of the release refer to the entity", ()),
    "active_from": ("active from", "the first day of the entity's dates", ()),
    "active_to": ("active to", "the last day of the entity's dates", ()),
    "description": ("description", "the authority's description", ()),
    "cover_names": ("cover names", "the cover names a person used", ("person", "actor")),
    "bearer": ("bearer", "who used the cover name", ("cover-name",)),
    "geonames": ("GeoNames id", "the place's GeoNames id", ("place",)),
}
QUERY_PROPERTIES = ("active", "wikidata")  # the ones a query can be conditioned on
MAX_BATCH = 50
MAX_BODY = 1_000_000
PAGE = 10
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,4}$")
_HONORIFICS = {"cde", "comrade", "comrades", "com", "tov", "mr", "mrs", "gen", "general", "marshal", "chairman",
               "premier", "ambassador", "minister", "dr"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_QID = re.compile(r"^Q[1-9]\d*$")


class ReconcileError(ValueError):
    """A request the service cannot answer; ``status`` is the HTTP status to send."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def normalise(text: str) -> str:
    """Case, accents, punctuation and honorifics folded away: ``Cde. Zhou  Enlai`` → ``zhou enlai``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+", " ", plain).split()
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


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    score: float
    name_score: float
    active: bool | None  # None: not asked
    wikidata: bool | None

    def to_json(self, match: bool) -> dict[str, Any]:
        features: list[dict[str, Any]] = [{"id": "name", "value": self.name_score},
                                          {"id": "documents", "value": self.entry.documents}]
        if self.active is not None:
            features.append({"id": "active", "value": self.active})
        if self.wikidata is not None:
            features.append({"id": "wikidata", "value": self.wikidata})
        return {"id": self.entry.id, "name": self.entry.name, "description": self.entry.summary(),
                "type": [{"id": self.entry.type, "name": TYPES[self.entry.type][0]}], "score": self.score,
                "match": match, "features": features}


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
    """Every person, group, place, event, cover name and unidentified actor of the release, by id."""
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


def _date_range(value: str) -> tuple[str, str] | None:
    m = _DATE.match(value.strip())
    if not m:
        return None
    year, month, day = m.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


class ReconcileService:
    """Reconciliation, suggest, preview and data extension over the entities of one release."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self.index: dict[str, set[str]] = defaultdict(set)  # normalised name → ids
        self.words: dict[str, set[str]] = defaultdict(set)  # word → normalised names holding it
        self.by_start: dict[str, set[str]] = defaultdict(set)  # first two letters → normalised names
        for e in entries.values():
            for name in (e.name, *e.names):
                key = normalise(name)
                if key:
                    self.index[key].add(e.id)
                    self.by_start[key[:2]].add(key)
                    for word in key.split():
                        self.words[word].add(key)

    @classmethod
    def from_store(cls, store: ox.Store) -> ReconcileService:
        return cls(load_entries(store))

    # --- the manifest ---------------------------------------------------------------------

    def manifest(self, root: str) -> dict[str, Any]:
        """The service manifest; ``root`` is the service's absolute URL (``http://host/reconcile``)."""
        return {
            "versions": ["0.2"],
            "name": f"cwgraph: {DATASET.title.split(':')[0]}",
            "identifierSpace": BASE_IRI,
            "schemaSpace": "http://www.cidoc-crm.org/cidoc-crm/",
            "documentation": f"{BASE_IRI}",
            "serviceVersion": __version__,
            "defaultTypes": [{"id": t, "name": name} for t, (name, _) in TYPES.items()],
            "view": {"url": f"{root}/view/{{{{id}}}}"},
            "preview": {"url": f"{root}/preview?id={{{{id}}}}", "width": 430, "height": 150},
            "suggest": {kind: {"service_url": root, "service_path": f"/suggest/{kind}"}
                        for kind in ("entity", "type", "property")},
            "extend": {"propose_properties": {"service_url": root, "service_path": "/properties"},
                       "property_settings": []},
            "batchSize": MAX_BATCH,
        }

    # --- reconciliation -------------------------------------------------------------------

    def _name_score(self, query: str, entry: Entry) -> float:
        q = normalise(query)
        if not q:
            return 0.0
        best = 0.0
        q_words = q.split()
        for name, preferred in ((entry.name, True), *((n, False) for n in entry.names)):
            n = normalise(name)
            if not n:
                continue
            if n == q:
                best = max(best, 100.0 if preferred else 95.0)
                continue
            n_words = n.split()
            if sorted(n_words) == sorted(q_words):
                best = max(best, 90.0)
            elif set(q_words) <= set(n_words):
                best = max(best, round(50 + 35 * len(q_words) / len(n_words), 1))
            elif len(q) >= 5 and abs(len(q) - len(n)) <= 2:
                ratio = difflib.SequenceMatcher(None, q, n, autojunk=False).ratio()
                if ratio >= 0.8:
                    best = max(best, round(80 * ratio, 1))
        return best

    def _candidates(self, query: str) -> set[str]:
        """Ids with a name holding every word of the query, or (for a misspelling) starting alike."""
        q = normalise(query)
        words = q.split()
        if not words:
            return set()
        keys = set.intersection(*(self.words.get(w, set()) for w in words))
        if len(q) >= 5:
            keys |= {k for k in self.by_start.get(q[:2], ()) if abs(len(k) - len(q)) <= 2}
        return {i for k in keys for i in self.index[k]}

    def reconcile_one(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The candidates for one query (see the module's docstring), best first."""
        text = str(query.get("query") or "").strip()
        types = query.get("type") or []
        types = [t for t in ([types] if isinstance(types, str) else list(types)) if t]  # "" is no type
        unknown = [t for t in types if t not in TYPES]
        if unknown:
            raise ReconcileError(f"unknown type {unknown[0]!r}: use one of {', '.join(TYPES)}")
        limit = query.get("limit") or 5
        if not isinstance(limit, (int, float)) or limit < 1:
            raise ReconcileError("limit must be a positive number")
        conditions = self._conditions(query.get("properties") or [])
        ids: set[str] = set()
        as_id = text[len(BASE_IRI):] if text.startswith(BASE_IRI) else text
        if as_id in self.entries:
            ids.add(as_id)
        if text:
            ids |= self._candidates(text)
        elif "wikidata" in conditions:
            ids = {e.id for e in self.entries.values() if set(e.wikidata) & set(conditions["wikidata"])}
        candidates = []
        for entry_id in ids:
            entry = self.entries[entry_id]
            if types and entry.type not in types:
                continue
            name_score = 100.0 if entry_id == as_id else self._name_score(text, entry) if text else 0.0
            active = self._active(entry, conditions["active"]) if "active" in conditions else None
            wikidata = bool(set(entry.wikidata) & set(conditions["wikidata"])) if "wikidata" in conditions else None
            if not text and not wikidata:
                continue
            score = name_score if text else 100.0
            if wikidata and (name_score >= 50 or not text):
                score = 100.0  # the same Wikidata item: the same entity
            elif wikidata is False and entry.wikidata:
                score -= 40  # the authority links another item: a different entity
            if active is False:
                score -= 30
            if score > 0:
                candidates.append(Candidate(entry, round(score, 1), name_score, active, wikidata))
        candidates.sort(key=lambda c: (-c.score, -c.entry.documents, c.entry.id))
        top = [c for c in candidates if c.score >= 95]
        sure = len(top) == 1 and top[0].active is not False and top[0].wikidata is not False
        return [c.to_json(sure and c is top[0]) for c in candidates[:int(limit)]]

    def _conditions(self, properties: list[Any]) -> dict[str, list[str]]:
        conditions: dict[str, list[str]] = {}
        for prop in properties:
            if not isinstance(prop, dict) or "pid" not in prop or "v" not in prop:
                raise ReconcileError("each property needs a pid and a v")
            pid = prop["pid"]
            if pid not in QUERY_PROPERTIES:
                raise ReconcileError(f"unknown property {pid!r}: a query can use {', '.join(QUERY_PROPERTIES)}")
            values = prop["v"] if isinstance(prop["v"], list) else [prop["v"]]
            texts = [str(v.get("id", "")) if isinstance(v, dict) else str(v) for v in values]
            texts = [t.strip() for t in texts if t.strip()]
            if pid == "wikidata":
                texts = [t.rsplit("/", 1)[-1] for t in texts]
                bad = [t for t in texts if not _QID.match(t)]
            else:
                bad = [t for t in texts if _date_range(t) is None]
            if bad:
                raise ReconcileError(f"property {pid}: cannot read {bad[0]!r} "
                                     f"({'a QID such as Q855' if pid == 'wikidata' else 'a year, YYYY-MM or YYYY-MM-DD'})")
            if texts:
                conditions.setdefault(pid, []).extend(texts)
        return conditions

    @staticmethod
    def _active(entry: Entry, values: list[str]) -> bool:
        if not entry.begin:
            return False
        for value in values:
            lo, hi = _date_range(value)  # type: ignore[misc]
            if lo <= (entry.end or entry.begin) and hi >= entry.begin:
                return True
        return False

    def reconcile(self, batch: Any) -> dict[str, Any]:
        """A reconciliation result batch for a query batch (already parsed JSON)."""
        if not isinstance(batch, dict) or not all(isinstance(q, dict) for q in batch.values()):
            raise ReconcileError("queries must be a JSON object of query objects: {\"q0\": {\"query\": \"Stalin\"}}")
        if len(batch) > MAX_BATCH:
            raise ReconcileError(f"at most {MAX_BATCH} queries a batch (the manifest's batchSize)", 413)
        for key, query in batch.items():
            if not str(query.get("query") or "").strip() and not query.get("properties"):
                raise ReconcileError(f"query {key!r} has neither a query string nor properties")
        return {key: {"result": self.reconcile_one(query)} for key, query in batch.items()}

    # --- suggest ------------------------------------------------------------------------------

    @staticmethod
    def _page(items: list[dict[str, Any]], cursor: int) -> dict[str, Any]:
        return {"result": items[cursor:cursor + PAGE]}

    def suggest_entity(self, prefix: str, cursor: int = 0, types: list[str] | None = None) -> dict[str, Any]:
        p = normalise(prefix)
        hits = []
        for e in self.entries.values():
            if types and e.type not in types:
                continue
            names = [normalise(n) for n in (e.name, *e.names)]
            if e.id == prefix.strip() or (p and any(n.startswith(p) or f" {p}" in f" {n}" for n in names)):
                starts = normalise(e.name).startswith(p) or e.id == prefix.strip()
                hits.append((not starts, -e.documents, e.id, e))
        hits.sort(key=lambda h: h[:3])
        return self._page([{"id": e.id, "name": e.name, "description": e.summary(),
                            "notable": [{"id": e.type, "name": TYPES[e.type][0]}]} for *_, e in hits], cursor)

    def suggest_type(self, prefix: str, cursor: int = 0) -> dict[str, Any]:
        p = normalise(prefix)
        return self._page([{"id": t, "name": name} for t, (name, _) in TYPES.items()
                           if not p or normalise(name).startswith(p) or t.startswith(p)], cursor)

    def suggest_property(self, prefix: str, cursor: int = 0) -> dict[str, Any]:
        p = normalise(prefix)
        return self._page([{"id": pid, "name": name, "description": text} for pid, (name, text, _) in PROPERTIES.items()
                           if not p or normalise(name).startswith(p) or pid.startswith(p)], cursor)

    # --- data extension -------------------------------------------------------------------

    def propose_properties(self, type_id: str, limit: int | None = None) -> dict[str, Any]:
        if type_id not in TYPES:
            raise ReconcileError(f"unknown type {type_id!r}: use one of {', '.join(TYPES)}")
        props = [{"id": pid, "name": name, "description": text} for pid, (name, text, types) in PROPERTIES.items()
                 if pid != "active" and (not types or type_id in types)]
        answer: dict[str, Any] = {"type": type_id, "properties": props[:limit] if limit else props}
        if limit:
            answer["limit"] = limit
        return answer

    def _values(self, entry: Entry, pid: str) -> list[dict[str, Any]]:
        if pid == "wikidata":
            return [{"str": q} for q in entry.wikidata]
        if pid == "documents":
            return [{"int": entry.documents}]
        if pid == "active_from":
            return [{"date": f"{entry.begin}T00:00:00Z"}] if entry.begin else []
        if pid == "active_to":
            return [{"date": f"{entry.end}T00:00:00Z"}] if entry.end else []
        if pid == "description":
            return [{"str": entry.description}] if entry.description else []
        if pid == "cover_names":
            return [{"id": i, "name": n} for i, n in entry.covers]
        if pid == "bearer":
            return [{"id": entry.bearer[0], "name": entry.bearer[1]}] if entry.bearer else []
        if pid == "geonames":
            return [{"str": entry.geonames}] if entry.geonames else []
        raise ReconcileError(f"unknown property {pid!r}: see {', '.join(p for p in PROPERTIES if p != 'active')}")

    def extend(self, query: Any) -> dict[str, Any]:
        if not isinstance(query, dict) or not isinstance(query.get("ids"), list) \
                or not isinstance(query.get("properties"), list):
            raise ReconcileError('extend must be {"ids": [...], "properties": [{"id": ...}]}')
        if len(query["ids"]) > 10 * MAX_BATCH:
            raise ReconcileError(f"at most {10 * MAX_BATCH} ids a request", 413)
        pids = [str(p.get("id")) if isinstance(p, dict) else "" for p in query["properties"]]
        for pid in pids:
            if pid not in PROPERTIES or pid == "active":
                raise ReconcileError(f"unknown property {pid!r}")
        rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for entity_id in map(str, query["ids"]):
            entry = self.entries.get(entity_id[len(BASE_IRI):] if entity_id.startswith(BASE_IRI) else entity_id)
            rows[entity_id] = {pid: self._values(entry, pid) if entry else [] for pid in pids}
        meta = []
        for pid in pids:
            item: dict[str, Any] = {"id": pid, "name": PROPERTIES[pid][0]}
            if pid in ("cover_names", "bearer"):
                item["type"] = {"id": "cover-name" if pid == "cover_names" else "person",
                                "name": "Cover name" if pid == "cover_names" else "Person"}
            meta.append(item)
        return {"meta": meta, "rows": rows}

    # --- preview --------------------------------------------------------------------------

    def preview(self, entity_id: str) -> str:
        entry = self.entries.get(entity_id)
        if entry is None:
            raise ReconcileError(f"no entity {entity_id!r} in this release", 404)
        e = html.escape
        links = [f'<a href="{e(entry.iri)}" target="_blank">{e(entry.iri)}</a>']
        links += [f'<a href="http://www.wikidata.org/entity/{e(q)}" target="_blank">Wikidata {e(q)}</a>'
                  for q in entry.wikidata]
        if entry.geonames:
            links.append(f'<a href="https://www.geonames.org/{e(entry.geonames)}" target="_blank">'
                         f'GeoNames {e(entry.geonames)}</a>')
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + e(entry.name) +
                "</title><style>body{font:13px/1.4 system-ui,sans-serif;margin:8px;color:#1d1d1f}"
                "h1{font-size:15px;margin:0 0 4px}p{margin:2px 0}.k{color:#6b6b75}</style></head><body>"
                f"<h1>{e(entry.name)} <span class=\"k\">({e(TYPES[entry.type][0])})</span></h1>"
                f"<p>{e(entry.summary())}</p>"
                + (f"<p class=\"k\">also: {e('; '.join(entry.names[:8]))}</p>" if entry.names else "")
                + f"<p>{' · '.join(links)}</p></body></html>\n")


# --- HTTP ---------------------------------------------------------------------------------------

CORS = {"Access-Control-Allow-Origin": "*"}
_SERVICES: weakref.WeakKeyDictionary[Any, ReconcileService] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _service(app: Any) -> ReconcileService:
    """The service of an application (its ``graph.store``), built once."""
    with _LOCK:
        service = _SERVICES.get(app)
        if service is None:
            service = _SERVICES[app] = ReconcileService.from_store(app.graph.store)
        return service


def _json(request: Request, body: Any, status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    callback = request.args.get("callback")
    if callback is not None:
        if not _CALLBACK.match(callback):
            body, status, callback = {"error": "callback must be a JavaScript identifier"}, 400, None
            text = json.dumps(body)
        else:
            response = Response(f"/**/{callback}({text});", status=status,
                                content_type="application/javascript; charset=utf-8")
            response.headers.update(CORS)
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response
    response = Response(text, status=status, content_type="application/json; charset=utf-8")
    response.headers.update(CORS)
    return response


def _param(request: Request, name: str) -> str | None:
    if request.method == "POST" and name in request.form:
        return request.form.get(name)
    return request.args.get(name)


def _parse(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReconcileError(f"{what} is not JSON: {exc.msg} at character {exc.pos}") from None


def _int(value: str | None, name: str) -> int:
    try:
        number = int(value or 0)
    except ValueError:
        raise ReconcileError(f"{name} must be a whole number") from None
    if number < 0:
        raise ReconcileError(f"{name} must not be negative")
    return number


def reconcile_response(app: Any, request: Request, path: str) -> Response:
    """Answer a request under ``/reconcile`` for the application ``app`` (a LinkedDataApp)."""
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers.update(CORS)
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        return response
    if request.method not in ("GET", "HEAD", "POST"):
        raise MethodNotAllowed(valid_methods=["GET", "HEAD", "POST", "OPTIONS"])
    if (request.content_length or 0) > MAX_BODY:
        return _json(request, {"error": f"request larger than {MAX_BODY} bytes"}, 413)
    service = _service(app)
    root = request.url_root.rstrip("/") + "/reconcile"
    sub = path[len("reconcile"):].strip("/")
    try:
        if sub == "":
            queries, extend = _param(request, "queries"), _param(request, "extend")
            if queries is not None:
                return _json(request, service.reconcile(_parse(queries, "queries")))
            if extend is not None:
                return _json(request, service.extend(_parse(extend, "extend")))
            single = _param(request, "query")  # the single query of older clients: text or a query object
            if single is not None:
                query = _parse(single, "query") if single.lstrip().startswith("{") else {"query": single}
                return _json(request, service.reconcile({"q": query})["q"])
            return _json(request, service.manifest(root))
        if sub.startswith("suggest/"):
            prefix, cursor = request.args.get("prefix", ""), _int(request.args.get("cursor"), "cursor")
            kind = sub[len("suggest/"):]
            if kind == "entity":
                types = [t for t in request.args.getlist("type") if t]
                return _json(request, service.suggest_entity(prefix, cursor, types or None))
            if kind == "type":
                return _json(request, service.suggest_type(prefix, cursor))
            if kind == "property":
                return _json(request, service.suggest_property(prefix, cursor))
        if sub == "properties":
            limit = _int(request.args.get("limit"), "limit") or None
            return _json(request, service.propose_properties(request.args.get("type", ""), limit))
        if sub == "preview":
            entity_id = request.args.get("id", "")
            response = Response(service.preview(entity_id), content_type="text/html; charset=utf-8")
            response.headers.update(CORS)
            response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
            return response
        if sub.startswith("view/"):
            entity_id = sub[len("view/"):]
            if entity_id not in service.entries:
                raise ReconcileError(f"no entity {entity_id!r} in this release", 404)
            response = Response(status=303)
            response.headers["Location"] = f"{request.script_root}/{entity_id}"
            response.headers.update(CORS)
            return response
    except ReconcileError as exc:
        if exc.status == 404 and sub == "preview":
            raise NotFound(str(exc)) from None
        return _json(request, {"error": str(exc)}, exc.status)
    raise NotFound(f"No reconciliation service at /reconcile/{sub}: see /reconcile for the manifest.")
