"""Files that let others link back to us: a Mix'n'match catalogue and BEACON link files.

- ``mixnmatch-persons.tsv``: our persons as a Mix'n'match catalogue (columns id, name,
  description, url, type — ``Q5`` for a human), so Wikidata editors can match them;
- ``beacon/wikidata-{persons,groups,places,events}.txt``: one BEACON file per authority
  file, from each Wikidata entity the authority links to our IRI (``#PREFIX`` Wikidata,
  ``#TARGET`` our namespace), the annotation being the number of documents.
"""

from __future__ import annotations

from pathlib import Path

from cwgraph.config import BASE_IRI, DATASET
from cwgraph.exports.letters import Entity

__all__ = ["beacon", "mixnmatch_tsv", "write_beacons", "write_mixnmatch"]

WIKIDATA = "http://www.wikidata.org/entity/"
KINDS = {"person": "persons", "group": "groups", "place": "places", "event": "events"}


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def mixnmatch_tsv(persons: list[Entity]) -> str:
    """A Mix'n'match catalogue: one person a line, the id being our IRI's last segment."""
    lines = ["id\tname\tdescription\turl\ttype"]
    for person in sorted(persons, key=lambda e: e.iri):
        key = person.iri.rsplit("/", 1)[-1]
        docs = f"{person.documents} document{'s' if person.documents != 1 else ''} in {DATASET.title.split(':')[0]}"
        description = "; ".join(x for x in (_clean(person.description), docs) if x)
        lines.append("\t".join((key, _clean(person.label), description, person.iri, "Q5")))
    return "\n".join(lines) + "\n"


def beacon(entities: list[Entity], kind: str) -> str:
    """A BEACON link file from the Wikidata entities of ``entities`` to our IRIs."""
    plural = KINDS[kind]
    header = [
        "#FORMAT: BEACON",
        f"#PREFIX: {WIKIDATA}",
        f"#TARGET: {BASE_IRI}{kind}/{{ID}}",
        "#RELATION: http://www.w3.org/2004/02/skos/core#exactMatch",
        f"#MESSAGE: {{annotation}} documents in {DATASET.title.split(':')[0]}",
        f"#NAME: {DATASET.title.split(':')[0]}: {plural}",
        f"#DESCRIPTION: Wikidata entities of the {plural} of the collection, linked to their pages",
        f"#CREATOR: {DATASET.publisher}",
        f"#HOMEPAGE: {BASE_IRI}",
        f"#FEED: {BASE_IRI}dist/beacon/wikidata-{plural}.txt",
        f"#SOURCESET: {WIKIDATA}",
    ]
    links = []
    for entity in entities:
        key = entity.iri.rsplit("/", 1)[-1]
        for qid in entity.wikidata:
            links.append(f"{qid.rsplit('/', 1)[-1]}|{entity.documents}|{key}")
    return "\n".join(header + [""] + sorted(links)) + "\n"


def write_mixnmatch(persons: list[Entity], path: Path) -> Path:
    path.write_text(mixnmatch_tsv(persons), encoding="utf-8")
    return path


def write_beacons(entities: dict[str, list[Entity]], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind, plural in KINDS.items():
        path = folder / f"wikidata-{plural}.txt"
        path.write_text(beacon(entities.get(kind, []), kind), encoding="utf-8")
        out.append(path)
    return out
