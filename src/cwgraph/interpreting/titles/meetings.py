"""Readers of titles about meetings: journals, sessions of bodies, visits, conversations, talks,
agreements between parties, bodies discussing, people meeting. Each returns a fresh reading or None."""

from __future__ import annotations

import re

from cwgraph.interpreting.doctypes import is_conversation_type, match_type_suffix
from cwgraph.interpreting.titles import names as n
from cwgraph.interpreting.titles.gate import org_shaped
from cwgraph.interpreting.titles.reader import ORDINAL, Title, match_type_prefix, names_in, new_reading
from cwgraph.interpreting.titles.reading import Lexicon, NameRef, TitleReading
from cwgraph.interpreting.titles.tokens import cut_dates, mask_brackets, unmask

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
    owner, _ = names_in(owner_text, t.lexicon)
    kind = re.search(r"\b(Journal|Diary|Notebook|Notes)\s+of\b", t.text, re.I)
    if rest:
        inner = t.read_part(rest, None)
    else:
        inner = new_reading(t, "journal")
    if not (m.groupdict().get("rest") or "").strip() and not (t.quoted and rest == t.quoted) and kind and \
            (p := match_type_prefix(kind.group(1).title())):
        inner.doc_type = p[0]  # "Journal of X for 25 June 1960", "Diary of X on Meeting between A and B"
    inner.form = f"journal+{inner.form}"
    if inner.is_conversation and not re.search(r"\bbetween\s", rest, re.I):
        inner.participants[:0] = owner  # "… Conversation with Y": the keeper was the other party
    inner.authors[:0] = owner
    return inner


_SESSION = re.compile(
    r"^(?P<head>.*?)\b(?:the\s+)?(?:" + ORDINAL + r"\s+)?(?:Plenary\s+|Plenum\s+|Extraordinary\s+)?"
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
    r = new_reading(t, "session")
    head = re.sub(r"\s+(?:from|of)(?:\s+(?:a|an|the))?$", "", m.group("head").strip(" ,"), flags=re.I).strip(" ,")
    if head:
        p = match_type_prefix(head)
        if not p or head[p[3]:].strip(" ,"):
            return None  # "Speech by Mao Zedong at the Plenum of …": the session is where, not who
        r.doc_type, r.classification, r.numbers = p[0], p[1], p[2]
    r.is_conversation = True
    r.participants.append(NameRef(body, re.sub(r"^the\s+", "", body, flags=re.I), kind="group"))
    if m.groupdict().get("with"):
        refs, vias = names_in(cut_dates(m.group("with")), t.lexicon)
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
    r = new_reading(t, "visit")
    r.is_conversation = True
    who = cut_dates(m.group("who"))
    who = re.split(r",\s+(?:led\s+by|headed\s+by)\s+|\s+(?:to|in)\s+[A-Z]", who)[0] if " led by " not in who else who
    if lead := re.search(r"(?:led|headed)\s+by\s+(.+)$", who, re.I):
        who = who[: lead.start()].strip(" ,") + " with " + lead.group(1)
    for part in re.split(r",?\s+with\s+", who):  # "… Delegation of the GDR, led by X, with Y"
        refs, _ = names_in(part, t.lexicon)
        r.participants.extend(refs)
    if m.group("place"):
        r.subject = m.group("place")
    return r


_POSS_CONV = re.compile(
    r"^(?:(?P<type>[^,]+?)(?:,\s*|\s+of\s+|\s+from\s+))?(?P<who>[^,]+?)['’]s\]?\s+(?:" + ORDINAL + r"\s+)?"
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
    r = new_reading(t, "possessive-conversation")
    word = re.search(r"(Conversations?|Talks?|Meetings?|Discussions?)\s+(?:with|between)\s", text, re.I)
    if conv := match_type_prefix(f"{m.group('type') or ''} of {word.group(1) if word else 'Conversation'}".strip()):
        r.doc_type = conv[0]  # "Record of Molotov's Conversation with …": a record of conversation
    elif word and (conv := match_type_prefix(word.group(1).title())):
        r.doc_type = conv[0]
    if m.group("type") and (p := match_type_prefix(m.group("type").strip())):
        r.doc_type = r.doc_type if r.doc_type and p[0] in ("Excerpt", "Draft", "Record") else p[0]
        r.classification, r.numbers = p[1], p[2]
        if frm := re.match(r"^\s*from\s+(.+)$", m.group("type")[p[3]:], re.I):
            r.senders.extend(names_in(frm.group(1), t.lexicon)[0])  # "Cryptogram from the Embassy, X's Meeting with Y"
    r.is_conversation = True
    who = m.group("who").strip("[ ")
    refs, _ = names_in(who, t.lexicon)
    r.participants.extend(refs)
    rest = n._cut_subject(cut_dates(m.group("with")), r, t.lexicon)
    rest = n._split_tail(rest, t.lexicon, r)
    refs, vias = names_in(_strip_trailing_place(rest, t.lexicon, r), t.lexicon)
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
                       + ORDINAL + r"\s+(?:Conversation|Meeting|Contact|Talk|Session|Round)s?\s+(?P<rest>(?:between|with)\s+.+)$",
                       re.I)
_DISCUSSION = re.compile(r"^(?:(?:A|The)\s+)?(?:Discussion|Talks?|Conversation|Dialogue|Exchange)\s+(?P<rest>(?:between|with)\s+.+)$",
                         re.I)


def _ordinal_conversation(t: Title) -> TitleReading | None:
    """``Record of the Third Conversation between A and B``; ``Record of the Fifth Contact between …``;
    ``Discussion between Mao Zedong and Pham Van Dong``."""
    if m := _NTH_CONV.match(t.text):
        r = new_reading(t, "ordinal-conversation")
        p = match_type_prefix(m.group("type") + "Conversation")
        if p:
            r.doc_type = p[0]
    elif m := _DISCUSSION.match(t.text):
        r = new_reading(t, "discussion")
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


_ABOUT_CONV = re.compile(r"^(?P<type>[^,]+?)\s+(?:on|of|about)\s+(?:a|an|the)?\s*(?:" + ORDINAL + r"\s+)?"
                         r"(?:Conversations?|Meetings?|Talks?|Discussions?)\s+(?P<rest>(?:between|with|by)\s+.+)$", re.I)


_TALK_WORD = re.compile(r"Conversation|Meeting|Talk|Discussion", re.I)


def _about_conversation(t: Title) -> TitleReading | None:
    """``Report on Conversation between Song Renqiong and Kim Il Sung``; ``Note on a Conversation with X``;
    ``Report of the Conversation by A with B, with the Presence of C``: whoever took part."""
    m = _ABOUT_CONV.match(t.text) if _TALK_WORD.search(t.text) else None
    if not m or not (p := match_type_prefix(m.group("type"))) or m.group("type")[p[3]:].strip():
        return None
    r = new_reading(t, "about-conversation")
    r.doc_type, r.classification, r.numbers = p[0], p[1], p[2]
    rest = m.group("rest")
    if by := re.match(r"by\s+(?P<who>.+?)\s+with\s+(?P<rest>.+)$", rest, re.I):
        refs, _ = names_in(by.group("who"), t.lexicon)
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


_VERB_WORD = re.compile(r"\b(?:address|meet|receiv|talk|Discuss|discuss|Meeting\s+with|Receiving|Addressing)")


def _names_verb(t: Title) -> TitleReading | None:
    """``Saddam Hussein and Military Officials Discussing …``; ``Zhou Enlai, Kang Sheng and Pham Hung address
    the COSVN delegation``: those named take part; a verb of talking names the others."""
    if match_type_prefix(t.text):
        return None
    m = _VERB_TITLE.match(t.text) if _VERB_WORD.search(t.text) else None
    if not m or not n._looks_like_names(m.group("who"), t.lexicon) and not re.search(r"\band\b", m.group("who")):
        return None
    r = new_reading(t, "names-verb")
    r.is_conversation = True
    refs, _ = names_in(m.group("who"), t.lexicon)
    r.participants.extend(refs)
    if not m.group("verb").lower().startswith("discuss"):
        whom = n._cut_subject(m.group("whom"), r, t.lexicon)
        whom = re.split(r"\s+(?:in|at|on|about|regarding|during)\s+", whom, maxsplit=1)[0]
        refs, _ = names_in(whom, t.lexicon)
        r.participants.extend(refs)
    else:
        r.subject = m.group("whom")
    return r


_BODY_TALK = re.compile(r"^(?:(?:Record|Minutes|Notes|Transcript|Summary)\s+of\s+(?:the\s+|a\s+)?)?(?P<who>[A-Z][^,]*?)\s+"
                        r"(?:Discussion|Deliberations?|Meeting|Session|Plenum)s?\b(?P<rest>.*)$")


def _body_discussion(t: Title) -> TitleReading | None:
    """``CPSU Politburo Discussion of the Memorandum …``; ``Committee on Radio Broadcasting Policy Discussion``:
    the body that met takes part."""
    m = _BODY_TALK.match(t.text) if _TALK_WORD.search(t.text) or "Session" in t.text or "Plenum" in t.text \
        or "Deliberation" in t.text else None
    if not m:
        return None
    who = m.group("who").strip()
    if not (org_shaped(who) or t.lexicon.kind_of(who) == "group") or len(who.split()) < 2:
        return None
    r = new_reading(t, "body-discussion")
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
    r = new_reading(t, "parties")
    if p := match_type_prefix(m.group("type")):
        r.doc_type = p[0]
    elif found := match_type_suffix(m.group("type")):
        r.doc_type = found[0]
    rest = re.split(r"\s+(?:on|regarding|concerning|about|in|for)\s+", cut_dates(m.group("rest")), maxsplit=1)[0]
    refs, _ = names_in(rest, t.lexicon)
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
    r = new_reading(t, "conversation")
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
