"""What a title says: the parts a reading returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from cwgraph.interpreting.dates import DateReading

__all__ = ["Conveyed", "Lexicon", "NameRef", "NoLexicon", "TitleReading"]


class Lexicon(Protocol):
    """What the title grammar may ask of the authorities."""

    def kind_of(self, name: str) -> str | None:
        """'person', 'group', 'place', 'event', 'cover' or None for an unknown name."""


class NoLexicon:
    """A lexicon that knows no name: the grammar falls back on the shape of words."""

    def kind_of(self, name: str) -> str | None:
        return None


@dataclass(frozen=True)
class NameRef:
    """One name as it stands in a title.

    ``written`` is the full text (``Cde. Filippov [Stalin]``), ``name`` the name
    without role or honorific (``Filippov``), ``bracket`` the editorial bracket's
    content (``Stalin``), ``role`` what was stripped before the name. ``kind`` is what
    the title says the name is: ``'group'`` for an organisation (an embassy, a
    ministry, a city standing for its government), ``'person'`` for a personal
    name, None when the title does not tell (the resolver decides).
    """

    written: str
    name: str
    bracket: str | None = None
    role: str | None = None
    attached_to: str | None = None  # for a channel: the name whose bracket or "via" named it
    kind: str | None = None


@dataclass(frozen=True)
class Conveyed:
    """A message the document carries (``…, transmitting a letter from A to B``): a second
    communication with its own senders and recipients; the outer sender is its transmitter
    when ``via_outer``."""

    senders: tuple[NameRef, ...]
    recipients: tuple[NameRef, ...]
    via_outer: bool = True


@dataclass
class TitleReading:
    """What a title says."""

    title: str
    doc_type: str | None = None
    classification: str | None = None
    numbers: list[str] = field(default_factory=list)
    senders: list[NameRef] = field(default_factory=list)
    recipients: list[NameRef] = field(default_factory=list)
    intermediaries: list[NameRef] = field(default_factory=list)
    participants: list[NameRef] = field(default_factory=list)
    authors: list[NameRef] = field(default_factory=list)
    conveyed: list[Conveyed] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    place: str | None = None
    date: DateReading | None = None
    subject: str | None = None
    is_conversation: bool = False
    form: str | None = None  # the name of the form the title was read by
    notes: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # "title part not read: …" warnings

    @property
    def is_correspondence(self) -> bool:
        return bool(self.senders or self.recipients)
