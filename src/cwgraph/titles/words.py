"""The title reader's own words (``data/title-words.tsv``): roles, honorifics, organisation
words, nationalities, countries, nouns that are never a name, function words, note words."""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["HONORIFICS", "ROLE_WORDS", "word_classes", "words_of"]


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
