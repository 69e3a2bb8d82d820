"""Reports for curators: rejected records, and entities awaiting reconciliation."""

from __future__ import annotations

import csv
import io
import json

from cwgraph.core.ids import document_iri, entity_iri
from cwgraph.core.records import Reject
from cwgraph.resolving.authorities import Authorities
from cwgraph.resolving.resolve import LOCAL_IRI_KIND, LocalRegistry

__all__ = ["authority_links_tsv", "rejects_jsonl", "reconciliation_tsv"]

# `searched` (last, so older readers keep working): what a curator searched and why no item fits,
# from the authority file's `qid_searched` column
RECONCILIATION_COLUMNS = ["status", "kind", "id", "iri", "label", "names_as_written", "documents", "roles",
                          "sources", "search", "searched"]
LINK_COLUMNS = ["kind", "id", "iri", "label", "link", "value", "evidence_url", "evidence_note", "documents", "source"]


def rejects_jsonl(rejects: list[Reject]) -> str:
    """One JSON object a line, in file and line order."""
    ordered = sorted(rejects, key=lambda r: (r.location.file, r.location.line, r.reason))
    return "".join(json.dumps(r.as_dict(), ensure_ascii=False, sort_keys=True) + "\n" for r in ordered)


def reconciliation_tsv(auth: Authorities, local: LocalRegistry, used: dict[str, list[str]]) -> str:
    """Every entity without a Wikidata link: unknown names first, then authority rows without a QID.

    ``used``: entity id → IRIs of (up to 50 of) the documents that name it. A build keeps the
    first 50 documents and source lines of an unknown name (by IRI and by line), so a name
    that recurs in thousands of documents does not fill memory; the graph lists every line.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(RECONCILIATION_COLUMNS)
    for entity in sorted(local.entities.values(), key=lambda e: (e.kind, e.id)):
        kind = LOCAL_IRI_KIND[entity.kind]
        names = sorted(entity.written)
        writer.writerow(["unknown-name", entity.kind, entity.id,
                         entity_iri(kind, entity.id), entity.label, " | ".join(names),
                         " | ".join(sorted(entity.documents and {document_iri(d) for d in entity.documents})),
                         " | ".join(sorted(entity.contexts)), " | ".join(sorted(entity.sources)),
                         " | ".join(dict.fromkeys(names)), ""])
    for kind in ("person", "group", "place", "event"):
        for entity in auth.of_kind(kind):
            if entity.qid:
                continue
            iri = entity_iri(kind, entity.id)
            writer.writerow(["no-wikidata-link", kind, entity.id, iri, entity.label, " | ".join(entity.names),
                             " | ".join(sorted(used.get(entity.id, ()))), "",
                             str(entity.location or ""), " | ".join(dict.fromkeys([entity.label, *entity.variants[:3]])),
                             entity.extra.get("qid_searched", "")])
    for cover in auth.of_kind("cover"):
        if not cover.extra.get("bearer"):
            writer.writerow(["bearer-unknown", "cover-name", cover.id, entity_iri("cover", cover.id), cover.label,
                             " | ".join(cover.names), " | ".join(sorted(used.get(cover.id, ()))), "",
                             str(cover.location or ""), cover.label, ""])
    return out.getvalue()


def authority_links_tsv(auth: Authorities, used: dict[str, list[str]]) -> str:
    """Every published Wikidata link, GeoNames link and pair of coordinates, with the evidence behind it.

    The graph states the links as identity and the evidence as provenance; this table is the
    same evidence for a curator's review, one link a row.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(LINK_COLUMNS)
    for kind in ("person", "group", "place", "event"):
        for entity in auth.of_kind(kind):
            iri = entity_iri(kind, entity.id)
            common = [kind, entity.id, iri, entity.label]
            tail = [str(len(used.get(entity.id, ()))), str(entity.location or "")]
            if entity.qid:
                writer.writerow([*common, "wikidata", entity.qid, entity.qid_evidence or "",
                                 entity.qid_evidence_note or "", *tail])
            if entity.geonames:
                writer.writerow([*common, "geonames", entity.geonames, entity.geo_evidence or "",
                                 entity.geo_evidence_note or "", *tail])
            if entity.coords:
                writer.writerow([*common, "coordinates", f"{entity.coords[0]} {entity.coords[1]}",
                                 entity.geo_evidence or "", entity.geo_evidence_note or "", *tail])
    return out.getvalue()
