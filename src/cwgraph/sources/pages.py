"""Every page the archive prints, recognised from its content and read by the reader of its family.

Families: the new site's blank-line listings (:mod:`cwgraph.sources.listing`), the old
site's bulleted and dash listings (:mod:`cwgraph.sources.oldsite`), and single-document
pages (:mod:`cwgraph.sources.document`). The layout is told from the text, never from the
file's name; a saved copy of 1,995–2,000 bytes is taken as cut off by the collector (the
archive's saved copies keep about the first 2,000 UTF-8 bytes), so its last record is
checked for completeness.

Mojibake (``Ă©migrĂ©`` for ``émigré``: UTF-8 read as a Windows code page by the saving
tool) is repaired with ``ftfy.fix_encoding`` line by line, each repair reported as a
warning with its line. Titles are identifiers: the archive prints ``émigré``, so the same
document saved cleanly elsewhere must get the same title, and a title kept garbled would
make it a second document. ``fix_encoding`` only undoes encoding mix-ups (it leaves quotes,
dashes and correct non-ASCII letters alone), and only lines ftfy judges bad are touched.
"""

from __future__ import annotations

from pathlib import Path

from ftfy import fix_encoding
from ftfy.badness import is_bad

from cwgraph.errors import Location
from cwgraph.records import Reject

from cwgraph.sources.blocks import ListingPage, is_cut
from cwgraph.sources.document import document_layout, parse_document
from cwgraph.sources.listing import blank_line_layout, parse_blank_lines
from cwgraph.sources.oldsite import BULLET, DASH, bullet_layout, dash_layout, parse_bullets, parse_dashes
from cwgraph.sources.text import DecodedText, read_text

__all__ = ["detect_layout", "read_page"]


def detect_layout(text: str) -> str:
    """The layout's name (the ``site`` names of the archive's development set, ``doc-…`` for documents)."""
    doc = document_layout(text)
    if doc is not None:
        return doc
    lines = text.split("\n")
    if any(BULLET.match(line) for line in lines):
        return bullet_layout(text)
    if any(DASH.match(line) for line in lines):
        return dash_layout(text)
    return blank_line_layout(text)


def read_page(path: Path, display: str) -> ListingPage:
    """Read one saved page, whatever its layout; a record that cannot be read becomes a reject."""
    decoded = read_text(path, display)
    repairs = repair_mojibake(decoded, display)
    cut = is_cut(path.stat().st_size) and not decoded.text.rstrip().endswith("Pagination")
    layout = detect_layout(decoded.text)
    if layout.startswith("doc-"):
        page = parse_document(decoded, display, layout, cut=cut)
    elif layout.startswith("old-bullet"):
        page = parse_bullets(decoded, display, cut=cut)
    elif layout in ("old-dash", "old-dash-bare", "collection-dash"):
        page = parse_dashes(decoded, display, cut=cut)
    else:
        page = parse_blank_lines(decoded, display, cut=cut)
    page.rejects[:0] = repairs
    return page


def repair_mojibake(decoded: DecodedText, display: str) -> list[Reject]:
    """Undo UTF-8 read as a Windows code page, in place; a warning for each line repaired."""
    if not is_bad(decoded.text):  # one pass over the page; most pages are clean
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
