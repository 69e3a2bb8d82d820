"""The readers under fuzzing: any bytes, any file name, any JSON structure, any TSV structure.

The promise checked for every example: no exception escapes, every good record beside the
bad input is read, and every reject names a file and a line; what a record holds is always
publishable (valid Unicode, within the caps, ASCII-digit Record IDs, http(s) URLs).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwgraph.resolving.authorities import load_authorities
from cwgraph.cli import main
from cwgraph.core.records import Record, too_long, web_url
from cwgraph.sources.discover import ReadResult, iter_records

_SCALE = int(os.environ.get("CWGRAPH_PROPERTY_SCALE", "1"))
FUZZ = settings(max_examples=120 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GOOD_JSONL = (json.dumps({"key": "good-a", "date": "1949", "title": "Letter, Mao Zedong to Stalin"}) + "\n"
              + json.dumps({"key": "good-b", "date": "1950", "title": "Letter, Stalin to Mao Zedong"}) + "\n")
GOOD_PAGE = ("Skip to content\n\n\n1 - 1 of 1\n\n\nDecember 16, 1947\n\n"
             "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]\n\nStalin invites Mao to Moscow.\n")
GOOD_TITLES = {"Letter, Mao Zedong to Stalin", "Letter, Stalin to Mao Zedong",
               "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]"}


def _publishable(record: Record) -> None:
    assert too_long(record) is None
    for value in (record.title, record.printed_date, record.summary, record.key, record.record_id, record.doc_url,
                  record.citation, *record.mentioned_people, *record.mentioned_places):
        if value is not None:
            value.encode("utf-8")  # no lone surrogate
    assert record.record_id is None or (record.record_id.isascii() and record.record_id.isdigit())
    assert record.doc_url is None or web_url(record.doc_url)
    assert record.listing_page is None or (type(record.listing_page) is int and record.listing_page >= 0)


def _read(files: dict[bytes, bytes]) -> tuple[list[Record], ReadResult]:
    with tempfile.TemporaryDirectory() as folder:
        base = os.fsencode(folder)
        for name, data in files.items():
            with open(base + b"/" + name, "wb") as f:
                f.write(data)
        result = ReadResult()
        records = list(iter_records([Path(folder)], Path(folder), result))
    for reject in result.rejects:
        assert reject.location.file and reject.location.line >= 1
        json.dumps(reject.as_dict(), ensure_ascii=False).encode("utf-8")
    for record in records:
        _publishable(record)
    return records, result


def _good_read(records: list[Record]) -> None:
    assert GOOD_TITLES <= {r.title for r in records}


_NAME = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                 and not b.startswith(b".") and b not in (b".", b".."))


@FUZZ
@given(st.binary(max_size=3000), st.binary(max_size=3000), _NAME)
def test_any_bytes_in_any_file_name(listing: bytes, jsonl: bytes, name: bytes) -> None:
    records, _ = _read({b"a-good.jsonl": GOOD_JSONL.encode(), b"z-good.txt": GOOD_PAGE.encode(),
                        b"m-" + name + b".txt": listing, b"m-" + name + b".jsonl": jsonl})
    _good_read(records)


_TEXT = (
    st.text(max_size=50) | st.sampled_from(["\ud800", "a\udfffb", "\r", "x\x00y", "\u2028"]))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20)
_KEYS = ["key", "record_id", "date", "title", "summary", "doc_url", "type", "language", "translator",
         "source_citation", "mentioned_people", "mentioned_places", "listing_page", "listing_position"]
_FIELD = st.one_of(_JSON, st.text(max_size=80), st.sampled_from(
    ["1949", "December 16, 1947", "[undated]", "110296", "\u0661\u0662", "\u00b9", "https://digitalarchive."
     "wilsoncenter.org/document/110296", "javascript:alert(1)", "https://a.org/x y", "good-a", "h-079924d71876"]))
_ANY_RECORD = st.fixed_dictionaries({}, optional={k: _FIELD for k in _KEYS})
# records that are readable but for one field: a date and a title, and any other fields
_NEAR_GOOD = st.builds(lambda extra, date, title: {**extra, "date": date, "title": title}, _ANY_RECORD,
                       st.sampled_from(["1949", "December 16, 1947", "[undated]"]),
                       st.text(min_size=1, max_size=40) | _TEXT)
_RECORDS = _ANY_RECORD | _NEAR_GOOD


def _line(value: object, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)


@FUZZ
@given(st.one_of(_JSON, _RECORDS), st.booleans(), st.integers(min_value=0, max_value=3000))
def test_any_json_structure_loses_only_its_line(value: object, ascii_only: bool, depth: int) -> None:
    try:
        middle = _line(value, ascii_only)
    except (UnicodeEncodeError, ValueError):
        middle = "{}"
    lines = GOOD_JSONL.splitlines()
    text = "\n".join([lines[0], middle, "[" * depth + "]" * depth, lines[1]]) + "\n"
    records, result = _read({b"r.jsonl": text.encode("utf-8", "surrogatepass"), b"z-good.txt": GOOD_PAGE.encode()})
    _good_read(records)
    for record in records:
        if record.title not in GOOD_TITLES:
            assert record.location.line in (2, 3)


_CELL = st.text(st.characters(blacklist_characters="\t\n"), max_size=30) | st.sampled_from(
    ["joseph-stalin", "mao-zedong", "moscow", "beijing", "ping", "pong", "Q42", "https://e.org/q", "1949"])


@FUZZ
@given(st.lists(st.lists(_CELL, max_size=12), max_size=6), st.lists(st.binary(max_size=60), max_size=3),
       st.sampled_from(["persons.tsv", "groups.tsv", "places.tsv", "events.tsv", "cover-names.tsv"]))
def test_any_tsv_structure_loses_only_its_rows(rows: list[list[str]], raw: list[bytes], target: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        auth = Path(folder)
        tables = {
            "persons.tsv": "id\tlabel\tvariants\tqid\tqid_evidence\tdescription\tnote\njoseph-stalin\tJoseph Stalin"
                           "\tStalin\t\t\t\t\nmao-zedong\tMao Zedong\tMao\t\t\t\t\n",
            "groups.tsv": "id\tlabel\tvariants\tqid\tqid_evidence\tdescription\tnote\npolitburo\tPolitburo\t\t\t\t\t\n",
            "places.tsv": "id\tlabel\tvariants\tqid\tqid_evidence\tdescription\tnote\nmoscow\tMoscow\t\t\t\t\t\n",
            "events.tsv": "id\tlabel\tvariants\tqid\tqid_evidence\tdescription\tnote\tkind\tbegin\tend\tplace\n",
            "cover-names.tsv": "id\tname\tvariants\tbearer\tbegin\tend\tused\tevidence_url\tcertainty\n"
                               "filippov\tFilippov\t\tjoseph-stalin\t1948\t1951\tx\thttps://e.org/a\tconfirmed\n",
        }
        for name, text in tables.items():
            data = text.encode()
            if name == target:
                data += b"".join("\t".join(r).encode("utf-8", "surrogatepass") + b"\n" for r in rows)
                data += b"".join(r.replace(b"\n", b" ") + b"\n" for r in raw)
            (auth / name).write_bytes(data)
        loaded = load_authorities(auth, auth)
    for problem in loaded.problems:
        assert problem.location is not None and problem.location.line >= 1
    # the good rows stand, whatever the rows after them
    assert loaded.get("joseph-stalin") is not None and loaded.get("moscow") is not None
    assert loaded.get("filippov") is None or loaded.get("filippov").extra.get("bearer") == "joseph-stalin"
    assert [e.id for e in loaded.lookup("Mao Zedong") if e.kind == "cover"] == []
    for entity in loaded.entities.values():
        if entity.kind == "cover" and entity.extra.get("bearer"):
            assert loaded.entities[entity.extra["bearer"]].kind in ("person", "group")


@settings(max_examples=4 * _SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.function_scoped_fixture])
@given(_RECORDS, st.binary(max_size=500))
def test_a_build_with_a_fuzzed_record_and_file_exits_0_and_publishes_the_good_ones(tmp_path_factory,  # type: ignore[no-untyped-def]
                                                                                    record: dict[str, object],
                                                                                    noise: bytes) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    src = tmp / "src"
    src.mkdir()
    lines = GOOD_JSONL.splitlines()
    try:
        middle = json.dumps(record, allow_nan=True)
    except ValueError:
        middle = "{}"
    (src / "r.jsonl").write_text("\n".join([lines[0], middle, lines[1]]) + "\n")
    (src / "p.txt").write_text(GOOD_PAGE)
    (src / "noise.txt").write_bytes(noise)
    result = CliRunner().invoke(main, ["build", "--quiet", "--source", str(src), "--out", str(tmp / "dist")])
    assert result.exit_code == 0 and "internal error" not in result.output, result.output
    ttl = (tmp / "dist" / "cwgraph.ttl").read_text("utf-8")
    for title in GOOD_TITLES:
        assert json.dumps(title)[1:-1] in ttl or title in ttl
