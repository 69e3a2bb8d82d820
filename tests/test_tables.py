"""The on-disk tables behind reading: curated records and keys seen, as a dict would hold them."""

from __future__ import annotations

from pathlib import Path

from cwgraph.core.errors import Location
from cwgraph.core.records import Record
from cwgraph.sources.tables import RecordTables


def _record(key: str, title: str = "Cable, A to B", date: str = "March 1, 1950", **kw: object) -> Record:
    return Record(key=key, title=title, printed_date=date, sources=[Location("source/records/a.jsonl", 1)],
                  **kw)  # type: ignore[arg-type]


def test_curated_records_come_back_in_python_sort_order(tmp_path: Path) -> None:
    keys = ["b", "a", "Z", "é", "\U0001f600", "\ud800", "\ue000", "a\x00", "10", "9", "ж"]
    with RecordTables(tmp_path) as tables:
        for key in keys:
            tables.add(_record(key))
        assert [r.key for r in tables.curated()] == sorted(keys)
    assert list(tmp_path.iterdir()) == []  # the scratch database is gone


def test_lookups_and_changes(tmp_path: Path) -> None:
    with RecordTables(tmp_path) as tables:
        first = _record("1", record_id="42", listing_page=3, listing_position=4)
        second = _record("2", title="Cable,  a to b", listing_page=3, listing_position=4)  # same title, normalised
        other = _record("3", title="Letter, C to D")
        for r in (first, second, other):
            tables.add(r)
        assert tables.by_key("1") == first and tables.by_key("4") is None
        assert tables.by_record_id("42") == first and tables.by_record_id("43") is None
        assert [(r.key, merged) for r, merged in tables.by_title_date(_record("x"))] == [("1", False), ("2", False)]
        assert tables.by_title_position(_record("x", listing_page=3, listing_position=4)) == second  # last read
        assert tables.by_title_position(_record("x")) is None
        tables.mark_merged("2")
        assert [merged for _, merged in tables.by_title_date(_record("x"))] == [False, True]
        first.summary = "changed"
        tables.save(first)
        assert tables.by_key("1").summary == "changed"  # type: ignore[union-attr]


def test_first_seen_remembers_where(tmp_path: Path) -> None:
    with RecordTables(tmp_path) as tables:
        assert tables.first_seen("k", Location("listings/p1.txt", 7)) is None
        assert tables.first_seen("k", Location("listings/p2.txt", 3)) == Location("listings/p1.txt", 7)
        assert tables.first_seen("\udc80", Location("listings/p2.txt", 9)) is None
