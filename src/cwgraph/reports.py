"""Reports for curators: rejected records, and entities awaiting reconciliation."""

from __future__ import annotations

import csv
import io
import json

from cwgraph.authorities import Authorities
from cwgraph.ids import document_iri, entity_iri
from cwgraph.records import Reject
from cwgraph.resolve import LOCAL_IRI_KIND, LocalRegistry

__all__ = ["rejects_jsonl", "reconciliation_tsv"]

RECONCILIATION_COLUMNS = ["status", "kind", "id", "iri", "label", "names_as_written", "documents", "roles",
                          "sources", "search"]


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
                         " | ".join(dict.fromkeys(names))])
    for kind in ("person", "group", "place", "event"):
        for entity in auth.of_kind(kind):
            if entity.qid:
                continue
            iri = entity_iri(kind, entity.id)
            writer.writerow(["no-wikidata-link", kind, entity.id, iri, entity.label, " | ".join(entity.names),
                             " | ".join(sorted(used.get(entity.id, ()))), "",
                             str(entity.location or ""), " | ".join(dict.fromkeys([entity.label, *entity.variants[:3]]))])
    for cover in auth.of_kind("cover"):
        if not cover.extra.get("bearer"):
            writer.writerow(["bearer-unknown", "cover-name", cover.id, entity_iri("cover", cover.id), cover.label,
                             " | ".join(cover.names), " | ".join(sorted(used.get(cover.id, ()))), "",
                             str(cover.location or ""), cover.label])
    return out.getvalue()
