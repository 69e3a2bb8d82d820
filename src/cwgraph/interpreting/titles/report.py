"""What the title reader could not place, as warnings for the rejects report."""

from __future__ import annotations

from cwgraph.core.records import Record, Reject
from cwgraph.interpreting.titles.reading import TitleReading

__all__ = ["unread_warnings"]


def unread_warnings(record: Record, reading: TitleReading) -> list[Reject]:
    """One warning per title part the reader saw but did not publish as an actor."""
    return [Reject(record.location, part,
                   hint="the title is published whole; if this part names a correspondent, add the name "
                        "(with its spelling) to source/authorities/persons.tsv or groups.tsv",
                   severity="warning", stage="interpret", text=record.title[:500])
            for part in reading.unread]
