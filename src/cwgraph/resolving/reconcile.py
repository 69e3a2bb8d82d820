"""Candidate Wikidata links for a curator: ask a Wikidata-style SPARQL endpoint, write proposals.

Reads the release's reconciliation report (``reports/reconciliation.tsv``: every
person, group, place and event without a Wikidata link, and every name no
authority knows), asks the endpoint for items whose English (or ``mul``) label or
alias is one of the entity's names, and scores each candidate: label or alias,
the right kind of item (``wdt:P31 wd:Q5`` for people; coordinates for places),
and for people whether they were alive and adult during the documents' years.

It writes ``proposals.tsv`` and ``proposals.json`` for a curator — it never writes a
QID anywhere: to accept a proposal, the curator puts the QID and an evidence URL
into ``source/authorities/*.tsv`` and rebuilds.

Works with the Wikidata Query Service and with any SPARQL 1.1 endpoint holding
data in Wikidata's shape (``rdfs:label``, ``skos:altLabel``, ``schema:description``,
``wdt:P31``, ``wdt:P569``/``P570``, ``wdt:P625``): the tests use a local Oxigraph server.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cwgraph import __version__
from cwgraph.core.errors import SourceError, StoreError
from cwgraph.core.ids import vocab
from cwgraph.stores.embedded import open_store

__all__ = ["Candidate", "Proposal", "WIKIDATA_SPARQL", "read_report", "reconcile", "write_proposals"]

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
WD = "http://www.wikidata.org/entity/"
HUMAN = WD + "Q5"
KINDS = ("person", "group", "place", "event", "actor")
AUTHORITY_FILE = {"person": "persons.tsv", "group": "groups.tsv", "place": "places.tsv", "event": "events.tsv",
                  "actor": "persons.tsv or groups.tsv"}
PROPOSAL_COLUMNS = ["kind", "id", "label", "iri", "qid", "wikidata_label", "wikidata_description", "matched",
                    "instance_of", "born", "died", "score", "why", "accept_into"]


@dataclass
class Entity:
    """One row of the reconciliation report: something without a Wikidata link."""

    kind: str
    id: str
    iri: str
    label: str
    names: list[str]
    documents: list[str]


@dataclass
class Candidate:
    qid: str
    label: str = ""
    description: str = ""
    matched: list[str] = field(default_factory=list)  # "label: Andrei Gromyko", "alias: Gromyko"
    instance_of: list[str] = field(default_factory=list)
    born: str = ""
    died: str = ""
    has_coordinates: bool = False
    score: float = 0.0
    why: list[str] = field(default_factory=list)


@dataclass
class Proposal:
    entity: Entity
    candidates: list[Candidate]


def read_report(path: Path, kinds: tuple[str, ...] = KINDS) -> list[Entity]:
    """The entities of the reconciliation report that Wikidata could identify (not cover names)."""
    if not path.is_file():
        raise SourceError(f"no reconciliation report at {path}", hint="build the release first: cwgraph build")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = []
    for row in rows:
        kind = row.get("kind", "")
        if kind not in kinds:
            continue
        names = [row.get("label", "")]
        for column in ("search", "names_as_written"):
            names += [n.strip() for n in (row.get(column) or "").split(" | ")]
        names = list(dict.fromkeys(n for n in names if n and len(n) > 2))[:8]
        docs = [d for d in (row.get("documents") or "").split(" | ") if d]
        out.append(Entity(kind, row.get("id", ""), row.get("iri", ""), row.get("label", ""), names, docs))
    return out


def _literal(text: str, lang: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"@{lang}'


def candidate_query(entities: list[Entity]) -> str:
    """One SPARQL query for a batch: items whose label or alias (en or mul) is one of the names."""
    values = []
    for i, entity in enumerate(entities):
        for name in entity.names:
            for lang in ("en", "mul"):
                values.append(f'("{i}" {_literal(name, lang)})')
    return f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?key ?name ?how ?item ?label ?description ?type ?birth ?death ?coord WHERE {{
  VALUES (?key ?name) {{ {" ".join(values)} }}
  {{ ?item rdfs:label ?name . BIND("label" AS ?how) }} UNION {{ ?item skos:altLabel ?name . BIND("alias" AS ?how) }}
  OPTIONAL {{ ?item rdfs:label ?enLabel FILTER(LANG(?enLabel) = "en") }}
  OPTIONAL {{ ?item rdfs:label ?mulLabel FILTER(LANG(?mulLabel) = "mul") }}
  BIND(COALESCE(?enLabel, ?mulLabel) AS ?label)
  OPTIONAL {{ ?item schema:description ?description FILTER(LANG(?description) = "en") }}
  OPTIONAL {{ ?item wdt:P31 ?type }}
  OPTIONAL {{ ?item wdt:P569 ?birth }}
  OPTIONAL {{ ?item wdt:P570 ?death }}
  OPTIONAL {{ ?item wdt:P625 ?coord }}
}}"""


def _ask(endpoint: str, query: str, timeout: float) -> list[dict[str, dict[str, str]]]:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint, agent=f"cwgraph/{__version__} (reconciliation for a curator; "
                                           "https://w3id.org/cwgraph/)")
    client.setQuery(query)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(1, timeout)))
    try:
        result = client.queryAndConvert()
    except SPARQLWrapperException as exc:
        raise StoreError(f"{endpoint} refused the candidate query: {exc}", hint="check --endpoint") from None
    except OSError as exc:
        raise StoreError(f"cannot reach {endpoint}: {exc}", hint="check --endpoint and the network") from None
    return result["results"]["bindings"]  # type: ignore[index, no-any-return]


def _year(value: str) -> int | None:
    try:
        return int(value.lstrip("+")[:4]) if value else None
    except ValueError:
        return None


def score(entity: Entity, candidate: Candidate, period: tuple[int, int], alone: bool) -> None:
    """Fill ``score`` (0-1) and ``why``: how well the candidate fits the entity."""
    how = {m.split(":", 1)[0] for m in candidate.matched}
    s = 0.5 if "label" in how else 0.35
    candidate.why.append("same label" if "label" in how else "an alias matches")
    human = HUMAN in candidate.instance_of
    if entity.kind == "person":
        if human:
            s += 0.25
            candidate.why.append("a human")
        elif candidate.instance_of:
            s -= 0.5
            candidate.why.append("not a human")
        born, died = _year(candidate.born), _year(candidate.died)
        if born is not None and born > period[1] - 15:
            s -= 0.4
            candidate.why.append(f"born {born}, too young for {period[0]}-{period[1]}")
        elif died is not None and died < period[0]:
            s -= 0.15
            candidate.why.append(f"died {died}, before {period[0]}")
        elif born is not None:
            s += 0.15
            candidate.why.append(f"alive in {period[0]}-{period[1]}")
    elif entity.kind == "place":
        if candidate.has_coordinates:
            s += 0.25
            candidate.why.append("has coordinates")
        if human:
            s -= 0.5
            candidate.why.append("a human, not a place")
    elif entity.kind in ("group", "event"):
        if human:
            s -= 0.5
            candidate.why.append("a human")
        elif candidate.instance_of:
            s += 0.1
    elif entity.kind == "actor" and human:
        s += 0.1
        candidate.why.append("a human")
    if alone and s > 0.4:
        s += 0.1
        candidate.why.append("the only candidate")
    candidate.score = round(max(0.0, min(1.0, s)), 2)


def reconcile(entities: list[Entity], endpoint: str = WIKIDATA_SPARQL, *, period: tuple[int, int] = (1945, 1950),
              batch: int = 20, timeout: float = 60.0, delay: float = 0.0, minimum: float = 0.0) -> list[Proposal]:
    """Ask the endpoint for candidates of every entity; returns proposals sorted by kind, id and score."""
    proposals = []
    for start in range(0, len(entities), max(1, batch)):
        chunk = entities[start:start + batch]
        found: dict[int, dict[str, Candidate]] = defaultdict(dict)
        for row in _ask(endpoint, candidate_query(chunk), timeout):
            item = row.get("item", {}).get("value", "")
            if not item.startswith(WD):
                continue
            key = int(row["key"]["value"])
            qid = item[len(WD):]
            cand = found[key].setdefault(qid, Candidate(qid))
            value = lambda name: row.get(name, {}).get("value", "")  # noqa: E731
            cand.label = cand.label or value("label")
            cand.description = cand.description or value("description")
            match = f"{value('how')}: {value('name')}"
            if match not in cand.matched:
                cand.matched.append(match)
            kind = value("type")
            if kind and kind not in cand.instance_of:
                cand.instance_of.append(kind)
            cand.born = min(filter(None, (cand.born, value("birth"))), default="")
            cand.died = min(filter(None, (cand.died, value("death"))), default="")
            cand.has_coordinates = cand.has_coordinates or bool(value("coord"))
        for i, entity in enumerate(chunk):
            candidates = list(found.get(i, {}).values())
            for cand in candidates:
                cand.matched.sort()
                cand.instance_of.sort()
                score(entity, cand, period, alone=len(candidates) == 1)
            candidates = [c for c in candidates if c.score >= minimum]
            candidates.sort(key=lambda c: (-c.score, c.qid))
            proposals.append(Proposal(entity, candidates))
        if delay and start + batch < len(entities):
            time.sleep(delay)
    return sorted(proposals, key=lambda p: (p.entity.kind, p.entity.id))


def proposals_tsv(proposals: list[Proposal]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(PROPOSAL_COLUMNS)
    for p in proposals:
        e = p.entity
        target = f"source/authorities/{AUTHORITY_FILE[e.kind]}"
        if not p.candidates:
            writer.writerow([e.kind, e.id, e.label, e.iri, "", "", "", "", "", "", "", "", "no candidate found for: "
                             + " | ".join(e.names), target])
        for c in p.candidates:
            writer.writerow([e.kind, e.id, e.label, e.iri, c.qid, c.label, c.description, " | ".join(c.matched),
                             " ".join(t.rsplit("/", 1)[-1] for t in c.instance_of), c.born[:10].lstrip("+"),
                             c.died[:10].lstrip("+"), f"{c.score:.2f}", "; ".join(c.why), target])
    return out.getvalue()


def write_proposals(proposals: list[Proposal], out: Path, *, endpoint: str) -> list[Path]:
    """``proposals.tsv`` and ``proposals.json`` in ``out``; nothing else is touched."""
    out.mkdir(parents=True, exist_ok=True)
    tsv = out / "proposals.tsv"
    tsv.write_text(proposals_tsv(proposals), encoding="utf-8")
    data = {
        "endpoint": endpoint,
        "how_to_accept": "copy a qid with an evidence URL into the authority file named in accept_into, then rebuild; "
                         "cwgraph never writes QIDs itself",
        "entities": [{**asdict(p.entity), "accept_into": f"source/authorities/{AUTHORITY_FILE[p.entity.kind]}",
                      "candidates": [{**asdict(c), "wikidata": WD + c.qid,
                                      "page": f"https://www.wikidata.org/wiki/{c.qid}"} for c in p.candidates]}
                     for p in proposals],
    }
    js = out / "proposals.json"
    js.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return [tsv, js]


def collection_period(release: Path) -> tuple[int, int]:
    """The years the release's documents span (for judging whether a person fits)."""

    try:
        store = open_store(release)
    except StoreError:
        return (1945, 1950)

    result = store.query(f"SELECT (MIN(?b) AS ?lo) (MAX(?b) AS ?hi) WHERE {{ ?d <{vocab('dateBegin')}> ?b }}")
    for row in result:  # type: ignore[union-attr]
        if row["lo"] is not None and row["hi"] is not None:
            return (int(row["lo"].value[:4]), int(row["hi"].value[:4]))
    return (1945, 1950)
