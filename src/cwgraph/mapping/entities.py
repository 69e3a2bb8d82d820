"""Authority entities, cover names, events, locally minted entities and type concepts."""

from __future__ import annotations

from collections.abc import Iterable

from cwgraph.core.ids import document_iri, entity_iri, type_iri, wikidata
from cwgraph.core.terms import XSD_STRING, Term, literal
from cwgraph.interpreting.dates import DateReading
from cwgraph.interpreting.doctypes import document_types
from cwgraph.mapping.documents import ROLE_LABELS
from cwgraph.mapping.graph import Triples, term
from cwgraph.resolving.authorities import Authorities, Entity
from cwgraph.resolving.resolve import LOCAL_CLASS, LOCAL_IRI_KIND, LocalEntity, LocalRegistry, Resolved

__all__ = ["attestation", "conversation_part", "local_types", "map_cover_names", "map_entities", "map_events",
           "map_local_sources", "map_locals", "map_types", "meetings_of"]

_CLASS = {"person": "crm:E21_Person", "group": "crm:E74_Group", "place": "crm:E53_Place"}
_ACTIVITY_KINDS = {"negotiation", "signing", "visit", "mission", "meeting", "conference", "celebration"}
_EVENT_TYPE_LABELS = {
    "treaty": "treaty", "negotiation": "negotiation", "signing": "signing", "visit": "visit",
    "mission": "mission", "meeting": "meeting", "war": "war", "celebration": "celebration",
    "conference": "conference", "other": "event",
}
AAT_PSEUDONYM = "http://vocab.getty.edu/aat/300404657"
GEONAMES = "https://sws.geonames.org/"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
XSD_DECIMAL = XSD_STRING.replace("#string", "#decimal")


def _naming(g: Triples, iri: str, entity: Entity) -> None:
    g.add(iri, "rdfs:label", entity.label)
    g.add(iri, "skos:prefLabel", entity.label)
    for variant in sorted(set(entity.variants)):
        g.add(iri, "skos:altLabel", variant)
    name = f"{iri}/name"
    g.iri(iri, "crm:P1_is_identified_by", name)
    g.a(name, "crm:E33_E41_Linguistic_Appellation")
    g.add(name, "crm:P190_has_symbolic_content", entity.label)
    g.typed(name, "preferred-name", "preferred name")
    _authority_links(g, iri, entity)
    g.add(iri, "crm:P3_has_note", entity.description)
    if entity.location:
        g.add(iri, "cw:sourceRecord", str(entity.location))


def geonames_iri(geonames_id: str) -> str:
    return f"{GEONAMES}{geonames_id}/"


def _authority_links(g: Triples, iri: str, entity: Entity) -> None:
    """The Wikidata and GeoNames links and the coordinates as identity; their evidence as provenance.

    The link itself is a plain triple on the entity (``skos:exactMatch`` to Wikidata, ``skos:closeMatch`` to
    GeoNames, ``wgs84:lat``/``wgs84:long``/``wgs84:lat_long`` for the coordinates);
    the source that states it is recorded on a reified statement of that triple (``rdf:Statement``, a PROV entity)
    ``prov:wasDerivedFrom`` the evidence URL, with what the source says as its comment.
    ``cw:qidEvidence`` and ``cw:geoEvidence`` on the entity are shortcuts to the same URLs.
    """
    if entity.qid and entity.qid_evidence:
        wd = wikidata(entity.qid)
        g.iri(iri, "skos:exactMatch", wd)
        g.iri(iri, "cw:qidEvidence", entity.qid_evidence)
        _evidence(g, iri, "wikidata", "skos:exactMatch", ("I", wd), entity.qid_evidence, entity.qid_evidence_note,
                  f"Wikidata link of {entity.label}")
    if not entity.geo_evidence:
        return
    g.iri(iri, "cw:geoEvidence", entity.geo_evidence)
    if entity.geonames:
        gn = geonames_iri(entity.geonames)
        # skos:closeMatch, not exactMatch: exactMatch is this entity's one Wikidata identity (shapes/actors.ttl),
        # and a GeoNames feature is a present-day gazetteer entry for the place, not a second identity
        g.iri(iri, "skos:closeMatch", gn)
        _evidence(g, iri, "geonames", "skos:closeMatch", ("I", gn), entity.geo_evidence, entity.geo_evidence_note,
                  f"GeoNames link of {entity.label}")
    if entity.coords:
        lat, long = entity.coords
        pair = literal(f"{_decimal(lat)},{_decimal(long)}")
        g.add(iri, WGS84 + "lat", literal(_decimal(lat), XSD_DECIMAL))
        g.add(iri, WGS84 + "long", literal(_decimal(long), XSD_DECIMAL))
        g.add(iri, WGS84 + "lat_long", pair)
        _evidence(g, iri, "coordinates", WGS84 + "lat_long", pair, entity.geo_evidence,
                  entity.geo_evidence_note, f"coordinates of {entity.label}")


def _decimal(value: float) -> str:
    text = f"{value:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _evidence(g: Triples, iri: str, slug: str, predicate: str, obj: tuple, url: str, note: str | None,
              label: str) -> None:
    statement = f"{iri}/evidence/{slug}"
    g.a(statement, "rdf:Statement")
    g.add(statement, "rdfs:label", f"Evidence for the {label}")
    g.iri(statement, "rdf:subject", iri)
    g.add(statement, "rdf:predicate", ("I", predicate if predicate.startswith("http") else term(predicate)))
    g.add(statement, "rdf:object", obj)
    g.iri(statement, "prov:wasDerivedFrom", url)
    g.add(statement, "rdfs:comment", note)


def map_entities(g: Triples, auth: Authorities) -> None:
    """Persons, groups and places of the authority files."""
    for kind, cls in _CLASS.items():
        for entity in auth.of_kind(kind):
            iri = entity_iri(kind, entity.id)
            g.a(iri, cls)
            _naming(g, iri, entity)
            within = entity.extra.get("within")
            if kind == "place" and within:
                g.iri(iri, "crm:P89_falls_within", entity_iri("place", within))


def _span(entity: Entity) -> DateReading | None:
    return entity.span("begin", "end")


def map_cover_names(g: Triples, auth: Authorities, attested: dict[str, set[str]]) -> None:
    """Cover names as typed appellations, each with the attribute assignment carrying its evidence."""
    g.types_used["cover-name"] = "cover name"
    for cover in auth.of_kind("cover"):
        iri = entity_iri("cover", cover.id)
        g.a(iri, "crm:E33_E41_Linguistic_Appellation")
        g.add(iri, "crm:P190_has_symbolic_content", cover.label)
        g.add(iri, "rdfs:label", cover.label)
        for variant in sorted(set(cover.variants)):
            g.add(iri, "skos:altLabel", variant)
        g.typed(iri, "cover-name", "cover name")
        if cover.location:
            g.add(iri, "cw:sourceRecord", str(cover.location))
        bearer = cover.extra.get("bearer")
        bearer_iri = entity_iri("person", bearer) if bearer else entity_iri("actor", f"cover-{cover.id}")
        if bearer:
            g.iri(bearer_iri, "crm:P1_is_identified_by", iri)
        else:
            g.a(bearer_iri, "crm:E39_Actor")
            g.add(bearer_iri, "rdfs:label", f"{cover.label} (bearer unknown)")
            g.add(bearer_iri, "crm:P3_has_note", f"The unidentified person who used the cover name {cover.label}.")
            g.iri(bearer_iri, "crm:P1_is_identified_by", iri)
            g.add(bearer_iri, "cw:awaitingReconciliation", True)
            if cover.location:
                g.add(bearer_iri, "cw:sourceRecord", str(cover.location))
        assignment = f"{iri}/assignment"
        g.a(assignment, "crm:E13_Attribute_Assignment")
        g.typed(assignment, "cover-name-attribution", "cover name attribution")
        g.add(assignment, "rdfs:label", f"{cover.label} attributed as a cover name")
        g.iri(assignment, "crm:P141_assigned", iri)
        g.iri(assignment, "crm:P140_assigned_attribute_to", bearer_iri)
        for doc in sorted(attested.get(cover.id, ())):
            attestation(g, cover.id, doc)
        g.timespan(assignment, _span(cover))
        g.iri(assignment, "cw:evidence", cover.extra.get("evidence_url"))
        g.add(assignment, "dcterms:bibliographicCitation", cover.extra.get("evidence_note"))
        g.add(assignment, "cw:certainty", cover.extra.get("certainty"))
        g.add(assignment, "crm:P3_has_note", cover.extra.get("used"))


def map_events(g: Triples, auth: Authorities, meetings: list[tuple[str, str]]) -> None:
    """Named events, their parts, and the conversations that belong to them
    (``meetings``: (event id, document IRI) pairs from :func:`meetings_of`)."""
    events = auth.of_kind("event")
    ids = {e.id for e in events}
    for event in events:
        iri = entity_iri("event", event.id)
        kind = event.extra.get("kind", "other")
        if kind == "treaty":
            g.a(iri, "crm:E33_Linguistic_Object")
        elif kind in _ACTIVITY_KINDS:
            g.a(iri, "crm:E7_Activity")
        else:
            g.a(iri, "crm:E5_Event")
        g.typed(iri, f"event/{kind}", _EVENT_TYPE_LABELS.get(kind, kind))
        _naming(g, iri, event)
        if kind == "treaty" and f"{event.id}-signing" not in ids and _span(event) is not None:
            # a text has no time-span of its own (CRM): its dates are those of its creation,
            # the conclusion the authority file dates and places (a separate signing event dates it otherwise)
            creation = f"{iri}/creation"
            g.iri(iri, "crm:P94i_was_created_by", creation)
            g.a(creation, "crm:E65_Creation")
            g.timespan(creation, _span(event))
            g.iri(creation, "crm:P7_took_place_at",
                  entity_iri("place", event.extra["place"]) if event.extra.get("place") else None)
        if kind != "treaty":
            g.timespan(iri, _span(event))
            g.iri(iri, "crm:P7_took_place_at", entity_iri("place", event.extra["place"]) if event.extra.get("place") else None)
            prop = "crm:P14_carried_out_by" if kind in _ACTIVITY_KINDS else "crm:P11_had_participant"
            for pid in [p.strip() for p in event.extra.get("participants", "").split(";") if p.strip()]:
                target = auth.get(pid)
                if target is not None and target.kind in ("person", "group"):
                    g.iri(iri, prop, entity_iri(target.kind, pid))
        parent = event.extra.get("part_of")
        if parent and kind != "treaty" and auth.get(parent) and auth.get(parent).extra.get("kind") != "treaty":  # type: ignore[union-attr]
            g.iri(entity_iri("event", parent), "crm:P9_consists_of", iri)
        if kind == "negotiation" and event.id.endswith("-negotiation"):
            stem = event.id[: -len("-negotiation")]
            if f"{stem}-signing" in ids:
                g.iri(iri, "crm:P20_had_specific_purpose", entity_iri("event", f"{stem}-signing"))
        if kind == "signing" and event.id.endswith("-signing"):
            stem = event.id[: -len("-signing")]
            if stem in ids:
                g.iri(iri, "crm:P16_used_specific_object", entity_iri("event", stem))
    for event_id, doc in meetings:
        conversation_part(g, event_id, doc)


def attestation(g: Triples, cover_id: str, doc: str) -> None:
    """The document ``doc`` attests the cover name: an object its attribution used."""
    g.iri(f"{entity_iri('cover', cover_id)}/assignment", "crm:P16_used_specific_object", doc)


def conversation_part(g: Triples, event_id: str, doc: str) -> None:
    """The conversation ``doc`` records was part of the event (see :func:`meetings_of`)."""
    g.iri(entity_iri("event", event_id), "crm:P9_consists_of", f"{doc}/conversation")


def _meeting_events(auth: Authorities) -> list[tuple[Entity, str, DateReading, frozenset[str]]]:
    """The negotiations, visits and missions with a period, each with its participants: read
    once per set of authorities (every conversation is checked against them)."""
    cached = auth.__dict__.get("_meeting_events")
    if cached is not None and cached[0] == len(auth.entities):
        return cached[1]
    events = []
    for event in auth.of_kind("event"):
        kind = event.extra.get("kind", "")
        span = _span(event) if kind in ("negotiation", "visit", "mission") else None
        if span is not None:
            members = frozenset(p.strip() for p in event.extra.get("participants", "").split(";") if p.strip())
            events.append((event, kind, span, members))
    auth.__dict__["_meeting_events"] = (len(auth.entities), events)
    return events


def meetings_of(g: Triples, auth: Authorities, res: Resolved) -> list[tuple[str, str]]:
    """A conversation documented in the collection is a part of a negotiation or a visit when it
    falls within it and the document names the negotiated treaty, or the visitor took part.
    Emits the document's side (it is about the event); returns (event id, document IRI) pairs."""
    participants = {a.entity_id for a in res.by_role("participant")}
    when = res.event_date or res.date
    if not participants or not when.is_dated:
        return []
    found = []
    for event, kind, span, members in _meeting_events(auth):
        if not (span.begin <= when.begin and when.end <= span.end):  # type: ignore[operator]
            continue
        if kind == "negotiation":
            stem = event.id.rsplit("-negotiation", 1)[0]
            belongs = stem in res.mentions or event.id in res.mentions or stem in res.events
        else:
            belongs = bool(members & participants)
        if belongs:
            doc = document_iri(res.record.key or "")
            event_iri = entity_iri("event", event.id)
            # the memorandum of a meeting is about the negotiation or visit the meeting was part of
            g.iri(doc, "crm:P67_refers_to", event_iri)
            g.iri(doc, "cw:about", event_iri)
            g.iri(doc, "dcterms:subject", event_iri)
            found.append((event.id, doc))
    return found


def local_types(entities: Iterable[LocalEntity]) -> dict[Term, set[str]]:
    """The class of each minted name, by its IRI term: what a chunk's validation needs to know of
    the names it minted (their own triples come later, outside the chunk)."""
    return {("I", entity_iri(LOCAL_IRI_KIND[e.kind], e.id)): {term(LOCAL_CLASS[e.kind])} for e in entities}


def map_locals(g: Triples, local: LocalRegistry) -> None:
    """Names no authority knows: minted, labelled as written, flagged for reconciliation."""
    for kind, iri_kind in LOCAL_IRI_KIND.items():
        for entity in local.of_kind(kind):
            _map_local(g, entity_iri(iri_kind, entity.id), LOCAL_CLASS[kind], entity)


def _map_local(g: Triples, iri: str, cls: str, entity: LocalEntity) -> None:
    g.a(iri, cls)
    g.add(iri, "rdfs:label", entity.label)
    for written in sorted(entity.written - {entity.label}):
        g.add(iri, "skos:altLabel", written)
    g.add(iri, "cw:awaitingReconciliation", True)


def map_local_sources(g: Triples, local: LocalRegistry) -> None:
    """Every line a minted name was read from (``cw:sourceRecord``): edges that grow with the
    documents, so a build emits them chunk by chunk (:mod:`cwgraph.building.outside`), not with the name."""
    for entity in local.entities.values():
        iri = entity_iri(LOCAL_IRI_KIND[entity.kind], entity.id)
        for source in sorted(entity.sources):
            g.add(iri, "cw:sourceRecord", source)


_LANGUAGE_LABELS = {"ru": "Russian", "zh": "Chinese", "en": "English", "ko": "Korean", "mn": "Mongolian",
                    "de": "German", "fr": "French", "ja": "Japanese", "pl": "Polish", "cs": "Czech"}


def register_all_types(g: Triples) -> None:
    """Every type concept the mapping can use, so that the type graph does not depend on the records."""

    for t in document_types():
        g.types_used.setdefault(t.slug, t.label)
    for role, label in ROLE_LABELS.items():
        g.types_used.setdefault(f"role/{role}", label)
    for slug, label in (("communication", "communication"), ("sending", "sending"), ("transmission", "transmission"),
                        ("receipt", "receipt"), ("conversation", "conversation"), ("exchange", "exchange of notes"),
                        ("translation", "translation"), ("conveyed-message", "conveyed message"), ("wcda-record-id", "Wilson Center Digital Archive Record ID"),
                        ("preferred-name", "preferred name"), ("cover-name", "cover name"),
                        ("cover-name-attribution", "cover name attribution")):
        g.types_used.setdefault(slug, label)
    for kind, label in _EVENT_TYPE_LABELS.items():
        g.types_used.setdefault(f"event/{kind}", label)


def map_types(g: Triples, languages: set[str]) -> None:
    """Every type concept, and the languages."""
    register_all_types(g)
    languages = set(languages) | set(_LANGUAGE_LABELS)
    scheme = type_iri("scheme")
    g.a(scheme, "skos:ConceptScheme")
    g.add(scheme, "rdfs:label", "cwgraph types")
    g.add(scheme, "skos:prefLabel", "cwgraph types")
    for slug, label in sorted(g.types_used.items()):
        iri = type_iri(slug)
        g.a(iri, "skos:Concept", "crm:E55_Type")
        g.lang(iri, "skos:prefLabel", label)
        g.iri(iri, "skos:inScheme", scheme)
        if slug == "cover-name":
            g.iri(iri, "skos:exactMatch", AAT_PSEUDONYM)

    for t in document_types():
        if t.broader:
            g.iri(type_iri(t.slug), "skos:broader", type_iri(t.broader))
    g.iri(type_iri("conveyed-message"), "skos:broader", type_iri("communication"))
    for code in sorted(languages):
        iri = entity_iri("language", code)
        g.a(iri, "crm:E56_Language")
        g.add(iri, "rdfs:label", _LANGUAGE_LABELS.get(code, code))
        g.lang(iri, "skos:prefLabel", _LANGUAGE_LABELS.get(code, code))
        g.add(iri, "dcterms:identifier", code)
