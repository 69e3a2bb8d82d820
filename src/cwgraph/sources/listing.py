"""The archive's listing page, exactly as it prints it.

A boilerplate line (``Skip to content``), a header (``51 - 60 of 120``), then
blocks of date / title / summary separated by blank lines. Blank-line and
whitespace variations are tolerated: a block may lack its summary, come with
date, title and summary on consecutive lines, or have a summary of several
paragraphs. A record that cannot be read — no title, no date, a date that
does not exist, an undecodable line, a title too long to be a title — becomes
a reject with its line; the records around it are still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cwgraph.dates import parse_printed_date
from cwgraph.errors import DateError, Location, SourceError
from cwgraph.records import Record, Reject
from cwgraph.sources.text import clean_text, read_text

__all__ = ["ListingPage", "MAX_TITLE", "looks_like_date", "parse_listing"]

PER_PAGE = 10
MAX_TITLE = 1000  # characters; the archive's longest titles are about 200
HEADER = re.compile(r"^\s*(\d{1,9})\s*[-–]\s*(\d{1,9})\s+of\s+(\d{1,9})\s*$")  # bounded: int() refuses 4300+ digits
BOILERPLATE = re.compile(r"^\s*(skip to (main )?content|search results?|showing results.*|sort by.*|filter.*)\s*$", re.I)
_DATEISH = re.compile(
    r"^\[?\s*(?:undated|no date|n\.\s?d\.|date unknown"
    r"|(?:c\.|ca\.|circa)?\s*(?:[A-Za-z]+\.?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2})?,?\s+)?"
    r"(?:[A-Za-z]+\.?,?\s+)?\d{4}s?"
    r"|\d{4}-\d{1,2}(?:-\d{1,2})?)\s*\]?$",
    re.I,
)
# a paragraph that reads as a new title rather than a further paragraph of a summary
_TITLE_START = re.compile(
    r"^(?:Top Secret |Secret )?(?:Cable|Telegram|Ciphered|Letter|Memorandum|Record of|Minutes|Note|Notes|Report|"
    r"Conversation|Exchange of|Message|Directive|Instructions?|Statement|Speech|Remarks|Protocol|Agreement|Treaty|"
    r"From the|Excerpt|Transcript|Information|Resolution|Decision)\b"
)


def looks_like_date(line: str) -> bool:
    """A line shaped like a printed date, readable or not (``Febtember 1950`` too)."""
    text = line.strip()
    return len(text) <= 40 and bool(_DATEISH.match(text))


def _looks_like_title(line: str) -> bool:
    text = line.strip()
    return len(text) <= 300 and not text.endswith(".") and bool(_TITLE_START.match(text))


def _looks_like_summary(line: str) -> bool:
    """Sentences, not a title: titles do not end with a full stop, summaries do."""
    text = line.strip()
    return (text.endswith(".") and (len(text) > 80 or ". " in text)) or len(_SENTENCE_END.findall(text)) >= 2


# the end of a sentence ("to Moscow. Stalin"), not an initial or an abbreviation ("A. I. Mikoyan", "Cde. Mao")
_SENTENCE_END = re.compile(r"[a-z]{3}[.!?]\s")


@dataclass
class ListingPage:
    """What a listing page held: its header, its records and the problems met."""

    start: int | None
    end: int | None
    total: int | None
    records: list[Record]
    rejects: list[Reject]


@dataclass
class _Block:
    line: int
    date: str | None
    title: str | None = None
    title_line: int = 0
    summary: list[tuple[int, str]] = field(default_factory=list)
    last_line: int = 0


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
    decoded = read_text(path, display)
    lines = decoded.text.split("\n")
    header: tuple[int, int, int] | None = None
    rejects: list[Reject] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    for first, paragraph in _paragraphs(lines):
        for offset, line in enumerate(paragraph):
            number = first + offset
            starts_paragraph = offset == 0
            if header is None and current is None and BOILERPLATE.match(line):
                continue
            if header is None and current is None and (m := HEADER.match(line)):
                header = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
                continue
            if looks_like_date(line) and (current is None or current.title is not None):
                current = _Block(line=number, date=line)
                blocks.append(current)
            elif current is None:
                if _looks_like_title(line):
                    current = _Block(line=number, date=None, title=line, title_line=number)
                    blocks.append(current)
                else:
                    rejects.append(Reject(Location(display, number), "text before the first record's date",
                                          hint="a record starts with its date line; remove stray text or add the date",
                                          text=line[:500]))
                    continue
            elif current.title is None:
                current.title, current.title_line = line, number
            elif starts_paragraph and current.summary and _looks_like_title(line):
                # a new record whose date line is missing
                current = _Block(line=number, date=None, title=line, title_line=number)
                blocks.append(current)
            elif current.summary and not starts_paragraph:
                last_number, text = current.summary[-1]
                current.summary[-1] = (last_number, f"{text} {line}")
            else:
                current.summary.append((number, line))
            current.last_line = number
    records: list[Record] = []
    start = header[0] if header else None
    for index, block in enumerate(blocks):
        record, reject = _record(block, index, start, display, decoded.bad_lines)
        if reject is not None:
            rejects.append(reject)
        if record is not None:
            dirty = sorted(n for n in decoded.control_lines if block.line <= n <= max(block.last_line, block.line))
            if dirty:
                rejects.append(Reject(Location(display, dirty[0]), "control characters replaced by spaces",
                                      hint="remove the invisible characters from the source", severity="warning",
                                      text=record.title[:500]))
            records.append(record)
    if header is None:
        if blocks:
            rejects.append(Reject(Location(display, 1), "no header line such as '51 - 60 of 120'",
                                  hint="keep the header as the archive prints it; records were read without positions",
                                  severity="warning"))
    else:
        expected = header[1] - header[0] + 1
        if expected != len(blocks):
            rejects.append(Reject(
                Location(display, 1),
                f"header says records {header[0]} - {header[1]} ({expected}) but the page holds {len(blocks)}",
                hint="check the page was copied whole; the records found were read", severity="warning"))
    if not blocks and not rejects:
        raise SourceError("no records found", location=Location(display, 1),
                          hint="a listing page holds blocks of date, title and summary")
    return ListingPage(header[0] if header else None, header[1] if header else None,
                       header[2] if header else None, records, rejects)


def _record(block: _Block, index: int, start: int | None, display: str,
            bad_lines: dict[int, str]) -> tuple[Record | None, Reject | None]:
    loc = Location(display, block.line)
    summary_parts = [s for _, s in block.summary]
    blob = "\n".join([block.date or "", block.title or "", *summary_parts])[:1000]
    last = max(block.last_line, block.line)
    bad = [bad_lines[n] for n in sorted(bad_lines) if block.line <= n <= last]
    if bad:
        return None, Reject(loc, bad[0], hint="save the file as UTF-8 and check the characters of this record",
                            text=blob)
    if block.date is None:
        return None, Reject(loc, "record has a title but no date line",
                            hint="add the date as the archive prints it (or '[undated]') on the line before the title",
                            text=blob)
    if not block.title:
        return None, Reject(loc, "record has a date but no title (the page may be cut off here)",
                            hint="add the title line after the date, or remove the incomplete record", text=blob)
    if _looks_like_summary(block.title) and not summary_parts:
        return None, Reject(Location(display, block.title_line),
                            "record has no title: the line after the date reads like a summary",
                            hint="add the title line between the date and the summary", text=blob)
    if len(block.title) > MAX_TITLE:
        return None, Reject(Location(display, block.title_line),
                            f"the title is {len(block.title)} characters long (more than {MAX_TITLE})",
                            hint="a title line has probably been merged with its summary; split them", text=blob)
    try:
        parse_printed_date(block.date)
    except DateError as exc:
        return None, Reject(loc, exc.message, hint=exc.hint, text=blob)
    title, _ = clean_text(block.title)
    summary = "\n\n".join(summary_parts) or None
    if summary:
        summary, _ = clean_text(summary)
    record = Record(
        title=" ".join(title.split()),
        printed_date=block.date.strip(),
        summary=summary.strip() if summary else None,
        # the archive lists ten records a page: "51 - 60 of 120" is page 5, positions 1-10
        listing_page=(start - 1 + index) // PER_PAGE if start else None,
        listing_position=(start - 1 + index) % PER_PAGE + 1 if start else None,
        sources=[loc],
    )
    return record, None
