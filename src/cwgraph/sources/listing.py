"""The new site's listing pages: records as date / title / summary paragraphs between blank lines.

The page's head is furniture and is skipped, never a record: ``Skip to content``,
``Results:``, the range ``51 - 60 of 120``, ``Documents``, ``Popular Documents``,
``Placeholder image …``, an entity's name (``Kania, Stanislaw``), a topic's image caption,
name and description. Records start at the first date line. A record printed without a date
line is recognised by the extra blank line before its title (two blank lines after the
previous summary, three after the range line) and read as undated. Blank-line and
whitespace variations are tolerated: a block may lack its summary, come with date, title
and summary on consecutive lines, or have a summary of several paragraphs. A record that
cannot be read — no title, no date, a date that does not exist, an undecodable line, a title
too long to be a title — becomes a reject with its line; the records around it are still read.
"""

from __future__ import annotations

import difflib
import functools
import re

from cwgraph.core.errors import DateError, Location, SourceError
from cwgraph.core.records import Reject
from cwgraph.interpreting.dates import parse_printed_date
from cwgraph.sources.blocks import (
    Block,
    ListingPage,
    looks_like_date,
    looks_like_summary,
    looks_like_title,
    records_from_blocks,
)
from cwgraph.sources.text import DecodedText

__all__ = ["FURNITURE", "HEADER", "ListingPage", "blank_line_layout", "is_record_date", "looks_like_date",
           "parse_blank_lines"]

HEADER = re.compile(r"^\s*(\d{1,9})\s*[-–]\s*(\d{1,9})\s+of\s+(\d{1,9})\s*$")  # bounded: int() refuses 4300+ digits
# lines the archive's sites print around the records (search boxes, headings, image captions, pagers)
FURNITURE = re.compile(
    r"^\s*(?:skip to (?:main )?content|results:?|documents|popular documents|pagination|search in"
    r"|search results?|showing results.*|sort by.*|filter.*|add search filter.*|no image found\.?"
    r"|digital archive international history declassified|placeholder image\b.*)\s*$", re.I)
_ALPHA_WORD = re.compile(r"[A-Za-z]{2,}")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]


@functools.lru_cache(maxsize=4096)  # a page's first date is read twice (to find where records begin)
def is_record_date(line: str) -> bool:
    """A line that starts a record: a date the archive prints (``Febtember 1950`` too, to be reported),
    not a heading that merely ends in a year (``Sino-Indian Border War, 1962``)."""
    if not looks_like_date(line):
        return False
    try:
        parse_printed_date(line.strip())
        return True
    except DateError:  # a misspelt month is a record's date, to be reported; "Korea, 1950" is a heading
        words = _ALPHA_WORD.findall(line)
        return not words or (len(words) == 1 and bool(difflib.get_close_matches(words[0].lower(), _MONTHS,
                                                                                 cutoff=0.6)))


def _lines(text: str) -> list[tuple[int, int, bool, str]]:
    """(line number, blank lines before it, whether it starts a paragraph, text) of each non-blank line."""
    out: list[tuple[int, int, bool, str]] = []
    blanks = 0
    previous_blank = True
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            out.append((number, blanks, previous_blank, line.strip()))
            blanks, previous_blank = 0, False
        else:
            blanks, previous_blank = blanks + 1, True
    return out


def _head_end(lines: list[tuple[int, int, bool, str]]) -> tuple[int, tuple[int, int, int] | None, bool]:
    """Where the records begin (an index into ``lines``), the range header, and whether the
    first record is undated (its title after the header and an extra blank line)."""
    header: tuple[int, int, int] | None = None
    opened = False  # past a range line or "Popular Documents": the next line that is not furniture is a record
    for index, (_, gap, _, line) in enumerate(lines):
        if is_record_date(line):
            return index, header, False
        if header is None and (m := HEADER.match(line)):
            header = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
            opened = True
        elif FURNITURE.match(line):
            opened = opened or line.strip().lower() == "popular documents"
        elif opened:
            # "1 - 10 of 51" then four newlines: an undated first record; fewer: its date line is missing
            return index, header, gap >= 3
    return len(lines), header, False


def blank_line_layout(text: str) -> str:
    """Which of the new site's listing layouts a page is, from its head."""
    lines = _lines(text)
    return _head_layout([line for _, _, _, line in lines[:_head_end(lines)[0]]])


def _head_layout(head: list[str]) -> str:
    if any(line.lower() == "results:" for line in head):
        return "new-results"
    if any(HEADER.match(line) for line in head):
        return "new-range"
    if any(line.lower() == "popular documents" for line in head):
        return "new-popular"
    if len(head) == 1 and re.match(r"^[^\d,]+, [^\d,]+$", head[0]):
        return "new-people-bare"
    return "new-topic-bare" if head else "new-bare"


def parse_blank_lines(decoded: DecodedText, display: str, *, cut: bool = False) -> ListingPage:
    """Read a blank-line listing page; a record that cannot be read becomes a reject."""
    lines = _lines(decoded.text)
    begin, header, undated_first = _head_end(lines)
    blocks: list[Block] = []
    current: Block | None = None
    for index in range(begin, len(lines)):
        number, gap, starts_paragraph, line = lines[index]
        if index == len(lines) - 1 and starts_paragraph and line.lower() == "pagination":
            break  # the pager under an uncut page
        if starts_paragraph and ((index == begin and undated_first) or (
                gap >= 2 and current is not None and current.summary and not line.endswith((".", "!", "?"))
                and not looks_like_date(line) and not looks_like_summary(line))):
            # the archive prints an undated record as its title after an extra blank line
            current = Block(line=number, date=None, title=line, title_line=number, undated=True)
            blocks.append(current)
        elif looks_like_date(line) and (current is None or current.title is not None):
            current = Block(line=number, date=line)
            blocks.append(current)
        elif current is None:
            current = Block(line=number, date=None, title=line, title_line=number)
            blocks.append(current)
        elif current.title is None:
            current.title, current.title_line = line, number
        elif starts_paragraph and current.summary and looks_like_title(line):
            # a new record whose date line is missing
            current = Block(line=number, date=None, title=line, title_line=number)
            blocks.append(current)
        else:
            current.add_summary_line(number, line, starts_paragraph)
        current.last_line = number
    start = header[0] if header else None
    records, rejects = records_from_blocks(blocks, display, decoded, cut=cut, start=start)
    if header is not None and not cut:
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
                       header[2] if header else None, records, rejects,
                       layout=_head_layout([line for _, _, _, line in lines[:begin]]), cut=cut)

