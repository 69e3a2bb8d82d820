"""The forms a title takes: an ordered table, each row a name, real-shaped examples and a reader.

A title is first prepared (:mod:`cwgraph.titles.tokens`: notes, the quoted part, furniture and
dates set aside); then the forms are tried in order and the first reader that returns a reading
wins; then every name passes the name gate (:mod:`cwgraph.titles.gate`) and what the gate refuses
is kept as a warning ("title part not read: …"). Readers build their own reading and mutate nothing
else. Adding a form is one row here and one line in ``tests/test_title_forms.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from cwgraph.dates import find_date_in_text
from cwgraph.doctypes import is_conversation_type, match_type_prefix, match_type_suffix
from cwgraph.titles import names as n
from cwgraph.titles.gate import admit, org_shaped, person_shaped
from cwgraph.titles.reading import Conveyed, Lexicon, NameRef, NoLexicon, TitleReading
from cwgraph.titles.tokens import QUOTE_TRANSLATION, cut_dates, mask_brackets, prepare, unmask

__all__ = ["FORMS", "Form", "MAX_READ", "parse_title"]

# characters; the archive's titles are at most a few hundred and the sources reject more than 1000.
# A longer text is not read (reading costs time in proportion to its length): the reading says so.
MAX_READ = 20_000
MAX_BRACKET_DEPTH = 8  # real titles nest one level; deeper nesting is read without brackets


@dataclass(frozen=True)
class Title:
    """What a reader sees: the prepared text, its quoted part, and the lexicon."""

    text: str
    quoted: str | None
    lexicon: Lexicon
    title: str
    nested: bool = False  # read inside another form (the rest of a journal title)


Reader = Callable[[Title], TitleReading | None]


@dataclass(frozen=True)
class Form:
    name: str
    examples: tuple[str, ...]
    read: Reader


def _new(t: Title, form: str) -> TitleReading:
    return TitleReading(title=t.title, form=form)


def _names(text: str, lex: Lexicon) -> tuple[list[NameRef], list[NameRef]]:
    return n._names(text, lex)


_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
_JOURNAL = re.compile(
    r"^(?:(?:From|Excerpts?\s+(?:from|of)|Entry\s+from|Entries\s+from)\s+(?:the\s+)?)?(?:Journal|Diary|Notes|Notebook)\s+of\s+"
    r"(?P<owner>[^:,]+)[:,]\s*(?P<rest>.*)$", re.I)
_JOURNAL_ALONE = re.compile(
    r"^(?:(?:From|Excerpts?\s+(?:from|of)|Entry\s+from|Entries\s+from)\s+(?:the\s+)?)?(?:Journal|Diary|Notebook)\s+of\s+"
    r"(?P<owner>[^:,]+?)(?:\s+for(?:\s+.*)?)?$", re.I)


def _journal(t: Title) -> TitleReading | None:
    """``From the Journal of X: Memorandum of Conversation with Y``; ``Journal of X for 25 June 1960``;
    ``From the Journal of X, 'Record of a Conversation with Y, role, date'``: X keeps it (its author)
    and, in a conversation, takes part."""
    if t.nested:
        return None
    m = _JOURNAL.match(t.text) or _JOURNAL_ALONE.match(t.text)
    if not m:
        return None
    rest = (m.groupdict().get("rest") or "").strip()
    if not rest and t.quoted:
        rest = t.quoted
    if rest and not (t.text[:4].lower() in ("from", "exce", "entr") or match_type_prefix(rest)):
        return None
    owner_text, *about = re.split(r"\s+(?:on|about|regarding|concerning)\s+(?:the\s+|a\s+)?", cut_dates(m.group("owner")),
                                  maxsplit=1)
    if about and not rest and re.match(r"(?:Meeting|Conversation|Talks?)\s+(?:between|with)\s", about[0], re.I):
        rest = about[0]  # "Diary of X on Meeting between A and B"
    owner, _ = _names(owner_text, t.lexicon)
    kind = re.search(r"\b(Journal|Diary|Notebook|Notes)\s+of\b", t.text, re.I)
    if rest:
        inner = read_forms(Title(rest, None, t.lexicon, t.title, nested=True))
    else:
        inner = _new(t, "journal")
    if not (m.groupdict().get("rest") or "").strip() and not (t.quoted and rest == t.quoted) and kind and \
            (p := match_type_prefix(kind.group(1).title())):
        inner.doc_type = p[0]  # "Journal of X for 25 June 1960", "Diary of X on Meeting between A and B"
    inner.form = f"journal+{inner.form}"
    if inner.is_conversation and not re.search(r"\bbetween\s", rest, re.I):
        inner.participants[:0] = owner  # "… Conversation with Y": the keeper was the other party
    inner.authors[:0] = owner
    return inner


_SESSION = re.compile(
    r"^(?P<head>.*?)\b(?:the\s+)?(?:" + _ORDINAL + r"\s+)?(?:Plenary\s+|Plenum\s+|Extraordinary\s+)?"
    r"(?:Session|Sitting|Meeting|Plenum)\s+of\s+(?:the\s+)?(?P<body>.+?)"
    r"(?:,?\s+with\s+(?:the\s+)?Participation\s+(?:by|of)\s+(?P<with>.+))?$", re.I)
_BODY_END = re.compile(r"\s+(?:(?:on|regarding|concerning|about|in|at|during|to|re)\s+.*|held(?:\s+.*)?)$", re.I)


_BODY_MEETING = re.compile(r"^(?P<head>.*?)\b(?:from|of)\s+(?:the\s+)?(?:a\s+)?(?P<body>[A-Z][^,]*?)\s+"
                           r"(?:Session|Sitting|Meeting|Plenum)(?:\s+on\b.*)?$", re.I)


_SESSION_WORD = re.compile(r"\b(?:Session|Sitting|Meeting|Plenum)\b", re.I)


def _session(t: Title) -> TitleReading | None:
    """``Working Notes from the Session of the CPSU CC Presidium …, with Participation by J. Kadar, F. Munnich``;
    ``Protocol No. 129, Meeting of the Polish Politburo``: the body takes part, with whoever is named."""
    if not _SESSION_WORD.search(t.text):
        return None
    m = _SESSION.match(t.text)
    if not m and (m := _BODY_MEETING.match(cut_dates(t.text))) and len(m.group("body").split()) < 2:
        return None  # "Minutes of the Politburo Meeting": which party's politburo, the title does not say
    if not m:
        return None
    body = _BODY_END.sub("", cut_dates(m.group("body"))).strip(" ,")
    if not org_shaped(body) and t.lexicon.kind_of(body) != "group":
        return None
    r = _new(t, "session")
    head = re.sub(r"\s+(?:from|of)(?:\s+(?:a|an|the))?$", "", m.group("head").strip(" ,"), flags=re.I).strip(" ,")
    if head:
        p = match_type_prefix(head)
        if not p or head[p[3]:].strip(" ,"):
            return None  # "Speech by Mao Zedong at the Plenum of …": the session is where, not who
        r.doc_type, r.classification, r.numbers = p[0], p[1], p[2]
    r.is_conversation = True
    r.participants.append(NameRef(body, re.sub(r"^the\s+", "", body, flags=re.I), kind="group"))
    if m.groupdict().get("with"):
        refs, vias = _names(cut_dates(m.group("with")), t.lexicon)
        r.participants.extend(refs)
        r.intermediaries.extend(vias)
    return r


_VISIT = re.compile(r"^(?:(?:Record|Memorandum|Notes|Minutes)\s+(?:on|of)\s+)?(?:the\s+)?(?:Official\s+|State\s+)?"
                    r"Visit\s+(?:to\s+(?P<place>.+?)\s+)?of\s+(?P<who>.+)$", re.I)


def _visit(t: Title) -> TitleReading | None:
    """``Visit to the United Kingdom of Bulganin and Khrushchev, 19-27 April 1956``: the visitors take part;
    no letter."""
    m = _VISIT.match(t.text) if "isit" in t.text else None
    if not m:
        return None
    r = _new(t, "visit")
    r.is_conversation = True
    who = cut_dates(m.group("who"))
    who = re.split(r",\s+(?:led\s+by|headed\s+by)\s+|\s+(?:to|in)\s+[A-Z]", who)[0] if " led by " not in who else who
    if lead := re.search(r"(?:led|headed)\s+by\s+(.+)$", who, re.I):
        who = who[: lead.start()].strip(" ,") + " with " + lead.group(1)
    for part in re.split(r",?\s+with\s+", who):  # "… Delegation of the GDR, led by X, with Y"
        refs, _ = _names(part, t.lexicon)
        r.participants.extend(refs)
    if m.group("place"):
        r.subject = m.group("place")
    return r


_POSS_CONV = re.compile(
    r"^(?:(?P<type>[^,]+?)(?:,\s*|\s+of\s+|\s+from\s+))?(?P<who>[^,]+?)['’]s\]?\s+(?:" + _ORDINAL + r"\s+)?"
    r"(?:Conversations?|Talks?|Meetings?|Discussions?|Audience|Interview|Exchange)\s+(?:with|between)\s+(?P<with>.+)$",
    re.I)


def _possessive_conversation(t: Title) -> TitleReading | None:
    """``Minutes, X's Conversation with Y``; ``Record of Molotov's Conversation with US Ambassador Bohlen``;
    ``[Mao Zedong's] Conversation with [Richard] Dixon and [Lawrence "Lance"] Sharkey``."""
    if "'s" not in t.text:
        return None
    text = _open_completions(t.text)
    m = _POSS_CONV.match(text)
    if not m:
        return None
    r = _new(t, "possessive-conversation")
    word = re.search(r"(Conversations?|Talks?|Meetings?|Discussions?)\s+(?:with|between)\s", text, re.I)
    if conv := match_type_prefix(f"{m.group('type') or ''} of {word.group(1) if word else 'Conversation'}".strip()):
        r.doc_type = conv[0]  # "Record of Molotov's Conversation with …": a record of conversation
    elif word and (conv := match_type_prefix(word.group(1).title())):
        r.doc_type = conv[0]
    if m.group("type") and (p := match_type_prefix(m.group("type").strip())):
        r.doc_type = r.doc_type if r.doc_type and p[0] in ("Excerpt", "Draft", "Record") else p[0]
        r.classification, r.numbers = p[1], p[2]
        if frm := re.match(r"^\s*from\s+(.+)$", m.group("type")[p[3]:], re.I):
            r.senders.extend(_names(frm.group(1), t.lexicon)[0])  # "Cryptogram from the Embassy, X's Meeting with Y"
    r.is_conversation = True
    who = m.group("who").strip("[ ")
    refs, _ = _names(who, t.lexicon)
    r.participants.extend(refs)
    rest = n._cut_subject(cut_dates(m.group("with")), r, t.lexicon)
    rest = n._split_tail(rest, t.lexicon, r)
    refs, vias = _names(_strip_trailing_place(rest, t.lexicon, r), t.lexicon)
    r.participants.extend(refs)
    r.intermediaries.extend(vias)
    return r


def _open_completions(text: str) -> str:
    """``[Richard] Dixon`` → ``Richard Dixon``: an editor's completion of a name is part of it."""
    text = re.sub(r"\[([A-Z][^\[\]]*?)\]\s+(?=[A-Z])", r"\1 ", text)
    text = re.sub(r"\s*\"[^\"]*\"\s*", " ", text)  # a nickname in quotes
    return " ".join(text.split())


def _strip_trailing_place(text: str, lex: Lexicon, r: TitleReading) -> str:
    m = re.search(r",?\s+(?:in|at)\s+(?:the\s+)?([A-Z][\w'’. -]*)$", text)
    if m and (lex.kind_of(m.group(1).strip()) == "place" or m.group(1).strip().lower() in n._PLACEISH):
        r.place = r.place or m.group(1).strip()
        return text[: m.start()]
    return text


_NTH_CONV = re.compile(r"^(?P<type>(?:The\s+)?(?:Record|Minutes|Memorandum|Notes|Transcript|Summary)\s+of\s+(?:the\s+)?)"
                       + _ORDINAL + r"\s+(?:Conversation|Meeting|Contact|Talk|Session|Round)s?\s+(?P<rest>(?:between|with)\s+.+)$",
                       re.I)
_DISCUSSION = re.compile(r"^(?:(?:A|The)\s+)?(?:Discussion|Talks?|Conversation|Dialogue|Exchange)\s+(?P<rest>(?:between|with)\s+.+)$",
                         re.I)


def _ordinal_conversation(t: Title) -> TitleReading | None:
    """``Record of the Third Conversation between A and B``; ``Record of the Fifth Contact between …``;
    ``Discussion between Mao Zedong and Pham Van Dong``."""
    if m := _NTH_CONV.match(t.text):
        r = _new(t, "ordinal-conversation")
        p = match_type_prefix(m.group("type") + "Conversation")
        if p:
            r.doc_type = p[0]
    elif m := _DISCUSSION.match(t.text):
        r = _new(t, "discussion")
        r.doc_type = "Conversation"
    else:
        return None
    _conversation_parts(m.group("rest"), t.lexicon, r)
    return r


def _conversation_parts(rest: str, lex: Lexicon, r: TitleReading) -> None:
    rest = cut_dates(rest)
    rest = re.sub(r"^(?:at|during)\s+(?:the|a|an)\s+(?:[A-Z]\w+\s+){0,2}(?:Meeting|Session|Talks|Reception|Dinner)\s+"
                  r"(?=between\b|with\b|of\b)", "", rest, flags=re.I)
    rest = re.sub(r"^(?:between|with|of)\s+", "", rest, flags=re.I) if rest.lower().startswith(("between ", "with ")) \
        else rest
    masked, groups = mask_brackets(rest)
    cut = re.search(r",?\s+(?:regarding|concerning|about|re|referring\s+to|on\s+the|during|at\s+the|in\s+connection)\s+",
                    masked, re.I)
    if cut:
        r.subject = r.subject or unmask(masked[cut.start():], groups).strip()
        rest = unmask(masked[: cut.start()], groups)
    n._conversation(rest, lex, r)


_ABOUT_CONV = re.compile(r"^(?P<type>[^,]+?)\s+(?:on|of|about)\s+(?:a|an|the)?\s*(?:" + _ORDINAL + r"\s+)?"
                         r"(?:Conversations?|Meetings?|Talks?|Discussions?)\s+(?P<rest>(?:between|with|by)\s+.+)$", re.I)


def _about_conversation(t: Title) -> TitleReading | None:
    """``Report on Conversation between Song Renqiong and Kim Il Sung``; ``Note on a Conversation with X``;
    ``Report of the Conversation by A with B, with the Presence of C``: whoever took part."""
    m = _ABOUT_CONV.match(t.text)
    if not m or not (p := match_type_prefix(m.group("type"))) or m.group("type")[p[3]:].strip():
        return None
    r = _new(t, "about-conversation")
    r.doc_type, r.classification, r.numbers = p[0], p[1], p[2]
    rest = m.group("rest")
    if by := re.match(r"by\s+(?P<who>.+?)\s+with\s+(?P<rest>.+)$", rest, re.I):
        refs, _ = _names(by.group("who"), t.lexicon)
        r.participants.extend(refs)
        r.authors.extend(refs)
        rest = "with " + by.group("rest")
    rest = re.sub(r",?\s+with\s+the\s+(?:Presence|Participation)\s+of\s+", " and ", rest, flags=re.I)
    _conversation_parts(rest, t.lexicon, r)
    r.is_conversation = True
    return r


_VERB_TITLE = re.compile(r"^(?P<who>[A-Z][^,]*(?:,\s*[A-Z][^,]*)*?)\s+(?P<verb>addresse?s?|meets?(?:\s+with)?|receives?|"
                         r"talks?\s+(?:with|to)|Discussing|Discuss(?:es)?|Meeting\s+with|Receiving|Addressing)\s+"
                         r"(?P<whom>.+)$")


def _names_verb(t: Title) -> TitleReading | None:
    """``Saddam Hussein and Military Officials Discussing …``; ``Zhou Enlai, Kang Sheng and Pham Hung address
    the COSVN delegation``: those named take part; a verb of talking names the others."""
    if match_type_prefix(t.text):
        return None
    m = _VERB_TITLE.match(t.text)
    if not m or not n._looks_like_names(m.group("who"), t.lexicon) and not re.search(r"\band\b", m.group("who")):
        return None
    r = _new(t, "names-verb")
    r.is_conversation = True
    refs, _ = _names(m.group("who"), t.lexicon)
    r.participants.extend(refs)
    if not m.group("verb").lower().startswith("discuss"):
        whom = n._cut_subject(m.group("whom"), r, t.lexicon)
        whom = re.split(r"\s+(?:in|at|on|about|regarding|during)\s+", whom, maxsplit=1)[0]
        refs, _ = _names(whom, t.lexicon)
        r.participants.extend(refs)
    else:
        r.subject = m.group("whom")
    return r


_BODY_TALK = re.compile(r"^(?:(?:Record|Minutes|Notes|Transcript|Summary)\s+of\s+(?:the\s+|a\s+)?)?(?P<who>[A-Z][^,]*?)\s+"
                        r"(?:Discussion|Deliberations?|Meeting|Session|Plenum)s?\b(?P<rest>.*)$")


def _body_discussion(t: Title) -> TitleReading | None:
    """``CPSU Politburo Discussion of the Memorandum …``; ``Committee on Radio Broadcasting Policy Discussion``:
    the body that met takes part."""
    m = _BODY_TALK.match(t.text)
    if not m:
        return None
    who = m.group("who").strip()
    if not (org_shaped(who) or t.lexicon.kind_of(who) == "group") or len(who.split()) < 2:
        return None
    r = _new(t, "body-discussion")
    r.is_conversation = True
    r.participants.append(NameRef(who, who, kind="group"))
    r.subject = m.group("rest").strip(" ,") or None
    return r


_PARTIES = re.compile(r"^(?P<type>[^,]*?\b(?:Agreement|Treaty|Protocol|Accord|Convention|Communiqu[eé]|Declaration)s?)\b"
                      r"(?:\s+(?:on|of|for|about|regarding)\s+[^,]*?)?\s+between\s+(?P<rest>.+)$", re.I)


def _parties(t: Title) -> TitleReading | None:
    """``Agreement on Cooperation between the Stasi and the KGB``: the parties to it."""
    m = _PARTIES.match(t.text) if " between " in t.text else None
    if not m:
        return None
    r = _new(t, "parties")
    if p := match_type_prefix(m.group("type")):
        r.doc_type = p[0]
    elif found := match_type_suffix(m.group("type")):
        r.doc_type = found[0]
    rest = re.split(r"\s+(?:on|regarding|concerning|about|in|for)\s+", cut_dates(m.group("rest")), maxsplit=1)[0]
    refs, _ = _names(rest, t.lexicon)
    r.participants.extend(refs)
    r.is_conversation = True
    return r


def _conversation(t: Title) -> TitleReading | None:
    """``Memorandum of Conversation between A and B``; ``Conversation, A and B with C, Moscow``;
    ``Record of a Conversation with Y, role``."""
    p = match_type_prefix(t.text)
    if not p:
        return None
    doc_type, classification, numbers, consumed = p
    rest = t.text[consumed:]
    sm = re.match(r"^\s*(,|:|between\b|of\b|with\b)?\s*", rest, re.I)
    sep = (sm.group(1) or "").lower() if sm else ""
    rest = rest[sm.end():] if sm else rest
    conversation = is_conversation_type(doc_type)
    if sep == "," and re.match(r"^(?:conversation|talks)\b", rest, re.I):
        conversation = True
        rest = re.sub(r"^(?:conversation|talks)\s*", "", rest, flags=re.I)
    if not conversation:
        return None
    r = _new(t, "conversation")
    r.doc_type, r.classification, r.numbers = doc_type, classification, numbers
    if sep == "" and rest[:1].islower():
        r.subject = rest  # "Meeting to Discuss …": what it was about
        return r
    if sep in ("of", "between", "with", ",", "") or rest:
        if sep == "with":
            rest = "with " + rest
        _conversation_parts(rest, t.lexicon, r)
    r.is_conversation = True
    return r


_BY = re.compile(r"^(?P<type>.+?)\s+(?:(?:sent|prepared|written|drafted|compiled|signed|submitted)\s+)?by\s+(?P<rest>.+)$",
                 re.I)


def _by(t: Title) -> TitleReading | None:
    """``Statement by President Syngman Rhee``; ``Draft Report, 'Title,' by M. Suslov to CC CPSU Presidium``;
    ``Report on … sent by X, the Albanian ambassador, to the Ministry``."""
    m = _BY.match(t.text)
    if not m:
        return None
    head = m.group("type").strip(" ,")
    p = match_type_prefix(head)
    if not p:
        return None
    left = head[p[3]:].strip(" ,")
    if (q := match_type_prefix(re.sub(r"^(?:of|on)\s+(?:the\s+)?", "", left, flags=re.I))) and \
            not re.sub(r"^(?:of|on)\s+(?:the\s+)?", "", left, flags=re.I)[q[3]:].strip(" ,") and p[0] not in ("Draft", "Excerpt"):
        left = ""  # "Summary of Comments by …": a summary
    if left and p[0] in ("Draft", "Excerpt") and (q := match_type_prefix(left)) and not left[q[3]:].strip(" ,"):
        p, left = q, ""  # "Draft Report by …": the report
    left = re.sub(r",?\s*(?:sent|prepared|written|drafted|compiled|signed|submitted)$", "", left, flags=re.I)
    if left and not re.search(r"\ssent\s+by\s", t.text, re.I):
        return None  # "Statement on the Answer to the Note by …": the "by" is the subject's
    r = _new(t, "by")
    r.doc_type, r.classification, r.numbers = p[0], p[1], p[2]
    rest = m.group("rest")
    masked, groups = mask_brackets(rest)
    arrows = n._find_arrow(masked, "to")
    author_text = unmask(masked[: arrows[0]], groups) if arrows else rest
    author_text = n._cut_subject(author_text, r, t.lexicon)
    am, ag = mask_brackets(author_text)
    if cut := re.search(r"\s+(?:at|in|ahead of|before|after|during|attending)\s+", am, re.I):
        author_text = unmask(am[: cut.start()], ag)
    refs, _ = _names(cut_dates(author_text), t.lexicon)
    if arrows:
        r.senders.extend(refs)
        to_text = re.sub(r"^\s+to\s+", "", unmask(masked[arrows[0]:], groups), flags=re.I)
        to_text = re.split(r"\s+for\s+(?:Presentation|Discussion|Approval|Consideration)\b", to_text, flags=re.I)[0]
        to_text = n._split_tail(n._cut_subject(to_text, r, t.lexicon), t.lexicon, r)
        refs, vias = _names(to_text, t.lexicon)
        r.recipients.extend(refs)
        r.intermediaries.extend(vias)
    else:
        _place_author(r, refs)
    tail = rest[len(author_text):].strip() if not arrows else ""
    if tail:
        r.subject = r.subject or tail
        r.mentions.extend(n._scan_mentions(tail, t.lexicon))
        n._place_in_phrase(tail, t.lexicon, r)
    if left:
        r.subject = r.subject or head
    return r


_REPLY = re.compile(r"^(?:(?:Draft|Text\s+of)\s+(?:the\s+)?)?(?P<type>Reply|Answer|Response)\s+to\s+(?P<to>[^,]+?)['’]s\s+"
                    r"(?:\w+\s+){0,2}?(?:Telegram|Letter|Cable|Message|Note|Proposal|Request|Statement|Memorandum)s?"
                    r"(?:\s+(?:of|from)\s+[^,]*?\d[^,]*?)?(?:\s+from\s+(?P<from>.+))?$", re.I)


def _reply(t: Title) -> TitleReading | None:
    """``Draft Reply to Mao Zedong's Telegram from Stalin via Molotov``: Stalin replies to Mao."""
    m = _REPLY.match(t.text) if re.search(r"Reply|Answer|Response", t.text, re.I) else None
    if not m:
        return None
    r = _new(t, "reply")
    if p := match_type_prefix(m.group("type")):
        r.doc_type = p[0]
    refs, vias = _names(m.group("to"), t.lexicon)
    r.recipients.extend(refs)
    if m.group("from"):
        refs, more = _names(n._cut_subject(m.group("from"), r, t.lexicon), t.lexicon)
        r.senders.extend(refs)
        vias += more
    r.intermediaries.extend(vias)
    return r


def _typed(t: Title) -> TitleReading | None:
    """``Type, X to Y``; ``Type from X to Y``; ``Type to Y from X``; ``Letter to ORG, from ROLE, NAME``;
    ``Memorandum from X to the Secretary [Dean Rusk] through Y``; ``Telegram from CITY to CITY``;
    ``Cable from the Chinese Embassy in Hungary, 'Subject'``; ``X, et al., to Y``; ``…, for Cde. Z``."""
    p = match_type_prefix(t.text)
    if not p:
        return None
    doc_type, classification, numbers, consumed = p
    rest = t.text[consumed:]
    sm = re.match(r"^\s*(,|:|from\b|to\b|between\b|of\b|by\b|with\b|on\b|at\b|in\b|regarding\b|concerning\b|"
                  r"about\b|for\b)?\s*",
                  rest, re.I)
    sep = (sm.group(1) or "").lower() or None if sm else None
    rest = rest[sm.end():] if sm else rest
    r = _new(t, "typed")
    r.doc_type, r.classification, r.numbers = doc_type, classification, numbers
    if sep is None and (num := re.match(r"^(?:[A-Z]{1,3}-)?(\d[\w/-]*)\s*,?\s*", rest)):
        r.numbers = [*numbers, num.group(0).strip(" ,")]  # "Telegram 5701 to …", "Airgram A-691 from …"
        rest = rest[num.end():]
        sm = re.match(r"^\s*(,|from\b|to\b)?\s*", rest, re.I)
        sep = (sm.group(1) or "").lower() or None if sm else None
        rest = rest[sm.end():] if sm else rest
    if sep is None and (br := re.match(r"^\[(from|to)\s+([^\[\]]+)\]\s*(.*)$", rest, re.I)):
        sep, rest = br.group(1).lower(), f"{br.group(2)} {br.group(3)}"  # "Directive [from Mao Zedong] Regarding …"
    if sep == "for":  # "Memorandum for the Secretary": the addressee; "Outline for a Speech": a subject
        sep = "to" if n._looks_like_names(rest, t.lexicon) else "on"
    if sep == ":" and re.match(r"(?:The|A|An|On|About|Regarding)\s", rest):
        sep = "on"  # "Estimate 100-4/1-54: The Situation with Respect to …": a subject
    if sep == "with" and re.match(r"(?:(?:an?|the)\s+)?(?:\w+\s+)?(?:message|letter|telegram)s?\s+from\s", rest, re.I):
        n._correspondence(" with " + rest, ",", t.lexicon, r)  # "Decision with an Approved Message from A to B"
        return r
    if sep is None and re.match(r"[A-Z][a-z]+ing\b", rest):
        sep = "on"  # "Decision Setting Up the Suslov Commission": what it does
    if sep == "of":
        head = re.split(r"\s+(?:on|about|regarding|concerning|in\s+connection\s+with)\s+", rest, maxsplit=1)[0]
        if not n._find_arrow(mask_brackets(head)[0], "to") and (org_shaped(head) or t.lexicon.kind_of(head) == "group"):
            r.senders.extend(_names(head, t.lexicon)[0])  # "Guidelines of the Chinese Communist Party on …"
            r.subject = rest[len(head):].strip() or None
            return r
    if sep == "of" and n._find_arrow(mask_brackets(rest)[0], "to") and \
            n._looks_like_names(rest[: n._find_arrow(mask_brackets(rest)[0], "to")[0]], t.lexicon):
        sep = "from"  # "Report of András Szobek to the Hungarian Foreign Ministry"
    if sep not in (",", "from", "to", None, ":"):
        r.form = "typed-subject"
        r.subject = rest or None
        if rest:
            r.mentions.extend(n._scan_mentions(rest, t.lexicon))
            if sep in ("at", "in", "of"):
                n._place_in_phrase(rest, t.lexicon, r)
        return r
    rest = _through(rest, t.lexicon, r)
    rest = re.sub(r",?\s+et\s+al\.?,?", "", rest)
    n._correspondence(rest, sep, t.lexicon, r)
    return r


def _through(rest: str, lex: Lexicon, r: TitleReading) -> str:
    """``… to the Secretary through Y``: Y is a channel."""
    masked, groups = mask_brackets(rest)
    if m := re.search(r"\s+through\s+", masked, re.I):
        refs, vias = _names(n._split_tail(unmask(masked[m.end():], groups), lex, r), lex)
        r.intermediaries.extend(refs + vias)
        return unmask(masked[: m.start()], groups)
    return rest


_TYPE_WORD = re.compile(r"\b(?:Report|Decision|Directive|Telegram|Cable|Memorandum|Memos?|Resolution|Review|Instructions?|"
                        r"Information|Statement|Letter|Note|Airgram|Circular|Estimate|Evaluation|Assessment|Analysis|"
                        r"Protocol|Gazette|Bulletin|Order|Decree|Appeal|Proposal|Message|Telephonogram|Cryptogram|"
                        r"Briefing)s?\b")


def _org_type(t: Title) -> TitleReading | None:
    """``CPSU CC Directive to Soviet Ambassadors …``; ``State Department Telegram 5701 to U.S. Embassy``;
    ``Bulgarian Communist Party Politburo Decision on …``; ``KGB Chief Serov Report``: an organisation or a
    person, then the type."""
    if match_type_prefix(t.text):
        return None
    masked, groups = mask_brackets(t.text)
    m = _TYPE_WORD.search(masked)
    if not m or m.start() == 0:
        return None
    who = unmask(masked[: m.start()], groups).strip(" ,")
    rest = unmask(masked[m.start():], groups)
    words = who.split()
    for k in range(len(words)):  # "CIA Current Intelligence Review": the longest type printed
        tail = " ".join(words[k:])
        q = match_type_prefix(f"{tail} {rest}")
        if q and q[3] > len(tail) + 1:
            who, rest = " ".join(words[:k]), f"{tail} {rest}"
            break
    if not who:
        return None
    if re.search(r"\b(?:to|from|by|of|on|with|for)$", who, re.I) or \
            re.search(r"\b(?:to|from|by|on|about|regarding|concerning|with|between)\s", who, re.I):
        return None  # "Summary of … Report": the type word belongs to a subject
    p = match_type_prefix(rest)
    if not p:
        return None
    lex = t.lexicon
    inner = _typed(Title(rest, t.quoted, lex, t.title, nested=True))
    if inner is None or inner.participants:
        return None
    inner.form = "org-type"
    if inner.senders and len(who.split()) <= 2:  # "CDS Report No. 66 from Choi Duk Shin to …": a series
        inner.unread.append(f"title part not read: {who!r} (a series or an office before the type)")
        return inner
    if inner.senders or not (org_shaped(who) or lex.kind_of(who) in ("person", "group", "cover")):
        name, role = n.strip_role(who, lex)
        if inner.senders or not (role and (person_shaped(name) or lex.kind_of(name) in ("person", "cover"))):
            return None
    refs, _ = _names(who, lex)
    _place_author(inner, refs)
    return inner


def _place_author(reading: TitleReading, refs: list[NameRef]) -> None:
    """The one who issued an unaddressed document: a body's decision, report or circular is sent by
    it (an organisation is a correspondent, never an author); a person writes it."""
    groups = [replace(x, kind="group") for x in refs if org_shaped(x.name) or org_shaped(_plain(x.written))]
    persons = [x for x in refs if x not in groups and not (org_shaped(x.name) or org_shaped(_plain(x.written)))]
    if reading.recipients:
        reading.senders = groups + persons
    else:
        reading.senders, reading.authors = groups, persons


def _plain(text: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", text).split()), flags=re.I)


_AUTHOR_COMMA = re.compile(r"^(?P<who>[^,]+?),\s*(?P<rest>.+)$")


def _author_comma(t: Title) -> TitleReading | None:
    """``Mao Zedong, Outline for a Speech …``; ``KGB Chief Serov, Report``; ``Col. Mieczysław Białek,
    'Quoted Title'`` (the quoted part set aside leaves the name alone)."""
    lex = t.lexicon
    text = t.text.strip(" ,")
    m = _AUTHOR_COMMA.match(text)
    if m:
        who, rest = m.group("who"), m.group("rest")
        p = match_type_prefix(rest)
        if not p:
            return None
    elif t.quoted and not match_type_prefix(text) and not n._find_arrow(mask_brackets(text)[0], "to"):
        who, rest, p = text, "", None
    else:
        return None
    name, role = n.strip_role(who, lex)
    if not (lex.kind_of(who) in ("person", "group", "cover") or lex.kind_of(name) in ("person", "cover")
            or person_shaped(name) or org_shaped(who)):
        return None
    if p is None and not t.quoted:
        return None
    inner = _typed(Title(rest, t.quoted, lex, t.title, nested=True)) if rest else _new(t, "author-comma")
    if inner is None:
        return None
    if inner.senders or inner.participants:
        return None
    inner.form = "author-comma"
    refs, _ = _names(who, lex)
    _place_author(inner, refs)
    return inner


_NAME_TO = re.compile(r"^(?P<text>.+?),\s*(?P<type>[A-Z][\w ]+?)(?:\s*,?\s*(?:number|No\.?|Nos\.?|#)\s*[\d][\w./-]*)?$")


def _name_to_type(t: Title) -> TitleReading | None:
    """``X to Y, Telegram number 538-540``: the type printed after the correspondents."""
    m = _NAME_TO.match(t.text)
    if not m or match_type_prefix(t.text):
        return None
    p = match_type_prefix(m.group("type"))
    if not p or p[3] < len(m.group("type").strip()) - 1:
        return None
    masked, _ = mask_brackets(m.group("text"))
    if not n._find_arrow(masked, "to"):
        return None
    r = _new(t, "name-to-type")
    r.doc_type, r.classification = p[0], p[1]
    if num := re.search(r"[\d][\w./-]*$", t.text):
        r.numbers = [num.group(0)]
    n._correspondence(m.group("text"), ",", t.lexicon, r)
    return r


_AUTHORED = (r"(?:Comments|Remarks|Recollections|Memoirs|Reflections|Thoughts|Views|Observations|Outline|Notes|"
             r"Speech|Address|Report|Statement|Proposals?|Letter|Telegram|Cable|Message|Diary|Journal)\b")
_POSSESSIVE = re.compile(r"^(?:(?:Excerpts?|Extracts?)\s+(?:from|of)\s+(?:the\s+)?)?(?P<author>[^,]+?)['’]s\s+(?P<rest>.+)$")


def _possessive(t: Title) -> TitleReading | None:
    """``A's Recollections of …``; ``Walter Ulbricht's Speech at the Moscow Conference``;
    ``Mao Zedong's Telegram to Stalin`` (the author of a letter is its sender)."""
    if match_type_prefix(t.text) and not re.match(r"^Excerpts?\s", t.text, re.I):
        return None
    m = _POSSESSIVE.match(t.text)
    if not m or not (match_type_prefix(m.group("rest")) or re.match(_AUTHORED, m.group("rest"), re.I)):
        return None
    author = m.group("author")
    if re.search(r"\b(?:to|from|on|about|regarding|concerning|with|between)\b", author, re.I) or \
            not n._looks_like_names(author, t.lexicon):
        return None
    refs, _ = _names(author, t.lexicon)
    if not refs:
        return None
    inner = read_forms(Title(m.group("rest"), t.quoted, t.lexicon, t.title, nested=True))
    inner.form = f"possessive+{inner.form}"
    if inner.is_conversation:
        inner.participants[:0] = refs
    elif inner.recipients and not inner.senders:
        inner.senders = refs
    else:
        inner.authors[:0] = refs
    return inner


def _type_suffix(t: Title) -> TitleReading | None:
    """``Sino-Soviet Agreement Protocol``: the type at the end, no correspondent."""
    if match_type_prefix(t.text):
        return None
    found = match_type_suffix(t.text)
    if found is None:
        return None
    r = _new(t, "type-suffix")
    r.doc_type, consumed_from = found
    r.subject = t.text[:consumed_from].strip() or None
    if r.subject:
        r.mentions.extend(n._scan_mentions(r.subject, t.lexicon))
    return r


def _untyped(t: Title) -> TitleReading | None:
    """``Karsky to Cde. Miklashevsky``; ``Liu Shaoqi to Cde. G.M. Malenkov``; anything else: a subject."""
    r = _new(t, "untyped")
    n._correspondence(t.text, None, t.lexicon, r)
    if not r.is_correspondence and not r.participants:
        r.form = "subject"
        r.subject = t.text or None
        if t.text:
            r.mentions.extend(n._scan_mentions(t.text, t.lexicon))
    return r


FORMS: tuple[Form, ...] = (
    Form("journal", ("From the Journal of Vyacheslav Molotov: Memorandum of Conversation between A and B",
                     "Journal of Soviet Ambassador to the DPRK A.M. Puzanov for 16 August 1957"), _journal),
    Form("session", ("Working Notes from the Session of the CPSU CC Presidium on 3 November 1956, with Participation by "
                     "J. Kadar, F. Munnich", "Protocol No. 129, Meeting of the Polish Politburo"), _session),
    Form("visit", ("Visit to the United Kingdom of Bulganin and Khrushchev, 19-27 April 1956",), _visit),
    Form("possessive-conversation", ("Minutes, Zhou Enlai's Conversation with S.F. Antonov",
                                     "[Mao Zedong's] Conversation with [Richard] Dixon and [Lance] Sharkey"),
         _possessive_conversation),
    Form("ordinal-conversation", ("Record of the Third Conversation between Zhou Enlai and Ri Ju-yeon",
                                  "Discussion between Mao Zedong and Pham Van Dong"), _ordinal_conversation),
    Form("conversation", ("Memorandum of Conversation between A and B", "Conversation, A and B with C, Moscow"),
         _conversation),
    Form("about-conversation", ("Report on Conversation between Song Renqiong and Kim Il Sung",
                                "Report of the Conversation by A with B, with the Presence of C"), _about_conversation),
    Form("parties", ("Agreement on Cooperation between the Stasi and the KGB",), _parties),
    Form("body-discussion", ("CPSU Politburo Discussion of the Memorandum of Six Politburo Members",
                             "Committee on Radio Broadcasting Policy Discussion"), _body_discussion),
    Form("names-verb", ("Saddam Hussein and Military Officials Discussing the Iraqi Army",
                        "Zhou Enlai, Kang Sheng and Pham Hung address the COSVN delegation"), _names_verb),
    Form("by", ("Statement by President Syngman Rhee", "Draft Report, 'On the Trip', by M. Suslov to CC CPSU Presidium"),
         _by),
    Form("reply", ("Draft Reply to Mao Zedong's Telegram from Stalin via Molotov",), _reply),
    Form("possessive", ("Walter Ulbricht's Speech at the Moscow Conference", "Mao Zedong's Telegram to Stalin",
                        "Excerpts from Khrushchev's Comments at Conference of First Secretaries"), _possessive),
    Form("org-type", ("CPSU CC Directive to Soviet Ambassadors", "Bulgarian Communist Party Politburo Decision on …",
                      "State Department Telegram 5701 to U.S. Embassy United Kingdom"), _org_type),
    Form("name-to-type", ("Roger du Gardier to Maurice Couve de Murville, Telegram number 538-540",), _name_to_type),
    Form("typed", ("Cable, Gromyko to Razuvaev", "Letter from A to B", "Letter to B from A",
                   "Telegram from Pyongyang to Bucharest", "Cable from the Chinese Embassy in Hungary, 'Subject'"),
         _typed),
    Form("author-comma", ("Mao Zedong, Outline for a Speech", "Col. Mieczysław Białek, 'Record of Conversation …'"),
         _author_comma),
    Form("type-suffix", ("Sino-Soviet Agreement Protocol",), _type_suffix),
    Form("untyped", ("Karsky to Cde. Miklashevsky",), _untyped),
)


def read_forms(t: Title) -> TitleReading:
    """The reading of the first form that reads the title (the last form always does)."""
    for form in FORMS:
        if form.name == "journal" and t.nested:
            continue
        reading = form.read(t)
        if reading is not None:
            reading.form = reading.form or form.name
            return reading
    raise AssertionError("the last form reads every title")  # pragma: no cover


def _gate(reading: TitleReading, lex: Lexicon) -> None:
    """Every name through the name gate; what it refuses becomes a warning."""
    city = reading.doc_type is not None and not reading.is_conversation
    def keep(refs: list[NameRef], *, cities: bool = False) -> list[NameRef]:
        out: list[NameRef] = []
        for ref in refs:
            admitted, why = admit(ref, lex, city_is_group=cities)
            if admitted is None:
                reading.unread.append(f"title part not read: {ref.written!r} ({why})")
            elif not any(a.name == admitted.name and a.bracket == admitted.bracket for a in out):
                out.append(admitted)
                if admitted.kind == "group" and ref.bracket and person_shaped(ref.bracket):
                    # "Swiss Embassy in Havana (Stadelhofer)": the embassy and its signatory
                    out.append(NameRef(ref.bracket, ref.bracket, kind="person", attached_to=ref.written))
        return out
    reading.senders = keep(reading.senders, cities=city and len(reading.senders) == 1)
    reading.recipients = keep(reading.recipients, cities=city and len(reading.recipients) == 1)
    reading.intermediaries = keep(reading.intermediaries)
    reading.participants = keep(reading.participants)
    reading.authors = keep(reading.authors)
    conveyed = []
    for c in reading.conveyed:
        senders, recipients = keep(list(c.senders)), keep(list(c.recipients))
        if senders or recipients:
            conveyed.append(Conveyed(tuple(senders), tuple(recipients), c.via_outer))
    reading.conveyed = conveyed


def parse_title(title: str, lexicon: Lexicon | None = None) -> TitleReading:
    """Read a title into type, correspondents, participants, authors, conveyed messages, place, date."""
    lexicon = lexicon or NoLexicon()
    text = " ".join(title.split())
    if not text:
        reading = TitleReading(title=title)
        reading.notes.append("empty title")
        return reading
    if len(text) > MAX_READ:
        reading = TitleReading(title=title)
        reading.notes.append(f"title of {len(text)} characters not read (more than {MAX_READ}): "
                             "is a summary or a whole page in it?")
        return reading
    notes: list[str] = []
    if not n.brackets_balanced(text):
        notes.append("unbalanced brackets: read without them")
        text = " ".join(re.sub(r"[\[\]()]", " ", text).split())
    elif n._bracket_depth(text) > MAX_BRACKET_DEPTH:
        notes.append("brackets nested too deep: read without them")
        text = " ".join(re.sub(r"[\[\]()]", " ", text).split())
    norm = text.translate(QUOTE_TRANSLATION)
    date = None
    if found := find_date_in_text(norm):
        d, start, end = found
        if not norm[end:].strip(" .,"):
            date = d
            norm = norm[:start].rstrip(" ,")
    prepared = prepare(norm)
    reading = read_forms(Title(prepared.text, prepared.quoted, lexicon, title))
    reading.title = title
    reading.date = reading.date or date
    reading.notes[:0] = notes
    if prepared.quoted:
        reading.subject = reading.subject or prepared.quoted
        reading.mentions.extend(n._scan_mentions(prepared.quoted, lexicon))
    _gate(reading, lexicon)
    return reading
