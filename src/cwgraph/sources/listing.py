"""The archive's listing page, exactly as it prints it.

A boilerplate line (``Skip to content``), a header (``51 - 60 of 120``), then
blocks of date / title / summary separated by blank lines. Blank-line and
whitespace variations are tolerated: a block may lack its summary, or come
with date, title and summary on consecutive lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cwgraph.dates import parse_printed_date
from cwgraph.errors import DateError, Location, SourceError
from cwgraph.records import Record, Reject
from cwgraph.sources.text import CONTROL, read_text

__all__ = ["ListingPage", "looks_like_date", "parse_listing"]

HEADER = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s+of\s+(\d+)\s*$")
BOILERPLATE = re.compile(r"^\s*(skip to (main )?content|search results?|showing results.*|sort by.*|filter.*)\s*$", re.I)
_DATEISH = re.compile(
    r"^\[?\s*(?:undated|no date|n\.\s?d\.|date unknown"
    r"|(?:c\.|ca\.|circa)?\s*(?:[A-Za-z]+\.?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?:[A-Za-z]+\.?,?\s+)?\d{4}s?"
    r"|\d{4}-\d{1,2}(?:-\d{1,2})?)\s*\]?$",
    re.I,
)


def looks_like_date(line: str) -> bool:
    """A line shaped like a printed date, readable or not (``Febtember 1950`` too)."""
    text = line.strip()
    return len(text) <= 40 and bool(_DATEISH.match(text))


@dataclass
class ListingPage:
    """What a listing page held: its header, its records and the problems met."""

    start: int | None
    end: int | None
    total: int | None
    records: list[Record]
    rejects: list[Reject]


def _paragraphs(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) of each run of non-blank lines."""
    block: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line.strip())
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def parse_listing(path: Path, display: str) -> ListingPage:
    """Read one listing page; a record that cannot be read becomes a reject."""
    text = read_text(path, display)
    lines = text.split("\n")
    header: tuple[int, int, int] | None = None
    rejects: list[Reject] = []
    # records as (line of date, date, title, title line, summary lines)
    raw: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    for first, block in _paragraphs(lines):
        rows = list(enumerate(block, start=first))
        while rows:
            number, line = rows[0]
            if header is None and current is None and BOILERPLATE.match(line):
                rows.pop(0)
                continue
            if (m := HEADER.match(line)) and current is None and header is None:
                header = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
                rows.pop(0)
                continue
            if looks_like_date(line) and (current is None or current.get("title") is not None):
                current = {"date": line, "line": number, "title": None, "summary": []}
                raw.append(current)
                rows.pop(0)
                continue
            if current is None:
                rejects.append(Reject(Location(display, number), "text before the first record's date",
                                      hint="a record starts with its date line; remove stray text or add the date",
                                      text=line[:500]))
                rows.pop(0)
                continue
            if current.get("title") is None:
                current["title"], current["title_line"] = line, number
            else:
                summary = current["summary"]
                assert isinstance(summary, list)
                if summary and rows is not None and number == summary[-1][0] + 1:
                    summary[-1] = (number, summary[-1][1] + " " + line)
                else:
                    summary.append((number, line))
            rows.pop(0)
    records: list[Record] = []
    start = header[0] if header else None
    per_page = (header[1] - header[0] + 1) if header else None
    for index, item in enumerate(raw):
        loc = Location(display, int(item["line"]))  # type: ignore[arg-type]
        title = item.get("title")
        summary_parts = [s for _, s in item["summary"]]  # type: ignore[union-attr]
        blob = "\n".join(str(x) for x in [item["date"], title or "", *summary_parts])[:1000]
        if not title:
            rejects.append(Reject(loc, "record has a date but no title (the page may be cut off here)",
                                  hint="add the title line after the date, or remove the incomplete record",
                                  text=blob))
            continue
        try:
            parse_printed_date(str(item["date"]))
        except DateError as exc:
            rejects.append(Reject(loc, exc.message, hint=exc.hint, text=blob))
            continue
        summary = "\n\n".join(summary_parts) or None
        record = Record(
            title=CONTROL.sub(" ", str(title)).strip(),
            printed_date=str(item["date"]).strip(),
            summary=CONTROL.sub(" ", summary).strip() if summary else None,
            listing_page=(start - 1) // per_page if start and per_page else None,
            listing_position=index + 1 if header else None,
            sources=[loc],
        )
        records.append(record)
    if header is None:
        if raw:
            rejects.append(Reject(Location(display, 1), "no header line such as '51 - 60 of 120'",
                                  hint="keep the header as the archive prints it; records were read without positions",
                                  severity="warning"))
    else:
        expected = header[1] - header[0] + 1
        if expected != len(raw):
            rejects.append(Reject(
                Location(display, 1),
                f"header says records {header[0]} - {header[1]} ({expected}) but the page holds {len(raw)}",
                hint="check the page was copied whole; the records found were read", severity="warning"))
    if not raw and not rejects:
        raise SourceError("no records found", location=Location(display, 1),
                          hint="a listing page holds blocks of date, title and summary")
    return ListingPage(header[0] if header else None, header[1] if header else None,
                       header[2] if header else None, records, rejects)
