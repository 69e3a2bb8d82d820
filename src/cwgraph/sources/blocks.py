"""Records as a page prints them: date / title / summary blocks, and how they become records.

Every page reader (blank-line, bullet, dash) cuts its page into :class:`Block` s; one
function turns them into records and rejects, so every layout applies the same rules: a
record needs a title and a readable date (or a layout that prints it undated); the last
record of a page cut off by its saved copy is a warning and is published only when its
title is whole (a cut summary is kept and marked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cwgraph.core.errors import DateError, Location
from cwgraph.core.records import Record, Reject
from cwgraph.interpreting.dates import parse_printed_date
from cwgraph.sources.text import DecodedText, clean_text

__all__ = ["Block", "CUT_BYTES", "ListingPage", "MAX_TITLE", "UNDATED", "is_cut", "looks_like_date",
           "looks_like_summary", "looks_like_title", "records_from_blocks"]

PER_PAGE = 10
MAX_TITLE = 1000  # characters; the archive's longest titles are about 200
UNDATED = "[undated]"  # what a record printed without a date line is published with
CUT_BYTES = (1995, 2000)  # a saved copy keeps about the first 2,000 UTF-8 bytes of a page
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
# the end of a sentence ("to Moscow. Stalin"), not an initial or an abbreviation ("A. I. Mikoyan", "Cde. Mao")
_SENTENCE_END = re.compile(r"[a-z]{3}[.!?]\s")


def looks_like_date(line: str) -> bool:
    """A line shaped like a printed date, readable or not (``Febtember 1950`` too)."""
    text = line.strip()
    return len(text) <= 40 and bool(_DATEISH.match(text))


def looks_like_title(line: str) -> bool:
    text = line.strip()
    return len(text) <= 300 and not text.endswith(".") and bool(_TITLE_START.match(text))


def looks_like_summary(line: str) -> bool:
    """Sentences, not a title: titles do not end with a full stop, summaries do."""
    text = line.strip()
    return (text.endswith(".") and (len(text) > 80 or ". " in text)) or len(_SENTENCE_END.findall(text)) >= 2


def is_cut(size: int) -> bool:
    """Whether a saved copy of this many bytes was cut off (the archive's copies keep ~2,000 bytes)."""
    return CUT_BYTES[0] <= size <= CUT_BYTES[1]


@dataclass
class ListingPage:
    """What a page held: its layout, its header (``51 - 60 of 120``), its records and the problems met."""

    start: int | None
    end: int | None
    total: int | None
    records: list[Record]
    rejects: list[Reject]
    layout: str = "new-range"
    cut: bool = False


@dataclass
class Block:
    """One record as printed; ``undated`` when the layout prints it without a date line."""

    line: int
    date: str | None
    title: str | None = None
    title_line: int = 0
    summary: list[tuple[int, str]] = field(default_factory=list)
    last_line: int = 0
    undated: bool = False

    def add_summary_line(self, number: int, line: str, new_paragraph: bool) -> None:
        """A summary line: a paragraph of its own, or the continuation of the last one."""
        if self.summary and not new_paragraph:
            last_number, text = self.summary[-1]
            self.summary[-1] = (last_number, f"{text} {line}")
        else:
            self.summary.append((number, line))


def records_from_blocks(blocks: list[Block], display: str, decoded: DecodedText, *, cut: bool = False,
                        start: int | None = None) -> tuple[list[Record], list[Reject]]:
    """The records of a page's blocks, and a reject (with file and line) for each that cannot be read.

    ``cut``: the page's saved copy was cut off, so its last block may be incomplete. ``start``:
    the first position the page's header gives, for the records' listing positions.
    """
    records: list[Record] = []
    rejects: list[Reject] = []
    for index, block in enumerate(blocks):
        if cut and index == len(blocks) - 1:
            record, reject = _cut_record(block, display)
            rejects.append(reject)
            if record is None:
                continue
        else:
            record, reject = _record(block, display, decoded.bad_lines)
            if reject is not None:
                rejects.append(reject)
            if record is None:
                continue
        if start:  # the archive lists ten records a page: "51 - 60 of 120" is page 5, positions 1-10
            record.listing_page = (start - 1 + index) // PER_PAGE
            record.listing_position = (start - 1 + index) % PER_PAGE + 1
        dirty = sorted(n for n in decoded.control_lines if block.line <= n <= max(block.last_line, block.line))
        if dirty:
            rejects.append(Reject(Location(display, dirty[0]), "control characters replaced by spaces",
                                  hint="remove the invisible characters from the source", severity="warning",
                                  text=record.title[:500]))
        records.append(record)
    return records, rejects


def _blob(block: Block) -> str:
    return "\n".join([block.date or "", block.title or "", *(s for _, s in block.summary)])[:1000]


def _cut_record(block: Block, display: str) -> tuple[Record | None, Reject]:
    """The last block of a cut page: kept only when a summary follows its title (the title is whole)."""
    last = Location(display, max(block.last_line, block.line))
    if not block.summary or not block.title:
        return None, Reject(last, "page ends inside this record (the saved copy is cut off): not published, "
                            "its title or date may be incomplete",
                            hint="save the whole page, or add the record to a curated file", severity="warning",
                            text=_blob(block))
    record, reject = _record(block, display, {})
    if record is None:
        assert reject is not None
        return None, reject
    record.summary_truncated = True
    return record, Reject(last, "page ends inside this record: its summary is cut off; the record is published "
                          "with the part of the summary the page keeps", hint="save the whole page for the full "
                          "summary", severity="warning", text=record.title[:500])


def _record(block: Block, display: str, bad_lines: dict[int, str]) -> tuple[Record | None, Reject | None]:
    loc = Location(display, block.line)
    summary_parts = [s for _, s in block.summary]
    blob = _blob(block)
    last = max(block.last_line, block.line)
    bad = [bad_lines[n] for n in sorted(bad_lines) if block.line <= n <= last]
    if bad:
        return None, Reject(loc, bad[0], hint="save the file as UTF-8 and check the characters of this record",
                            text=blob)
    if block.date is None and not block.undated:
        return None, Reject(loc, "record has a title but no date line",
                            hint="add the date as the archive prints it (or '[undated]') on the line before the title",
                            text=blob)
    if not block.title:
        return None, Reject(loc, "record has a date but no title (the page may be cut off here)",
                            hint="add the title line after the date, or remove the incomplete record", text=blob)
    if looks_like_summary(block.title) and not summary_parts:
        return None, Reject(Location(display, block.title_line),
                            "record has no title: the line after the date reads like a summary",
                            hint="add the title line between the date and the summary", text=blob)
    if len(block.title) > MAX_TITLE:
        return None, Reject(Location(display, block.title_line),
                            f"the title is {len(block.title)} characters long (more than {MAX_TITLE})",
                            hint="a title line has probably been merged with its summary; split them", text=blob)
    printed = (block.date or UNDATED).strip()
    try:
        parse_printed_date(printed)
    except DateError as exc:
        return None, Reject(loc, exc.message, hint=exc.hint, text=blob)
    title, _ = clean_text(block.title)
    summary = "\n\n".join(summary_parts) or None
    if summary:
        summary, _ = clean_text(summary)
    return Record(title=" ".join(title.split()), printed_date=printed,
                  summary=summary.strip() if summary else None, sources=[loc]), None
