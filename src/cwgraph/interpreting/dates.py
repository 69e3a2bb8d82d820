"""Printed dates to EDTF with inclusive begin/end bounds.

The archive prints dates to the day (``December 16, 1947``), the month
(``February 1950``) or the year (``1949``); titles embed dates the other way
round (``18 December 1949``). Every reading becomes an EDTF string (validated
and bounded by the ``edtf`` library) plus ``xsd:dateTime`` bounds with an
inclusive end, so ``February 1950`` spans 1950-02-01T00:00:00 … 1950-02-28T23:59:59.

>>> d = parse_printed_date("February 1950")
>>> d.edtf, d.begin.isoformat(), d.end.isoformat()
('1950-02', '1950-02-01T00:00:00', '1950-02-28T23:59:59')
>>> parse_printed_date("December 16, 1947").edtf
'1947-12-16'
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

import edtf

from cwgraph.core.errors import DateError

__all__ = [
    "DateReading",
    "MONTHS",
    "find_date_in_text",
    "parse_edtf",
    "parse_printed_date",
]

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _name:
        MONTHS[_name.lower()] = _number
        MONTHS[_name[:3].lower()] = _number
MONTHS["sept"] = 9

_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"

_UNDATED = re.compile(r"^\[?\s*(?:undated|no date|n\.\s?d\.|date unknown)\s*\]?$", re.I)
_APPROX = re.compile(r"^(?:c\.|ca\.|circa|about|approximately)\s*(.+)$", re.I)
_DECADE = re.compile(r"^(1[5-9]\d|20\d)0'?s$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MY = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")
_DAY_RANGE_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})\s*[-–]\s*(\d{1,2}),?\s+(\d{4})$")
_DAY_RANGE_DMY = re.compile(r"^(\d{1,2})\s*[-–]\s*(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_RANGE = re.compile(r"^(.+?)\s*(?:[–—]|\s-\s|\bto\b)\s*(.+)$")

# A date embedded in a title: ", 18 December 1949", " on 2 June 1948", ", February 1950".
# " on"/" of" start where a run of spaces starts, so a long run is scanned once, not once a space.
_EMBEDDED = re.compile(
    rf"(?:,\s*|(?<!\s)\s+on\s+|(?<!\s)\s+of\s+)"
    rf"(?P<date>\d{{1,2}}\s+{_MONTH_RE}\s+{_YEAR}|{_MONTH_RE}\s+\d{{1,2}},?\s+{_YEAR}"
    rf"|{_MONTH_RE}\s+{_YEAR}|(?<=,\s){_YEAR}|(?<=,){_YEAR})"
    rf"(?=\s*(?:$|[,;:.)\]]))",
    re.I,
)


@dataclass(frozen=True)
class DateReading:
    """A date as printed, its EDTF form and inclusive bounds (``None`` when undated)."""

    printed: str
    edtf: str | None
    begin: _dt.datetime | None
    end: _dt.datetime | None
    precision: str  # day | month | year | decade | interval | undated

    @property
    def is_dated(self) -> bool:
        return self.edtf is not None

    def overlaps(self, other: DateReading) -> bool:
        """True when the two spans share at least one instant."""
        if not (self.is_dated and other.is_dated):
            return False
        assert self.begin and self.end and other.begin and other.end
        return self.begin <= other.end and other.begin <= self.end


def _month(name: str, printed: str) -> int:
    key = name.lower().rstrip(".")
    if key in MONTHS:
        return MONTHS[key]
    raise DateError(
        f"unknown month name {name!r} in date {printed!r}",
        hint="write the month in English (e.g. 'February 1950') or as ISO 8601 (1950-02)",
    )


_SIMPLE_EDTF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~?)$|^(\d{3})X$")


def _simple_bounds(value: str) -> tuple[_dt.datetime, _dt.datetime] | None:
    """Bounds of the EDTF forms we write ourselves, without the (slow) general parser."""
    m = _SIMPLE_EDTF.match(value)
    if not m:
        return None
    if m.group(5):
        decade = int(m.group(5)) * 10
        return _dt.datetime(decade, 1, 1), _dt.datetime(decade + 9, 12, 31, 23, 59, 59)
    year = int(m.group(1))
    if year < 1:
        return None
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None
    if month is None:
        return _dt.datetime(year, 1, 1), _dt.datetime(year, 12, 31, 23, 59, 59)
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return _dt.datetime(year, month, 1), _dt.datetime(year, month, last, 23, 59, 59)
    if not 1 <= day <= last:
        return None
    return _dt.datetime(year, month, day), _dt.datetime(year, month, day, 23, 59, 59)


@lru_cache(maxsize=65536)
def _edtf_bounds(value: str) -> tuple[_dt.datetime, _dt.datetime]:
    """Strict bounds of an EDTF string; the ``edtf`` library decides anything unusual."""
    parts = value.split("/")
    if len(parts) == 2 and all(parts):
        first, second = _simple_bounds(parts[0]), _simple_bounds(parts[1])
        if first and second:
            return first[0], second[1]
    elif len(parts) == 1 and (simple := _simple_bounds(value)):
        return simple
    parsed = edtf.parse_edtf(value)  # raises on invalid input
    lower, upper = parsed.lower_strict(), parsed.upper_strict()
    return (_dt.datetime(lower.tm_year, lower.tm_mon, lower.tm_mday),
            _dt.datetime(upper.tm_year, upper.tm_mon, upper.tm_mday, 23, 59, 59))


def parse_edtf(value: str, printed: str | None = None) -> DateReading:
    """Bound an EDTF string; raise :class:`DateError` if it is not a valid EDTF date."""
    printed = value if printed is None else printed
    try:
        begin, end = _edtf_bounds(value)
    except Exception as exc:  # the edtf library raises its own exception types
        raise DateError(
            f"date {printed!r} is not a valid calendar date (EDTF {value!r}: {exc})",
            hint="check the day exists in that month and the month is 1-12",
        ) from None
    if "/" in value:
        precision = "interval"
    elif "X" in value:
        precision = "decade"
    else:
        precision = {4: "year", 7: "month", 10: "day"}.get(len(value.rstrip("~?%")), "day")
    return DateReading(printed=printed, edtf=value, begin=begin, end=end, precision=precision)


def _ymd(year: int, month: int | None, day: int | None, printed: str) -> str:
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} is out of range in date {printed!r}", hint="months run 1-12")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(
                f"{calendar.month_name[month]} {year} has no day {day} (date {printed!r})",
                hint=f"the last day of that month is {last}; check the source",
            )
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def _to_edtf(text: str, printed: str) -> str:
    """EDTF for one printed date (no ranges, no qualifiers)."""
    if m := _ISO.match(text):
        year, month, day = m.groups()
        return _ymd(int(year), int(month) if month else None, int(day) if day else None, printed)
    if m := _MDY.match(text):
        return _ymd(int(m.group(3)), _month(m.group(1), printed), int(m.group(2)), printed)
    if m := _DMY.match(text):
        return _ymd(int(m.group(3)), _month(m.group(2), printed), int(m.group(1)), printed)
    if m := _MY.match(text):
        return _ymd(int(m.group(2)), _month(m.group(1), printed), None, printed)
    if m := _DECADE.match(text):
        return f"{int(m.group(1))}X"  # int(): ASCII digits in the EDTF even when printed in another script
    raise DateError(
        f"cannot read the date {printed!r}",
        hint="use a form the archive prints: 'December 16, 1947', 'February 1950', '1949', "
        "'c. 1950', '1950s', '[undated]', or ISO 8601",
    )


def parse_printed_date(printed: str) -> DateReading:
    """Read a date as the archive prints it; raise :class:`DateError` with a fix hint."""
    text = " ".join(printed.replace("\u00a0", " ").split())
    if not text:
        raise DateError("the date is empty", hint="give the date as printed, or '[undated]'")
    if _UNDATED.match(text):
        return DateReading(printed=printed, edtf=None, begin=None, end=None, precision="undated")
    if m := _APPROX.match(text):
        inner = _to_edtf(m.group(1).strip(), printed)
        return parse_edtf(inner + "~", printed)
    if m := _DAY_RANGE_MDY.match(text):
        month, d1, d2, year = m.groups()
        return _range(f"{month} {d1}, {year}", f"{month} {d2}, {year}", printed)
    if m := _DAY_RANGE_DMY.match(text):
        d1, d2, month, year = m.groups()
        return _range(f"{month} {d1}, {year}", f"{month} {d2}, {year}", printed)
    try:
        return parse_edtf(_to_edtf(text, printed), printed)
    except DateError:
        m = _RANGE.match(text)
        if not m:
            raise
    return _range(m.group(1).strip(), m.group(2).strip(), printed)


def _range(first: str, second: str, printed: str) -> DateReading:
    start, stop = _to_edtf(first, printed), _to_edtf(second, printed)
    if parse_edtf(stop).end < parse_edtf(start).begin:  # type: ignore[operator]
        raise DateError(f"the range {printed!r} ends before it begins", hint="swap the two ends")
    return parse_edtf(f"{start}/{stop}", printed)


def find_date_in_text(text: str) -> tuple[DateReading, int, int] | None:
    """The last date embedded in a title, with its span (start of the separator, end)."""
    found = None
    for m in _EMBEDDED.finditer(text):
        try:
            found = (parse_printed_date(m.group("date")), m.start(), m.end())
        except DateError:
            continue
    return found
