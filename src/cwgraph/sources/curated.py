"""Curated record files: JSON Lines, one document a line, reviewed by a curator.

Keys (see ``source/records/README.md``): ``key`` (stable, never reused),
``record_id``, ``date`` (as printed), ``title``, ``summary``, ``doc_url``,
``type``, ``language``, ``translator``, ``source_citation``,
``mentioned_people``, ``mentioned_places``, ``listing_page``, ``listing_position``.
"""

from __future__ import annotations

import json
from pathlib import Path

from cwgraph.dates import parse_printed_date
from cwgraph.errors import DateError, Location
from cwgraph.records import Record, Reject, content_key, key_from_url
from cwgraph.sources.text import CONTROL, read_text

__all__ = ["parse_curated"]

_STRING_KEYS = ("key", "record_id", "date", "title", "summary", "doc_url", "type", "language", "translator",
                "source_citation")


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = CONTROL.sub(" ", str(value)).strip()
    return text or None


def _names(value: object, loc: Location, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{field!r} must be a list of names")
    return [n for n in (_clean(v) for v in value) if n]


def parse_curated(path: Path, display: str) -> tuple[list[Record], list[Reject]]:
    """Read a curated JSON Lines file; each unreadable line becomes a reject."""
    records: list[Record] = []
    rejects: list[Reject] = []
    decoded = read_text(path, display)
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        loc = Location(display, number)
        if number in decoded.bad_lines:
            rejects.append(Reject(loc, decoded.bad_lines[number], hint="save the file as UTF-8", text=line[:500]))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rejects.append(Reject(loc, f"not valid JSON ({exc.msg} at column {exc.colno})",
                                  hint="each line must be one JSON object", text=line[:500]))
            continue
        if not isinstance(obj, dict):
            rejects.append(Reject(loc, "a line must hold one JSON object", text=line[:500]))
            continue
        try:
            record = _record(obj, loc)
        except (ValueError, DateError) as exc:
            message = exc.message if isinstance(exc, DateError) else str(exc)
            hint = exc.hint if isinstance(exc, DateError) else "correct the field in the curated file"
            rejects.append(Reject(loc, message, hint=hint, text=line[:500]))
            continue
        if CONTROL.search(line) or any(CONTROL.search(str(v)) for v in obj.values() if isinstance(v, str)):
            rejects.append(Reject(loc, "control characters replaced by spaces",
                                  hint="remove the invisible characters from the record", severity="warning",
                                  text=record.title[:500]))
        records.append(record)
    return records, rejects


def _record(obj: dict[str, object], loc: Location) -> Record:
    for key in _STRING_KEYS:
        if obj.get(key) is not None and not isinstance(obj[key], (str, int)):
            raise ValueError(f"{key!r} must be a string")
    title = _clean(obj.get("title"))
    date = _clean(obj.get("date"))
    if not title:
        raise ValueError("record has no title")
    if len(title) > 1000:
        raise ValueError(f"the title is {len(title)} characters long (more than 1000); is the summary in it?")
    if not date:
        raise ValueError("record has no date (write '[undated]' when the archive gives none)")
    parse_printed_date(date)
    record_id = _clean(obj.get("record_id"))
    if record_id is not None and not record_id.isdigit():
        raise ValueError(f"record_id {record_id!r} is not the archive's numeric Record ID")
    url_id, url_key = key_from_url(_clean(obj.get("doc_url")))
    if record_id and url_id and url_id != record_id:
        raise ValueError(f"record_id {record_id} disagrees with the archive URL (Record ID {url_id})")
    summary = _clean(obj.get("summary"))
    key = _clean(obj.get("key")) or record_id or url_id or url_key or content_key(date, title, summary)
    page, position = obj.get("listing_page"), obj.get("listing_position")
    return Record(
        key=key,
        title=title,
        printed_date=date,
        summary=summary,
        curated_summary=summary,
        record_id=record_id or url_id,
        doc_url=_clean(obj.get("doc_url")),
        citation=_clean(obj.get("source_citation")),
        archive_type=_clean(obj.get("type")),
        language=_clean(obj.get("language")),
        translator=_clean(obj.get("translator")),
        mentioned_people=_names(obj.get("mentioned_people"), loc, "mentioned_people"),
        mentioned_places=_names(obj.get("mentioned_places"), loc, "mentioned_places"),
        listing_page=page if isinstance(page, int) else None,
        listing_position=position if isinstance(position, int) else None,
        sources=[loc],
    )
