"""Names in a title part: lists (``A, B, and C``), roles and honorifics (``Soviet Ambassador to
China Nikolai Roshchin``), editorial brackets (``Filippov [Stalin]``), channels (``[via Terebin]``),
and the phrases that end a name list (a place, a subject, a clause). The parser keeps each name as
written with its bracket; what a bracket *means* is decided by the resolver, which knows the
authorities. A :class:`Lexicon` (built from the authority files) helps tell a place from a subject
phrase and a role from a name; without one the reader falls back on capitalisation.
"""

from __future__ import annotations

import re

from cwgraph.interpreting.normalize import normalize_name
from cwgraph.interpreting.titles.gate import org_shaped as shaped
from cwgraph.interpreting.titles.gate import person_shaped
from cwgraph.interpreting.titles.reading import Conveyed, Lexicon, NameRef, TitleReading
from cwgraph.interpreting.titles.reading import NoLexicon as _NoLexicon
from cwgraph.interpreting.titles.tokens import PLACEHOLDER as _PLACEHOLDER
from cwgraph.interpreting.titles.tokens import mask_brackets as _mask_brackets
from cwgraph.interpreting.titles.tokens import unmask as _unmask
from cwgraph.interpreting.titles.words import HONORIFICS, ROLE_WORDS, words_of


def org_shaped(text: str) -> bool:
    return shaped(text)


def _person_like(text: str, lexicon: Lexicon) -> bool:
    bare = _strip_honorifics(_without_brackets(text))
    name = strip_role(bare, lexicon)[0]
    return lexicon.kind_of(bare) is not None or lexicon.kind_of(name) is not None or \
        (person_shaped(name) and len(name.split()) > 1)


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
# "…, containing a message from Mao Zedong", "transmitting Letter from Kim Il Sung to Stalin",
# "with an Approved Message from Pushkin to Stalin": with or without an article, a date or an adjective
_MESSAGE_CLAUSE = re.compile(
    r",?\s+(?:containing|transmitting|enclosing|forwarding|conveying|relaying|with)\s+"
    r"(?:(?:an?|the|his|her|their|approved|attached|enclosed|following|personal|oral|verbal|secret|"
    r"\d{1,2}|january|february|march|april|may|june|july|august|september|october|november|december|\d{4}),?\s+){0,4}"
    r"(?:message|letter|telegram|cable|note|reply|answer|greetings)s?\s+"
    r"from\s+(?P<author>.+?)(?:\s+to\s+(?P<to>.+))?$",
    re.I,
)
# "… in Stalin's Name": the message is addressed to Stalin
_IN_NAME = re.compile(r",?\s+in\s+(?P<to>[^,]+?)['’]s?\s+Name\s*$", re.I)

_OPEN = {"[": "]", "(": ")"}


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
    return word in _PLACEISH or word in words_of("country", "nationality")


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
    joint = re.compile(r"\b(Party|Government|State)\s+and\s+(Party|Government|State)\b", re.I)
    parts = [p.replace("\u0001", " and ") for p in _top_level_split(joint.sub("\\1\u0001\\2", text), _LIST_SEP)
             if p.strip()]  # "the Party and Government Delegation": one body
    if len(parts) > 1 and org_shaped(_without_brackets(parts[0])) and org_shaped(_without_brackets(text)) and \
            not (org_shaped(parts[-1]) or _person_like(parts[-1], lexicon)):
        return [text]  # "Directorate for Nuclear Affairs and Disarmament": one body
    merged: list[str] = []
    pending = ""
    for part in parts:
        if _is_role_only(part) and lexicon.kind_of(part) is None and not org_shaped(part):
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


def _is_country(text: str) -> bool:
    low = re.sub(r"^(?:the\s+)?(?:democratic\s+|people's\s+|people’s\s+|socialist\s+)*(?:republic\s+of\s+)?", "",
                 text.strip().lower())
    return low in words_of("country")


def _is_role_word(word: str) -> bool:
    low = word.lower().strip(",")
    return low in words_of("title-role") or low in {"minister", "ambassador", "secretary", "president", "premier",
                                                     "chairman", "consul", "envoy", "representative", "head",
                                                     "director", "chief", "member", "leader", "commander"}


def _is_given_name(tok: str) -> bool:
    """A capitalised word that is neither a role, an honorific nor a place: ``Vasily``, ``A.``."""
    low = tok.lower().strip(",")
    if low in ROLE_WORDS or low in HONORIFICS or _is_place_word(low) or not tok[:1].isupper() or \
            len(low.rstrip(".")) < 3 or low.endswith("."):
        return False  # an initial does not contradict a known surname (that is for the resolver to weigh)

    return low.rstrip(".") not in words_of("title-role", "org", "not-name", "nationality")


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
            # "Vasily Kuznetsov" is not the cover name Kuznetsov: a given name before a known surname
            # keeps the whole personal name
            j = i
            while j > 0 and j > i - 3 and _is_given_name(words[j - 1]):
                j -= 1
            if j < i and lexicon.kind_of(" ".join(words[j:])) is None:
                return " ".join(words[j:]), " ".join(words[:j]) or None
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
            and (lexicon.kind_of(where.group(1).strip()) == "place" or _is_country(where.group(1))):
        base = base[: where.start()]  # "Roshchin in Beijing"
    if lexicon.kind_of(_strip_honorifics(base)) is None \
            and (where := re.search(r"\s+of\s+(?:the\s+)?([A-Z][\w'’. -]*)$", base)) \
            and (lexicon.kind_of(where.group(1).strip()) == "place" or _is_country(where.group(1))) \
            and not _is_role_word(base[: where.start()].split()[-1]):
        base = base[: where.start()]  # "Prime Minister Pham Van Dong of the Democratic Republic of Vietnam"
    if re.match(r"^the\s+[A-Z]", base) and lexicon.kind_of(base[4:]) is None and not _ROLE_THEN_NAME.search(base):
        name, role = base[4:], None  # "the Ministry of Foreign Affairs": an institution, kept whole
    else:
        name, role = strip_role(base, lexicon)
    vias = [NameRef(v.written, v.name, v.bracket, v.role, attached_to=written) for v in vias]
    return NameRef(written=written, name=name, bracket=bracket, role=role), vias


def _names(text: str, lexicon: Lexicon) -> tuple[list[NameRef], list[NameRef]]:
    refs: list[NameRef] = []
    vias: list[NameRef] = []
    chunks: list[str] = []
    for chunk in split_name_list(text, lexicon):
        # "the RCP Leadership led by Nicolae Ceausescu": the body and its leader
        chunks.extend(c for c in re.split(r"(?:^|\s+)(?:led|headed|chaired)\s+by\s+", chunk, flags=re.I) if c.strip())
    for chunk in chunks:
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
    first_words = getattr(lexicon, "first_words", None)  # the authorities index names by their first word
    starts = [first_words is None or _first_word(w) in first_words for w in words]
    i = 0
    while i < len(words):
        if not starts[i]:
            i += 1
            continue
        for j in range(min(len(words), i + 8), i, -1):
            cand = " ".join(words[i:j]).strip(".")
            if cand.endswith(("'s", "’s")):
                cand = cand[:-2]
            if lexicon.kind_of(cand) is not None:
                found.append(cand)
                i = j
                break
        else:
            i += 1
    return found


def _first_word(word: str) -> str:
    word = word.strip(".")
    return normalize_name(word[:-2] if word.endswith(("'s", "’s")) else word).split(" ")[0]


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
    r"\s*[(\[]((?:containing|transmitting|relaying|forwarding|conveying|enclosing|with)\s+(?:(?:an?|the)\s+)?"
    r"(?:message|letter|telegram|cable|note)s?\s+from\s[^()\[\]]*)[)\]]", re.I)


def _correspondence(rest: str, sep: str | None, lexicon: Lexicon, reading: TitleReading) -> None:
    """``X to Y`` (after ',' or no type), ``from X to Y``, ``to Y from X``; with message clauses.

    Long: the arrow forms (``X to Y``, ``from X to Y``, ``to Y from X``) share one masked text and
    its cut points."""
    message_author: str | None = None
    message_to: str | None = None
    rest = _BRACKETED_MESSAGE.sub(r", \1", rest)  # "(Relaying a Message from Mao Zedong)"
    masked, groups = _mask_brackets(rest)
    in_name: str | None = None
    if m := _IN_NAME.search(masked):
        in_name = _unmask(m.group("to"), groups)
        masked = masked[: m.start()]
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
        cut = _SUBJECT_SPLIT.search(masked) if sep == "from" else None
        if cut and arrows and cut.start() < arrows[0]:  # "from X Regarding Y's Visit to Albania"
            reading.subject = reading.subject or _unmask(masked[cut.start():], groups).strip()
            masked = masked[: cut.start()]
            arrows = []
        if arrows:
            senders_text = masked[: arrows[0]]
            recipients_text = re.sub(r"^\s+to\s+", "", masked[arrows[0]:], flags=re.I)
        elif sep == "from":
            senders_text = _cut_subject(_unmask(masked, groups), reading, lexicon)
            senders_text, groups = _mask_brackets(senders_text)
            m = re.search(r"\s+for\s+", senders_text)
            if m and not org_shaped(_unmask(senders_text, groups)):  # "Memorandum from X for Y": Y the addressee
                recipients_text = senders_text[m.end():]
                senders_text = senders_text[: m.start()]
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
    if recipients_text is not None and (m := re.search(r",\s*for\s+", recipients_text)):
        # "X to Y, for Cde. Z": Z the addressee, Y the channel
        refs, vias = _names(_unmask(recipients_text[: m.start()], groups), lexicon)
        reading.intermediaries.extend(refs + vias)
        recipients_text = recipients_text[m.end():]
    if recipients_text is not None:
        r_text = _split_tail(_cut_subject(_unmask(recipients_text, groups), reading, lexicon), lexicon, reading)
        refs, vias = _names(r_text, lexicon)
        reading.recipients.extend(refs)
        reading.intermediaries.extend(vias)
    if message_author:
        # the outer document's sender and recipient stay as printed; the message it carries is
        # a second communication with its own sender and addressee
        refs, vias = _names(message_author, lexicon)
        to_refs: list[NameRef] = []
        if message_to:
            to_refs, to_vias = _names(_split_tail(message_to, lexicon, reading), lexicon)
            vias = vias + to_vias
        reading.conveyed.append(Conveyed(tuple(refs), tuple(to_refs)))
        reading.intermediaries.extend(vias)
    if in_name:
        to_refs, _ = _names(in_name, lexicon)
        reading.conveyed.append(Conveyed(tuple(reading.senders), tuple(to_refs), via_outer=False))
