"""Every page the archive prints, recognised from its content and read by the reader of its family.

Families: the new site's blank-line listings (:mod:`cwgraph.sources.listing`), the old
site's bulleted and dash listings (:mod:`cwgraph.sources.oldsite`), and single-document
pages (:mod:`cwgraph.sources.document`). The layout is told from the text, never from the
file's name; a saved copy of 1,995–2,000 bytes is taken as cut off by the collector (the
archive's saved copies keep about the first 2,000 UTF-8 bytes), so its last record is
checked for completeness.
"""

from __future__ import annotations

from pathlib import Path

from cwgraph.sources.blocks import ListingPage, is_cut
from cwgraph.sources.document import document_layout, parse_document
from cwgraph.sources.listing import blank_line_layout, parse_blank_lines
from cwgraph.sources.oldsite import BULLET, DASH, bullet_layout, dash_layout, parse_bullets, parse_dashes
from cwgraph.sources.text import read_text

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
    cut = is_cut(path.stat().st_size) and not decoded.text.rstrip().endswith("Pagination")
    layout = detect_layout(decoded.text)
    if layout.startswith("doc-"):
        return parse_document(decoded, display, layout, cut=cut)
    if layout.startswith("old-bullet"):
        return parse_bullets(decoded, display, cut=cut)
    if layout in ("old-dash", "old-dash-bare", "collection-dash"):
        return parse_dashes(decoded, display, cut=cut)
    return parse_blank_lines(decoded, display, cut=cut)
