"""The archive's single-document pages: one record, with what the page says about it.

Five layouts (see ``source/README.md``): the new site's ``doc-new`` (``Skip to content``,
date, title, body, summary, then a metadata block) and ``doc-flat`` (the same without blank
lines, often after a stray first line); the old site's ``doc-old`` and ``doc-old-filter``
(the title only inside the citation, ``"<Title>," <Date>, …``) and ``doc-old-bare``
(date, indented summary, then the title). The metadata block — Source, Type, Language,
Record ID, Original Uploaded Date — survives only on short pages (a saved copy keeps about
2,000 bytes); what is there goes where a curated record's would, what is cut off is left
out (a value on the last line of a cut page may itself be cut), never guessed.
"""

from __future__ import annotations

import re

from cwgraph.core.errors import Location, SourceError
from cwgraph.core.records import Reject
from cwgraph.sources.blocks import Block, ListingPage, records_from_blocks
from cwgraph.sources.listing import is_record_date
from cwgraph.sources.text import DecodedText

__all__ = ["LABELS", "document_layout", "parse_document"]

LABELS = ("Author(s):", "Associated People & Organizations", "Associated Places", "Associated Topics",
          "Subjects Discussed", "Related Documents", "Document Information", "Source", "Original Archive", "Rights",
          "Original Uploaded Date", "Type", "Language", "Record ID", "Original Classification")
_TAIL_OPENS = ("Author(s):", "Associated People & Organizations", "Document Information")
_SUPPORT = "This document was made possible with support from"
_OLD_SITE = "Digital Archive International History Declassified"
_DOC_URL = re.compile(r"https?://digitalarchive\.wilsoncenter\.org/document/(\d+)\b\S*")
_MONTH_FIRST = re.compile(r"^(?:[A-Z][a-z]+\.?,?\s+(?:\d{1,2},\s+)?)?\d{4}$")


def _nonblank(text: str) -> list[tuple[int, str, str]]:
    """(line number, stripped text, raw text) of each line with more than spaces (NBSP counts as a space)."""
    return [(n, line.strip(), line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


def _first_lines(text: str, count: int) -> list[tuple[int, str, str]]:
    """The first ``count`` lines of ``_nonblank(text)``, without splitting the whole page."""
    out: list[tuple[int, str, str]] = []
    start = number = 0
    while len(out) < count and start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        number += 1
        if (line := text[start:end]).strip():
            out.append((number, line.strip(), line))
        start = end + 1
    return out


def document_layout(text: str) -> str | None:
    """The document-page layout of a page, or None when it is not a document page."""
    if "get citation" in text:
        stripped = [s for _, s, _ in _nonblank(text)]
        if "• Citation" in stripped and "get citation" in stripped:
            return "doc-old-filter" if any(s.upper().startswith("ADD SEARCH FILTER") for s in stripped[:3]) \
                else "doc-old"
    head = _first_lines(text, 4)  # the first lines decide, except for a new-site page
    if len(head) < 3:
        return None
    if head[0][1].lower() == "skip to content" and is_record_date(head[1][1]):
        lines = _nonblank(text)
        stripped = [s for _, s, _ in lines]
        # a listing prints a record date every few paragraphs; a document's body does not
        later = [s for s in stripped[3:] if _MONTH_FIRST.match(s) and is_record_date(s)]
        if not later or any(s in _TAIL_OPENS or s.startswith(_SUPPORT) for s in stripped):
            return "doc-new"
    if is_record_date(head[0][1]) and head[1][2].startswith("    ") and not head[2][2].startswith(" "):
        return "doc-old-bare"
    if "\n\n" not in text.strip():
        stripped = [s for _, s, _ in _nonblank(text)]
        if any(s == "-" or s.startswith("•") for s in stripped):
            return None
        if any(is_record_date(s) for s in stripped[:3]) and (
                any(s.startswith(_SUPPORT) for s in stripped[:5]) or any(s in _TAIL_OPENS for s in stripped)):
            return "doc-flat"
    return None


def _value(lines: list[tuple[int, str, str]], label: str, cut: bool) -> str | None:
    """The value printed on the next non-blank line after ``label``; None if a label follows or it may be cut."""
    for index, (_, text, _) in enumerate(lines):
        if text == label:
            if index + 1 >= len(lines):
                return None
            value = lines[index + 1][1]
            if value in LABELS or (cut and index + 1 == len(lines) - 1):
                return None
            return value
    return None


def _paragraph_before(text: str, label_line: int) -> tuple[int, str] | None:
    """The paragraph (lines without a blank between them) that ends just before line ``label_line``."""
    raw = text.split("\n")[: label_line - 1]
    end = len(raw)
    while end and not raw[end - 1].strip():
        end -= 1
    begin = end
    while begin and raw[begin - 1].strip():
        begin -= 1
    if begin == end:
        return None
    return begin + 1, " ".join(line.strip() for line in raw[begin:end])


def parse_document(decoded: DecodedText, display: str, layout: str, *, cut: bool = False) -> ListingPage:
    """Read a document page of the given layout into one record (or a warning saying why not).

    Long: the metadata block's fields are read in one pass over the page's lines, with the cut-page
    rules beside them."""
    text = decoded.text
    lines = _nonblank(text)
    last = lines[-1][0] if lines else 1
    fields: dict[str, str | None] = {}
    summary: tuple[int, str] | None = None
    date: tuple[int, str] | None = None
    title: tuple[int, str] | None = None
    title_end = 0  # the title's last line, where it wraps
    if layout in ("doc-new", "doc-flat"):
        first = 1 if layout == "doc-new" else next(i for i, (_, s, _) in enumerate(lines[:3]) if is_record_date(s))
        date = lines[first][:2]
        if first + 1 < len(lines):
            title = lines[first + 1][:2]
        opens = [n for n, s, _ in lines[first + 2:] if s in _TAIL_OPENS]
        if opens:
            if layout == "doc-new":
                summary = _paragraph_before(text, opens[0])
            else:
                summary = next(((n, s) for n, s, _ in reversed(lines) if n < opens[0]), None)
            if layout == "doc-new":
                for label in ("Source", "Original Uploaded Date", "Type", "Language", "Record ID"):
                    fields[label] = _value(lines, label, cut)
                if fields["Source"] is None:  # the new site's other tail: the citation follows unlabelled
                    fields["Source"] = _value(lines, "Document Information", cut)
    elif layout in ("doc-old", "doc-old-filter"):
        after = [i for i, (_, s, _) in enumerate(lines) if s == _OLD_SITE]
        if after and after[0] + 1 < len(lines):
            date = lines[after[0] + 1][:2]
        cite = [i for i, (_, s, _) in enumerate(lines) if s == "get citation"][0]
        said: list[tuple[int, str]] = []
        for number, stripped, raw in lines[cite + 1:]:
            if not raw.startswith("    "):
                break
            if stripped.startswith('"') and date is not None:
                complete = not (cut and number == last)
                found = stripped.find(f'," {date[1]}')
                if found > 1:
                    title = (number, stripped[1:found])
                if complete:
                    url = _DOC_URL.search(stripped)
                    fields["Source"] = _DOC_URL.sub("", stripped).strip()
                    if url:
                        fields["Record ID"], fields["url"] = url.group(1), url.group(0)
                break
            said.append((number, stripped))
        if said:
            summary = (said[0][0], " ".join(s for _, s in said))
    else:  # doc-old-bare: date, the indented summary, then the title (it may wrap)
        date = lines[0][:2]
        index = 1
        said = []
        while index < len(lines) and lines[index][2].startswith("    "):
            said.append(lines[index][:2])
            index += 1
        if said:
            summary = (said[0][0], " ".join(s for _, s in said))
        raw = text.split("\n")
        if index < len(lines):
            begin = lines[index][0]
            end = begin
            while end < len(raw) and raw[end].strip():
                end += 1
            title = (begin, " ".join(line.strip() for line in raw[begin - 1:end]))
            title_end = end
    if date is None:
        raise SourceError("a document page without its date line", location=Location(display, 1),
                          hint="save the page from its start")
    if cut and (title is None or last in (title[0], title_end)):
        reason = "page ends inside this record (the saved copy is cut off before its title is whole): not published"
        return ListingPage(None, None, None, [], [Reject(Location(display, date[0]), reason,
                                                          hint="save the whole page", severity="warning",
                                                          text=date[1])], layout=layout, cut=cut)
    if title is None:
        where = "the citation's '\"<Title>,\" <date>, …'" if layout.startswith("doc-old") else "a title line"
        return ListingPage(None, None, None, [], [Reject(
            Location(display, date[0]), f"document page without a title: {where} was not found",
            hint="save the page whole, or give the record in a curated file", text=date[1])], layout=layout, cut=cut)
    block = Block(line=date[0], date=date[1], title=title[1], title_line=title[0], last_line=last,
                  summary=[summary] if summary else [])
    records, rejects = records_from_blocks([block], display, decoded)
    for record in records:
        record.record_id = fields.get("Record ID") if (fields.get("Record ID") or "").isdigit() else None
        record.key = record.record_id
        record.citation = fields.get("Source")
        record.archive_type = fields.get("Type")
        record.language = fields.get("Language")
        record.doc_url = fields.get("url")
    return ListingPage(None, None, None, records, rejects, layout=layout, cut=cut)
