"""Readers of titles of letters and documents with an author: typed correspondence, documents by
someone, replies, an organisation before the type, an author before a comma, possessives, untyped
titles. Each returns a fresh reading or None."""

from __future__ import annotations

import re
from dataclasses import replace

from cwgraph.interpreting.doctypes import match_type_suffix
from cwgraph.interpreting.titles import names as n
from cwgraph.interpreting.titles.gate import org_shaped, person_shaped
from cwgraph.interpreting.titles.reader import Title, match_type_prefix, names_in, new_reading
from cwgraph.interpreting.titles.reading import Lexicon, NameRef, TitleReading
from cwgraph.interpreting.titles.tokens import cut_dates, mask_brackets, unmask

_BY = re.compile(r"^(?P<type>.+?)\s+(?:(?:sent|prepared|written|drafted|compiled|signed|submitted)\s+)?by\s+(?P<rest>.+)$",
                 re.I)


def _by(t: Title) -> TitleReading | None:
    """``Statement by President Syngman Rhee``; ``Draft Report, 'Title,' by M. Suslov to CC CPSU Presidium``;
    ``Report on … sent by X, the Albanian ambassador, to the Ministry``."""
    m = _BY.match(t.text) if " by " in t.text or " By " in t.text else None
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
    r = new_reading(t, "by")
    r.doc_type, r.classification, r.numbers = p[0], p[1], p[2]
    rest = m.group("rest")
    masked, groups = mask_brackets(rest)
    arrows = n._find_arrow(masked, "to")
    author_text = unmask(masked[: arrows[0]], groups) if arrows else rest
    author_text = n._cut_subject(author_text, r, t.lexicon)
    am, ag = mask_brackets(author_text)
    if cut := re.search(r"\s+(?:at|in|ahead of|before|after|during|attending)\s+", am, re.I):
        author_text = unmask(am[: cut.start()], ag)
    refs, _ = names_in(cut_dates(author_text), t.lexicon)
    if arrows:
        r.senders.extend(refs)
        to_text = re.sub(r"^\s+to\s+", "", unmask(masked[arrows[0]:], groups), flags=re.I)
        to_text = re.split(r"\s+for\s+(?:Presentation|Discussion|Approval|Consideration)\b", to_text, flags=re.I)[0]
        to_text = n._split_tail(n._cut_subject(to_text, r, t.lexicon), t.lexicon, r)
        refs, vias = names_in(to_text, t.lexicon)
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
    r = new_reading(t, "reply")
    if p := match_type_prefix(m.group("type")):
        r.doc_type = p[0]
    refs, vias = names_in(m.group("to"), t.lexicon)
    r.recipients.extend(refs)
    if m.group("from"):
        refs, more = names_in(n._cut_subject(m.group("from"), r, t.lexicon), t.lexicon)
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
    r = new_reading(t, "typed")
    r.doc_type, r.classification, r.numbers = doc_type, classification, numbers
    if sep is None and (num := re.match(r"^(?:[A-Z]{1,3}-)?(\d[\w./-]*)\s*,?\s*", rest)):
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
            r.senders.extend(names_in(head, t.lexicon)[0])  # "Guidelines of the Chinese Communist Party on …"
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
        refs, vias = names_in(n._split_tail(unmask(masked[m.end():], groups), lex, r), lex)
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
    refs, _ = names_in(who, lex)
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
    inner = _typed(Title(rest, t.quoted, lex, t.title, nested=True)) if rest else new_reading(t, "author-comma")
    if inner is None:
        return None
    if inner.senders or inner.participants:
        return None
    inner.form = "author-comma"
    refs, _ = names_in(who, lex)
    _place_author(inner, refs)
    return inner


_NAME_TO = re.compile(r"^(?P<text>.+?),\s*(?P<type>[A-Z][\w ]+?)(?:\s*,?\s*(?:number|No\.?|Nos\.?|#)\s*[\d][\w./-]*)?$")


def _name_to_type(t: Title) -> TitleReading | None:
    """``X to Y, Telegram number 538-540``: the type printed after the correspondents."""
    m = _NAME_TO.match(t.text) if "," in t.text else None
    if not m or match_type_prefix(t.text):
        return None
    p = match_type_prefix(m.group("type"))
    if not p or p[3] < len(m.group("type").strip()) - 1:
        return None
    masked, _ = mask_brackets(m.group("text"))
    if not n._find_arrow(masked, "to"):
        return None
    r = new_reading(t, "name-to-type")
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
    m = _POSSESSIVE.match(t.text) if ("'s" in t.text or "’s" in t.text) else None
    if not m or not (match_type_prefix(m.group("rest")) or re.match(_AUTHORED, m.group("rest"), re.I)):
        return None
    author = m.group("author")
    if re.search(r"\b(?:to|from|on|about|regarding|concerning|with|between)\b", author, re.I) or \
            not n._looks_like_names(author, t.lexicon):
        return None
    refs, _ = names_in(author, t.lexicon)
    if not refs:
        return None
    inner = t.read_part(m.group("rest"), t.quoted)
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
    r = new_reading(t, "type-suffix")
    r.doc_type, consumed_from = found
    r.subject = t.text[:consumed_from].strip() or None
    if r.subject:
        r.mentions.extend(n._scan_mentions(r.subject, t.lexicon))
    return r


def _untyped(t: Title) -> TitleReading | None:
    """``Karsky to Cde. Miklashevsky``; ``Liu Shaoqi to Cde. G.M. Malenkov``; anything else: a subject."""
    r = new_reading(t, "untyped")
    n._correspondence(t.text, None, t.lexicon, r)
    if not r.is_correspondence and not r.participants:
        r.form = "subject"
        r.subject = t.text or None
        if t.text:
            r.mentions.extend(n._scan_mentions(t.text, t.lexicon))
    return r
