"""The title grammar: an archive title to its parts.

Titles follow a handful of conventions (see the collection README):
``Type, Sender to Recipient [via X]``, ``Type from Sender to Recipient``,
``Type to Recipient from Sender``, ``Memorandum of Conversation between A and B``,
``Conversation, A and B with C, Place, Date``, ``Notes by A …``, ``A’s Recollections …``,
and titles with no correspondent at all. Square brackets and parentheses are
editorial: a cover name after a real name, a real name after a cover name, a
completed name, a channel (``[via Terebin]``) or inserted words. The parser
keeps each name as written with its bracket; what a bracket *means* is decided
by the resolver, which knows the authorities.

The parser is structural. A :class:`Lexicon` (built from the authority files)
helps it tell a place from a subject phrase and a role from a name; without
one it falls back on capitalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from cwgraph.dates import DateReading, find_date_in_text
from cwgraph.doctypes import match_type_prefix, match_type_suffix

__all__ = ["Conveyed", "Lexicon", "NameRef", "TitleReading", "parse_title", "split_name_list", "strip_role"]


class Lexicon(Protocol):
    """What the title grammar may ask of the authorities."""

    def kind_of(self, name: str) -> str | None:
        """'person', 'group', 'place', 'event', 'cover' or None for an unknown name."""


class _NoLexicon:
    def kind_of(self, name: str) -> str | None:
        return None


@dataclass(frozen=True)
class NameRef:
    """One name as it stands in a title.

    ``written`` is the full text (``Cde. Filippov [Stalin]``), ``name`` the name
    without role or honorific (``Filippov``), ``bracket`` the editorial bracket's
    content (``Stalin``), ``role`` what was stripped before the name.
    """

    written: str
    name: str
    bracket: str | None = None
    role: str | None = None
    attached_to: str | None = None  # for a channel: the name whose bracket or "via" named it
    kind: str | None = None  # 'person' | 'group' (an organisation: embassy, ministry, a city for its government) | None


@dataclass(frozen=True)
class Conveyed:
    """A message the document carries (``containing a message from A to B``): its own sender and
    addressee; the outer document's sender is its transmitter unless ``via_outer`` is False."""

    senders: tuple[NameRef, ...]
    recipients: tuple[NameRef, ...]
    via_outer: bool = True


@dataclass
class TitleReading:
    """What a title says."""

    title: str
    doc_type: str | None = None
    classification: str | None = None
    numbers: list[str] = field(default_factory=list)
    senders: list[NameRef] = field(default_factory=list)
    recipients: list[NameRef] = field(default_factory=list)
    intermediaries: list[NameRef] = field(default_factory=list)
    participants: list[NameRef] = field(default_factory=list)
    authors: list[NameRef] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    place: str | None = None
    date: DateReading | None = None
    subject: str | None = None
    is_conversation: bool = False
    notes: list[str] = field(default_factory=list)
    conveyed: list[Conveyed] = field(default_factory=list)

    @property
    def is_correspondence(self) -> bool:
        return bool(self.senders or self.recipients)


HONORIFICS = {
    "cde", "cde.", "comrade", "com", "com.", "tov.", "tov", "mr.", "mr", "mrs.", "ms.", "dr.", "dr",
    "doctor", "comrades", "cdes.", "messrs.", "sir", "mister", "the",
}
ROLE_WORDS = {
    "chairman", "premier", "president", "ambassador", "minister", "prime", "foreign", "secretary",
    "general", "marshal", "generalissimo", "deputy", "vice", "commander", "chief", "head", "envoy",
    "representative", "consul", "counselor", "counsellor", "attaché", "attache", "chargé", "charge",
    "director", "member", "leader", "officer", "colonel", "lieutenant", "major", "captain", "admiral",
    "comrade", "first", "second", "acting", "former", "soviet", "chinese", "ussr", "prc", "korean",
    "mongolian", "american", "british", "central", "people's", "people’s", "government", "republic",
    "committee", "politburo", "party", "state", "council", "ministry", "ministers", "affairs",
    "plenipotentiary", "special", "military", "political", "adviser", "advisor", "advisers",
    "delegation", "trade", "embassy", "consulate", "of", "to", "in", "at", "and", "for", "on",
    "executive", "supreme", "national", "international",
}
# no authority name is longer (the longest has 13 words); longer runs are not looked up,
# so a pathological title costs linear, not quadratic, time
MAX_NAME_WORDS = 24
_PARTICLES = {"il", "de", "van", "von", "der", "bin", "al", "la", "le", "du", "da", "ibn"}
# A word before " to " that makes it part of a role ("Ambassador to China"), not the recipient arrow.
_ROLE_BEFORE_TO = re.compile(
    r"(?:ambassador|envoy|representative|minister|delegate|attach[ée]|adviser|advisor|consul|"
    r"plenipotentiary|mission|delegation)\s*$",
    re.I,
)
# "the President of the Chinese Republic Chiang Kai-shek": a role, then a personal name
_ROLE_THEN_NAME = re.compile(r"\b(?:President|Chairman|Ambassador|Minister|Premier|Secretary|General|Marshal|"
                             r"Representative|Envoy|Consul|Director|Commander|Chief|Head)\b.*\s[A-Z][\w.-]+\s*$")
_VIA = re.compile(r"^\s*via\s+", re.I)
_MESSAGE_CLAUSE = re.compile(
    r",?\s+(?:containing|transmitting|enclosing|forwarding|conveying|relaying|with)\s+"
    r"(?:an?|the)\s+(?:message|letter|telegram|cable|note|reply|answer)s?\s+"
    r"from\s+(?P<author>.+?)(?:\s+to\s+(?P<to>.+))?$",
    re.I,
)
_JOURNAL = re.compile(
    r"^(?:(?:From|Excerpts?\s+from)\s+the\s+)?(?:Journal|Diary|Notes|Notebook)\s+of\s+(?P<owner>[^:,]+)[:,]\s*(?P<rest>.+)$",
    re.I)
_POSSESSIVE = re.compile(r"^(?P<author>.+?)[’']s\s+(?P<rest>.+)$")
_QUOTE_TRANSLATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

_OPEN = {"[": "]", "(": ")"}
_PLACEHOLDER = "\u0000"


def _mask_brackets(text: str) -> tuple[str, list[str]]:
    """Replace each top-level bracket group by a placeholder so that splits ignore it."""
    out: list[str] = []
    groups: list[str] = []
    depth = 0
    start = 0
    closer: list[str] = []
    text = text.replace(_PLACEHOLDER, " ")  # a NUL in the text must not read as a placeholder
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
            closer.append(_OPEN[ch])
        elif closer and ch == closer[-1]:
            closer.pop()
            depth -= 1
            if depth == 0:
                groups.append(text[start : i + 1])
                out.append(f"{_PLACEHOLDER}{len(groups) - 1}{_PLACEHOLDER}")
            continue
        if depth == 0:
            out.append(ch)
    return "".join(out), groups


def _unmask(text: str, groups: list[str]) -> str:
    return re.sub(f"{_PLACEHOLDER}(\\d+){_PLACEHOLDER}", lambda m: groups[int(m.group(1))], text)


def brackets_balanced(text: str) -> bool:
    """True when every ``[`` and ``(`` closes in order."""
    stack: list[str] = []
    for ch in text:
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif ch in ")]":
            if not stack or stack.pop() != ch:
                return False
    return not stack


# characters; the archive's titles are at most a few hundred and the sources reject more than 1000.
# A longer text is not read (reading costs time in proportion to its length): the reading says so.
MAX_READ = 20_000
MAX_BRACKET_DEPTH = 8  # real titles nest one level; deeper nesting is read without brackets


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]":
            depth -= 1
    return deepest


def _top_level_split(text: str, sep: re.Pattern[str]) -> list[str]:
    masked, groups = _mask_brackets(text)
    return [_unmask(part, groups) for part in sep.split(masked)]


_LIST_SEP = re.compile(r"\s*,\s*and\s+|\s*,\s*&\s*|\s*,\s*|\s+and\s+|\s+&\s+")


def _is_role_only(text: str) -> bool:
    words = [w.lower().strip(",.") for w in text.split()]
    return bool(words) and all(w in ROLE_WORDS or w in HONORIFICS or _is_place_word(w) for w in words)


_PLACEISH = {"china", "ussr", "moscow", "korea", "japan", "mongolia", "beijing", "peking", "prc", "cpsu", "ccp"}


def _is_place_word(word: str) -> bool:
    return word in _PLACEISH


def split_name_list(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """Split ``A, B, and C`` / ``A and B`` at the top level; keep a known name whole.

    A segment that is only a role (``Soviet Ambassador to China``) is glued to
    the name after it.
    """
    lexicon = lexicon or _NoLexicon()
    text = text.strip().strip(",").strip()
    if not text:
        return []
    if lexicon.kind_of(_strip_honorifics(_without_brackets(text))) is not None:
        return [text]
    parts = [p for p in _top_level_split(text, _LIST_SEP) if p.strip()]
    merged: list[str] = []
    pending = ""
    for part in parts:
        if _is_role_only(part) and lexicon.kind_of(part) is None:
            pending = f"{pending} {part}".strip()
            continue
        merged.append(f"{pending} {part}".strip() if pending else part.strip())
        pending = ""
    if pending:
        merged.append(pending)
    return merged


def _without_brackets(text: str) -> str:
    masked, _ = _mask_brackets(text)
    return re.sub(f"{_PLACEHOLDER}\\d+{_PLACEHOLDER}", "", masked).strip()


def _strip_honorifics(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _is_name_token(tok: str) -> bool:
    if not tok:
        return False
    if tok.lower() in _PARTICLES:
        return True
    if re.fullmatch(r"(?:[A-Z]\.?){1,3}", tok) or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", tok):
        return True  # initials: N.V., A.Y, G.M.
    return tok[0].isupper() or not tok[0].isalpha()


def strip_role(text: str, lexicon: Lexicon | None = None) -> tuple[str, str | None]:
    """Split ``Soviet Ambassador to China Nikolai Roshchin`` into name and role.

    A known name (the longest suffix the lexicon knows) wins; otherwise the
    trailing run of capitalised words that are not role words, at most four.

    >>> strip_role("Chinese Prime Minister Zhou Enlai")
    ('Zhou Enlai', 'Chinese Prime Minister')
    >>> strip_role("Cde. G.M. Malenkov")
    ('G.M. Malenkov', 'Cde.')
    """
    lexicon = lexicon or _NoLexicon()
    words = text.split()
    # known name as the longest suffix
    for i in range(max(0, len(words) - MAX_NAME_WORDS), len(words)):
        candidate = " ".join(words[i:])
        # only an actor's name: "Songjin" is a place, "Pan Songjin" a person nobody knows yet
        if lexicon.kind_of(candidate) in ("person", "group", "cover"):
            role = " ".join(words[:i]) or None
            return candidate, role
    # honorifics and role words from the left, then a trailing run of name tokens
    name: list[str] = []
    for tok in reversed(words):
        low = tok.lower().strip(",")
        if low in HONORIFICS or (low in ROLE_WORDS and name) or not _is_name_token(tok) or len(name) >= 4:
            break
        if _is_place_word(low) and name:
            break
        name.insert(0, tok)
    if not name:
        stripped = _strip_honorifics(text)
        return stripped, (text[: len(text) - len(stripped)].strip() or None)
    role = " ".join(words[: len(words) - len(name)]).strip(" ,") or None
    return " ".join(name), role


def _name_ref(chunk: str, lexicon: Lexicon) -> tuple[NameRef, list[NameRef]]:
    """One name chunk → the name and any intermediaries it carries (``X [via Y]``, ``X via Y``)."""
    chunk = chunk.strip().strip(",").strip()
    vias: list[NameRef] = []
    masked, groups = _mask_brackets(chunk)
    # unbracketed "X via Y" (a chain "X via Y via Z" names every channel)
    channels = re.split(r"\s+via\s+", masked, flags=re.I)
    if len(channels) > 1:
        for channel in channels[1:]:
            for part in split_name_list(_unmask(channel, groups), lexicon):
                ref, nested = _name_ref(part, lexicon)
                vias.append(ref)
                vias.extend(nested)
        masked = channels[0]
    bracket: str | None = None
    kept_groups: list[str] = []
    via_groups: set[str] = set()
    for idx in re.findall(f"{_PLACEHOLDER}(\\d+){_PLACEHOLDER}", masked):
        content = groups[int(idx)][1:-1].strip()
        if _VIA.match(content):
            for part in split_name_list(_VIA.sub("", content), lexicon):
                ref, nested = _name_ref(part, lexicon)
                vias.append(ref)
                vias.extend(nested)
            via_groups.add(idx)
        else:
            kept_groups.append(content)
    if via_groups:
        masked = re.sub(f"{_PLACEHOLDER}(\\d+){_PLACEHOLDER}",
                        lambda g: "" if g.group(1) in via_groups else g.group(0), masked)
    base = re.sub(f"{_PLACEHOLDER}\\d+{_PLACEHOLDER}", "", masked)
    base = " ".join(base.split())
    written = " ".join(_unmask(masked, groups).split())
    if kept_groups:
        bracket = kept_groups[0]
    if lexicon.kind_of(_strip_honorifics(base)) is None \
            and (where := re.search(r"\s+(?:in|at)\s+(?:the\s+)?([A-Z][\w'’. -]*)$", base)) \
            and lexicon.kind_of(where.group(1).strip()) == "place":
        base = base[: where.start()]  # "Roshchin in Beijing"
    if re.match(r"^the\s+[A-Z]", base) and lexicon.kind_of(base[4:]) is None and not _ROLE_THEN_NAME.search(base):
        name, role = base[4:], None  # "the Ministry of Foreign Affairs": an institution, kept whole
    else:
        name, role = strip_role(base, lexicon)
    vias = [NameRef(v.written, v.name, v.bracket, v.role, attached_to=written) for v in vias]
    return NameRef(written=written, name=name, bracket=bracket, role=role), vias


def _names(text: str, lexicon: Lexicon) -> tuple[list[NameRef], list[NameRef]]:
    refs: list[NameRef] = []
    vias: list[NameRef] = []
    for chunk in split_name_list(text, lexicon):
        if m := re.match(r"^\s*via\s+(.+)$", chunk, re.I):  # "Stalin, via Kovalev": a channel in a name list
            ref, chunk_vias = _name_ref(m.group(1), lexicon)
            vias.extend([ref, *chunk_vias] if ref.name else chunk_vias)
            continue
        ref, chunk_vias = _name_ref(chunk, lexicon)
        if ref.name:
            refs.append(ref)
        vias.extend(chunk_vias)
    return refs, vias


def _looks_like_names(text: str, lexicon: Lexicon) -> bool:
    """True when ``text`` reads as a list of names (not a subject phrase)."""
    for chunk in split_name_list(text, lexicon):
        bare = _strip_honorifics(_without_brackets(chunk))
        if not bare:
            if re.search(r"[\[(]", chunk):
                continue
            return False
        if lexicon.kind_of(bare) in ("person", "group", "cover"):
            continue
        name, role = strip_role(bare, lexicon)
        if lexicon.kind_of(name) in ("person", "group", "cover"):
            continue
        tokens = bare.split()
        lower = [t for t in tokens if not _is_name_token(t) and t.lower() not in ROLE_WORDS]
        if lower or not name or lexicon.kind_of(name) in ("place", "event"):
            return False
    return True


def _find_arrow(masked: str, word: str) -> list[int]:
    """Top-level positions of `` to `` / `` from `` that are not inside a role phrase."""
    out = []
    for m in re.finditer(rf"\s+{word}\s+", masked, re.I):
        # the role word is just before the arrow: look at a short window, not the whole prefix
        if word.lower() == "to" and _ROLE_BEFORE_TO.search(masked[max(0, m.start() - 40): m.start()]):
            continue
        out.append(m.start())
    return out


_CHANNEL = re.compile(r"^(?:via|through|(?:relayed|transmitted|forwarded|conveyed|sent|delivered)\s+(?:by|through|via))\s+"
                      r"(.+)$", re.I)


def _split_tail(text: str, lexicon: Lexicon, reading: TitleReading) -> str:
    """Cut a recipient list at a trailing place, subject phrase or clause; record them."""
    masked, groups = _mask_brackets(text)
    segments = masked.split(",")
    keep = [segments[0]]
    for i, seg in enumerate(segments[1:], start=1):
        raw = _unmask(seg, groups).strip()
        if not raw:
            continue
        bare = _strip_honorifics(_without_brackets(raw))
        is_last_and = raw.lower().startswith(("and ", "& "))
        known = lexicon.kind_of(bare)
        if known is None:  # "…, Chairman Wang Naijing": a known name after a role
            name, role = strip_role(bare, lexicon)
            if role and _is_role_only(role) and lexicon.kind_of(name) in ("person", "group", "cover"):
                known = lexicon.kind_of(name)
        if is_last_and or (known in ("person", "group", "cover") and reading.subject is None):
            keep.append(seg)
            continue
        if known == "place" and reading.place is None:
            reading.place = bare
            continue
        channel = _CHANNEL.match(raw)
        if channel:  # "…, via Roshchin", "…, Relayed by Roshchin"
            refs, vias = _names(channel.group(1), lexicon)
            reading.intermediaries.extend(refs + vias)
            continue
        # subject phrase: everything from here on
        rest = ",".join(_unmask(s, groups) for s in segments[i:]).strip()
        reading.subject = rest
        reading.mentions.extend(_scan_mentions(rest, lexicon))
        break
    return _unmask(",".join(keep), groups)


def _scan_mentions(text: str, lexicon: Lexicon) -> list[str]:
    """Known names inside a phrase (longest first, left to right)."""
    words = re.findall(r"[\w’'.-]+", text)
    found: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 8), i, -1):
            cand = " ".join(words[i:j]).strip(".")
            cand = re.sub(r"[’']s$", "", cand)
            if lexicon.kind_of(cand) is not None:
                found.append(cand)
                i = j
                break
        else:
            i += 1
    return found


def _conversation(rest: str, lexicon: Lexicon, reading: TitleReading) -> None:
    reading.is_conversation = True
    rest = re.sub(r"^(?:,\s*)?(?:conversation\s+|talks\s+)?(?:between|of|with)\s+", "", rest.strip(), flags=re.I)
    masked, groups = _mask_brackets(rest)
    segments = [s for s in masked.split(",")]
    # trailing segments that are a place
    while len(segments) > 1:
        tail = _unmask(segments[-1], groups).strip()
        if lexicon.kind_of(tail) == "place" or (not lexicon.kind_of(tail) and tail.lower() in _PLACEISH):
            reading.place = reading.place or tail
            segments.pop()
        else:
            break
    masked = ",".join(segments)
    groups_of_names = re.split(r"\s+with\s+", masked, flags=re.I)
    for group in groups_of_names:
        refs, vias = _names(_unmask(group, groups), lexicon)
        reading.participants.extend(refs)
        reading.intermediaries.extend(vias)


def parse_title(title: str, lexicon: Lexicon | None = None) -> TitleReading:
    """Read a title into type, correspondents, participants, place, date and numbers."""
    lexicon = lexicon or _NoLexicon()
    text = " ".join(title.split())
    reading = TitleReading(title=title)
    if not text:
        reading.notes.append("empty title")
        return reading
    if len(text) > MAX_READ:
        reading.notes.append(f"title of {len(text)} characters not read (more than {MAX_READ}): "
                             "is a summary or a whole page in it?")
        return reading
    if not brackets_balanced(text):
        reading.notes.append("unbalanced brackets: read without them")
        text = " ".join(re.sub(r"[\[\]()]", " ", text).split())
    elif _bracket_depth(text) > MAX_BRACKET_DEPTH:
        reading.notes.append("brackets nested too deep: read without them")
        text = " ".join(re.sub(r"[\[\]()]", " ", text).split())
    norm = text.translate(_QUOTE_TRANSLATION)

    journal_owner: list[NameRef] = []
    if (m := _JOURNAL.match(norm)) and (norm[:4].lower() == "from" or match_type_prefix(m.group("rest"))):
        refs, _ = _names(m.group("owner"), lexicon)
        journal_owner = refs
        norm = m.group("rest")

    # embedded date at the end ("…, 18 December 1949", "… on 2 June 1948")
    if found := find_date_in_text(norm):
        date, start, end = found
        if not norm[end:].strip(" .,"):
            reading.date = date
            norm = norm[:start].rstrip(" ,")

    # "A’s Recollections of …"
    possessive_author: list[NameRef] = []
    if not match_type_prefix(norm) and (m := _POSSESSIVE.match(norm)) and match_type_prefix(m.group("rest")):
        refs, _ = _names(m.group("author"), lexicon)
        if refs and _looks_like_names(m.group("author"), lexicon):
            possessive_author = refs
            norm = m.group("rest")

    prefix = match_type_prefix(norm)
    sep = None
    rest = norm
    if prefix:
        reading.doc_type, reading.classification, numbers, consumed = prefix
        reading.numbers = numbers
        rest = norm[consumed:]
        sm = re.match(r"^\s*(,|:|from\b|to\b|between\b|of\b|by\b|with\b|on\b|at\b|in\b|regarding\b|concerning\b|about\b)?\s*", rest, re.I)
        sep = (sm.group(1) or "").lower() or None
        rest = rest[sm.end():] if sm else rest
    elif (suffix := match_type_suffix(norm)) is not None:
        reading.doc_type, consumed_from = suffix
        reading.subject = norm[:consumed_from].strip() or None
        if reading.subject:
            reading.mentions.extend(_scan_mentions(reading.subject, lexicon))
        reading.participants.extend(journal_owner)
        reading.authors.extend(possessive_author)
        return reading

    from cwgraph.doctypes import is_conversation_type

    conversation = reading.doc_type is not None and is_conversation_type(reading.doc_type)
    if reading.doc_type and sep == "," and re.match(r"^(?:conversation|talks)\b", rest, re.I):
        conversation = True
        rest = re.sub(r"^(?:conversation|talks)\s*", "", rest, flags=re.I)
    if conversation:
        if sep in ("of", "between", "with", ",", None) or rest:
            if sep == "with":
                rest = "with " + rest
            _conversation(rest, lexicon, reading)
        reading.participants[:0] = journal_owner + possessive_author
        return reading

    reading.participants.extend(journal_owner)
    reading.authors.extend(possessive_author)

    if sep == "by":
        author_text = _cut_subject(rest, reading, lexicon)
        masked, groups = _mask_brackets(author_text)
        if m := re.search(r"\s+(?:at|in|ahead of|before|after|during|for|to)\s+", masked):
            author_text = _unmask(masked[: m.start()], groups)
        refs, _ = _names(author_text, lexicon)
        reading.authors.extend(refs)
        tail = rest[len(author_text):].strip()
        if tail:
            reading.subject = reading.subject or tail
            reading.mentions.extend(_scan_mentions(tail, lexicon))
            _place_in_phrase(tail, lexicon, reading)
        return reading

    if sep not in (",", "from", "to", None, ":"):
        reading.subject = rest or None
        if rest:
            reading.mentions.extend(_scan_mentions(rest, lexicon))
            if sep in ("at", "in", "of"):  # "on the Situation in Korea" is what it is about, not where
                _place_in_phrase(rest, lexicon, reading)
        return reading

    _correspondence(rest, sep, lexicon, reading)
    if possessive_author and reading.recipients and not reading.senders:
        # "Mao Zedong's Telegram to Stalin": the author of a letter is its sender
        reading.senders, reading.authors = reading.authors, []
    if not reading.is_correspondence and reading.doc_type is None and not reading.participants:
        reading.subject = rest
        reading.mentions.extend(_scan_mentions(rest, lexicon))
    return reading


_AT_PLACE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?(?P<place>[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|of|de))*)")
_OCCASIONS = {"plenum", "congress", "session", "meeting", "conference", "celebration", "banquet", "reception",
              "rally", "ceremony", "dinner", "assembly", "politburo", "presidium", "committee", "council"}
_SUBJECT_START = re.compile(r"^\s*(?:on|about|regarding|concerning|re:?|with regard to|in connection with)\b", re.I)


def _place_in_phrase(text: str, lexicon: Lexicon, reading: TitleReading) -> None:
    """The place of a phrase like ``[Delivered at] the Bolshoi Theatre in Moscow`` or ``at the
    Moscow Station``; a subject phrase (``on the Situation in Manchuria``) names no place."""
    if reading.place or _SUBJECT_START.match(text):
        return
    flat = re.sub(r"[\[\]()]", "", text)
    m = _AT_PLACE.search(flat)
    if not m:
        return
    words = m.group("place").split()
    while words and words[-1][0].islower():  # "Plenum of" from "at the Plenum of the Central Committee"
        words.pop()
    run = " ".join(words)
    if not words or any(w.lower().rstrip("s") in _OCCASIONS for w in words):
        return
    # the longest run of capitalised words; a known place inside it only when the run is that place
    for j in range(len(words), 0, -1):
        candidate = " ".join(words[:j])
        if lexicon.kind_of(candidate) == "place":
            reading.place = candidate if j == len(words) or not words[j][0].isupper() else run
            return
    if lexicon.kind_of(run) in (None, "place"):
        reading.place = run


_SUBJECT_SPLIT = re.compile(
    r"\s+(?:on|about|regarding|concerning|re:|with regard to|with respect to|in connection with|"
    r"transmitting|conveying|relaying|forwarding|enclosing|containing|requesting|reporting|asking|informing|"
    r"approving|proposing|explaining|answering|replying|congratulating|discussing|thanking|announcing|expressing|"
    r"inviting|agreeing|suggesting|describing|outlining|accepting|rejecting|confirming|acknowledging|instructing|"
    r"urging|warning|protesting|recommending|summarizing|summarising)\s+", re.I)


def _cut_subject(text: str, reading: TitleReading, lexicon: Lexicon) -> str:
    """``Roshchin on the Situation in Manchuria`` → ``Roshchin``; the rest is the subject."""
    masked, groups = _mask_brackets(text)
    m = _SUBJECT_SPLIT.search(masked)
    if not m:
        return text
    subject = _unmask(masked[m.start():], groups).strip()
    reading.subject = reading.subject or subject
    reading.mentions.extend(_scan_mentions(subject, lexicon))
    return _unmask(masked[: m.start()], groups)


_BRACKETED_MESSAGE = re.compile(
    r"\s*[(\[]((?:containing|transmitting|relaying|forwarding|conveying|enclosing|with)\s+(?:an?|the)\s+"
    r"(?:message|letter|telegram|cable|note)s?\s+from\s[^()\[\]]*)[)\]]", re.I)


def _correspondence(rest: str, sep: str | None, lexicon: Lexicon, reading: TitleReading) -> None:
    """``X to Y`` (after ',' or no type), ``from X to Y``, ``to Y from X``; with message clauses."""
    message_author: str | None = None
    message_to: str | None = None
    rest = _BRACKETED_MESSAGE.sub(r", \1", rest)  # "(Relaying a Message from Mao Zedong)"
    masked, groups = _mask_brackets(rest)
    if m := _MESSAGE_CLAUSE.search(masked):
        clause = masked[m.start("author"):]
        arrows = _find_arrow(clause, "to")  # "from Chinese Ambassador to the USSR Zheng Fengyi" has no arrow
        if arrows:
            message_author = _unmask(clause[: arrows[0]], groups)
            message_to = _unmask(re.sub(r"^\s+to\s+", "", clause[arrows[0]:], flags=re.I), groups)
        else:
            message_author, message_to = _unmask(clause, groups), None
        masked = masked[: m.start()]
    senders_text = recipients_text = None
    if sep == "to":
        pos = _find_arrow(masked, "from")
        if pos:
            recipients_text = masked[: pos[0]]
            senders_text = re.sub(r"^\s+from\s+", "", masked[pos[0]:], flags=re.I)
        else:
            recipients_text = masked
    else:
        arrows = _find_arrow(masked, "to")
        if arrows:
            senders_text = masked[: arrows[0]]
            recipients_text = re.sub(r"^\s+to\s+", "", masked[arrows[0]:], flags=re.I)
        elif sep == "from":
            senders_text = _cut_subject(_unmask(masked, groups), reading, lexicon)
            senders_text, groups = _mask_brackets(senders_text)
        elif masked.strip():
            # "Exchange of Notes, A and B" and other typed titles with names but no arrow
            text = _split_tail(_unmask(masked, groups), lexicon, reading)
            if reading.doc_type and _looks_like_names(text, lexicon):
                refs, vias = _names(text, lexicon)
                reading.participants.extend(refs)
                reading.intermediaries.extend(vias)
            else:
                reading.subject = _unmask(masked, groups).strip() or None
                if reading.subject:
                    reading.mentions.extend(_scan_mentions(reading.subject, lexicon))
                    _place_in_phrase(reading.subject, lexicon, reading)
            senders_text = None
    if senders_text is not None:
        s_text = _unmask(senders_text, groups)
        if reading.doc_type is None and not _looks_like_names(s_text, lexicon):
            reading.subject = _unmask(masked, groups).strip()
            reading.mentions.extend(_scan_mentions(reading.subject, lexicon))
            return
        refs, vias = _names(s_text, lexicon)
        reading.senders.extend(refs)
        reading.intermediaries.extend(vias)
    if recipients_text is not None:
        r_text = _split_tail(_cut_subject(_unmask(recipients_text, groups), reading, lexicon), lexicon, reading)
        refs, vias = _names(r_text, lexicon)
        reading.recipients.extend(refs)
        reading.intermediaries.extend(vias)
    if message_author:
        outer_senders = reading.senders
        refs, vias = _names(message_author, lexicon)
        reading.senders = refs
        reading.intermediaries = outer_senders + reading.intermediaries + vias
        if message_to:
            to_refs, to_vias = _names(_split_tail(message_to, lexicon, reading), lexicon)
            # the outer recipient and the inner one are the same person under two names
            # (Kuznetsov / Filippov); keep both as written, the resolver merges them
            reading.recipients = reading.recipients + to_refs
            reading.intermediaries.extend(to_vias)
