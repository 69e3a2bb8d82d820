"""Dates on the pages: one style (the archive's, as it prints them), exact bounds for machines and on hover.

A time-span reaches a page as its label (the date as the record printed it, or an ISO
value from an authority file), its EDTF and its bounds. :func:`when` turns it into the
text a reader sees, in the style the archive prints most dates in (``December 16, 1947``,
``February 1950``, ``February 4–11, 1945``) whichever style a record used; a ``datetime``
for the ``<time>`` element when the date is one day, month or year; and a title with the
exact bounds (and the date as printed, when it was printed otherwise). A date EDTF cannot
state plainly (uncertain, approximate) is shown as printed.

Order (:func:`chronological`): by the first moment a date can mean, and among dates that
begin together the longer span first — a month (``February 1950``) comes before its first
day (``February 1, 1950``), a year before its January. A month thus begins before its days
and, read as the span it is, ends after them.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MONTHS", "chronological", "humane_edtf", "when"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_SIMPLE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MACHINE = re.compile(r"^[\dX?~%./-]+$")  # an ISO or EDTF value, not a date as printed


def _parts(value: str) -> tuple[int, int | None, int | None] | None:
    m = _SIMPLE.match(value)
    if not m:
        return None
    year, month, day = m.groups()
    if month and not 1 <= int(month) <= 12:
        return None
    return int(year), int(month) if month else None, int(day) if day else None


def _one(p: tuple[int, int | None, int | None]) -> str:
    year, month, day = p
    if month is None:
        return str(year)
    if day is None:
        return f"{MONTHS[month - 1]} {year}"
    return f"{MONTHS[month - 1]} {day}, {year}"


def humane_edtf(value: str | None) -> str:
    """An EDTF date or interval as the archive prints dates.

    >>> humane_edtf("1950-01-12"), humane_edtf("1949-02"), humane_edtf("1948/1951")
    ('January 12, 1950', 'February 1949', '1948–1951')
    >>> humane_edtf("1945-02-04/1945-02-11"), humane_edtf("1949-06/1949-08"), humane_edtf("1949-12-16/1950-02-14")
    ('February 4–11, 1945', 'June–August 1949', 'December 16, 1949 – February 14, 1950')
    >>> humane_edtf("1949-01-30/1949-02-08")
    'January 30 – February 8, 1949'
    >>> humane_edtf("1950?")
    '1950?'
    """
    if not value:
        return ""
    if "/" in value:
        start, _, end = value.partition("/")
        a, b = _parts(start), _parts(end)
        if a is None or b is None:
            return value.replace("/", "–")
        if a[0] == b[0] and a[1] is not None and a[1] == b[1] and a[2] is not None and b[2] is not None:
            return f"{MONTHS[a[1] - 1]} {a[2]}–{b[2]}, {a[0]}"
        if a[0] == b[0] and a[1] is not None and b[1] is not None and a[2] is None and b[2] is None:
            return f"{MONTHS[a[1] - 1]}–{MONTHS[b[1] - 1]} {a[0]}"
        if a[1] is None and b[1] is None:
            return f"{a[0]}–{b[0]}"
        if a[0] == b[0] and a[2] is not None and b[2] is not None:
            return f"{MONTHS[a[1] - 1]} {a[2]} – {MONTHS[b[1] - 1]} {b[2]}, {a[0]}"  # type: ignore[index]
        return f"{_one(a)} – {_one(b)}"
    p = _parts(value)
    return _one(p) if p else value


def when(span: Any) -> dict[str, str] | None:
    """What a page shows of a time-span (a dict or object with label, edtf, begin, end); None: undated."""
    if span is None:
        return None
    get = span.get if isinstance(span, dict) else (lambda k: getattr(span, k, None))
    label, edtf = get("label"), get("edtf")
    begin, end = get("begin"), get("end")
    if not (label or edtf or begin):
        return None
    printed = label if label and not _MACHINE.match(label) else None
    value = edtf or (label if label and _MACHINE.match(label) else None)
    text = humane_edtf(value) if value else ""
    if not text or text == value:  # EDTF the page cannot word (uncertain, unspecified): the date as printed
        text = printed or text or humane_edtf((begin or "")[:10])
    datetime = value if value and _SIMPLE.match(value) and _parts(value) else ""
    first, last = (begin or "")[:10], (end or begin or "")[:10]
    title = (first if first == last else f"{first} to {last}") if first else (edtf or "")
    if printed and printed != text:
        title += f" (printed “{printed}”)"
    return {"text": text, "datetime": datetime, "title": title}


def chronological(begin: str | None, end: str | None) -> tuple[str, int]:
    """A sort key: the first moment, then the longer span first (undated last)."""
    last = int(re.sub(r"\D", "", end or "") or 0)
    return (begin or "9999", -last)
