"""What a historian reads on each page, gathered from the graph: plain dicts for the templates.

One function per kind of page (document, actor, cover name, place, event, type,
collection); each reads the graph through a few pattern lookups, never by
dumping triples. Lists of documents are always in date order (undated last): by the
first moment a date can mean, a month before its first day (:func:`cwgraph.web.when.chronological`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from cwgraph import __version__
from cwgraph.core.config import DATASET
from cwgraph.core.namespaces import PREFIXES, curie
from cwgraph.web.citation import Citation
from cwgraph.web.graph import ReleaseGraph
from cwgraph.web.when import chronological, humane_edtf, when

__all__ = ["Link", "Views", "humane_edtf"]


def _p(curie: str) -> ox.NamedNode:
    if curie.startswith(("http://", "https://")):  # a full IRI (e.g. wgs84, which has no prefix in the table)
        return ox.NamedNode(curie)
    prefix, local = curie.split(":", 1)
    return ox.NamedNode(PREFIXES[prefix] + local)


RDF_TYPE = _p("rdf:type")
KIND_LABELS = {
    "document": "Document", "person": "Person", "group": "Group", "actor": "Name awaiting identification",
    "place": "Place", "event": "Event", "name": "Cover name", "type": "Concept", "collection": "Collection",
    "language": "Language", "dataset": "Dataset description", "vocab": "Vocabulary",
}
ROLE_ORDER = {"sending": 0, "transmission": 1, "receipt": 2}


@dataclass(frozen=True, order=True)
class Link:
    """A labelled reference to a resource (ours or external)."""

    label: str
    iri: str
    kind: str = ""
    note: str = ""


@dataclass
class DocumentSummary:
    link: Link
    date_label: str | None
    edtf: str | None
    begin: str | None
    type_label: str | None
    senders: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    end: str | None = None

    @property
    def time(self) -> dict[str, str | None]:
        return {"label": self.date_label, "edtf": self.edtf, "begin": self.begin, "end": self.end}

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (*chronological(self.begin, self.end), self.link.label, self.link.iri)


class Views:
    """Page data for every kind of resource in a release."""

    def __init__(self, graph: ReleaseGraph):
        self.g = graph
        self.base = graph.base
        self._summaries: dict[str, DocumentSummary] = {}

    # --- graph access ----------------------------------------------------------------------

    def objects(self, s: str, p: str) -> list[ox.NamedNode | ox.Literal]:
        out = [q.object for q in self.g.store.quads_for_pattern(ox.NamedNode(s), _p(p), None, None)]
        return sorted(out, key=str)  # type: ignore[arg-type]

    def values(self, s: str, p: str) -> list[str]:
        return [o.value for o in self.objects(s, p)]

    def one(self, s: str, p: str) -> str | None:
        vals = self.values(s, p)
        return vals[0] if vals else None

    def subjects(self, p: str, o: str) -> list[str]:
        return sorted({q.subject.value for q in self.g.store.quads_for_pattern(None, _p(p), ox.NamedNode(o), None)})

    def kind(self, iri: str) -> str:
        if not iri.startswith(self.base):
            return "external"
        return iri[len(self.base):].split("/", 1)[0].split("#", 1)[0]

    def link(self, iri: str, note: str = "") -> Link:
        return Link(self.g.label(iri), iri, self.kind(iri), note)

    def links(self, iris: list[str]) -> list[Link]:
        return sorted((self.link(i) for i in set(iris)), key=lambda l: (l.label.casefold(), l.iri))

    def owner(self, iri: str) -> str:
        return self.g.owner_of(iri)

    def time(self, iri: str) -> dict[str, str | None] | None:
        """The time-span of an activity or event: label as printed, EDTF, bounds.

        A text (a treaty) has no time-span of its own: its dates are those of its creation,
        else of the signing that used it.
        """
        span = self.one(iri, "crm:P4_has_time-span")
        if span is None:
            for other in self.values(iri, "crm:P94i_was_created_by") + self.subjects("crm:P16_used_specific_object", iri):
                if other != iri and self.one(other, "crm:P4_has_time-span"):
                    return self.time(other)
            return None
        return {"label": self.one(span, "rdfs:label"), "edtf": self.one(span, "cw:edtf"),
                "begin": self.one(span, "crm:P82a_begin_of_the_begin"), "end": self.one(span, "crm:P82b_end_of_the_end")}

    def wikidata(self, iri: str) -> list[dict[str, str | None]]:
        """The entity's authority links (Wikidata, GeoNames) as identity, each with the
        evidence behind it (the reified statement's prov:wasDerivedFrom and comment) as provenance."""
        links: list[dict[str, str | None]] = []
        for match in self.values(iri, "skos:exactMatch") + self.values(iri, "skos:closeMatch"):
            if match.startswith(PREFIXES["wd"]):
                qid = match.rsplit("/", 1)[-1]
                links.append(self._link_with_evidence(iri, "wikidata", f"Wikidata {qid}",
                                                      f"https://www.wikidata.org/wiki/{qid}", qid=qid))
            elif match.startswith("https://sws.geonames.org/"):
                gid = match.rstrip("/").rsplit("/", 1)[-1]
                links.append(self._link_with_evidence(iri, "geonames", f"GeoNames {gid}",
                                                      f"https://www.geonames.org/{gid}/"))
        return links

    def coordinates(self, iri: str) -> list[dict[str, str | None]]:
        """A place's coordinates (wgs84), with the source that states them, or nothing."""
        lat, long = self.one(iri, "http://www.w3.org/2003/01/geo/wgs84_pos#lat"), \
            self.one(iri, "http://www.w3.org/2003/01/geo/wgs84_pos#long")
        if not (lat and long):
            return []
        return [self._link_with_evidence(iri, "coordinates", f"{lat}, {long}",
                                         f"https://www.openstreetmap.org/?mlat={lat}&mlon={long}#map=8/{lat}/{long}")]

    def _link_with_evidence(self, iri: str, slug: str, label: str, href: str, qid: str | None = None
                            ) -> dict[str, str | None]:
        statement = f"{iri}/evidence/{slug}"
        evidence = self.one(statement, "prov:wasDerivedFrom")
        if evidence is None and slug == "wikidata":
            evidence = self.one(iri, "cw:qidEvidence")
        return {"qid": qid, "label": label, "href": href, "evidence": evidence,
                "evidence_host": urlsplit(evidence).hostname if evidence else None,
                "evidence_note": self.one(statement, "rdfs:comment")}

    # --- documents -------------------------------------------------------------------------

    @cached_property
    def documents(self) -> list[str]:
        docs = self.subjects("rdf:type", PREFIXES["crm"] + "E31_Document")
        return [s.link.iri for s in sorted((self.summary(d) for d in docs), key=lambda s: s.sort_key)]

    def summary(self, doc: str) -> DocumentSummary:
        if doc not in self._summaries:
            date_label = None
            for act in self.values(doc, "crm:P70_documents") + self.values(doc, "crm:P94i_was_created_by"):
                span = self.time(act)
                if span and span["label"]:
                    date_label = span["label"]
                    break
            type_iri = self.one(doc, "crm:P2_has_type")
            label = self.one(doc, "dcterms:title") or self.g.label(doc)
            self._summaries[doc] = DocumentSummary(
                Link(label, doc, "document"), date_label, self.one(doc, "cw:edtf"), self.one(doc, "cw:dateBegin"),
                self.g.label(type_iri) if type_iri else self.one(doc, "dcterms:type"),
                [self.g.label(a) for a in self.values(doc, "cw:sender")],
                [self.g.label(a) for a in self.values(doc, "cw:recipient")],
                [self.g.label(a) for a in self.values(doc, "cw:participant")], self.one(doc, "cw:dateEnd"))
        return self._summaries[doc]

    def summaries(self, docs: list[str] | set[str]) -> list[DocumentSummary]:
        return sorted((self.summary(d) for d in set(docs)), key=lambda s: s.sort_key)

    def agents(self, activity: str) -> list[dict[str, Any]]:
        """Who carried out an activity, with the name as written and any cover name used."""
        out = []
        for node in self.subjects("crm:P01_has_domain", activity):
            actor = self.one(node, "crm:P02_has_range")
            if actor is None:
                continue
            cover = self.one(node, "cw:usedAppellation")
            role = self.one(node, "crm:P14.1_in_the_role_of")
            out.append({"actor": self.link(actor), "as_written": self.one(node, "cw:nameAsWritten"),
                        "cover": self.link(cover) if cover else None,
                        "cover_as_written": self.one(node, "cw:coverNameAsWritten"),
                        "role": self.g.label(role) if role else None, "node": node})
        known = {a["actor"].iri for a in out}
        for actor in self.values(activity, "crm:P14_carried_out_by"):
            if actor not in known:
                out.append({"actor": self.link(actor), "as_written": None, "cover": None, "cover_as_written": None,
                            "role": None, "node": None})
        return sorted(out, key=lambda a: (a["actor"].label.casefold(), a["actor"].iri))

    def document(self, doc: str) -> dict[str, Any]:
        summary = self.summary(doc)
        activities = []
        events_part_of: set[str] = set()
        for act in self.values(doc, "crm:P70_documents"):
            kind = self.g.label(self.one(act, "crm:P2_has_type") or "") or "activity"
            parts = []
            for part in self.values(act, "crm:P9_consists_of"):
                part_kind = part.rsplit("/", 1)[-1]
                parts.append({"kind": part_kind, "agents": self.agents(part), "anchor": self._anchor(part)})
            parts.sort(key=lambda p: ROLE_ORDER.get(p["kind"], 9))
            activities.append({
                "iri": act, "anchor": self._anchor(act), "kind": kind, "time": self.time(act),
                "places": self.links(self.values(act, "crm:P7_took_place_at")),
                "parts": parts, "agents": self.agents(act) if not parts else [],
            })
            events_part_of.update(self.subjects("crm:P9_consists_of", act))
        authors = []
        for creation in self.values(doc, "crm:P94i_was_created_by"):
            authors += [self.link(a) for a in self.values(creation, "crm:P14_carried_out_by")]
        translators = []
        for act in self.subjects("crm:P16_used_specific_object", doc):
            if act.startswith(doc + "/"):
                translators += [self.link(a) for a in self.values(act, "crm:P14_carried_out_by")]
        mentions: dict[str, list[Link]] = defaultdict(list)
        for iri in self.values(doc, "crm:P67_refers_to"):
            mentions[self.kind(iri)].append(self.link(iri))
        index = self.documents.index(doc) if doc in self.documents else -1
        return {
            "summary": summary, "iri": doc, "title": summary.link.label,
            "type": self.link(t) if (t := self.one(doc, "crm:P2_has_type")) else None,
            "record_id": self.one(doc, "cw:recordId"), "classification": self.values(doc, "cw:classification"),
            "telegram_numbers": self.values(doc, "cw:telegramNumber"),
            "note": self.one(doc, "crm:P3_has_note") or self.one(doc, "dcterms:description"),
            "citation": self.values(doc, "dcterms:source"), "pages": self.values(doc, "foaf:page"),
            "languages": self.links(self.values(doc, "crm:P72_has_language")),
            "activities": activities, "authors": sorted(set(authors)), "translators": sorted(set(translators)),
            "about": self.links(self.values(doc, "cw:about")),
            "part_of": self.links(sorted(events_part_of)),
            "signed_as": self.links(self.values(doc, "cw:signedAs")),
            "mentions": {k: sorted(v, key=lambda l: l.label.casefold()) for k, v in sorted(mentions.items())},
            "sources": self.values(doc, "cw:sourceRecord"),
            "previous": self.summary(self.documents[index - 1]) if index > 0 else None,
            "next": self.summary(self.documents[index + 1]) if 0 <= index < len(self.documents) - 1 else None,
            "collection": self.link(c) if (c := self.one(doc, "dcterms:isPartOf")) else None,
        }

    def citation(self, iri: str) -> Citation:
        """How to cite a resource: a document as the archive cites it, anything else as an entry of the dataset."""
        path = iri[len(self.base):] if iri.startswith(self.base) else iri
        if self.kind(iri) == "document" and self.owner(iri) == iri:
            s = self.summary(iri)
            authors = [self.g.label(a) for c in self.values(iri, "crm:P94i_was_created_by")
                       for a in self.values(c, "crm:P14_carried_out_by")] or list(s.senders)
            translators = [self.g.label(a) for act in self.subjects("crm:P16_used_specific_object", iri)
                           if act.startswith(iri + "/") for a in self.values(act, "crm:P14_carried_out_by")]
            pages = self.values(iri, "foaf:page")
            named = [u for u in pages if not u.rstrip("/").rsplit("/", 1)[-1].isdigit()]
            parts = [int(x) for x in (s.edtf or "").split("-")] if re.fullmatch(r"\d{4}(-\d{2}){0,2}", s.edtf or "") else []
            shown = when(s.time)
            return Citation("document", self.one(iri, "cw:recordId") or path.split("/", 1)[-1], s.link.label, iri,
                            url=(named or pages or [None])[0], date_text=shown["text"] if shown else None,
                            date_parts=parts, source=self.one(iri, "dcterms:source"), authors=sorted(set(authors)),
                            translators=sorted(set(translators)), doc_type=s.type_label)
        if iri in self.g.dataset_iris:
            issued = self.one(iri, "dcterms:issued") or DATASET.issued
            return Citation("dataset", path.replace("/", "-"), self.one(iri, "dcterms:title") or self.g.label(iri), iri,
                            date_parts=[int(x) for x in issued.split("-")[:3]],
                            version=self.one(iri, "owl:versionInfo") or __version__, publisher=DATASET.publisher)
        return Citation("entry", path.replace("/", "-"), self.g.label(iri), iri, dataset=DATASET.title,
                        version=__version__, publisher=DATASET.publisher)

    def _anchor(self, iri: str) -> str:
        owner = self.owner(iri)
        return iri[len(owner) + 1:].replace("/", "-") if iri != owner else ""

    # --- actors (persons, groups, names awaiting identification) ----------------------------

    def actor(self, iri: str) -> dict[str, Any]:
        roles: dict[str, set[str]] = defaultdict(set)
        for role in ("sender", "recipient", "intermediary", "participant", "author"):
            for doc in self.subjects(f"cw:{role}", iri):
                roles[doc].add(role)
        for doc in self.subjects("crm:P67_refers_to", iri):
            roles[doc].add("mentioned")
        as_written: dict[str, set[str]] = defaultdict(set)
        covers_used: dict[str, set[str]] = defaultdict(set)
        all_written: Counter[str] = Counter()
        for node in self.subjects("crm:P02_has_range", iri):
            doc = self.owner(node)
            for name in self.values(node, "cw:nameAsWritten"):
                as_written[doc].add(name)
                all_written[name] += 1
            for cover in self.values(node, "cw:usedAppellation"):
                covers_used[doc].add(self.g.label(cover))
        timeline = []
        for s in self.summaries(list(roles)):
            doc = s.link.iri
            timeline.append({"doc": s, "roles": sorted(roles[doc], key=_role_order),
                             "as_written": sorted(as_written.get(doc, ())), "covers": sorted(covers_used.get(doc, ()))})
        sent_to: Counter[str] = Counter()
        received_from: Counter[str] = Counter()
        for doc, rs in roles.items():
            if "sender" in rs:
                sent_to.update(self.values(doc, "cw:recipient"))
            if "recipient" in rs:
                received_from.update(self.values(doc, "cw:sender"))
        correspondents = [{"link": self.link(o), "sent": sent_to[o], "received": received_from[o]}
                          for o in set(sent_to) | set(received_from) if o != iri]
        correspondents.sort(key=lambda c: (-(c["sent"] + c["received"]), c["link"].label.casefold()))
        cover_names = []
        for name in self.values(iri, "crm:P1_is_identified_by"):
            if self.kind(name) == "name":
                cover_names.append(self.cover_name(name, brief=True))
        events = self.links(self.subjects("crm:P14_carried_out_by", iri) + self.subjects("crm:P11_had_participant", iri))
        events = [e for e in events if e.kind == "event"]
        return {
            "iri": iri, "label": self.g.label(iri), "kind": self.kind(iri),
            "kind_label": KIND_LABELS.get(self.kind(iri), "Actor"),
            "note": self.one(iri, "crm:P3_has_note"), "wikidata": self.wikidata(iri),
            "alt_labels": self.values(iri, "skos:altLabel"),
            "as_written": sorted(all_written), "cover_names": cover_names,
            "correspondents": correspondents, "timeline": timeline, "events": events,
            "awaiting": self.one(iri, "cw:awaitingReconciliation") == "true",
            "sources": self.values(iri, "cw:sourceRecord"),
            "contributed": [{"role": role, "docs": self.summaries(docs)} for role, docs in self.contributed(iri).items()],
            "counts": sorted(Counter(r for rs in roles.values() for r in rs).items(), key=lambda kv: _role_order(kv[0])),
        }

    # --- cover names -----------------------------------------------------------------------

    def cover_name(self, iri: str, *, brief: bool = False) -> dict[str, Any]:
        assignments = self.subjects("crm:P141_assigned", iri)
        assignment = assignments[0] if assignments else None
        bearer = self.one(assignment, "crm:P140_assigned_attribute_to") if assignment else None
        attested = self.values(assignment, "crm:P16_used_specific_object") if assignment else []
        view: dict[str, Any] = {
            "iri": iri, "link": self.link(iri), "label": self.g.label(iri),
            "bearer": self.link(bearer) if bearer else None,
            "bearer_known": bool(bearer) and self.kind(bearer) != "actor",
            "period": self.time(assignment) if assignment else None,
            "certainty": self.one(assignment, "cw:certainty") if assignment else None,
            "evidence": self.values(assignment, "cw:evidence") if assignment else [],
            "evidence_note": self.one(assignment, "dcterms:bibliographicCitation") if assignment else None,
            "note": self.one(assignment, "crm:P3_has_note") if assignment else None,
            "documents_count": len(attested),
        }
        if brief:
            return view
        uses = []
        for node in self.subjects("cw:usedAppellation", iri):
            doc = self.owner(node)
            actor = self.one(node, "crm:P02_has_range")
            role = self.one(node, "crm:P14.1_in_the_role_of")
            uses.append({"doc": self.summary(doc), "actor": self.link(actor) if actor else None,
                         "role": self.g.label(role) if role else None,
                         "as_written": self.one(node, "cw:nameAsWritten")})
        uses.sort(key=lambda u: (u["doc"].sort_key, u["role"] or ""))
        name_type = self.one(iri, "crm:P2_has_type")
        view.update({
            "alt_labels": self.values(iri, "skos:altLabel"),
            "type": self.link(name_type) if name_type else None,
            "type_matches": self.values(name_type, "skos:exactMatch") if name_type else [],
            "attested": self.summaries(attested), "uses": uses,
            "mentioned": self.summaries([d for d in self.subjects("crm:P67_refers_to", iri) if d not in attested]),
            "sources": self.values(iri, "cw:sourceRecord"),
        })
        return view

    # --- places ----------------------------------------------------------------------------

    def place(self, iri: str) -> dict[str, Any]:
        at = self.subjects("crm:P7_took_place_at", iri)
        events = [e for e in at if self.kind(e) == "event"]
        held_here = [self.owner(a) for a in at if self.kind(a) == "document"]
        mentioned = set(self.subjects("crm:P67_refers_to", iri)) | set(self.subjects("dcterms:spatial", iri))
        mentioned = {d for d in mentioned if self.kind(d) == "document"} - set(held_here)
        return {
            "iri": iri, "label": self.g.label(iri), "note": self.one(iri, "crm:P3_has_note"),
            "wikidata": self.wikidata(iri), "alt_labels": self.values(iri, "skos:altLabel"),
            "coordinates": self.coordinates(iri),
            "awaiting": self.one(iri, "cw:awaitingReconciliation") == "true",
            "events": self.event_list(events), "held_here": self.summaries(held_here),
            "mentioned": self.summaries(mentioned), "sources": self.values(iri, "cw:sourceRecord"),
            "within": self.links(self.values(iri, "crm:P89_falls_within")),
            "contains": self.links(self.subjects("crm:P89_falls_within", iri)),
        }

    # --- events ----------------------------------------------------------------------------

    def event_list(self, events: list[str]) -> list[dict[str, Any]]:
        out = [{"link": self.link(e), "time": self.time(e)} for e in set(events)]
        return sorted(out, key=lambda e: (*chronological((e["time"] or {}).get("begin"), (e["time"] or {}).get("end")),
                                          e["link"].label))

    def meetings(self, activity: str) -> list[dict[str, Any]]:
        """The parts of an event that documents record (conversations), in date order."""
        out = []
        for part in self.values(activity, "crm:P9_consists_of"):
            docs = self.subjects("crm:P70_documents", part)
            for doc in docs:
                out.append({"doc": self.summary(doc), "time": self.time(part),
                            "agents": self.agents(part)})
        return sorted(out, key=lambda m: m["doc"].sort_key)

    def event(self, iri: str) -> dict[str, Any]:
        kind_iri = self.one(iri, "crm:P2_has_type")
        parts = self.values(iri, "crm:P9_consists_of")
        sub_events = [p for p in parts if self.kind(p) == "event"]
        signings = self.subjects("crm:P16_used_specific_object", iri)  # a treaty: the signing that used it
        negotiations = [n for s in signings for n in self.subjects("crm:P20_had_specific_purpose", s)]
        purposes = self.values(iri, "crm:P20_had_specific_purpose")
        chain = []
        for negotiation in sorted(set(negotiations)):
            chain.append({"link": self.link(negotiation), "time": self.time(negotiation),
                          "meetings": self.meetings(negotiation)})
        about = self.subjects("cw:about", iri)
        mentioned = [d for d in self.subjects("crm:P67_refers_to", iri) if self.kind(d) == "document" and d not in about]
        creation = self.one(iri, "crm:P94i_was_created_by")
        return {
            "iri": iri, "label": self.g.label(iri), "note": self.one(iri, "crm:P3_has_note"),
            "kind": self.link(kind_iri) if kind_iri else None,
            "is_text": PREFIXES["crm"] + "E33_Linguistic_Object" in self.g.types(iri),
            "time": self.time(iri), "creation": creation,
            "places": self.links(self.values(iri, "crm:P7_took_place_at")
                                 + (self.values(creation, "crm:P7_took_place_at") if creation else [])),
            "participants": self.links(self.values(iri, "crm:P14_carried_out_by")
                                       + self.values(iri, "crm:P11_had_participant")),
            "wikidata": self.wikidata(iri), "alt_labels": self.values(iri, "skos:altLabel"),
            "part_of": self.event_list(self.subjects("crm:P9_consists_of", iri)),
            "sub_events": self.event_list(sub_events),
            "meetings": self.meetings(iri),
            "purposes": self.event_list(purposes),
            "pursued_by": self.event_list(self.subjects("crm:P20_had_specific_purpose", iri)),
            "used": self.event_list(self.values(iri, "crm:P16_used_specific_object")),
            "signed_in": self.event_list(signings), "negotiations": chain,
            "about": self.summaries(about), "mentioned": self.summaries(mentioned),
            "sources": self.values(iri, "cw:sourceRecord"),
        }

    # --- concepts, the collection, anything else --------------------------------------------

    def concept(self, iri: str) -> dict[str, Any]:
        users = self.subjects("crm:P2_has_type", iri) + self.subjects("crm:P14.1_in_the_role_of", iri)
        owners = {self.owner(u) for u in users}
        docs = [o for o in owners if self.kind(o) == "document"]
        others = [o for o in owners if self.kind(o) != "document"]
        return {
            "iri": iri, "label": self.g.label(iri), "note": self.one(iri, "skos:definition") or self.one(iri, "crm:P3_has_note"),
            "scheme": self.link(s) if (s := self.one(iri, "skos:inScheme")) else None,
            "matches": self.values(iri, "skos:exactMatch"),
            "broader": self.links(self.values(iri, "skos:broader")),
            "members": self.links(self.subjects("skos:inScheme", iri)),
            "documents": self.summaries(docs), "others": self.links(others),
        }

    def collection(self, iri: str) -> dict[str, Any]:
        by_year: dict[str, list[DocumentSummary]] = defaultdict(list)
        for doc in self.documents:
            s = self.summary(doc)
            by_year[(s.begin or "undated")[:4] if s.begin else "undated"].append(s)
        persons = [p for p in self._counted("E21_Person") if p["count"]]
        groups = [g for g in self._counted("E74_Group") if g["count"]]
        covers = [self.cover_name(n, brief=True) for n in self.subjects("crm:P2_has_type", self.base + "type/cover-name")]
        covers.sort(key=lambda c: c["label"].casefold())
        events = self.event_list([e for e in self.g.iris if self.kind(e) == "event" and self.owner(e) == e])
        places = self._counted("E53_Place")
        return {
            "iri": iri, "label": self.g.label(iri), "description": self.one(iri, "dcterms:description"),
            "license": self.one(iri, "dcterms:license"), "source": self.one(iri, "dcterms:source"),
            "homepage": self.one(iri, "foaf:homepage"), "version": self.one(iri, "owl:versionInfo"),
            "triples": self.one(iri, "void:triples"),
            "by_year": sorted(by_year.items()), "documents_count": len(self.documents),
            "persons": persons, "groups": groups, "cover_names": covers, "events": events,
            "contributors": self.contributors(),
            "places": [p for p in places if p["count"]],
        }

    def contributed(self, actor: str) -> dict[str, list[str]]:
        """What an actor did for the records rather than in history: translated, contributed (document IRIs)."""
        work: dict[str, set[str]] = defaultdict(set)
        for act in self.subjects("crm:P14_carried_out_by", actor):
            doc = self.owner(act)
            if doc != act and self.kind(doc) == "document" and act.endswith("/translation"):
                work["translated"].add(doc)
        for doc in self.subjects("dcterms:contributor", actor):
            if doc not in work["translated"]:
                work["contributed to"].add(doc)
        for doc in self.subjects("dcterms:publisher", actor):
            work["published"].add(doc)
        return {role: sorted(docs) for role, docs in sorted(work.items()) if docs}

    def contributors(self) -> list[dict[str, Any]]:
        """The people and groups who translated, edited or published the records, with what they did."""
        actors = set(self.subjects("rdf:type", PREFIXES["crm"] + "E21_Person"))
        actors |= set(self.subjects("rdf:type", PREFIXES["crm"] + "E74_Group"))
        out = []
        for actor in actors:
            if self.owner(actor) != actor:
                continue
            work = self.contributed(actor)
            if work:
                summary = "; ".join(f"{role} {len(docs)} document{'s' if len(docs) != 1 else ''}"
                                    for role, docs in work.items())
                out.append({"link": self.link(actor), "work": summary,
                            "count": len({d for docs in work.values() for d in docs})})
        return sorted(out, key=lambda x: (-x["count"], x["link"].label.casefold()))

    def _counted(self, cls: str) -> list[dict[str, Any]]:
        out = []
        for iri in self.subjects("rdf:type", PREFIXES["crm"] + cls):
            if self.owner(iri) != iri:
                continue
            docs = {d for p in ("cw:sender", "cw:recipient", "cw:intermediary", "cw:participant", "cw:author",
                                "crm:P67_refers_to", "dcterms:spatial") for d in self.subjects(p, iri)}
            out.append({"link": self.link(iri), "count": len(docs)})
        return sorted(out, key=lambda x: (-x["count"], x["link"].label.casefold()))

    def vocabulary(self, iri: str) -> dict[str, Any]:
        """Our vocabulary: its description and every term, anchored by its local name."""
        graph = ox.NamedNode(iri)
        terms: dict[str, dict[str, Any]] = {}
        for q in self.g.store.quads_for_pattern(None, None, None, graph):
            s = q.subject.value
            if not s.startswith(iri + "#"):
                continue
            term = terms.setdefault(s, {"iri": s, "name": s.split("#", 1)[1], "label": "", "comment": "",
                                        "super": [], "types": []})
            p = q.predicate.value
            if p == PREFIXES["rdfs"] + "label":
                term["label"] = q.object.value
            elif p == PREFIXES["rdfs"] + "comment":
                term["comment"] = q.object.value
            elif p == PREFIXES["rdfs"] + "subPropertyOf":
                term["super"].append(_curie(q.object.value))
            elif p == RDF_TYPE.value:
                term["types"].append(_curie(q.object.value))
        return {"iri": iri, "label": self.one(iri, "dcterms:title") or self.g.label(iri),
                "description": self.one(iri, "dcterms:description"),
                "terms": sorted(terms.values(), key=lambda t: t["name"].casefold())}

    def generic(self, iri: str) -> dict[str, Any]:
        rows: dict[str, list[Any]] = defaultdict(list)
        for q in self.g.store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            if q.predicate == RDF_TYPE:
                continue
            prop = _curie(q.predicate.value)
            rows[prop].append(self.link(q.object.value) if isinstance(q.object, ox.NamedNode) else q.object.value)
        fragments = sorted({v.iri for vals in rows.values() for v in vals
                            if isinstance(v, Link) and v.iri.startswith(iri + "#")})
        return {"iri": iri, "label": self.g.label(iri), "types": [_curie(t) for t in sorted(self.g.types(iri))],
                "rows": sorted((k, sorted(v, key=str)) for k, v in rows.items()),
                "fragments": [{"id": f.split("#", 1)[1], **self.generic(f)} for f in fragments],
                "links_here": self.links([self.owner(s) for s in
                                          {q.subject.value for q in self.g.store.quads_for_pattern(
                                              None, None, ox.NamedNode(iri), None)}])[:200]}


def _curie(iri: str) -> str:
    return curie(iri) or iri


def _role_order(role: str) -> int:
    return ["sender", "author", "intermediary", "recipient", "participant", "mentioned"].index(role)
