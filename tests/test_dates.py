"""The date parser as a table of real cases: every printed date of the collection and the seed,
dates embedded in titles, the precisions the archive prints, and dates that cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cwgraph.interpreting.dates import find_date_in_text, parse_printed_date
from cwgraph.core.errors import DateError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("printed,edtf,begin,end,precision", [
    ("December 16, 1947", "1947-12-16", "1947-12-16T00:00:00", "1947-12-16T23:59:59", "day"),
    ("February 1950", "1950-02", "1950-02-01T00:00:00", "1950-02-28T23:59:59", "month"),
    ("August 1949", "1949-08", "1949-08-01T00:00:00", "1949-08-31T23:59:59", "month"),
    ("1949", "1949", "1949-01-01T00:00:00", "1949-12-31T23:59:59", "year"),
    ("February 1948", "1948-02", "1948-02-01T00:00:00", "1948-02-29T23:59:59", "month"),  # leap year
    ("16 December 1949", "1949-12-16", "1949-12-16T00:00:00", "1949-12-16T23:59:59", "day"),
    ("Feb 2, 1950", "1950-02-02", "1950-02-02T00:00:00", "1950-02-02T23:59:59", "day"),
    ("Sept. 4, 1958", "1958-09-04", "1958-09-04T00:00:00", "1958-09-04T23:59:59", "day"),
    ("1950-02-14", "1950-02-14", "1950-02-14T00:00:00", "1950-02-14T23:59:59", "day"),
    ("c. 1950", "1950~", "1950-01-01T00:00:00", "1950-12-31T23:59:59", "year"),
    ("1950s", "195X", "1950-01-01T00:00:00", "1959-12-31T23:59:59", "decade"),
    ("December 1949 - February 1950", "1949-12/1950-02", "1949-12-01T00:00:00", "1950-02-28T23:59:59", "interval"),
    ("February 13-16, 1950", "1950-02-13/1950-02-16", "1950-02-13T00:00:00", "1950-02-16T23:59:59", "interval"),
])
def test_printed_dates(printed: str, edtf: str, begin: str, end: str, precision: str) -> None:
    d = parse_printed_date(printed)
    assert (d.edtf, d.begin.isoformat(), d.end.isoformat(), d.precision) == (edtf, begin, end, precision)


@pytest.mark.parametrize("printed", ["[undated]", "undated", "n.d."])
def test_undated(printed: str) -> None:
    d = parse_printed_date(printed)
    assert not d.is_dated and d.begin is None


@pytest.mark.parametrize("printed,fragment", [
    ("Febtember 1950", "unknown month name 'Febtember'"),
    ("31 February 1950", "February 1950 has no day 31"),
    ("1950-13", "month 13 is out of range"),
    ("sometime in spring", "cannot read the date"),
    ("", "empty"),
])
def test_unreadable_dates_say_why(printed: str, fragment: str) -> None:
    with pytest.raises(DateError) as info:
        parse_printed_date(printed)
    assert fragment in info.value.message
    assert info.value.hint


def test_every_date_of_the_collection_reads() -> None:
    for line in (ROOT / "source" / "records" / "sino-soviet-alliance.jsonl").open():
        record = json.loads(line)
        d = parse_printed_date(record["date"])
        assert d.is_dated and d.begin <= d.end, record["date"]


@pytest.mark.parametrize("title,edtf", [
    ("Telegram, Mao Zedong to Liu Shaoqi, 18 December 1949", "1949-12-18"),
    ("Note from Andrey Vyshinsky to Zhou Enlai, February 1950", "1950-02"),
    ("Memorandum, Conversation of Mao and USSR Ambassador to China N.V. Roshchin on 1 January 1950", "1950-01-01"),
    ("Conversation, V.M. Molotov and A.Y Vyshinsky with Mao Zedong, Moscow, 17 January 1950", "1950-01-17"),
    ("Telegram, Zhou Enlai to A.Y. Vyshinsky, 1949", "1949"),
    ("Cable, Mao Zedong to Stalin", None),
    ("Ciphered Telegrams No. 50450, 50470, and 50490, Terebin to Kuznetsov", None),
])
def test_dates_embedded_in_titles(title: str, edtf: str | None) -> None:
    found = find_date_in_text(title)
    assert (found[0].edtf if found else None) == edtf


from hypothesis import given, settings
from hypothesis import strategies as st

import edtf as edtf_library

from cwgraph.interpreting.dates import parse_edtf


@settings(max_examples=300, deadline=None)
@given(year=st.integers(1000, 2099), month=st.integers(1, 12), day=st.integers(1, 31),
       precision=st.sampled_from(["year", "month", "day", "approx", "decade", "interval"]))
def test_fast_bounds_agree_with_the_edtf_library(year: int, month: int, day: int, precision: str) -> None:
    """Our fast path for common EDTF forms gives exactly the edtf library's strict bounds."""
    value = {"year": f"{year}", "month": f"{year}-{month:02d}", "day": f"{year}-{month:02d}-{day:02d}",
             "approx": f"{year}~", "decade": f"{str(year)[:3]}X",
             "interval": f"{year}-{month:02d}/{year + 1}"}[precision]
    import datetime

    try:
        lib = edtf_library.parse_edtf(value)
        if precision == "day":
            datetime.date(year, month, day)  # the library is lax about 29 February in non-leap centuries
    except Exception:
        with pytest.raises(DateError):
            parse_edtf(value)
        return
    ours = parse_edtf(value)
    lo, hi = lib.lower_strict(), lib.upper_strict()
    assert (ours.begin.year, ours.begin.month, ours.begin.day) == (lo.tm_year, lo.tm_mon, lo.tm_mday)
    assert (ours.end.year, ours.end.month, ours.end.day) == (hi.tm_year, hi.tm_mon, hi.tm_mday)
    assert ours.begin <= ours.end
