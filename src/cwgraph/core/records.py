"""The data that travels between pipeline stages: plain dataclasses, no RDF."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from cwgraph.core.errors import Location

__all__ = ["CAPS", "MAX_NAMES", "Record", "Reject", "content_key", "key_from_url", "too_long", "web_url"]

# The longest value a field may hold, in characters (documented in source/README.md). The
# archive's longest title is about 400 characters and its longest summary about 3 000; a
# value past these is a paste gone wrong, and would cost every later stage its size again.
CAPS: dict[str, int] = {
    "title": 1_000,
    "summary": 20_000,
    "curated_summary": 20_000,
    "citation": 2_000,
    "doc_url": 2_000,
    "key": 200,
    "record_id": 12,
    "printed_date": 200,
    "archive_type": 200,
    "language": 200,
    "translator": 500,
}
MAX_NAME = 300  # one of mentioned_people / mentioned_places
MAX_NAMES = 1_000  # names a record may mention


@dataclass
class Record:
    """One archive document as read from one or more sources.

    ``summary`` is the archive's own wording where a listing page gave it,
    else the curated paraphrase; ``sources`` lists every place it was read from.
    """

    title: str
    printed_date: str
    key: str | None = None
    summary: str | None = None
    summary_truncated: bool = False  # the page kept only the start of the summary (a cut saved copy)
    curated_summary: str | None = None
    record_id: str | None = None
    doc_url: str | None = None
    citation: str | None = None
    archive_type: str | None = None
    language: str | None = None
    translator: str | None = None
    mentioned_people: list[str] = field(default_factory=list)
    mentioned_places: list[str] = field(default_factory=list)
    listing_page: int | None = None
    listing_position: int | None = None
    sources: list[Location] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def location(self) -> Location:
        return self.sources[0]

    def texts(self) -> list[str]:
        """Every summary text we hold, for mention extraction."""
        return [t for t in (self.summary, self.curated_summary) if t]


@dataclass(frozen=True)
class Reject:
    """A record (or file) that could not be published, or a problem a curator must look at.

    ``severity`` is ``error`` (the record is not published) or ``warning``
    (published, but something disagreed or was dropped).
    """

    location: Location
    reason: str
    hint: str | None = None
    text: str | None = None
    severity: str = "error"
    stage: str = "read"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "severity": self.severity,
            "stage": self.stage,
            "reason": self.reason,
            "hint": self.hint,
            "text": self.text,
        }


def too_long(record: Record) -> str | None:
    """Why a record is past the caps (:data:`CAPS`), or None."""
    for name, cap in CAPS.items():
        value = getattr(record, name)
        if value is not None and len(value) > cap:
            return f"{name.replace('_', ' ')} is {len(value):,} characters long, more than the {cap:,} a record may hold"
    for name in ("mentioned_people", "mentioned_places"):
        values = getattr(record, name)
        if len(values) > MAX_NAMES:
            return f"{name} lists {len(values):,} names, more than the {MAX_NAMES:,} a record may hold"
        longest = max(values, key=len, default="")
        if len(longest) > MAX_NAME:
            return f"a name in {name} is {len(longest):,} characters long, more than {MAX_NAME}"
    return None


_WEB_URL_BAD = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]")


def web_url(url: str) -> bool:
    """True for an absolute http(s) URL that can stand as an IRI (no spaces, no ``javascript:``)."""
    from urllib.parse import urlsplit

    if _WEB_URL_BAD.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def content_key(printed_date: str, title: str, summary: str | None) -> str:
    """A stable key from what the record says: ``h-`` + 12 hex digits.

    >>> content_key("February 1950", "Sino-Soviet Agreement Protocol", None)
    'h-079924d71876'
    """
    digest = hashlib.sha256(f"{_norm(printed_date)}\n{_norm(title)}\n{_norm(summary)}".encode()).hexdigest()
    return "h-" + digest[:12]


_DOC_URL = re.compile(r"^https?://digitalarchive\.wilsoncenter\.org/(document|node)/([A-Za-z0-9][\w-]*)/?$", re.ASCII)


def key_from_url(url: str | None) -> tuple[str | None, str | None]:
    """(record_id, key) from an archive URL: numeric document pages give the Record ID.

    >>> key_from_url("https://digitalarchive.wilsoncenter.org/document/110296")
    ('110296', '110296')
    >>> key_from_url("https://digitalarchive.wilsoncenter.org/node/89884")
    (None, 'node-89884')
    """
    if not url:
        return None, None
    m = _DOC_URL.match(url.strip())
    if not m:
        return None, None
    kind, slug = m.groups()
    if kind == "document" and slug.isdigit():
        return slug, slug
    return None, (f"node-{slug}" if kind == "node" else slug.lower())
