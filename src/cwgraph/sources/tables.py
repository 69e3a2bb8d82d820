"""On-disk tables of the records read so far: the curated records and the keys seen.

Reading merges every listing record with the curated record it is, and drops a record
printed twice. Both need what was read before — at a million records more than memory
should hold — so both live in a scratch SQLite database (standard library, one file in a
temporary folder, no journal: it is rebuilt on every read). Memory holds SQLite's page
cache and one record at a time.

Strings are stored as UTF-8 bytes (``surrogatepass``: JSON may carry lone surrogates),
so SQLite's byte order is Python's code-point order and the curated records come back
in the order ``sorted`` would give them.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cwgraph.core.errors import Location
from cwgraph.core.records import Record

__all__ = ["RecordTables", "norm"]

_SCHEMA = """
CREATE TABLE curated (
    id INTEGER PRIMARY KEY,      -- insertion order
    key BLOB NOT NULL UNIQUE,
    record_id BLOB,
    title_date BLOB NOT NULL,
    title_position BLOB,
    merged INTEGER NOT NULL DEFAULT 0,
    record BLOB NOT NULL
);
CREATE INDEX curated_record_id ON curated (record_id);
CREATE INDEX curated_title_date ON curated (title_date);
CREATE INDEX curated_title_position ON curated (title_position);
CREATE TABLE seen (key BLOB PRIMARY KEY, file TEXT NOT NULL, line INTEGER NOT NULL) WITHOUT ROWID;
"""


def norm(text: str | None) -> str:
    """A title or date as compared: quotes unified, spaces collapsed, case folded."""
    return " ".join((text or "").replace("’", "'").split()).casefold()


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _title_date(record: Record) -> bytes:
    return _b(f"{norm(record.title)}\x00{norm(record.printed_date)}")


def _title_position(record: Record) -> bytes | None:
    if record.listing_page is None or record.listing_position is None:
        return None
    return _b(f"{norm(record.title)}\x00{record.listing_page}\x00{record.listing_position}")


class RecordTables:
    """The curated records by key, Record ID, (title, date) and (title, listing position), and
    the keys of the listing records already yielded; close (or use as a context) to delete."""

    def __init__(self, folder: Path | None = None) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="cwgraph-records-", dir=folder)
        self._db = sqlite3.connect(Path(self._dir.name) / "records.sqlite", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -16384", "temp_store = FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(_SCHEMA)
        self._db.execute("BEGIN")

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    def __enter__(self) -> RecordTables:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- curated records ------------------------------------------------------------------
    def add(self, record: Record) -> None:
        """A new curated record (its key and Record ID not yet in the table)."""
        assert record.key
        self._db.execute(
            "INSERT INTO curated (key, record_id, title_date, title_position, record) VALUES (?, ?, ?, ?, ?)",
            (_b(record.key), _b(record.record_id) if record.record_id else None, _title_date(record),
             _title_position(record), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)))

    def replace(self, record: Record) -> None:
        """Put ``record`` in the place of the curated record with its key (another record entirely)."""
        assert record.key
        self._db.execute(
            "UPDATE curated SET record_id = ?, title_date = ?, title_position = ?, merged = 0, record = ? "
            "WHERE key = ?",
            (_b(record.record_id) if record.record_id else None, _title_date(record), _title_position(record),
             pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), _b(record.key)))

    def save(self, record: Record) -> None:
        """Store a curated record again after a merge changed it (its key never changes)."""
        assert record.key
        self._db.execute("UPDATE curated SET record = ? WHERE key = ?",
                         (pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), _b(record.key)))

    def _one(self, sql: str, value: bytes) -> Record | None:
        row = self._db.execute(sql, (value,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def by_key(self, key: str) -> Record | None:
        return self._one("SELECT record FROM curated WHERE key = ?", _b(key))

    def by_record_id(self, record_id: str) -> Record | None:
        return self._one("SELECT record FROM curated WHERE record_id = ? ORDER BY id LIMIT 1", _b(record_id))

    def by_title_date(self, record: Record) -> list[tuple[Record, bool]]:
        """Curated records with the record's title and date, in reading order, each with
        whether a listing record was merged into it already."""
        rows = self._db.execute("SELECT record, merged FROM curated WHERE title_date = ? ORDER BY id",
                                (_title_date(record),))
        return [(pickle.loads(data), bool(merged)) for data, merged in rows]

    def by_title_position(self, record: Record) -> Record | None:
        """The last curated record read with the record's title at its listing position."""
        key = _title_position(record)
        if key is None:
            return None
        return self._one("SELECT record FROM curated WHERE title_position = ? ORDER BY id DESC LIMIT 1", key)

    def mark_merged(self, key: str) -> None:
        self._db.execute("UPDATE curated SET merged = 1 WHERE key = ?", (_b(key),))

    def curated(self) -> Iterator[Record]:
        """Every curated record, in key order."""
        rows = self._db.execute("SELECT record FROM curated ORDER BY key")
        while batch := rows.fetchmany(256):
            for (data,) in batch:
                yield pickle.loads(data)

    # -- keys seen ------------------------------------------------------------------------
    def first_seen(self, key: str, location: Location) -> Location | None:
        """Where a record with ``key`` was first seen, or None (and ``location`` remembered)."""
        k = _b(key)
        cursor = self._db.execute("INSERT OR IGNORE INTO seen (key, file, line) VALUES (?, ?, ?)",
                                  (k, location.file, location.line))
        if cursor.rowcount == 1:
            return None
        file, line = self._db.execute("SELECT file, line FROM seen WHERE key = ?", (k,)).fetchone()
        return Location(file, line)
