"""The title reader's own words (``data/title-words.tsv``): roles, honorifics, organisation
words, nationalities, countries, nouns that are never a name, function words, note words."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = ["HONORIFICS", "ROLE_WORDS", "is_in", "low", "word_class", "word_classes", "words_of"]


@cache
def word_classes() -> dict[str, frozenset[str]]:
    """Class name → its words (lower case)."""
    text = resources.files("cwgraph").joinpath("data/title-words.tsv").read_text("utf-8")
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line == "word\tclass":
            continue
        word, _, cls = line.partition("\t")
        out.setdefault(cls.strip(), set()).add(word.strip().lower())
    return {k: frozenset(v) for k, v in out.items()}


@cache
def words_of(*classes: str) -> frozenset[str]:
    table = word_classes()
    return frozenset().union(*(table.get(c, frozenset()) for c in classes))


HONORIFICS = set(words_of("honorific"))
ROLE_WORDS = set(words_of("role"))


def low(word: str) -> str:
    """A word as the lists hold it: lower case, without a possessive or surrounding stops."""
    return re.sub(r"[’']s$", "", word.lower().strip(".,;:")).replace("’", "'")


def is_in(word: str, words: frozenset[str]) -> bool:
    """``word`` (or its singular: ``Organizations``, ``Resolutions``) is one of ``words``."""
    w = low(word)
    return w in words or (w.endswith("s") and w[:-1] in words) or (w.endswith("ies") and w[:-3] + "y" in words)


_STOP_CLASSES = ("function", "honorific", "role", "title-role", "org", "nationality", "not-name")


def word_class(word: str) -> str:
    """The class of one word of a title: the first of ``function``, ``honorific``, ``role``,
    ``title-role``, ``org``, ``nationality``, ``not-name`` that holds it (a hyphenated word whose
    parts all have a class takes the last part's: ``Commander-in-Chief`` is a role), ``number``,
    ``particle``, ``word`` (capitalised, unknown) or ``lower``."""
    for cls in _STOP_CLASSES:
        if is_in(word, words_of(cls)) or word.lower() in words_of(cls):
            return cls
    parts = [x for x in word.split("-") if x]
    if len(parts) > 1 and all(word_class(x) in _STOP_CLASSES for x in parts):
        return word_class(parts[-1])
    if any(c.isdigit() for c in word):
        return "number"
    if low(word) in words_of("particle"):
        return "particle"
    return "word" if word[:1].isupper() else "lower"
