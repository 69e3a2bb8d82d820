"""Reconciliation, suggest, data extension and previews over the entities of a release (API version 0.2).

Candidates come from the names and variants of the release graph, compared after
:func:`~cwgraph.web.reconcile_entities.normalise`: the preferred name scores 100, a variant 95,
the same words in another order 90, a name that contains every word of the query less (by the
share of its words matched), a spelling a letter or two off (similarity 0.8 or more) at most 80.
A cover name reconciles to itself, its description naming its bearer. Query properties:
``active`` (a date within the entity's dates; outside: 30 less) and ``wikidata`` (a QID).
``match`` is true for a single candidate at 95 or more whose properties agree. Ordering:
score, then documents, then id.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from cwgraph import __version__
from cwgraph.core.config import BASE_IRI, DATASET
from cwgraph.web.reconcile_entities import TYPES, Entry, load_entries, normalise

__all__ = ["MAX_BATCH", "PROPERTIES", "Candidate", "ReconcileError", "ReconcileService"]

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
PAGE = 10
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_QID = re.compile(r"^Q[1-9]\d*$")


class ReconcileError(ValueError):
    """A request the service cannot answer; ``status`` is the HTTP status to send."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


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
