"""Find source files, read them, and merge the records that are one document.

Curated records are read first; a listing record that matches one (same
title and printed date; listing position and summary break ties) is merged
into it, both provenances kept. Every other listing record becomes a document
of its own, keyed by its content.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from cwgraph.errors import Location, SourceError
from cwgraph.records import Record, Reject, content_key
from cwgraph.sources.curated import parse_curated
from cwgraph.sources.listing import parse_listing

__all__ = ["ReadResult", "read_sources", "source_files"]

LISTING_SUFFIXES = {".txt"}
CURATED_SUFFIXES = {".jsonl"}
IGNORED_DIRS = {"authorities"}


@dataclass
class ReadResult:
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    read: int = 0  # records read, before merging


def source_files(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[tuple[Path, Path]]]:
    """(file, the --source argument it came from) for every source file, sorted; and the files
    found in the folders that are not a source format (reported, never silently dropped).

    A file given by name is read whatever its suffix (``.jsonl`` as curated records, anything
    else as a listing page); in folders, ``*.txt`` and suffix-less files are listing pages,
    ``*.jsonl`` curated records; ``authorities/``, hidden files and READMEs are not records.
    """
    found: dict[Path, Path] = {}
    skipped: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            for p in path.rglob("*"):
                rel = p.relative_to(path).parts
                if not p.is_file() or IGNORED_DIRS & set(rel[:-1]) or any(part.startswith(".") for part in rel):
                    continue
                if p.suffix.lower() in LISTING_SUFFIXES | CURATED_SUFFIXES or not p.suffix:
                    found.setdefault(p, path)
                elif not p.name.upper().startswith("README"):
                    skipped.setdefault(p, path)
        elif path.exists():
            found.setdefault(path, path)
        else:
            raise SourceError(f"no such file or folder: {path}", hint="check the --source path")
    order = lambda item: item[0].as_posix()  # noqa: E731
    return sorted(found.items(), key=order), sorted(skipped.items(), key=order)


def display_path(path: Path, root: Path, given: Path | None = None) -> str:
    """How a source file is named in reports and provenance: relative to the project, or else
    relative to the folder holding the --source argument (never an absolute, machine-bound path)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    anchor = (given or path).resolve().parent
    try:
        return path.resolve().relative_to(anchor).as_posix()
    except ValueError:
        return path.name


def read_sources(paths: list[Path], root: Path) -> ReadResult:
    """Read and merge every source; nothing is dropped without a reject."""
    result = ReadResult()
    curated: list[Record] = []
    listed: list[Record] = []
    files, skipped = source_files(paths)
    for path, given in skipped:
        result.rejects.append(Reject(Location(display_path(path, root, given), 1),
                                     f"not a source format ({path.suffix or 'no suffix'}); the file was not read",
                                     hint="listing pages end in .txt, curated records in .jsonl; rename the file "
                                     "or give it by name with --source", severity="warning"))
    for path, given in files:
        display = display_path(path, root, given)
        result.files.append(display)
        try:
            if path.suffix.lower() in CURATED_SUFFIXES:
                records, rejects = parse_curated(path, display)
                curated.extend(records)
            else:
                page = parse_listing(path, display)
                records, rejects = page.records, page.rejects
                listed.extend(records)
        except SourceError as exc:
            loc = exc.location or Location(display, 1)
            result.rejects.append(Reject(loc, exc.message, hint=exc.hint))
            continue
        except OSError as exc:
            result.rejects.append(Reject(Location(display, 1), f"cannot read the file: {exc.strerror}",
                                         hint="check the file's permissions"))
            continue
        result.read += len(records) + sum(1 for r in rejects if r.severity == "error")
        result.rejects.extend(rejects)
    by_key: dict[str, Record] = {}
    by_record_id: dict[str, Record] = {}
    for record in curated:
        assert record.key
        if record.key in by_key:
            why = f"Record ID {record.key}" if record.key == record.record_id else None
            _merge_same_key(by_key[record.key], record, result, why=why)
            continue
        if record.record_id and record.record_id in by_record_id:
            first = by_record_id[record.record_id]
            _merge_same_key(first, record, result, why=f"Record ID {record.record_id}")
            continue
        by_key[record.key] = record
        if record.record_id:
            by_record_id[record.record_id] = record
    for record in listed:
        match = _match(record, list(by_key.values()))
        if match is not None:
            _merge_listing(match, record, result)
            continue
        conflict = _date_conflict(record, curated)
        if conflict is not None:
            result.rejects.append(Reject(
                record.location,
                f"the listing prints the date {record.printed_date!r} where the curated record "
                f"{conflict.location} has {conflict.printed_date!r}; the curated date is published",
                hint="correct whichever is wrong; the two are one document (same title and listing position)",
                severity="warning", text=record.title))
            _merge_listing(conflict, record, result)
            continue
        record.key = content_key(record.printed_date, record.title, record.summary)
        if record.key in by_key:
            by_key[record.key].sources.extend(record.sources)  # the same block printed twice
            continue
        by_key[record.key] = record
    result.records = sorted(by_key.values(), key=lambda r: r.key or "")
    return result


def _norm(text: str | None) -> str:
    return " ".join((text or "").replace("’", "'").split()).casefold()


def _match(listing: Record, candidates: list[Record]) -> Record | None:
    same = [c for c in candidates if _norm(c.title) == _norm(listing.title)
            and _norm(c.printed_date) == _norm(listing.printed_date)
            and not any(s.file == listing.location.file for s in c.sources[1:])]
    if len(same) <= 1:
        return same[0] if same else None
    placed = [c for c in same if c.listing_page is not None and c.listing_page == listing.listing_page
              and c.listing_position == listing.listing_position]
    if len(placed) == 1:
        return placed[0]
    scored = sorted(same, key=lambda c: -difflib.SequenceMatcher(None, _norm(c.summary), _norm(listing.summary)).ratio())
    return scored[0]


def _date_conflict(listing: Record, curated: list[Record]) -> Record | None:
    """A curated record with the same title at the same listing position, but another date."""
    if listing.listing_page is None:
        return None
    for c in curated:
        if (_norm(c.title) == _norm(listing.title) and c.listing_page == listing.listing_page
                and c.listing_position == listing.listing_position
                and _norm(c.printed_date) != _norm(listing.printed_date)):
            return c
    return None


def _merge_listing(target: Record, listing: Record, result: ReadResult) -> None:
    target.sources.extend(listing.sources)
    if listing.summary:
        target.summary = listing.summary  # the archive's own words
    if target.listing_page is None:
        target.listing_page, target.listing_position = listing.listing_page, listing.listing_position


def _merge_same_key(first: Record, second: Record, result: ReadResult, why: str | None = None) -> None:
    fields = ("title", "printed_date", "record_id", "doc_url", "citation", "archive_type", "language")
    differ = [f for f in fields if getattr(second, f) and getattr(first, f) and getattr(first, f) != getattr(second, f)]
    if differ:
        result.rejects.append(Reject(
            second.location,
            f"{why or f'record {first.key!r}'} is also defined at {first.location} and they disagree on "
            f"{', '.join(differ)}",
            hint="keep one definition of the record (or give the second its own key); the first is published",
            text=second.title))
        return
    first.sources.extend(second.sources)
    for f in fields + ("summary", "translator"):
        if not getattr(first, f) and getattr(second, f):
            setattr(first, f, getattr(second, f))
