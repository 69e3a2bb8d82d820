"""What a form's reader sees and the small helpers every reader uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from cwgraph.interpreting.doctypes import match_type_prefix as _match_type_prefix
from cwgraph.interpreting.titles import names as n
from cwgraph.interpreting.titles.reading import Lexicon, NameRef, TitleReading

__all__ = ["ORDINAL", "Reader", "Title", "match_type_prefix", "names_in", "new_reading"]


@dataclass(frozen=True)
class Title:
    """What a reader sees: the prepared text, its quoted part, and the lexicon."""

    text: str
    quoted: str | None
    lexicon: Lexicon
    title: str
    nested: bool = False  # read inside another form (the rest of a journal title)
    # the table of forms, for a reader that reads a part of the title again (set by forms.parse_title)
    read_all: Callable[[Title], TitleReading] | None = field(default=None, compare=False, repr=False)

    def read_part(self, text: str, quoted: str | None) -> TitleReading:
        """A part of the title (the rest of a journal or record title) read by the whole table."""
        assert self.read_all is not None, "a Title made outside forms.parse_title cannot read a part again"
        return self.read_all(Title(text, quoted, self.lexicon, self.title, nested=True, read_all=self.read_all))


Reader = Callable[[Title], TitleReading | None]


def new_reading(t: Title, form: str) -> TitleReading:
    """A fresh reading of ``t`` by the form named ``form``."""
    return TitleReading(title=t.title, form=form)


def names_in(text: str, lex: Lexicon) -> tuple[list[NameRef], list[NameRef]]:
    """The names of a list and the channels they carry."""
    return n._names(text, lex)


ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"


_prefix = lru_cache(maxsize=8192)(_match_type_prefix)


def match_type_prefix(text: str) -> tuple[str, str | None, list[str], int] | None:
    """:func:`cwgraph.interpreting.doctypes.match_type_prefix`, remembered: the forms ask it of the same text."""
    found = _prefix(text)
    return None if found is None else (found[0], found[1], list(found[2]), found[3])
