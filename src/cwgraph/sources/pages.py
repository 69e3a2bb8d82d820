"""Every page the archive prints, recognised from its content and read by the reader of its family.

Families: the new site's blank-line listings (:mod:`cwgraph.sources.listing`), the old
site's bulleted and dash listings (:mod:`cwgraph.sources.oldsite`), and single-document
pages (:mod:`cwgraph.sources.document`). The layout is told from the text, never from the
file's name; a saved copy of 1,995–2,000 bytes that does not end with a newline (or the
pager) is taken as cut off by the collector (the archive's saved copies keep about the first
2,000 UTF-8 bytes), so its last record is checked for completeness.

Mojibake (``Ă©migrĂ©`` for ``émigré``: UTF-8 read as a Windows code page by the saving
tool) is repaired with ``ftfy.fix_encoding`` line by line, each repair reported as a
warning with its line. Titles are identifiers: the archive prints ``émigré``, so the same
document saved cleanly elsewhere must get the same title, and a title kept garbled would
make it a second document. ``fix_encoding`` only undoes encoding mix-ups (it leaves quotes,
dashes and correct non-ASCII letters alone), and only lines ftfy judges bad are touched.
"""

from __future__ import annotations

import re
from pathlib import Path

from ftfy import fix_encoding
from ftfy.badness import is_bad

from cwgraph.core.errors import Location
from cwgraph.core.records import Reject
from cwgraph.sources.blocks import ListingPage, is_cut
from cwgraph.sources.document import document_layout, parse_document
from cwgraph.sources.listing import blank_line_layout, parse_blank_lines
from cwgraph.sources.oldsite import bullet_layout, dash_layout, parse_bullets, parse_dashes
from cwgraph.sources.text import DecodedText, read_text

__all__ = ["detect_layout", "read_page", "repair_mojibake"]

_BULLET_LINE = re.compile(r"^[^\S\n]*•", re.M)  # the old site's bulleted records
_DASH_LINE = re.compile(r"^[^\S\n]*-[^\S\n]*$", re.M)  # the old site's record separator
# a UTF-8 lead byte then a continuation byte, as a Windows code page (1250/1251/1252) or Latin-1 shows
# them (``Ã©``, ``Ă©``, ``â€™``, ``Ĺ‚``, ``Ð¸``): only a page with such a pair is given to ftfy
_SUSPECT = re.compile("[\u00c2-\u00f4\u0100-\u017f\u0400-\u045f]"
                      "[\u0080-\u00bf\u0104-\u017e\u0192\u02c6\u02c7\u02d8-\u02dd\u0401-\u045f"
                      "\u2013-\u2022\u2026\u2030\u2039\u203a\u20ac\u2116\u2122]")


def detect_layout(text: str) -> str:
    """The layout's name (the ``site`` names of the archive's development set, ``doc-…`` for documents)."""
    doc = document_layout(text)
    if doc is not None:
        return doc
    if _has_bullets(text):
        return bullet_layout(text)
    if _has_dashes(text):
        return dash_layout(text)
    return blank_line_layout(text)


def _has_bullets(text: str) -> bool:
    return "•" in text and _BULLET_LINE.search(text) is not None


def _has_dashes(text: str) -> bool:
    return ("-\n" in text or text.rstrip().endswith("-")) and _DASH_LINE.search(text) is not None


def read_page(path: Path, display: str) -> ListingPage:
    """Read one saved page, whatever its layout; a record that cannot be read becomes a reject."""
    decoded = read_text(path, display)
    repairs = repair_mojibake(decoded, display)
    text = decoded.text
    # a saved copy has no newline of its own at the end: a page that ends with one ends where its text ends
    cut = is_cut(path.stat().st_size) and not text.endswith("\n") and not text.rstrip().endswith("Pagination")
    doc = document_layout(text)
    if doc is not None:
        page = parse_document(decoded, display, doc, cut=cut)
    elif _has_bullets(text):
        page = parse_bullets(decoded, display, cut=cut)
    elif _has_dashes(text):
        page = parse_dashes(decoded, display, cut=cut)
    else:
        page = parse_blank_lines(decoded, display, cut=cut)
    page.rejects[:0] = repairs
    return page


def repair_mojibake(decoded: DecodedText, display: str) -> list[Reject]:
    """Undo UTF-8 read as a Windows code page, in place; a warning for each line repaired."""
    if not _SUSPECT.search(decoded.text) or not is_bad(decoded.text):  # most pages are clean
        return []
    lines = decoded.text.split("\n")
    warnings: list[Reject] = []
    for number, line in enumerate(lines, start=1):
        if number in decoded.bad_lines or not is_bad(line):
            continue
        fixed = fix_encoding(line)
        if fixed != line:
            lines[number - 1] = fixed
            warnings.append(Reject(Location(display, number), "mojibake repaired (UTF-8 text that had been read "
                                   "as a Windows code page)", hint="save the page again as UTF-8; check the "
                                   "repaired text", severity="warning", text=f"{line[:240]} → {fixed[:240]}"))
    if warnings:
        decoded.text = "\n".join(lines)
    return warnings
