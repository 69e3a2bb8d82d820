"""Names to entities: the title's correspondents, the summary's mentions, cover names.

Every name ends as an authority entity or as a locally minted one listed for
reconciliation; none is dropped, none is guessed. A cover name resolves to
its bearer while the name as written and the appellation used are kept.
What an editorial bracket means is decided here, where the authorities are
known: ``Stalin [Kuznetsov]`` (real name, cover name), ``Filippov [Stalin]``
(cover name, real name), ``Chairman Mao [Zedong]`` (a completed name),
``Vyshinshy [Vyshinsky]`` (a corrected spelling).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cwgraph.core.records import Record
from cwgraph.interpreting.dates import DateReading, parse_printed_date
from cwgraph.interpreting.doctypes import DocType, document_types, type_by_label
from cwgraph.interpreting.titles import HONORIFICS, MAX_NAME_WORDS, ROLE_WORDS, NameRef, TitleReading, parse_title
from cwgraph.resolving.authorities import Authorities, Entity, normalize_name
from cwgraph.resolving.identity import looks_like_group, name_key, strip_titles
from cwgraph.resolving.summaries import CoverStatement, find_cover_statements, find_mentions

__all__ = ["Agent", "LOCAL_CLASS", "LOCAL_IRI_KIND", "LocalEntity", "LocalRegistry", "Message", "Resolved",
           "Resolver", "slugify"]

ACTOR_KINDS = ("person", "group", "cover")
_DROPPABLE = ROLE_WORDS | HONORIFICS
# a minted entity's kind → the IRI kind (ids.entity_iri) and the class it is published as
LOCAL_IRI_KIND = {"actor": "actor", "group": "local-group", "place": "local-place"}
LOCAL_CLASS = {"actor": "crm:E39_Actor", "group": "crm:E74_Group", "place": "crm:E53_Place"}
LANGUAGES = {"russian": "ru", "chinese": "zh", "english": "en", "korean": "ko", "mongolian": "mn",
             "german": "de", "french": "fr", "japanese": "ja", "polish": "pl", "czech": "cs"}


def slugify(text: str) -> str:
    """A lowercase ASCII slug.

    >>> slugify("N. V. Roshchin")
    'n-v-roshchin'
    """
    key = normalize_name(text)
    slug = re.sub(r"[^a-z0-9]+", "-", key.encode("ascii", "ignore").decode()).strip("-")
    return slug[:80] or "x" + format(abs(hash_text(text)) % 10**8, "08d")


def hash_text(text: str) -> int:
    import hashlib

    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


@dataclass
class LocalEntity:
    """A name no authority knows, minted from the name itself and listed for reconciliation."""

    id: str
    kind: str  # actor | group | place
    label: str
    written: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    contexts: set[str] = field(default_factory=set)  # sender, mention, …
    sources: set[str] = field(default_factory=set)


class LocalRegistry:
    """Locally minted entities, keyed by :func:`~cwgraph.resolving.identity.name_key` so every spelling of
    a name lands once, whichever chunk or worker meets it first."""

    def __init__(self) -> None:
        self.entities: dict[str, LocalEntity] = {}

    def mint(self, kind: str, name: str, document: str, context: str, source: str) -> LocalEntity:
        slug = slugify(name_key(name)) if kind != "place" else slugify(name)
        key = f"{kind}:{slug}"
        entity = self.entities.get(key)
        if entity is None:
            entity = self.entities[key] = LocalEntity(id=slug, kind=kind, label=name)
        elif name < entity.label:
            entity.label = name  # the smallest spelling, so the label does not depend on order
        entity.written.add(name)
        entity.documents.add(document)
        entity.contexts.add(context)
        entity.sources.add(source)
        return entity

    def of_kind(self, kind: str) -> list[LocalEntity]:
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.id)


@dataclass
class Agent:
    """An actor in one role of one document."""

    role: str
    entity_id: str
    entity_kind: str  # person | group | actor (local or unknown bearer)
    written: list[str] = field(default_factory=list)
    covers: list[tuple[str, str]] = field(default_factory=list)  # (cover-name entity id, as written)


@dataclass
class Message:
    """A message the document conveys (:class:`~cwgraph.interpreting.titles.Conveyed`), numbered from 1 in
    title order: its own senders and addressees, and the outer senders as its transmitters."""

    number: int
    senders: list[Agent] = field(default_factory=list)
    recipients: list[Agent] = field(default_factory=list)
    transmitters: list[Agent] = field(default_factory=list)

    @property
    def agents(self) -> list[Agent]:
        return [*self.senders, *self.recipients, *self.transmitters]


@dataclass
class Resolved:
    """A record with its reading and every name resolved."""

    record: Record
    reading: TitleReading
    date: DateReading
    event_date: DateReading | None
    doc_type: DocType | None
    agents: list[Agent] = field(default_factory=list)
    place_id: str | None = None
    place_kind: str = "place"  # place | local-place
    mentions: dict[str, str] = field(default_factory=dict)  # entity id → kind (person, group, place, event, cover, actor, local-place)
    covers_attested: dict[str, str | None] = field(default_factory=dict)  # cover id → bearer id
    events: list[str] = field(default_factory=list)
    language: str | None = None
    translator: tuple[str, str] | None = None  # (kind, entity id): a person or a local actor
    notes: list[str] = field(default_factory=list)
    conveyed: list[Message] = field(default_factory=list)

    def by_role(self, role: str) -> list[Agent]:
        return [a for a in self.agents if a.role == role]

    @property
    def all_agents(self) -> list[Agent]:
        """The document's own actors and those of the messages it conveys."""
        return [*self.agents, *(a for m in self.conveyed for a in m.agents)]


class Resolver:
    """Resolves records against one set of authorities, minting local entities as needed."""

    def __init__(self, auth: Authorities):
        self.auth = auth
        self.local = LocalRegistry()
        self._keys = _actor_keys(auth)
        self._when: DateReading | None = None  # the date of the record being resolved

    # -- names -----------------------------------------------------------
    def _actor(self, name: str | None) -> Entity | None:
        """A person, group or cover name for ``name`` (also after dropping leading words)."""
        if not name:
            return None
        words = name.split()
        for i in range(len(words)):
            if len(words) - i > MAX_NAME_WORDS:  # longer than any name: only drop the word
                if words[i].lower().strip(",") not in _DROPPABLE:
                    return None
                continue
            candidate = " ".join(words[i:])
            found = [e for e in self.auth.lookup(candidate) if e.kind in ACTOR_KINDS]
            if not found:  # a romanisation variant or case ending of a known spelling
                found = [e for e in (self.auth.get(x) for x in self._keys.get(name_key(candidate), ()))
                         if e is not None]
            if found:
                return self._choose(candidate, found)
            # only a role or honorific may be dropped: "E. F. Kovalev" must not become "Kovalev"
            if words[i].lower().strip(",") not in _DROPPABLE:
                return None
        return None

    def _choose(self, written: str, found: list[Entity]) -> Entity | None:
        """Of the entities a name matches, the one it stands for, or None when that is not certain.

        A surname alone (no given name, no initial) stands for an authority person only when the
        document's date lies in the person's period of activity (``active_from``/``active_until``),
        and where a whole name matches two rows, the period chooses between them;
        of people who share it, one whose period holds the date wins over one without a period,
        and a tie is no answer (Nikolai Roshchin in 1950, Alexey Roshchin at Geneva in 1962)."""
        covers = [e for e in found if e.kind == "cover"]
        if covers:
            return covers[0]
        whole = len(written.split()) > 1  # a given name or initials that a variant of the row spells out
        if whole and len(found) == 1:
            return found[0]
        when = self._when
        ranked: list[tuple[int, Entity]] = []
        for entity in found:
            period = entity.span("active_from", "active_until", open_end=bool(entity.extra.get("active_from")))
            if period is None:
                ranked.append((1, entity))
            elif when is None or not when.is_dated:
                ranked.append((1, entity))  # undated: the period cannot be checked, nor preferred
            elif when.overlaps(period):
                ranked.append((2, entity))
        if not ranked:
            return None
        best = max(rank for rank, _ in ranked)
        top = [e for rank, e in ranked if rank == best]
        if whole:  # two rows that spell the whole name alike: the period, else the file's order decides
            return top[0]
        return top[0] if len(top) == 1 and best > 0 else None

    def _bearer(self, cover: Entity) -> Entity | None:
        bearer = cover.extra.get("bearer")
        return self.auth.get(bearer) if bearer else None

    def _agent_for(self, ref: NameRef, role: str, doc: str, source: str) -> Agent:
        a = self._actor(ref.name)
        b = self._actor(ref.bracket) if ref.bracket else None
        joined = self._actor(f"{ref.name} {ref.bracket}") if ref.bracket else None
        covers: list[tuple[str, str]] = []
        target: Entity | None = None
        whole = self._actor(ref.written) if ref.bracket else None  # "VKP(b) CC": the bracket is part of the name
        if whole is not None and whole.kind != "cover" and not (a and a.kind == "cover") \
                and not (b and b.kind == "cover"):
            return Agent(role, whole.id, whole.kind, [ref.written], [])
        if a and a.kind == "cover" and b and b.kind != "cover":
            target, covers = b, [(a.id, ref.name)]
        elif a and a.kind != "cover" and b and b.kind == "cover":
            target, covers = a, [(b.id, ref.bracket or b.label)]
        elif joined and joined.kind != "cover":
            target = joined
        elif a and b and a.kind != "cover" and b.kind != "cover" and a.id != b.id:
            # "Semenov [Stalin]": the editor's bracket says who is meant; the name as written is kept
            target = b
        elif a and a.kind == "cover":
            covers = [(a.id, ref.name)]
            target = self._bearer(a) or (b if b and b.kind != "cover" else None)
            if target is None:
                return Agent(role, f"cover-{a.id}", "actor", [ref.written], covers)
        elif a:
            target = a
        elif b and b.kind != "cover":
            target = b
        elif b and b.kind == "cover":
            covers = [(b.id, ref.bracket or b.label)]
            target = self._bearer(b)
        if target is None:
            kind = "group" if ref.kind == "group" or (ref.kind is None and self._group_shaped(ref.name)) else "actor"
            # "Cde. Filippov" is Filippov; an organisation keeps its words ("Ministry of Foreign Affairs")
            name = strip_titles(ref.name, _DROPPABLE if kind == "actor" else frozenset())
            local = self.local.mint(kind, name, doc, role, source)
            return Agent(role, local.id, LOCAL_IRI_KIND[kind], [ref.written], covers)
        if ref.kind == "group" and target.kind == "person":
            # the grammar read an organisation where the authorities have a person: never a person
            local = self.local.mint("group", strip_titles(ref.name), doc, role, source)
            return Agent(role, local.id, LOCAL_IRI_KIND["group"], [ref.written], covers)
        return Agent(role, target.id, target.kind, [ref.written], covers)

    def _group_shaped(self, name: str) -> bool:
        """An organisation's name, or a place in a correspondent's position: a city or country
        standing for its government or mission (``Telegram from Pyongyang to Bucharest``)."""
        return looks_like_group(name) or any(e.kind == "place" for e in self.auth.lookup(strip_titles(name)))

    # -- a record --------------------------------------------------------
    def resolve(self, record: Record) -> Resolved:
        doc = record.key or ""
        source = str(record.location)
        reading = parse_title(record.title, self.auth)
        date = parse_printed_date(record.printed_date)
        doc_type = type_by_label().get(reading.doc_type) if reading.doc_type else None
        if doc_type is None and record.archive_type:
            doc_type = _type_for_archive_value(record.archive_type)
        res = Resolved(record=record, reading=reading, date=date, event_date=reading.date, doc_type=doc_type)
        res.notes.extend(reading.notes)
        self._when = reading.date if reading.date is not None and reading.date.is_dated else date
        roles = (("sender", reading.senders), ("recipient", reading.recipients),
                 ("participant", reading.participants), ("author", reading.authors))
        owners: dict[str, Agent] = {}
        for role, refs in roles:
            for ref in refs:
                agent = self._agent_for(ref, role, doc, source)
                owners[ref.written] = self._add_agent(res, agent)
        for ref in reading.intermediaries:
            agent = self._agent_for(ref, "intermediary", doc, source)
            owner = owners.get(ref.attached_to or "")
            # "Stalin [via Kuznetsov]": the channel is the owner's own cover name
            if owner is not None and agent.covers and agent.entity_id == owner.entity_id:
                for cover in agent.covers:
                    if cover not in owner.covers:
                        owner.covers.append(cover)
                owner.written.extend(w for w in agent.written if w not in owner.written)
                continue
            self._add_agent(res, agent)
        self._conveyed(res, reading, doc, source)
        for agent in res.all_agents:
            for cover, _written in agent.covers:
                res.covers_attested[cover] = agent.entity_id if agent.entity_kind != "actor" else None
        self._place(res, reading, doc, source)
        self._mentions(res, doc, source)
        language = (record.language or "").strip().lower()
        res.language = LANGUAGES.get(language) or (language if language in LANGUAGES.values() else None)
        if record.translator:
            t = self._actor(record.translator)
            res.translator = ("person", t.id) if t and t.kind == "person" else ("actor", self.local.mint(
                "actor", record.translator, doc, "translator", source).id)
        self._events(res)
        return res

    def _conveyed(self, res: Resolved, reading: TitleReading, doc: str, source: str) -> None:
        """Each message the document carries, as a communication of its own."""
        for number, conveyed in enumerate(reading.conveyed, start=1):
            message = Message(number)
            for refs, into, role in ((conveyed.senders, message.senders, "sender"),
                                     (conveyed.recipients, message.recipients, "recipient")):
                for ref in refs:
                    agent = self._agent_for(ref, role, doc, source)
                    if not any(a.entity_id == agent.entity_id for a in into):
                        into.append(agent)
            if conveyed.via_outer:
                message.transmitters = [Agent("transmitter", a.entity_id, a.entity_kind, list(a.written),
                                              list(a.covers)) for a in res.by_role("sender")]
            if message.senders or message.recipients:
                res.conveyed.append(message)
            else:
                res.notes.append(f"conveyed message {number} names no sender and no addressee: not published")

    @staticmethod
    def _add_agent(res: Resolved, agent: Agent) -> Agent:
        for existing in res.agents:
            if existing.role == agent.role and existing.entity_id == agent.entity_id:
                existing.written.extend(w for w in agent.written if w not in existing.written)
                existing.covers.extend(c for c in agent.covers if c not in existing.covers)
                return existing
        res.agents.append(agent)
        return agent

    def _place(self, res: Resolved, reading: TitleReading, doc: str, source: str) -> None:
        if not reading.place:
            return
        found = [e for e in self.auth.lookup(reading.place) if e.kind == "place"]
        if found:
            res.place_id = found[0].id
        else:
            res.place_id = self.local.mint("place", reading.place, doc, "title", source).id
            res.place_kind = "local-place"

    def _mentions(self, res: Resolved, doc: str, source: str) -> None:
        record = res.record
        texts = [*record.texts(), *res.reading.mentions]
        for text in texts:
            for m in find_mentions(text, self.auth):
                res.mentions.setdefault(m.entity.id, m.entity.kind)
            for st in find_cover_statements(text, self.auth):
                self._cover_statement(res, st)
        for name in record.mentioned_people:
            self._curated_mention(res, name, ("person", "group", "cover"), doc, source, "actor")
        for name in record.mentioned_places:
            self._curated_mention(res, name, ("place",), doc, source, "place")
        # the correspondents are not "mentions" of the document
        for agent in res.all_agents:
            res.mentions.pop(agent.entity_id, None)

    def _cover_statement(self, res: Resolved, st: CoverStatement) -> None:
        expected = st.cover.extra.get("bearer")
        if st.bearer is not None and expected and st.bearer.id == expected:
            res.covers_attested[st.cover.id] = expected
        res.mentions.setdefault(st.cover.id, "cover")

    def _curated_mention(self, res: Resolved, name: str, kinds: tuple[str, ...], doc: str, source: str,
                         local_kind: str) -> None:
        """A curated mention such as ``Filippov [Stalin]`` or ``Terebin (Andrei Orlov)``."""
        whole = [e for e in self.auth.lookup(name) if e.kind in kinds]
        if whole:  # "CC VKP(b)": brackets that are part of the name
            res.mentions.setdefault(whole[0].id, whole[0].kind)
            return
        parts = [p.strip() for p in re.split(r"[\[\]()]", name) if p.strip()]
        resolved_any = False
        for part in parts:
            found = [e for e in self.auth.lookup(part) if e.kind in kinds]
            if not found:
                stripped = re.sub(r"^(?:Cde\.?|Comrade|Doctor|Dr\.?|Chairman|Mr\.?)\s+", "", part)
                found = [e for e in self.auth.lookup(stripped) if e.kind in kinds]
            if found:
                res.mentions.setdefault(found[0].id, found[0].kind)
                resolved_any = True
        covers = [e for p in parts for e in self.auth.lookup(p) if e.kind == "cover"]
        people = [e for p in parts for e in self.auth.lookup(p) if e.kind == "person"]
        if covers and people and covers[0].extra.get("bearer") == people[0].id:
            res.covers_attested[covers[0].id] = people[0].id
        if not resolved_any:
            local = self.local.mint(local_kind, parts[0] if parts else name, doc, "mention", source)
            res.mentions.setdefault(local.id, "actor" if local_kind == "actor" else "local-place")

    def _events(self, res: Resolved) -> None:
        """Events the document is about: named events, within their matching window."""
        for entity_id, kind in list(res.mentions.items()):
            if kind != "event":
                continue
            event = self.auth.get(entity_id)
            assert event is not None
            window = event.span("match_from", "match_until", open_end=True)
            if window is not None and res.date.is_dated and not res.date.overlaps(window):
                res.mentions.pop(entity_id)
                res.notes.append(f"'{event.label}' is named but the document's date is outside the event's window")
                continue
            res.events.append(entity_id)
            # a signing or a negotiation is about the thing signed or negotiated
            for suffix in ("-signing", "-negotiation"):
                stem = entity_id[: -len(suffix)] if entity_id.endswith(suffix) else None
                if stem and self.auth.get(stem) and stem not in res.events:
                    res.events.append(stem)
                    res.mentions.setdefault(stem, "event")
        res.events = sorted(set(res.events))


def _actor_keys(auth: Authorities) -> dict[str, tuple[str, ...]]:
    """:func:`~cwgraph.resolving.identity.name_key` of every actor name → the entities it names (built once per
    set of authorities). A key shared by two entities is kept with both, and left to :meth:`Resolver._choose`."""
    cached = auth.__dict__.get("_actor_keys")
    if cached is not None and cached[0] == len(auth.entities):
        return cached[1]
    keys: dict[str, list[str]] = {}
    for kind in ("cover", "person", "group"):
        for entity in auth.of_kind(kind):
            for name in entity.names:
                ids = keys.setdefault(name_key(name), [])
                if entity.id not in ids:
                    ids.append(entity.id)
    frozen = {k: tuple(v) for k, v in keys.items() if k}
    auth.__dict__["_actor_keys"] = (len(auth.entities), frozen)
    return frozen


def _type_for_archive_value(value: str) -> DocType | None:
    key = " ".join(value.split()).lower()
    for t in document_types():
        if key in (f.lower() for f in t.printed_forms):
            return t
    return None
