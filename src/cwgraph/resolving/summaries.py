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

import bisect
import re
from dataclasses import dataclass

from cwgraph.resolving.authorities import Authorities, Entity, normalize_name

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
        start = m.start()
        trimmed = word.rstrip(".,")
        if trimmed.endswith(("'s", "’s")):  # possessives: Stalin's, Mao’s
            trimmed = trimmed[:-2]
        elif trimmed.endswith(("'", "’")):
            trimmed = trimmed[:-1]
        if not trimmed:
            continue
        out.append((trimmed, start, start + len(trimmed)))
    return out


def find_mentions(text: str, auth: Authorities, kinds: tuple[str, ...] | None = None) -> list[Mention]:
    """Known names in ``text``, longest match first, left to right, no overlaps.

    Each word is normalised once; a run is looked up only when it starts with a word
    that starts some known name, and is at most as long as the longest name.
    """
    words: list[tuple[str, int, int]] = []
    for token, start, end in _tokens(text):
        for word in normalize_name(token).split(" "):
            if word:
                words.append((word, start, end))
    found: list[Mention] = []
    i = 0
    limit = min(_MAX_WORDS, auth.max_words)
    while i < len(words):
        if words[i][0] in auth.first_words:
            for j in range(min(len(words), i + limit), i, -1):
                key = " ".join(w for w, _, _ in words[i:j])
                ids = auth.index.get(key)
                if not ids:
                    continue
                candidates = [auth.entities[e] for e in ids]
                if kinds:
                    candidates = [c for c in candidates if c.kind in kinds]
                if candidates and _part_of_longer_name(text, words, j) and words[j][0] not in auth.first_words:
                    candidates = []  # "Marshall Islands" is not George Marshall
                if candidates:
                    start, end = words[i][1], words[j - 1][2]
                    found.append(Mention(candidates[0], text[start:end], start, end))
                    # skip every word of the tokens consumed
                    while j < len(words) and words[j][1] < end:
                        j += 1
                    i = j
                    break
            else:
                i += 1
        else:
            i += 1
    return found


def _part_of_longer_name(text: str, words: list[tuple[str, int, int]], j: int) -> bool:
    """The run ending before word ``j`` continues, with nothing but a space, into a capitalised word
    (``Marshall Islands``, ``Stalin Prize``): it is part of a longer proper name, not a mention of the
    shorter one. (The caller lets a following known name through: ``Stalin Mao`` lists two.)"""
    if j >= len(words):
        return False
    end = words[j - 1][2]
    start = words[j][1]
    if start <= end or text[end:start].strip():
        return False  # punctuation between them ("Marshall, Acheson"), or the same token
    return text[start].isupper()


_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”']?|$)")
_NAME_PHRASE = r"[\"“']?(?P<cover>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})[\"”']?"
# the phrase's own words in any case ("Using the name Filippov" opens a sentence); the cover name capitalised
_USING = re.compile(
    r"\b(?i:using|under|with|adopting|taking)\s+(?i:the)\s+(?i:name|alias|pseudonym|cover\s+name|code\s*name)\s+"
    r"(?:(?i:of)\s+)?" + _NAME_PHRASE
)
_ACTING = re.compile(
    r"\b(?i:acting|working|works|writing|signing|signs|signed|operating|known)\s+"
    r"(?:(?i:under\s+the\s+(?:name|alias|pseudonym))|(?i:as))\s+" + _NAME_PHRASE
)


# "Kuznetsov (Stalin)", "Kuznetsov's (Stalin's)", "Filippov [Stalin]": the bracket right after a cover name.
# Its content stops at any bracket, so many open brackets in one long sentence cost linear time.
_BRACKET_AFTER = re.compile(r"(?:[’']s)?\s*[(\[]([^()\[\]]+)[)\]]")


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
        phrases = [m for rx in (_USING, _ACTING) for m in rx.finditer(sentence)]
        if not phrases and "(" not in sentence and "[" not in sentence:
            continue  # neither a phrase nor a bracket: no statement can be made here
        mentions = find_mentions(sentence, auth)
        persons = [m for m in mentions if m.entity.kind == "person"]
        person_starts = [p.start for p in persons]
        person_ends = [p.end for p in persons]  # mentions do not overlap: both lists are sorted
        for m in phrases:
            cover = _cover_for(m.group("cover").strip(".,"), auth)
            if cover is None:
                continue
            before = bisect.bisect_right(person_ends, m.start())  # persons ending before the phrase
            after = bisect.bisect_left(person_starts, m.end())  # the first person after it
            bearer = persons[before - 1] if before else (persons[after] if after < len(persons) else None)
            # the namesake is not the bearer ("using the name of Fyodor Kuznetsov")
            if bearer is not None and m.start("cover") <= bearer.start < m.end("cover"):
                bearer = None
            statements.append(CoverStatement(cover, bearer.entity if bearer else None,
                                             bearer.written if bearer else None, sentence.strip()))
        # "Terebin (Andrei Orlov)", "Kuznetsov (Stalin)", "Filippov [Stalin]", "Kuznetsov's (Stalin's)"
        for mention in mentions:
            if mention.entity.kind != "cover":
                continue
            bm = _BRACKET_AFTER.match(sentence, mention.end)
            if not bm:
                continue
            inner = re.sub(r"[’']s$", "", bm.group(1).strip()).split(",")[0].strip()
            people = [e for e in auth.lookup(inner) if e.kind == "person"]
            if not people:
                inner_mentions = [x for x in find_mentions(inner, auth) if x.entity.kind == "person"]
                people = [inner_mentions[0].entity] if len(inner_mentions) == 1 and \
                    normalize_name(inner_mentions[0].written) == normalize_name(inner) else []
            if people:
                statements.append(CoverStatement(mention.entity, people[0], inner, sentence.strip()))
    return statements
