"""Find source files, read them, and merge the records that are one document.

Curated records are read first; a listing record that matches one (same
title and printed date; listing position and summary break ties) is merged
into it, both provenances kept. Every other listing record becomes a document
of its own, keyed by its content.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cwgraph.errors import Location, SourceError
from cwgraph.records import Record, Reject, content_key
from cwgraph.sources.curated import parse_curated
from cwgraph.sources.pages import read_page
from cwgraph.sources.tables import RecordTables, norm

__all__ = ["ReadResult", "iter_records", "source_files"]

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


def iter_records(paths: list[Path], root: Path, result: ReadResult, workdir: Path | None = None) -> Iterator[Record]:
    """Every document once, merged; rejects, files and counts are collected in ``result``.

    Curated files are read first and indexed; listing pages then stream through, one file
    at a time: a listing record that matches a curated one is merged into it, any other is
    yielded at once under its content key. The curated records come last, in key order.
    The curated records and the keys seen wait in an on-disk table (in ``workdir``, else
    the system's temporary folder), so memory does not grow with the records.
    """
    files, skipped = source_files(paths)
    for path, given in skipped:
        result.rejects.append(Reject(Location(display_path(path, root, given), 1),
                                     f"not a source format ({path.suffix or 'no suffix'}); the file was not read",
                                     hint="listing pages end in .txt, curated records in .jsonl; rename the file "
                                     "or give it by name with --source", severity="warning"))
    curated_files = [(p, g) for p, g in files if p.suffix.lower() in CURATED_SUFFIXES]
    listing_files = [(p, g) for p, g in files if p.suffix.lower() not in CURATED_SUFFIXES]
    with RecordTables(workdir) as tables:
        index = _CuratedIndex(tables)
        for path, given in curated_files:
            display = display_path(path, root, given)
            result.files.append(display)
            try:
                records, rejects = parse_curated(path, display)
            except (SourceError, OSError) as exc:
                result.rejects.append(_file_reject(exc, display))
                continue
            result.read += len(records) + sum(1 for r in rejects if r.severity == "error")
            result.rejects.extend(rejects)
            for record in records:
                index.add(record, result)
            del records
        for path, given in listing_files:
            display = display_path(path, root, given)
            result.files.append(display)
            try:
                page = read_page(path, display)
            except (SourceError, OSError) as exc:
                result.rejects.append(_file_reject(exc, display))
                continue
            result.read += len(page.records) + sum(1 for r in page.rejects if r.severity == "error")
            result.rejects.extend(page.rejects)
            for record in page.records:
                if _listing_record(record, index, tables, result):
                    yield record
        yield from tables.curated()


def _listing_record(record: Record, index: _CuratedIndex, tables: RecordTables, result: ReadResult) -> bool:
    """Merge a listing record into its curated record, or key it; True when it is a document of its own."""
    namesakes = tables.by_title_date(record)
    match = index.match(record, namesakes)
    if match is not None:
        _merge_listing(match, record, result)
        tables.save(match)
        return False
    conflict = tables.by_title_position(record)
    if conflict is not None:
        result.rejects.append(Reject(
            record.location,
            f"the listing prints the date {record.printed_date!r} where the curated record "
            f"{conflict.location} has {conflict.printed_date!r}; the curated date is published",
            hint="correct whichever is wrong; the two are one document (same title and listing position)",
            severity="warning", text=record.title))
        _merge_listing(conflict, record, result)
        tables.save(conflict)
        return False
    record.key = record.key or content_key(record.printed_date, record.title, record.summary)
    if namesakes:
        result.rejects.append(Reject(
            record.location,
            f"same title and date as the curated record at {namesakes[0][0].location}, but another listing "
            "position: published as a separate document", hint="if they are one document, set the curated "
            "record's listing_page and listing_position to this page's", severity="warning",
            text=record.title))
    curated = tables.by_key(record.key)
    first = curated.location if curated is not None else tables.first_seen(record.key, record.location)
    if first is not None:
        result.rejects.append(Reject(
            record.location, f"the same record (date, title and summary) is already at {first}; "
            "published once", hint="remove the repeated block or the repeated page", severity="warning",
            text=record.title))
        return False
    return True


def _file_reject(exc: Exception, display: str) -> Reject:
    if isinstance(exc, SourceError):
        return Reject(exc.location or Location(display, 1), exc.message, hint=exc.hint)
    assert isinstance(exc, OSError)
    return Reject(Location(display, 1), f"cannot read the file: {exc.strerror}", hint="check the file's permissions")


class _CuratedIndex:
    """The rules that find the curated record a listing record is, over the on-disk tables."""

    def __init__(self, tables: RecordTables) -> None:
        self.tables = tables

    def add(self, record: Record, result: ReadResult) -> None:
        assert record.key
        first = self.tables.by_key(record.key)
        why = f"Record ID {record.key}" if first is not None and record.key == record.record_id else None
        if first is None and record.record_id:
            first = self.tables.by_record_id(record.record_id)
            why = f"Record ID {record.record_id}"
        if first is None:
            self.tables.add(record)
            return
        if _merge_same_key(first, record, result, why=why):
            self.tables.save(first)

    def match(self, listing: Record, same: list[tuple[Record, bool]]) -> Record | None:
        """The curated record a listing record is, if any, among those with its title and date.

        Where both carry a listing position, the positions must agree (the same title and
        date on two pages are two documents); without that evidence a curated record
        absorbs at most one listing record.
        """
        candidates = []
        for c, merged in same:
            if c.listing_page is not None and listing.listing_page is not None:
                if (c.listing_page, c.listing_position) == (listing.listing_page, listing.listing_position):
                    candidates.append(c)
                continue
            if not merged:
                candidates.append(c)
        chosen = _choose(listing, candidates)
        if chosen is not None:
            self.tables.mark_merged(chosen.key or "")
        return chosen


def _choose(listing: Record, same: list[Record]) -> Record | None:
    """Among curated records with the listing record's title and date, the one it is."""
    if len(same) <= 1:
        return same[0] if same else None
    placed = [c for c in same if c.listing_page is not None and c.listing_page == listing.listing_page
              and c.listing_position == listing.listing_position]
    if len(placed) == 1:
        return placed[0]
    return sorted(same, key=lambda c: (-difflib.SequenceMatcher(None, norm(c.summary), norm(listing.summary)).ratio(),
                                       c.key or ""))[0]


def _merge_listing(target: Record, listing: Record, result: ReadResult) -> None:
    target.sources.extend(listing.sources)
    if listing.summary:
        target.summary = listing.summary  # the archive's own words
    if target.listing_page is None:
        target.listing_page, target.listing_position = listing.listing_page, listing.listing_position


def _merge_same_key(first: Record, second: Record, result: ReadResult, why: str | None = None) -> bool:
    fields = ("title", "printed_date", "record_id", "doc_url", "citation", "archive_type", "language")
    differ = [f for f in fields if getattr(second, f) and getattr(first, f) and getattr(first, f) != getattr(second, f)]
    if differ:
        result.rejects.append(Reject(
            second.location,
            f"{why or f'record {first.key!r}'} is also defined at {first.location} and they disagree on "
            f"{', '.join(differ)}",
            hint="keep one definition of the record (or give the second its own key); the first is published",
            text=second.title))
        return False
    first.sources.extend(second.sources)
    for f in fields + ("summary", "translator"):
        if not getattr(first, f) and getattr(second, f):
            setattr(first, f, getattr(second, f))
    return True
