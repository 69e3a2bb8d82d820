"""What a form's reader sees and the small helpers every reader uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cwgraph.titles import names as n
from cwgraph.titles.reading import Lexicon, NameRef, TitleReading

__all__ = ["ORDINAL", "Reader", "Title", "names_in", "new_reading"]


@dataclass(frozen=True)
class Title:
    """What a reader sees: the prepared text, its quoted part, and the lexicon."""

    text: str
    quoted: str | None
    lexicon: Lexicon
    title: str
    nested: bool = False  # read inside another form (the rest of a journal title)


Reader = Callable[[Title], TitleReading | None]


def new_reading(t: Title, form: str) -> TitleReading:
    """A fresh reading of ``t`` by the form named ``form``."""
    return TitleReading(title=t.title, form=form)


def names_in(text: str, lex: Lexicon) -> tuple[list[NameRef], list[NameRef]]:
    """The names of a list and the channels they carry."""
    return n._names(text, lex)


ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
