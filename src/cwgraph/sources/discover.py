"""Find source files, read them, and merge the records that are one document.

Curated records are read first; a listing record that matches one (same
title and printed date; listing position and summary break ties) is merged
into it, both provenances kept. Every other listing record becomes a document
of its own, keyed by its content.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cwgraph.core.errors import Location, SourceError
from cwgraph.core.records import Record, Reject, content_key, too_long
from cwgraph.sources.curated import parse_curated
from cwgraph.sources.pages import read_page
from cwgraph.sources.tables import RecordTables, norm

__all__ = ["ReadResult", "display_path", "file_digest", "iter_records", "printable", "source_files"]

LISTING_SUFFIXES = {".txt"}
CURATED_SUFFIXES = {".jsonl"}
IGNORED_DIRS = {"authorities"}


@dataclass
class ReadResult:
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # SHA-256 of each file read, by display name
    read: int = 0  # records read, before merging
    rejected: int = 0  # of those, records rejected (files that are not read are not records)


@dataclass(frozen=True)
class Refused:
    """A path under a source folder that is not read: why, and how to fix it."""

    path: Path
    given: Path
    reason: str
    hint: str
    severity: str = "error"


def _inside(path: Path, folder: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _classify(p: Path, given: Path) -> str | Refused:
    """``file`` for a regular file that may be read, else why it is not (never following a link out)."""
    try:
        st = p.lstat()
    except OSError as exc:
        return Refused(p, given, f"cannot be examined: {exc.strerror}", "check the file's permissions")
    if stat.S_ISLNK(st.st_mode):
        if not p.exists():
            return Refused(p, given, "a symbolic link to nothing (dangling); not read",
                           "remove the link or restore the file it points to")
        if not _inside(p, given):
            return Refused(p, given, "a symbolic link leading outside the source folder; not read (a build "
                           "publishes only what is in its source folders)",
                           "copy the file into the source folder, or give it by name with --source")
        if p.is_dir():
            return Refused(p, given, "a symbolic link to a folder; not followed", "give the folder with --source",
                           severity="warning")
        st = p.stat()
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a socket or device"
        return Refused(p, given, f"{kind}, not a regular file; not read", "give regular text files as sources")
    return "file"


def source_files(paths: list[Path]) -> tuple[list[tuple[Path, Path]], list[tuple[Path, Path]], list[Refused]]:
    """(file, the --source argument it came from) for every source file, sorted; the files
    found in the folders that are not a source format (reported, never silently dropped);
    and the paths that are not read at all: links leading out of the source folder or to
    nothing, FIFOs, sockets and devices, entries that cannot be examined.

    A file given by name is read whatever its suffix (``.jsonl`` as curated records, anything
    else as a listing page); in folders, ``*.txt`` and suffix-less files are listing pages,
    ``*.jsonl`` curated records; ``authorities/``, hidden files and READMEs are not records.
    Folders are walked without following symbolic links.
    """
    found: dict[Path, Path] = {}
    skipped: dict[Path, Path] = {}
    refused: dict[Path, Refused] = {}
    for path in paths:
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path, followlinks=False,
                                                        onerror=lambda e: _walk_error(e, path, refused)):
                base = Path(dirpath)
                rel_dir = base.relative_to(path).parts
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and not (IGNORED_DIRS & {*rel_dir, d}))
                links = [d for d in dirnames if (base / d).is_symlink()]
                for name in sorted(filenames) + sorted(links):
                    p = base / name
                    if name.startswith(".") or IGNORED_DIRS & set(rel_dir):
                        continue
                    kind = _classify(p, path)
                    if isinstance(kind, Refused):
                        refused.setdefault(p, kind)
                    elif kind == "file":
                        if p.suffix.lower() in LISTING_SUFFIXES | CURATED_SUFFIXES or not p.suffix:
                            found.setdefault(p, path)
                        elif not p.name.upper().startswith("README"):
                            skipped.setdefault(p, path)
                dirnames[:] = [d for d in dirnames if d not in links]
        elif path.exists() or path.is_symlink():
            kind = _classify(path, path.parent) if not path.is_symlink() else (
                "file" if path.is_file() else _classify(path, path.parent))
            if kind == "file":
                found.setdefault(path, path)
            elif isinstance(kind, Refused):
                refused.setdefault(path, kind)
        else:
            raise SourceError(f"no such file or folder: {path}", hint="check the --source path")
    order = lambda item: item[0].as_posix()  # noqa: E731
    return (sorted(found.items(), key=order), sorted(skipped.items(), key=order),
            sorted(refused.values(), key=lambda r: r.path.as_posix()))


def _walk_error(exc: OSError, given: Path, refused: dict[Path, Refused]) -> None:
    p = Path(exc.filename) if exc.filename else given
    refused.setdefault(p, Refused(p, given, f"folder cannot be read: {exc.strerror}", "check its permissions"))


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by the file system as surrogates)
    are written ``\\xNN``, so reports, provenance and IRIs can always hold it."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def display_path(path: Path, root: Path, given: Path | None = None) -> str:
    """How a source file is named in reports and provenance: relative to the project, or else
    relative to the folder holding the --source argument (never an absolute, machine-bound path)."""
    return printable(_display_path(path, root, given))


def _display_path(path: Path, root: Path, given: Path | None = None) -> str:
    try:
        return path.absolute().relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    anchor = (given or path).absolute().parent
    try:
        return path.absolute().relative_to(anchor).as_posix()
    except ValueError:
        return path.name


def file_digest(path: Path) -> str:
    """SHA-256 of a regular file, opened without blocking (a FIFO swapped in raises, never hangs)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)


def iter_records(paths: list[Path], root: Path, result: ReadResult, workdir: Path | None = None) -> Iterator[Record]:
    """Every document once, merged; rejects, files and counts are collected in ``result``.

    Curated files are read first and indexed; listing pages then stream through, one file
    at a time: a listing record that matches a curated one is merged into it, any other is
    yielded at once under its content key. The curated records come last, in key order.
    The curated records and the keys seen wait in an on-disk table (in ``workdir``, else
    the system's temporary folder), so memory does not grow with the records.
    """
    files, skipped, refused = source_files(paths)
    for r in refused:
        result.rejects.append(Reject(Location(display_path(r.path, root, r.given), 1), r.reason, hint=r.hint,
                                     severity=r.severity))
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
                result.digests[display] = file_digest(path)
                records, rejects = parse_curated(path, display)
            except (SourceError, OSError) as exc:
                result.rejects.append(_file_reject(exc, display))
                continue
            errors = sum(1 for r in rejects if r.severity == "error")
            result.read += len(records) + errors
            result.rejected += errors
            result.rejects.extend(rejects)
            for record in records:
                if _within_caps(record, result):
                    index.add(record, result)
            del records
        for path, given in listing_files:
            display = display_path(path, root, given)
            result.files.append(display)
            try:
                result.digests[display] = file_digest(path)
                page = read_page(path, display)
            except (SourceError, OSError) as exc:
                result.rejects.append(_file_reject(exc, display))
                continue
            errors = sum(1 for r in page.rejects if r.severity == "error")
            result.read += len(page.records) + errors
            result.rejected += errors
            result.rejects.extend(page.rejects)
            for record in page.records:
                if _within_caps(record, result) and _listing_record(record, index, tables, result):
                    yield record
        yield from tables.curated()


def _within_caps(record: Record, result: ReadResult) -> bool:
    """False (and the record rejected) when a field is past its cap (:data:`cwgraph.core.records.CAPS`)."""
    why = too_long(record)
    if why is None:
        return True
    result.rejected += 1
    result.rejects.append(Reject(record.location, why, hint="shorten the field (see source/README.md for the "
                                 "caps); is more than one record's text in it?", text=record.title[:500]))
    return False


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
    if record.key:  # a document page's Record ID: collisions follow the Record ID rule
        taken = None
    else:
        record.key = content_key(record.printed_date, record.title, record.summary)
        taken = tables.by_key(record.key)
    if taken is not None and norm(taken.title) != norm(record.title):
        # a curated record was given this listing record's content hash as its key by hand:
        # the listing record is still published, under the first free key after it
        n = 1
        while tables.by_key(f"{record.key}-{n}") is not None:
            n += 1
        result.rejects.append(Reject(
            record.location, f"its content key {record.key} is the key of another document, the curated record "
            f"at {taken.location}; published as {record.key}-{n}", hint="give the curated record a key of its "
            "own (keys 'h-' + 12 hex digits are content hashes, minted by cwgraph)", severity="warning",
            text=record.title))
        record.key = f"{record.key}-{n}"
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
    return Reject(Location(display, 1), f"cannot read the file: {exc.strerror or exc}",
                  hint="check the file's permissions (and that it is a regular file)")


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
        if first.key == record.key and _owns_key(record) and not _owns_key(first) and _disagree(first, record):
            # the key is this record's own Record ID, while the first only claimed it: the owner is kept
            result.rejects.append(Reject(
                first.location, f"key {first.key!r} is the Record ID of the record at {record.location}, which "
                "is published under it; this record claims the key without that Record ID",
                hint="give this record a key of its own (its Record ID, or a new one)", text=first.title))
            self.tables.replace(record)
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


def _owns_key(record: Record) -> bool:
    """A record's key is its own when it is the record's Record ID (given, or read from its URL)."""
    return record.key is not None and record.key == record.record_id


_COMPARED = ("title", "printed_date", "record_id", "doc_url", "citation", "archive_type", "language")


def _disagree(first: Record, second: Record) -> list[str]:
    return [f for f in _COMPARED if getattr(second, f) and getattr(first, f) and getattr(first, f) != getattr(second, f)]


def _merge_same_key(first: Record, second: Record, result: ReadResult, why: str | None = None) -> bool:
    fields = _COMPARED
    differ = _disagree(first, second)
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
