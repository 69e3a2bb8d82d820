"""Parsers that never crash: property-based tests of the date, title, listing and resolver code.

Two kinds of input: arbitrary text (any unicode, control characters, brackets, very long
strings), for which the only promise is "a reading or one of our own errors, never a
traceback"; and inputs generated from the archive's own conventions (dates as the archive
prints them, titles composed from the authorities, listing pages with broken records), for
which the reading must be the one the generator intended.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwgraph.resolving.authorities import Authorities, Entity, load_authorities
from cwgraph.interpreting.dates import DateReading, find_date_in_text, parse_printed_date
from cwgraph.interpreting.doctypes import document_types
from cwgraph.core.errors import CwgraphError, DateError, Location, SourceError
from cwgraph.core.records import Record
from cwgraph.resolving.resolve import Resolver
from cwgraph.sources.listing import ListingPage, looks_like_date
from cwgraph.sources.pages import read_page
from cwgraph.resolving.summaries import find_cover_statements
from cwgraph.interpreting.titles import MAX_READ, parse_title

ROOT = Path(__file__).resolve().parents[1]
AUTH: Authorities = load_authorities(ROOT / "source" / "authorities", ROOT)

# CWGRAPH_PROPERTY_SCALE=20 runs twenty times as many examples (a deeper search, minutes not seconds)
_SCALE = int(os.environ.get("CWGRAPH_PROPERTY_SCALE", "1"))
FAST = settings(max_examples=250 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=120 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- arbitrary text ------------------------------------------------------------------------

_TRICKY = [
    "[", "]", "(", ")", "[[", "]]", "([", "])", "[via", "via", "(via", "via ]", "to", "from", "and", "&", ",",
    ", ", ":", ";", ".", "’", "‘", "“", "”", "'", '"', "–", "—", "-", "’s", "'s", "of", "by", "with", "between",
    "on", "Cable", "Letter", "Memorandum of Conversation", "Top Secret", "No.", "Nos.", "No. 1234", "1950",
    "17 January 1950", "February 1950", "Moscow", "Stalin", "Mao Zedong", "Filippov", "[Stalin]", "(Stalin)",
    "Kuznetsov", "Terebin", "Cde.", "Comrade", "the", "Chairman", "Ambassador", "containing a message from",
    "Notes", "Journal of", "From the", "Recollections", "Protocol", "\x00", "\x000\x00", "\t", "\n", "\r",
    "\u00a0", "\u200b", "\ufeff", "😀", "毛泽东", "斯大林", "Сталин", "Мао Цзэдун", "١٩٥٠", "𝟏𝟗𝟓𝟎",
]
tricky_text = st.lists(st.sampled_from(_TRICKY) | st.text(max_size=4), max_size=30).flatmap(
    lambda parts: st.sampled_from([" ", "", ", "]).map(lambda sep: sep.join(parts)))
long_text = st.builds(lambda piece, n: (piece * n)[:10_000], st.text(min_size=1, max_size=12),
                      st.integers(100, 2_000))
arbitrary_text = st.one_of(st.text(), st.text(st.characters(codec="utf-8")), tricky_text, long_text)

_DATE_TOKENS = [
    "c.", "ca.", "circa", "about", "to", "-", "–", "—", " - ", ",", ".", "s", "'s", "[", "]", "undated",
    "n.d.", "January", "February", "Feb.", "Sept.", "Sep", "Febtember", "May", "st", "th", "0", "00", "1",
    "13", "29", "30", "31", "32", "99", "0000", "0001", "1500", "1900", "1950", "2000", "2099", "9999",
    "195", "1950s", "1950-02", "1950-02-29", "1948-02-29", "0000-01-01", "0000-02-29", "9999-12-31",
    "١٩٥٠", "١٩٥0s", "19٥0s", "𝟏𝟗𝟓𝟎", "\u00a0", " ",
]
dateish_text = st.lists(st.sampled_from(_DATE_TOKENS) | st.text(max_size=3), max_size=8).flatmap(
    lambda parts: st.sampled_from([" ", ""]).map(lambda sep: sep.join(parts)))

_EDTF_CHARS = re.compile(r"^[0-9X~?%/.-]+$")


def _check_reading(reading: DateReading) -> None:
    assert isinstance(reading, DateReading)
    if reading.is_dated:
        assert isinstance(reading.edtf, str) and _EDTF_CHARS.match(reading.edtf), reading.edtf
        assert isinstance(reading.begin, dt.datetime) and isinstance(reading.end, dt.datetime)
        assert reading.begin <= reading.end
    else:
        assert reading.begin is None and reading.end is None


# -- 1. dates ------------------------------------------------------------------------------

@FAST
@given(st.one_of(arbitrary_text, dateish_text))
def test_parse_printed_date_reads_or_raises_date_error(text: str) -> None:
    try:
        reading = parse_printed_date(text)
    except DateError:
        return
    _check_reading(reading)


_MONTH_FORMS = {n: [calendar.month_name[n], calendar.month_abbr[n], calendar.month_abbr[n] + "."]
                for n in range(1, 13)}
_MONTH_FORMS[9].append("Sept.")


@dataclass(frozen=True)
class Intended:
    printed: str
    begin: dt.datetime
    end: dt.datetime


def _day_span(d: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(d.year, d.month, d.day), dt.datetime(d.year, d.month, d.day, 23, 59, 59)


def _month_span(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    last = calendar.monthrange(year, month)[1]
    return dt.datetime(year, month, 1), dt.datetime(year, month, last, 23, 59, 59)


def _year_span(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1), dt.datetime(year, 12, 31, 23, 59, 59)


@st.composite
def single_dates(draw: st.DrawFn) -> Intended:
    day = draw(st.dates(dt.date(1500, 1, 1), dt.date(2099, 12, 31)))
    month = draw(st.sampled_from(_MONTH_FORMS[day.month]))
    month = draw(st.sampled_from([month, month.upper(), month.lower()]))
    ordinal = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    suffix = draw(st.sampled_from(["", ordinal]))
    form = draw(st.sampled_from(["mdy", "mdy-nocomma", "dmy", "my", "y", "iso-day", "iso-month", "approx-y",
                                 "approx-my", "decade"]))
    sp = draw(st.sampled_from([" ", "  ", "\u00a0", " \t"]))
    if form == "mdy":
        return Intended(f"{month}{sp}{day.day}{suffix},{sp}{day.year}", *_day_span(day))
    if form == "mdy-nocomma":
        return Intended(f"{month}{sp}{day.day}{sp}{day.year}", *_day_span(day))
    if form == "dmy":
        return Intended(f"{day.day}{suffix}{sp}{month}{sp}{day.year}", *_day_span(day))
    if form == "my":
        return Intended(f"{month}{sp}{day.year}", *_month_span(day.year, day.month))
    if form == "y":
        return Intended(f"{day.year}", *_year_span(day.year))
    if form == "iso-day":
        return Intended(day.isoformat(), *_day_span(day))
    if form == "iso-month":
        return Intended(f"{day.year:04d}-{day.month:02d}", *_month_span(day.year, day.month))
    if form == "approx-y":
        q = draw(st.sampled_from(["c. ", "c.", "ca. ", "circa ", "Circa "]))
        return Intended(f"{q}{day.year}", *_year_span(day.year))
    if form == "approx-my":
        q = draw(st.sampled_from(["c. ", "ca. ", "circa "]))
        return Intended(f"{q}{month} {day.year}", *_month_span(day.year, day.month))
    decade = day.year - day.year % 10
    return Intended(f"{decade}s", dt.datetime(decade, 1, 1), dt.datetime(decade + 9, 12, 31, 23, 59, 59))


@st.composite
def range_dates(draw: st.DrawFn) -> Intended:
    first = draw(st.dates(dt.date(1500, 1, 1), dt.date(2098, 12, 31)))
    kind = draw(st.sampled_from(["days-mdy", "days-dmy", "months", "years", "full"]))
    dash = draw(st.sampled_from(["-", "–", " - ", " – ", "—", " to "]))
    month = draw(st.sampled_from(_MONTH_FORMS[first.month]))
    if kind in ("days-mdy", "days-dmy"):
        last_day = calendar.monthrange(first.year, first.month)[1]
        d2 = draw(st.integers(first.day, last_day))
        if dash in (" to ", "—"):
            dash = "-"  # the archive prints day ranges with a hyphen or an en dash
        second = first.replace(day=d2)
        printed = (f"{month} {first.day}{dash}{d2}, {first.year}" if kind == "days-mdy"
                   else f"{first.day}{dash}{d2} {month} {first.year}")
        return Intended(printed, _day_span(first)[0], _day_span(second)[1])
    second = draw(st.dates(first, dt.date(2099, 12, 31)))
    if dash == "-":
        dash = " - "  # "1949-1950" is not a form the archive prints
    month2 = draw(st.sampled_from(_MONTH_FORMS[second.month]))
    if kind == "months":
        return Intended(f"{month} {first.year}{dash}{month2} {second.year}",
                        _month_span(first.year, first.month)[0], _month_span(second.year, second.month)[1])
    if kind == "years":
        return Intended(f"{first.year}{dash}{second.year}", _year_span(first.year)[0], _year_span(second.year)[1])
    return Intended(f"{month} {first.day}, {first.year}{dash}{month2} {second.day}, {second.year}",
                    _day_span(first)[0], _day_span(second)[1])


@FAST
@given(st.one_of(single_dates(), range_dates()))
def test_printed_dates_in_the_archives_forms_read_to_their_bounds(intended: Intended) -> None:
    reading = parse_printed_date(intended.printed)
    _check_reading(reading)
    assert (reading.begin, reading.end) == (intended.begin, intended.end), reading.edtf


# -- 2. dates embedded in titles -------------------------------------------------------------

@FAST
@given(st.one_of(arbitrary_text, dateish_text, st.tuples(tricky_text, dateish_text).map(", ".join)))
def test_find_date_in_text_never_raises(text: str) -> None:
    found = find_date_in_text(text)
    if found is not None:
        reading, start, end = found
        _check_reading(reading)
        assert 0 <= start < end <= len(text)


# -- 3. titles -------------------------------------------------------------------------------

@FAST
@given(arbitrary_text)
def test_parse_title_never_raises(text: str) -> None:
    reading = parse_title(text, AUTH)
    for ref in [*reading.senders, *reading.recipients, *reading.intermediaries, *reading.participants,
                *reading.authors]:
        assert isinstance(ref.name, str) and isinstance(ref.written, str)


def _safe_name(name: str) -> bool:
    """A spelling that reads as one name in any position of a title."""
    if re.search(r"[\[\](),;:&]|\b(?:to|from|and|via|of|the|with|on|by)\b|[’']s\b", name, re.I):
        return False
    if looks_like_date(name) or find_date_in_text(f", {name}"):
        return False
    found = AUTH.lookup(name)
    if len(found) != 1:
        return False
    # a bare surname another person shares (Castro: Fidel and Raúl) names someone only within a
    # period of activity (resolve.py), which an undated generated title does not give
    return " " in name.strip() or not any(
        other.label.split()[-1].casefold() == name.strip().casefold()
        for other in AUTH.of_kind("person") if other.id != found[0].id)


def _spellings(entity: Entity) -> list[str]:
    return [n for n in entity.names if _safe_name(n)]


REAL_TITLES = sorted({json.loads(line)["title"] for line in
                      (ROOT / "tests" / "data" / "title_readings.jsonl").read_text("utf-8").splitlines() if line.strip()})
PERSONS = [e for e in AUTH.of_kind("person") if _spellings(e)]
GROUPS = [e for e in AUTH.of_kind("group") if _spellings(e)]
COVERS = [e for e in AUTH.of_kind("cover") if _spellings(e)]
CORRESPONDENCE_TYPES = sorted({f for t in document_types() if t.kind == "correspondence" for f in t.printed_forms})
PLACES = [n for e in AUTH.of_kind("place") for n in e.names if _safe_name(n) and " " not in n]


def _expected_id(entity: Entity) -> str:
    if entity.kind == "cover":
        return entity.extra.get("bearer") or f"cover-{entity.id}"
    return entity.id


@dataclass
class Party:
    written: str
    expected: str  # entity id the resolver must give
    cover: str | None = None  # cover-name entity id the written form must attest


@st.composite
def parties(draw: st.DrawFn) -> Party:
    """One correspondent as a title writes it: a name, a cover name with its bearer, a role."""
    kind = draw(st.sampled_from(["person", "person", "group", "cover", "cover-bearer", "bearer-cover"]))
    if kind == "group":
        group = draw(st.sampled_from(GROUPS))
        return Party(draw(st.sampled_from(_spellings(group))), group.id)
    if kind == "person":
        person = draw(st.sampled_from(PERSONS))
        name = draw(st.sampled_from(_spellings(person)))
        prefix = draw(st.sampled_from(["", "", "Cde. ", "Comrade ", "Chairman ", "Soviet Ambassador to China ",
                                       "Chinese Prime Minister "]))
        return Party(prefix + name, person.id)
    cover = draw(st.sampled_from(COVERS))
    cover_name = draw(st.sampled_from(_spellings(cover)))
    bearer = AUTH.get(cover.extra.get("bearer", ""))
    if kind == "cover" or bearer is None or not _spellings(bearer):
        return Party(cover_name, _expected_id(cover), cover.id)
    bearer_name = draw(st.sampled_from(_spellings(bearer)))
    open_, close = draw(st.sampled_from(["[]", "()"]))
    if kind == "cover-bearer":
        return Party(f"{cover_name} {open_}{bearer_name}{close}", bearer.id, cover.id)
    return Party(f"{bearer_name} {open_}{cover_name}{close}", bearer.id, cover.id)


def _name_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + ", and " + names[-1]


@dataclass
class GeneratedTitle:
    title: str
    senders: list[Party]
    recipients: list[Party]
    intermediaries: list[Party]


@st.composite
def generated_titles(draw: st.DrawFn) -> GeneratedTitle:
    senders = draw(st.lists(parties(), min_size=1, max_size=3))
    recipients = draw(st.lists(parties(), min_size=1, max_size=3))
    via: list[Party] = []
    recipient_text = _name_list([p.written for p in recipients])
    if draw(st.booleans()):
        person = draw(st.sampled_from(PERSONS))
        via = [Party(draw(st.sampled_from(_spellings(person))), person.id)]
        form = draw(st.sampled_from(["[via {}]", "(via {})", "via {}"]))
        recipient_text += " " + form.format(via[0].written)
        bare_via = form == "via {}"
    else:
        bare_via = False
    sender_text = _name_list([p.written for p in senders])
    type_word = draw(st.sampled_from(CORRESPONDENCE_TYPES))
    classification = draw(st.sampled_from(["", "", "Top Secret ", "Secret "]))
    number = draw(st.sampled_from(["", "", " No. 1234", " no. 20475", " Nos. 50450, 50470, and 50490"]))
    head = f"{classification}{type_word}{number}"
    # "to A via B from C" is not a form: a bare "via" ends the title
    shape = draw(st.sampled_from(["comma", "from-to", "bare"] if bare_via else ["comma", "from-to", "to-from", "bare"]))
    if shape == "comma":
        title = f"{head}, {sender_text} to {recipient_text}"
    elif shape == "from-to":
        title = f"{head} from {sender_text} to {recipient_text}"
    elif shape == "to-from":
        title = f"{head} to {recipient_text} from {sender_text}"
    else:
        title = f"{sender_text} to {recipient_text}"
    tail = draw(st.sampled_from(["", ", Moscow", ", 17 January 1950", ", February 1950", ", 1949"]
                                + [f", {p}" for p in PLACES[:5]]))
    if shape != "to-from":
        title += tail
    return GeneratedTitle(title, senders, recipients, via)


def _resolve(title: str) -> tuple[Resolver, object]:
    resolver = Resolver(AUTH)
    record = Record(title=title, printed_date="1950", key="k", sources=[Location("t", 1)])
    return resolver, resolver.resolve(record)


@SLOW
@given(generated_titles())
def test_generated_titles_read_their_correspondents(case: GeneratedTitle) -> None:
    _, res = _resolve(case.title)
    for role, wanted in (("sender", case.senders), ("recipient", case.recipients),
                         ("intermediary", case.intermediaries)):
        got = {a.entity_id for a in res.by_role(role)}
        for party in wanted:
            assert party.expected in got, f"{party.written!r} as {role}: got {got}"
    covers = {c for a in res.agents for c, _ in a.covers}
    for party in [*case.senders, *case.recipients]:
        if party.cover:
            assert party.cover in covers, f"cover name of {party.written!r} not kept"


# -- 4. every name in a title is resolved or reported ----------------------------------------

def _check_agents(resolver: Resolver, res: object) -> None:
    local_ids = {e.id for e in resolver.local.entities.values()}
    for entity in resolver.local.entities.values():
        assert entity.label.strip(), f"a local entity minted from an empty name: {entity}"
    for agent in res.agents:  # type: ignore[attr-defined]
        assert agent.entity_id, agent
        if agent.entity_id.startswith("cover-") and AUTH.get(agent.entity_id[6:]) is not None:
            assert AUTH.get(agent.entity_id[6:]).kind == "cover"
            continue
        entity = AUTH.get(agent.entity_id)
        if entity is not None:
            assert entity.kind in ("person", "group", "cover"), agent
            continue
        assert agent.entity_id in local_ids, f"agent {agent} points to nothing"
        assert agent.entity_kind == "actor"


@FAST
@given(st.one_of(arbitrary_text, generated_titles().map(lambda c: c.title)))
def test_every_name_in_a_title_is_resolved_or_reported(title: str) -> None:
    resolver = Resolver(AUTH)
    record = Record(title=title, printed_date="1950", key="k", sources=[Location("t", 1)])
    try:
        res = resolver.resolve(record)
    except CwgraphError:
        return
    _check_agents(resolver, res)


# -- 5. listing pages ------------------------------------------------------------------------

_TMP = Path(tempfile.mkdtemp(prefix="cwgraph-properties-"))


def _parse_bytes(data: bytes) -> ListingPage:
    with tempfile.NamedTemporaryFile(dir=_TMP, suffix=".txt", delete=False) as handle:
        handle.write(data)
        path = Path(handle.name)
    try:
        return read_page(path, "page.txt")
    finally:
        path.unlink()


# a header whose numbers are too long for int() ("1111…1 - 2 of 3"), in any script's digits
huge_headers = st.builds(lambda digit, n: f"{digit * n} - 2 of 3\n\nDecember 16, 1947\nCable, Stalin to Mao\n".encode(),
                         st.sampled_from(["1", "٣", "𝟏"]), st.integers(1, 6000))


@FAST
@given(st.one_of(st.binary(), st.binary(min_size=1).map(lambda b: b"\xef\xbb\xbf" + b),
                 st.binary().map(lambda b: b"\xff\xfe" + b), arbitrary_text.map(str.encode), huge_headers))
def test_listing_parser_reads_or_rejects_any_bytes(data: bytes) -> None:
    try:
        page = _parse_bytes(data)
    except SourceError:
        return
    assert isinstance(page, ListingPage)
    for record in page.records:
        assert record.title and record.printed_date
        parse_printed_date(record.printed_date)
        assert record.listing_page is None or record.listing_page >= 0
    for reject in page.rejects:
        assert reject.location.line >= 1 and reject.severity in ("error", "warning")


_SUMMARY_WORDS = ["Stalin", "and", "Mao", "discuss", "the", "treaty", "terms", "in", "Moscow", "talks", "about",
                  "railway", "credit", "Port", "Arthur", "Soviet", "troops", "withdrawal", "loans"]


def _summary(seed: int, words: int) -> str:
    text = " ".join(_SUMMARY_WORDS[(seed * 7 + i * i) % len(_SUMMARY_WORDS)] for i in range(words))
    return text[0].upper() + text[1:] + "."


SHORT_SUMMARIES = [_summary(i, 3 + i % 18) for i in range(40)]
LONG_SUMMARIES = [_summary(i, 40 + i) for i in range(10)]  # more than 200 characters: not a title


def summaries(long: bool = False) -> st.SearchStrategy[str]:
    return st.sampled_from(LONG_SUMMARIES if long else SHORT_SUMMARIES)


@dataclass
class GeneratedRecord:
    kind: str  # good | no-title | bad-date | no-date | undated
    lines: list[str]  # the record's lines, blank ones included
    date: str | None
    title: str | None
    has_summary: bool = True


_BAD_DATES = ["Febtember 1950", "31 February 1950", "1950-13", "February 30, 1950", "Decembr 16, 1947", "0 May 1949"]


@st.composite
def listing_records(draw: st.DrawFn, kind: str, after_summary: bool) -> GeneratedRecord:
    ws = st.sampled_from(["", "", " ", "  ", "\t", " \t "])

    def line(text: str) -> str:
        return draw(ws) + text + draw(ws)

    def gap(minimum: int = 0) -> list[str]:
        return [draw(ws) for _ in range(draw(st.integers(minimum, 2)))]

    date = draw(single_dates()).printed.replace("\u00a0", " ").replace("\t", " ")
    title = draw(st.sampled_from(REAL_TITLES))
    summary_paragraphs = draw(st.lists(summaries(), min_size=0, max_size=3))
    if kind == "good":
        lines = [line(date), *gap(), line(title)]
        for i, para in enumerate(summary_paragraphs):
            lines += gap(1 if i else 0)
            lines.append(line(para))
        return GeneratedRecord(kind, lines, date, title, bool(summary_paragraphs))
    if kind == "bad-date":
        bad = draw(st.sampled_from(_BAD_DATES))
        lines = [line(bad), *gap(), line(title), *gap(), line(draw(summaries()))]
        return GeneratedRecord(kind, lines, bad, title)
    if kind == "no-title":
        return GeneratedRecord(kind, [line(date), *gap(), line(draw(summaries(long=True)))], date, None, False)
    # no date: the record starts with its title, in a paragraph of its own after a summary
    assert after_summary
    typed = "Cable, " + title if not re.match(r"(?:Top Secret |Secret )?(?:Cable|Telegram|Letter|Memorandum|Note|Report|Message|Directive)\b", title) else title
    typed = typed.rstrip(".!?")  # a title, not a further sentence of the summary before it
    return GeneratedRecord(kind, [line(typed), *gap(), line(draw(summaries()))],
                           "[undated]" if kind == "undated" else None, typed)


@st.composite
def listing_pages(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, int, GeneratedRecord]]]:
    n = draw(st.integers(1, 8))
    kinds = draw(st.lists(st.sampled_from(["good", "good", "good", "no-title", "bad-date", "no-date", "undated"]),
                          min_size=n, max_size=n))
    lines: list[str] = []
    if draw(st.booleans()):
        lines += ["Skip to content", "", ""]
    start = draw(st.integers(1, 100))
    count = n if draw(st.booleans()) else n + draw(st.integers(-1, 3))
    lines += [f"{start} - {start + count - 1} of {start + count + 10}", "", ""]
    records: list[tuple[int, int, GeneratedRecord]] = []
    after_summary = False
    for kind in kinds:
        if kind in ("no-date", "undated") and not after_summary:
            kind = "good"
        record = draw(listing_records(kind, after_summary))
        # one blank line before a title is a missing date line; two or more print an undated record
        lines += [""] * (1 if kind == "no-date" else draw(st.integers(2 if kind == "undated" else 0, 3)))
        first = len(lines) + 1
        lines += record.lines
        records.append((first, len(lines), record))
        after_summary = record.has_summary
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    text = eol.join(lines) + draw(st.sampled_from(["", eol]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(encoding), records


@SLOW
@given(listing_pages())
def test_generated_listing_pages_keep_good_records_and_locate_broken_ones(
        page_and_records: tuple[bytes, list[tuple[int, int, GeneratedRecord]]]) -> None:
    data, records = page_and_records
    page = _parse_bytes(data)
    good = [r for r in records if r[2].kind in ("good", "undated")]
    broken = [r for r in records if r[2].kind not in ("good", "undated")]
    assert [" ".join(r.title.split()) for r in page.records] == [" ".join(g.title.split()) for _, _, g in good]
    assert [" ".join(r.printed_date.split()) for r in page.records] == [" ".join(g.date.split()) for _, _, g in good]
    for record, (first, _, _) in zip(page.records, good):
        assert record.location.line == first  # the record's date line (its title line when undated)
    errors = [r for r in page.rejects if r.severity == "error"]
    error_lines = sorted(r.location.line for r in errors)
    for first, _, record in broken:
        # the line of the record: its date line, its title line when the date is missing, and the
        # line it has in place of a title (a summary) when the title is missing
        nonblank = [i for i, text in enumerate(record.lines) if text.strip()]
        expected = first + (nonblank[1] if record.kind == "no-title" else 0)
        assert expected in error_lines, f"{record.kind} record at line {expected} not rejected: {page.rejects}"
    assert len(page.records) + len(errors) == len(records)


# -- 6. very long inputs ---------------------------------------------------------------------
# Not timing assertions: a quadratic path or a catastrophic regex would make these run for
# minutes (they did: "to to to …", "[via [via …", "Kuznetsov (Kuznetsov ( …", runs of spaces).

def _repeat(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def test_a_200000_character_title_is_rejected_by_the_listing_and_noted_by_the_parser() -> None:
    title = _repeat("Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin], ", 200_000)
    page = _parse_bytes(f"1 - 1 of 1\n\nDecember 16, 1947\n\n{title}\n\nA summary.\n".encode())
    assert not page.records
    assert [(r.location.line, r.severity) for r in page.rejects] == [(5, "error")]
    assert "200000 characters" in page.rejects[0].reason
    reading = parse_title(title, AUTH)
    assert reading.notes and "not read" in reading.notes[0]
    resolver, res = _resolve(title)
    _check_agents(resolver, res)


@pytest.mark.parametrize("piece", [
    "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin], ", "to ", "to to from via ", "Ambassador to ",
    "the President ", "President President x ", "of ", "[via ", "[a] ", "((", "Stalin ", "via Mao via ",
    "containing a message from ", "Notes of ", "Kuznetsov (", ", 17 January 1950", "\x000\x00 ",
])
def test_a_title_just_under_the_reading_limit_is_read(piece: str) -> None:
    title = _repeat(piece, MAX_READ - 1)
    resolver, res = _resolve(title)
    _check_agents(resolver, res)


@pytest.mark.parametrize("text", [" " * 200_000, "," + " " * 200_000, "x" + "\t" * 200_000 + "on 2 June 1948"])
def test_long_runs_of_spaces_do_not_stall_the_embedded_date_finder(text: str) -> None:
    found = find_date_in_text(text)
    assert found is None or found[0].edtf == "1948-06-02"


def test_a_one_megabyte_summary_is_read() -> None:
    pieces = ["Stalin, using the name of Fyodor Kuznetsov, invites Mao Zedong to Moscow", " Kuznetsov (",
              " Terebin (Andrei Orlov)", " acting under the name Terebin Stalin", " Filippov [Stalin", "   "]
    summary = _repeat("".join(pieces), 1_000_000)
    data = f"1 - 1 of 1\n\nDecember 16, 1947\n\nCable, Stalin to Mao Zedong\n\n{summary}\n".encode()
    page = _parse_bytes(data)
    assert len(page.records) == 1 and len(page.records[0].summary or "") > 900_000
    record = page.records[0]
    record.key = "k"
    resolver = Resolver(AUTH)
    res = resolver.resolve(record)
    assert {a.entity_id for a in res.agents} == {"joseph-stalin", "mao-zedong"}
    assert res.covers_attested.get("terebin") == "andrei-orlov"


@pytest.mark.parametrize("piece", ["Kuznetsov (", "Kuznetsov ( ", "acting under the name Terebin Stalin ",
                                   "Filippov [Stalin ", "Terebin (Andrei Orlov) "])
def test_cover_name_statements_in_a_long_sentence(piece: str) -> None:
    statements = find_cover_statements(_repeat(piece, 200_000), AUTH)
    assert all(st.cover.kind == "cover" for st in statements)
