"""What a summary mentions: known names, and statements about cover names.

Mentions are found by matching runs of words against the authority index
(longest run first), so ``Fyodor Kuznetsov`` is the GRU chief while a bare
``Kuznetsov`` is the cover name. Cover-name statements are the archive's
ways of saying who stood behind a name:

- ``Stalin, using the name of Fyodor Kuznetsov, …`` (the cover name is the namesake's surname)
- ``Andrei Orlov, acting under the name "Terebin."`` / ``who works under the name Terebin``
- ``Writing as Kuznetsov (…), Stalin …``
- ``Terebin (Andrei Orlov)``, ``Kuznetsov (Stalin)``, ``Kuznetsov's (Stalin's)``, ``Filippov [Stalin]``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cwgraph.authorities import Authorities, Entity, normalize_name

__all__ = ["CoverStatement", "Mention", "find_cover_statements", "find_mentions"]

_MAX_WORDS = 9
_WORD = re.compile(r"[^\s,;:!?\"“”()\[\]]+")


@dataclass(frozen=True)
class Mention:
    """A known entity named in a text, with the words as written and where they start."""

    entity: Entity
    written: str
    start: int
    end: int


@dataclass(frozen=True)
class CoverStatement:
    """The text says ``cover`` was used by ``bearer`` (an authority entity, or None if unresolved)."""

    cover: Entity
    bearer: Entity | None
    bearer_written: str | None
    excerpt: str


def _tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        start, end = m.start(), m.end()
        trimmed = re.sub(r"[’']s?$", "", word.rstrip(".,"))  # possessives: Stalin's, Mao’s
        if not trimmed:
            continue
        out.append((trimmed, start, start + len(trimmed)))
    return out


def find_mentions(text: str, auth: Authorities, kinds: tuple[str, ...] | None = None) -> list[Mention]:
    """Known names in ``text``, longest match first, left to right, no overlaps."""
    tokens = _tokens(text)
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + _MAX_WORDS), i, -1):
            start, end = tokens[i][1], tokens[j - 1][2]
            phrase = text[start:end]
            candidates = auth.lookup(phrase)
            if kinds:
                candidates = [c for c in candidates if c.kind in kinds]
            if candidates and normalize_name(phrase):
                found.append(Mention(candidates[0], phrase, start, end))
                i = j
                break
        else:
            i += 1
    return found


_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”']?|$)")
_NAME_PHRASE = r"[\"“']?(?P<cover>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})[\"”']?"
_USING = re.compile(
    r"(?:using|under|with|adopting|taking)\s+the\s+(?:name|alias|pseudonym|cover\s+name|code\s*name)\s+(?:of\s+)?"
    + _NAME_PHRASE
)
_ACTING = re.compile(
    r"(?:acting|working|works|writing|signing|signs|signed|operating|known)\s+(?:under\s+the\s+(?:name|alias|pseudonym)|as)\s+"
    + _NAME_PHRASE
)


def _cover_for(phrase: str, auth: Authorities) -> Entity | None:
    """The cover name a phrase names: the phrase itself, or its last word (``Fyodor Kuznetsov``)."""
    for candidate in (phrase, phrase.split()[-1] if phrase.split() else ""):
        for entity in auth.lookup(candidate):
            if entity.kind == "cover":
                return entity
    return None


def find_cover_statements(text: str, auth: Authorities) -> list[CoverStatement]:
    """Every statement in ``text`` that ties a cover name to a person."""
    statements: list[CoverStatement] = []
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        mentions = find_mentions(sentence, auth)
        persons = [m for m in mentions if m.entity.kind == "person"]
        for rx in (_USING, _ACTING):
            for m in rx.finditer(sentence):
                cover = _cover_for(m.group("cover").strip(".,"), auth)
                if cover is None:
                    continue
                before = [p for p in persons if p.end <= m.start() and p.start < m.start("cover")]
                after = [p for p in persons if p.start >= m.end()]
                bearer = before[-1] if before else (after[0] if after else None)
                # the namesake is not the bearer ("using the name of Fyodor Kuznetsov")
                if bearer is not None and m.start("cover") <= bearer.start < m.end("cover"):
                    bearer = None
                statements.append(CoverStatement(cover, bearer.entity if bearer else None,
                                                 bearer.written if bearer else None, sentence.strip()))
        # "Terebin (Andrei Orlov)", "Kuznetsov (Stalin)", "Filippov [Stalin]", "Kuznetsov's (Stalin's)"
        for mention in mentions:
            if mention.entity.kind != "cover":
                continue
            rest = sentence[mention.end:]
            bm = re.match(r"(?:[’']s)?\s*[(\[]\s*([^)\]]+?)(?:[’']s)?\s*[)\]]", rest)
            if not bm:
                continue
            inner = bm.group(1).split(",")[0].strip()
            people = [e for e in auth.lookup(inner) if e.kind == "person"]
            if not people:
                inner_mentions = [x for x in find_mentions(inner, auth) if x.entity.kind == "person"]
                people = [inner_mentions[0].entity] if len(inner_mentions) == 1 and \
                    normalize_name(inner_mentions[0].written) == normalize_name(inner) else []
            if people:
                statements.append(CoverStatement(mention.entity, people[0], inner, sentence.strip()))
    return statements
