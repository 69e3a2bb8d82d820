"""A resolved record to CIDOC-CRM: the document, the communication or conversation it
documents, their parts and actors, and the flat Dublin Core and ``cw:`` views derived
from those paths (see ``docs/model.md``)."""

from __future__ import annotations

from cwgraph.core.ids import COLLECTION, document_iri, entity_iri, type_iri
from cwgraph.mapping.graph import Triples
from cwgraph.resolving.resolve import Agent, Message, Resolved

__all__ = ["map_document", "ROLE_LABELS"]

ROLE_LABELS = {
    "sender": "sender",
    "recipient": "recipient",
    "intermediary": "intermediary",
    "participant": "participant",
    "author": "author",
    "transmitter": "transmitter",
}
_PARTS = (("sending", "sender"), ("transmission", "intermediary"), ("receipt", "recipient"))
_SHORTCUT = {"sender": "cw:sender", "recipient": "cw:recipient", "intermediary": "cw:intermediary",
             "participant": "cw:participant", "author": "cw:author"}
_ARCHIVE_PAGE = "https://digitalarchive.wilsoncenter.org/document/{}"


def agent_iri(agent: Agent) -> str:
    return entity_iri(agent.entity_kind, agent.entity_id)


def _actor_node(g: Triples, activity: str, agent: Agent) -> None:
    """``activity crm:P14_carried_out_by actor`` plus the PC14 node with role and names as written."""
    actor = agent_iri(agent)
    g.iri(activity, "crm:P14_carried_out_by", actor)
    pc = f"{activity}/actor/{agent.entity_id}"
    g.a(pc, "crm:PC14_carried_out_by")
    g.iri(pc, "crm:P01_has_domain", activity)
    g.iri(pc, "crm:P02_has_range", actor)
    g.types_used[f"role/{agent.role}"] = ROLE_LABELS[agent.role]
    g.iri(pc, "crm:P14.1_in_the_role_of", type_iri(f"role/{agent.role}"))
    for written in agent.written:
        g.add(pc, "cw:nameAsWritten", written)
    for cover, written in agent.covers:
        g.iri(pc, "cw:usedAppellation", entity_iri("cover", cover))
        g.add(pc, "cw:coverNameAsWritten", written)


def _parts(g: Triples, comm: str, parts: dict[str, list[Agent]]) -> None:
    """The sending, transmission and receipt of a communication: a part only where it has an actor."""
    for part, agents in parts.items():
        if not agents:
            continue
        node = f"{comm}/{part}"
        g.iri(comm, "crm:P9_consists_of", node)
        g.a(node, "crm:E7_Activity")
        g.typed(node, part, part)
        for agent in agents:
            _actor_node(g, node, agent)


def _conveyed(g: Triples, doc: str, outer: str | None, res: Resolved, message: Message) -> None:
    """A message the document carries: a communication of its own, documented by the same
    document, whose transmission the outer sender carried out (role ``transmitter``)."""
    comm = f"{doc}/communication/conveyed-{message.number}"
    g.iri(doc, "crm:P70_documents", comm)
    g.a(comm, "crm:E7_Activity")
    g.typed(comm, "conveyed-message", "conveyed message")  # skos:broader the type communication
    g.add(comm, "rdfs:label", f"Message {message.number} conveyed by: {res.record.title}")
    if outer is not None and message.transmitters:
        g.iri(outer, "crm:P134_continued", comm)  # relaying a message continues its communication
    _parts(g, comm, {"sending": message.senders, "transmission": message.transmitters,
                     "receipt": message.recipients})
    for agent in message.senders:
        g.iri(doc, "cw:conveyedSender", agent_iri(agent))
    for agent in message.recipients:
        g.iri(doc, "cw:conveyedRecipient", agent_iri(agent))


def map_document(g: Triples, res: Resolved) -> str:
    """Emit every triple of one document; return its IRI."""
    rec = res.record
    assert rec.key
    doc = document_iri(rec.key)
    _document(g, doc, res)
    _activities(g, doc, res)
    _mentions(g, doc, res)
    _shortcuts(g, doc, res)
    return doc


def _document(g: Triples, doc: str, res: Resolved) -> None:
    """The document itself: classes, type, title, Record ID, pages, notes, language, sources."""
    rec = res.record
    g.a(doc, "crm:E31_Document", "crm:E33_Linguistic_Object")
    g.add(doc, "rdfs:label", rec.title)
    if res.doc_type:
        g.typed(doc, res.doc_type.slug, res.doc_type.label)
    title = f"{doc}/title"
    g.iri(doc, "crm:P102_has_title", title)
    g.a(title, "crm:E35_Title")
    g.add(title, "crm:P190_has_symbolic_content", rec.title)
    if rec.record_id:
        ident = f"{doc}/record-id"
        g.iri(doc, "crm:P1_is_identified_by", ident)
        g.a(ident, "crm:E42_Identifier")
        g.add(ident, "crm:P190_has_symbolic_content", rec.record_id)
        g.typed(ident, "wcda-record-id", "Wilson Center Digital Archive Record ID")
        g.add(doc, "cw:recordId", rec.record_id)
        g.add(doc, "dcterms:identifier", rec.record_id)
    page = _ARCHIVE_PAGE.format(rec.record_id) if rec.record_id else rec.doc_url
    g.iri(doc, "foaf:page", page)
    if rec.doc_url and rec.doc_url != page:
        g.iri(doc, "foaf:page", rec.doc_url)
    g.add(doc, "cw:classification", res.reading.classification)
    for number in res.reading.numbers:
        g.add(doc, "cw:telegramNumber", number)
    for loc in rec.sources:
        g.add(doc, "cw:sourceRecord", str(loc))
    if rec.summary:
        g.add(doc, "crm:P3_has_note", rec.summary)
        g.add(doc, "dcterms:description", rec.summary)
    if res.language:
        g.iri(doc, "crm:P72_has_language", entity_iri("language", res.language))
        g.add(doc, "dcterms:language", res.language)


def _activities(g: Triples, doc: str, res: Resolved) -> None:
    """What the document documents: its creation, the communication, conveyed messages, a
    conversation or exchange, and its translation."""
    rec = res.record
    # creation: the document's own date; authors of non-correspondence carry it out
    creation = f"{doc}/creation"
    g.iri(doc, "crm:P94i_was_created_by", creation)
    g.a(creation, "crm:E65_Creation")
    g.timespan(creation, res.date)
    for agent in res.by_role("author"):
        _actor_node(g, creation, agent)

    when = res.event_date or res.date
    parts = {part: res.by_role(role) for part, role in _PARTS}
    if any(parts.values()):
        comm = f"{doc}/communication"
        g.iri(doc, "crm:P70_documents", comm)
        g.a(comm, "crm:E7_Activity")
        g.typed(comm, "communication", "communication")
        g.add(comm, "rdfs:label", f"Communication documented by: {rec.title}")
        g.timespan(comm, when)
        if res.place_id and not res.by_role("participant"):
            g.iri(comm, "crm:P7_took_place_at", entity_iri(res.place_kind, res.place_id))
        _parts(g, comm, parts)
    for message in res.conveyed:
        _conveyed(g, doc, f"{doc}/communication" if any(parts.values()) else None, res, message)
    participants = res.by_role("participant")
    if participants:
        conv = f"{doc}/conversation"
        g.iri(doc, "crm:P70_documents", conv)
        g.a(conv, "crm:E7_Activity")
        kind = res.doc_type.kind if res.doc_type else "conversation"
        slug = "exchange" if kind == "exchange" else "conversation"
        g.typed(conv, slug, "exchange of notes" if slug == "exchange" else "conversation")
        g.add(conv, "rdfs:label", f"{'Exchange' if slug == 'exchange' else 'Conversation'} documented by: {rec.title}")
        g.timespan(conv, when)
        if res.place_id:
            g.iri(conv, "crm:P7_took_place_at", entity_iri(res.place_kind, res.place_id))
        for agent in participants:
            _actor_node(g, conv, agent)
    if res.translator:
        kind, translator = res.translator
        tr = f"{doc}/translation"
        g.a(tr, "crm:E7_Activity")
        g.typed(tr, "translation", "translation")
        g.iri(tr, "crm:P16_used_specific_object", doc)
        g.iri(tr, "crm:P14_carried_out_by", entity_iri(kind, translator))
        g.iri(doc, "dcterms:contributor", entity_iri(kind, translator))


def _mentions(g: Triples, doc: str, res: Resolved) -> None:
    """What the document refers to: entities mentioned, events it is about, its place."""
    for entity_id, kind in sorted(res.mentions.items()):
        target = entity_iri(kind, entity_id)
        g.iri(doc, "crm:P67_refers_to", target)
        if kind in ("place", "local-place"):
            g.iri(doc, "dcterms:spatial", target)
        elif kind in ("event", "person", "group"):
            g.iri(doc, "dcterms:subject", target)
    for event in res.events:
        g.iri(doc, "cw:about", entity_iri("event", event))
    if res.place_id:
        g.iri(doc, "dcterms:spatial", entity_iri(res.place_kind, res.place_id))


def _shortcuts(g: Triples, doc: str, res: Resolved) -> None:
    """Flat views derived from the paths above (Dublin Core and cw: shortcuts), for simple queries."""
    rec = res.record
    g.add(doc, "dcterms:title", rec.title)
    g.iri(doc, "dcterms:isPartOf", COLLECTION)
    g.add(doc, "dcterms:source", rec.citation)
    if res.doc_type:
        g.add(doc, "dcterms:type", res.doc_type.label)
    if res.date.is_dated:
        g.add(doc, "dcterms:date", res.date.edtf)
        g.add(doc, "cw:edtf", res.date.edtf)
        g.add(doc, "cw:dateBegin", res.date.begin)
        g.add(doc, "cw:dateEnd", res.date.end)
    for agent in res.agents:
        g.iri(doc, _SHORTCUT[agent.role], agent_iri(agent))
        if agent.role in ("sender", "author"):
            g.iri(doc, "dcterms:creator", agent_iri(agent))
        if agent.role in ("sender", "author"):
            for cover, _written in agent.covers:
                g.iri(doc, "cw:signedAs", entity_iri("cover", cover))
