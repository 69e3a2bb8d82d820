"""Files that let others link back to us: a Mix'n'match catalogue, QuickStatements and BEACON link files.

- ``mixnmatch-persons.tsv``: our persons as a Mix'n'match catalogue (columns id, name,
  description, url, type — ``Q5`` for a human — and q, the Wikidata item of a person the
  authority already links), so Wikidata editors can match the others;
- ``wikidata-quickstatements.txt``: QuickStatements (V1) commands for a Wikidata editor to
  review: for every Wikidata item an authority links, *described at URL* (P973) our IRI,
  qualified with *language of work or name* (P407) English (Q1860) and *subject named as*
  (P1810) our label (why P973: see the README);
- ``beacon/wikidata-{persons,groups,places,events}.txt``: one BEACON file per authority
  file, from each Wikidata entity the authority links to our IRI (``#PREFIX`` Wikidata,
  ``#TARGET`` our namespace), the annotation being the number of documents.
"""

from __future__ import annotations

from pathlib import Path

from cwgraph.core.config import BASE_IRI, DATASET
from cwgraph.exports.letters import Entity

__all__ = ["QS_DESCRIBED_AT", "beacon", "mixnmatch_tsv", "quickstatements", "write_beacons", "write_mixnmatch",
           "write_quickstatements"]

WIKIDATA = "http://www.wikidata.org/entity/"
KINDS = {"person": "persons", "group": "groups", "place": "places", "event": "events"}
# Wikidata properties and items of the QuickStatements file (ids and meanings checked, see the README):
QS_DESCRIBED_AT = "P973"  # described at URL: "item is described at the following URL"
QS_LANGUAGE = ("P407", "Q1860")  # language of work or name: English
QS_NAMED_AS = "P1810"  # subject named as: the name by which the subject is recorded in a database


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def mixnmatch_tsv(persons: list[Entity]) -> str:
    """A Mix'n'match catalogue: one person a line, the id being our IRI's last segment."""
    lines = ["id\tname\tdescription\turl\ttype\tq"]
    for person in sorted(persons, key=lambda e: e.iri):
        key = person.iri.rsplit("/", 1)[-1]
        docs = f"{person.documents} document{'s' if person.documents != 1 else ''} in {DATASET.title.split(':')[0]}"
        description = "; ".join(x for x in (_clean(person.description), docs) if x)
        # a person linked to two items is left for the editor: Mix'n'match takes one q
        q = person.wikidata[0].rsplit("/", 1)[-1] if len(person.wikidata) == 1 else ""
        lines.append("\t".join((key, _clean(person.label), description, person.iri, "Q5", q)))
    return "\n".join(lines) + "\n"


def _qs_string(text: str) -> str | None:
    """A QuickStatements string value, or None where V1 cannot carry the text (it has no escape for quotes)."""
    text = _clean(text)
    return f'"{text}"' if text and '"' not in text else None


def quickstatements(entities: dict[str, list[Entity]]) -> str:
    """QuickStatements V1 commands adding our IRI as *described at URL* to every linked Wikidata item.

    One tab-separated command a line (item, P973, the IRI in quotes, then qualifier pairs), sorted
    by kind and IRI; nothing else, so the whole file can be pasted into QuickStatements.
    """
    lines = []
    for kind in KINDS:
        for entity in sorted(entities.get(kind, []), key=lambda e: e.iri):
            for qid in entity.wikidata:
                command = [qid.rsplit("/", 1)[-1], QS_DESCRIBED_AT, f'"{entity.iri}"', *QS_LANGUAGE]
                named = _qs_string(entity.label)
                if named:
                    command += [QS_NAMED_AS, named]
                lines.append("\t".join(command))
    return "".join(line + "\n" for line in lines)


def write_quickstatements(entities: dict[str, list[Entity]], path: Path) -> Path:
    path.write_text(quickstatements(entities), encoding="utf-8")
    return path


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
