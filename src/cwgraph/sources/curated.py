"""Curated record files: JSON Lines, one document a line, reviewed by a curator.

Keys (see ``source/records/README.md``): ``key`` (stable, never reused),
``record_id``, ``date`` (as printed), ``title``, ``summary``, ``doc_url``,
``type``, ``language``, ``translator``, ``source_citation``,
``mentioned_people``, ``mentioned_places``, ``listing_page``, ``listing_position``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cwgraph.core.errors import DateError, Location
from cwgraph.core.records import MAX_NAMES, Record, Reject, content_key, key_from_url, web_url
from cwgraph.interpreting.dates import parse_printed_date
from cwgraph.sources.text import CONTROL, read_text

__all__ = ["parse_curated"]

_STRING_KEYS = ("key", "record_id", "date", "title", "summary", "doc_url", "type", "language", "translator",
                "source_citation")
MAX_LINE = 100_000  # characters a record line may hold (the field caps are in cwgraph.core.records.CAPS)
_RECORD_ID = re.compile(r"[0-9]{1,12}", re.ASCII)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj: dict[str, object] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"the key {key!r} appears twice in one object; which value is meant?")
        obj[key] = value
    return obj


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > 18:
        raise ValueError(f"an integer of {len(digits.lstrip('-'))} digits; no field holds one")
    return int(digits)


def _constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON value")


def _loads(line: str) -> object:
    """One JSON value, strictly: no duplicate keys, no huge integers, no NaN, no lone surrogates."""
    obj = json.loads(line, object_pairs_hook=_pairs, parse_int=_int, parse_constant=_constant)
    stack = [obj]
    while stack:  # iteratively: the nesting can be as deep as the parser allows
        item = stack.pop()
        if isinstance(item, str):
            if m := _SURROGATE.search(item):
                raise ValueError(f"a lone surrogate (\\u{ord(m.group()):04x}) is not a character")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return obj


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
    if len(value) > MAX_NAMES:
        raise ValueError(f"{field!r} lists {len(value):,} names, more than the {MAX_NAMES:,} a record may hold")
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
        if len(line) > MAX_LINE:
            rejects.append(Reject(loc, f"the line is {len(line):,} characters long, more than the {MAX_LINE:,} a "
                                  "record may hold", hint="shorten the summary (or split the line: one record a "
                                  "line)", text=line[:500]))
            continue
        try:
            obj = _loads(line)
        except json.JSONDecodeError as exc:
            rejects.append(Reject(loc, f"not valid JSON ({exc.msg} at column {exc.colno})",
                                  hint="each line must be one JSON object", text=line[:500]))
            continue
        except RecursionError:
            rejects.append(Reject(loc, "not a record: JSON nested too deeply to read",
                                  hint="each line must be one flat JSON object", text=line[:500]))
            continue
        except ValueError as exc:
            rejects.append(Reject(loc, f"not a readable record: {exc}", hint="each line must be one JSON object "
                                  "of strings, lists of strings and small integers", text=line[:500]))
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
        if obj.get(key) is not None and (isinstance(obj[key], bool) or not isinstance(obj[key], (str, int))):
            raise ValueError(f"{key!r} must be a string, not {json.dumps(obj[key])[:40]}")
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
    if record_id is not None and not _RECORD_ID.fullmatch(record_id):
        raise ValueError(f"record_id {record_id!r} is not the archive's numeric Record ID (ASCII digits 0-9, "
                         "at most 12)")
    doc_url = _clean(obj.get("doc_url"))
    if doc_url is not None and not web_url(doc_url):
        raise ValueError(f"doc_url {doc_url[:200]!r} is not an http(s) URL (no spaces, no other scheme)")
    url_id, url_key = key_from_url(doc_url)
    if record_id and url_id and url_id != record_id:
        raise ValueError(f"record_id {record_id} disagrees with the archive URL (Record ID {url_id})")
    summary = _clean(obj.get("summary"))
    key = _clean(obj.get("key")) or record_id or url_id or url_key or content_key(date, title, summary)
    page, position = obj.get("listing_page"), obj.get("listing_position")
    for name, value in (("listing_page", page), ("listing_position", position)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError(f"{name!r} must be a whole number, not {json.dumps(value)[:40]}")
    return Record(
        key=key,
        title=title,
        printed_date=date,
        summary=summary,
        curated_summary=summary,
        record_id=record_id or url_id,
        doc_url=doc_url,
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
