"""The old site's listing pages: bulleted records, and records between ``-`` lines.

Bulleted pages (search results, collection pages) print each record as ``  • <date>``, then
the title and the summary indented by four spaces, paragraphs between blank lines. Dash
pages print no blank lines: a line holding only ``-`` opens each record, then its date,
title and summary lines. Everything before the first bullet or ``-`` is the page's head
(``Search in``, ``SEARCH RESULTS``, ``ADD SEARCH FILTER …``, ``No image found.``, a
collection's title and description) and is skipped, never a record. Days are zero-padded
(``June 08, 1955``); ``October, 1955`` and year-only dates are printed too.
"""

from __future__ import annotations

import re

from cwgraph.core.errors import Location, SourceError
from cwgraph.sources.blocks import Block, ListingPage, looks_like_date, records_from_blocks
from cwgraph.sources.text import DecodedText

__all__ = ["BULLET", "DASH", "bullet_layout", "dash_layout", "parse_bullets", "parse_dashes"]

BULLET = re.compile(r"^\s*•\s?(.*)$")
DASH = re.compile(r"^\s*-\s*$")


def _head(lines: list[str], opens: re.Pattern[str]) -> list[str]:
    head: list[str] = []
    for line in lines:
        if opens.match(line):
            break
        if line.strip():
            head.append(line.strip())
    return head


def bullet_layout(text: str) -> str:
    """Which of the old site's bulleted layouts a page is, from its head."""
    head = _head(text.split("\n"), BULLET)
    if not head:
        return "old-bullet-bare"
    if any(line.upper().startswith("ADD SEARCH FILTER") for line in head):
        return "old-bullet-filter"
    if any(line.lower() == "no image found." for line in head) or len(head) > 2:
        return "old-bullet-collection"
    return "old-bullet"


def dash_layout(text: str) -> str:
    """Which of the old site's dash layouts a page is, from its head."""
    head = _head(text.split("\n"), DASH)
    if not head:
        return "old-dash-bare"
    return "old-dash" if any(line.upper() == "SEARCH RESULTS" for line in head) else "collection-dash"


def _empty(display: str) -> SourceError:
    return SourceError("no records found", location=Location(display, 1),
                       hint="an old-site listing page holds records after '  • <date>' or '-' lines")


def parse_bullets(decoded: DecodedText, display: str, *, cut: bool = False) -> ListingPage:
    """Read a bulleted page: ``  • date``, then the title paragraph and the summary paragraphs."""
    blocks: list[Block] = []
    current: Block | None = None
    new_paragraph = True
    for number, raw in enumerate(decoded.text.split("\n"), start=1):
        line = raw.strip()
        if (m := BULLET.match(raw)) is not None:
            date = m.group(1).strip()
            if looks_like_date(date) or not date:
                current = Block(line=number, date=date or None, undated=not date)
            else:  # a bullet that prints the title where the date would be: undated
                current = Block(line=number, date=None, title=date, title_line=number, undated=True)
            current.last_line = number
            blocks.append(current)
            new_paragraph = True
            continue
        if not line:
            new_paragraph = True
            continue
        if current is None:
            continue  # the page's head
        if current.title is None:
            current.title, current.title_line = line, number
        elif not current.summary and not new_paragraph:
            current.title = f"{current.title} {line}"  # a title that wraps
        else:
            current.add_summary_line(number, line, new_paragraph)
        current.last_line = number
        new_paragraph = False
    if not blocks:
        raise _empty(display)
    records, rejects = records_from_blocks(blocks, display, decoded, cut=cut)
    return ListingPage(None, None, None, records, rejects, layout=bullet_layout(decoded.text), cut=cut)


def parse_dashes(decoded: DecodedText, display: str, *, cut: bool = False) -> ListingPage:
    """Read a dash page: ``-``, then one line each for the date, the title and the summary."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(decoded.text.split("\n"), start=1):
        line = raw.strip()
        if DASH.match(raw):
            current = Block(line=number + 1, date=None, undated=True)
            current.last_line = number
            blocks.append(current)
            continue
        if current is None or not line:
            continue  # the page's head, or a stray blank line
        if current.date is None and current.title is None and looks_like_date(line):
            current.date, current.undated, current.line = line, False, number
        elif current.title is None:
            current.title, current.title_line = line, number
            if current.date is None:
                current.line = number
        else:
            current.summary.append((number, line))
        current.last_line = number
    blocks = [b for b in blocks if b.date or b.title]  # "-" twice in a row, or a trailing "-"
    if not blocks:
        raise _empty(display)
    for block in blocks:  # the summary lines of one record are one paragraph
        if len(block.summary) > 1:
            block.summary = [(block.summary[0][0], " ".join(s for _, s in block.summary))]
    records, rejects = records_from_blocks(blocks, display, decoded, cut=cut)
    return ListingPage(None, None, None, records, rejects, layout=dash_layout(decoded.text), cut=cut)
