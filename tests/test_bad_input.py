"""Bad input gets a clear error and loses nothing.

Each case builds a small source folder through the CLI and checks: the exit code, the
summary line, the reject in reports/rejects.jsonl (file, line, reason, how to fix), that
every good record of the same file is published, and that no traceback is printed.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from cwgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
HEADER = "Skip to content\n\n\n{start} - {end} of 120\n\n\n"


def page(*blocks: str, start: int = 51, count: int | None = None) -> str:
    n = len(blocks) if count is None else count
    return HEADER.format(start=start, end=start + n - 1) + "\n\n".join(blocks) + "\n"


GOOD_1 = "December 16, 1947\n\nCable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]\n\nStalin invites Mao to Moscow."
GOOD_2 = "February 1950\n\nExchange of Notes, Zhou Enlai and Vyshinshy\n\nNotes on Manchuria."
GOOD_3 = "October 25, 1949\n\nCable, Mao Zedong to Comrade Filippov [Stalin]\n\nMao reports on Xinjiang."


@dataclass
class Outcome:
    exit_code: int
    output: str
    rejects: list[dict[str, object]]
    titles: dict[str, dict[str, str]]
    out: Path

    def errors(self) -> list[dict[str, object]]:
        return [r for r in self.rejects if r["severity"] == "error"]

    def warnings(self) -> list[dict[str, object]]:
        return [r for r in self.rejects if r["severity"] == "warning"]


def run(tmp_path: Path, files: dict[str, bytes | str], *extra: str) -> Outcome:
    src = tmp_path / "src"
    src.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--source", str(src), "--out", str(out), *extra])
    rejects: list[dict[str, object]] = []
    titles: dict[str, dict[str, str]] = {}
    if (out / "reports" / "rejects.jsonl").exists():
        rejects = [json.loads(line) for line in (out / "reports" / "rejects.jsonl").read_text().splitlines()]
        q = CliRunner().invoke(main, ["query", "letters", "--data", str(out), "--format", "json"])
        titles = {row["title"]: row for row in json.loads(q.output)}
    assert "Traceback" not in result.output
    return Outcome(result.exit_code, result.output, rejects, titles, out)


def line_of(text: str, needle: str) -> int:
    """The 1-based line number where ``needle`` first starts a line."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip().startswith(needle):
            return number
    raise AssertionError(needle)


def summary_counts(output: str) -> tuple[int, int, int]:
    m = re.search(r"(\d+) records read, (\d+) published, (\d+) rejected — see \S+rejects\.jsonl", output)
    assert m, output
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


# -- files that are not text ------------------------------------------------------------------

def test_empty_file_is_rejected_and_the_rest_published(tmp_path: Path) -> None:
    o = run(tmp_path, {"a-empty.txt": "", "b-good.txt": page(GOOD_1)})
    assert o.exit_code == 0
    [err] = o.errors()
    assert err["file"].endswith("a-empty.txt") and err["line"] == 1 and "empty" in err["reason"]
    assert err["hint"]
    assert "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]" in o.titles


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    o = run(tmp_path, {"image.txt": png, "good.txt": page(GOOD_1)})
    assert o.exit_code == 0
    [err] = o.errors()
    assert err["file"].endswith("image.txt") and "binary" in err["reason"]
    assert len(o.titles) == 1


def test_invalid_utf8_loses_only_its_record(tmp_path: Path) -> None:
    text = page(GOOD_1, "February 2, 1950\n\nTop Secret Memorandum from Andrey Vyshinsky to Joseph Stalin\n\nX", GOOD_3)
    data = text.encode("utf-8").replace(b"Top Secret Memorandum", b"Top Secret Memor\xe4ndum")
    o = run(tmp_path, {"latin1.txt": data})
    assert o.exit_code == 0
    [err] = o.errors()
    assert "not UTF-8" in err["reason"] and "0xe4" in err["reason"] and err["line"] == line_of(text, "February 2, 1950")
    assert len(o.titles) == 2


@pytest.mark.parametrize("encoding,transform", [
    ("utf-16", lambda t: t.encode("utf-16")),
    ("crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
    ("utf-8-bom", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
])
def test_text_encodings_that_are_fine(tmp_path: Path, encoding: str, transform) -> None:  # type: ignore[no-untyped-def]
    o = run(tmp_path, {"page.txt": transform(page(GOOD_1, GOOD_2, GOOD_3))})
    assert o.exit_code == 0 and o.errors() == []
    assert len(o.titles) == 3
    assert summary_counts(o.output) == (3, 3, 0)


# -- listing structure ------------------------------------------------------------------------

def test_page_cut_off_in_a_record_and_header_mismatch(tmp_path: Path) -> None:
    text = page(GOOD_1, GOOD_2, "October 25, 1949", count=10)
    o = run(tmp_path, {"cut.txt": text})
    assert o.exit_code == 0
    [err] = o.errors()
    assert "no title" in err["reason"] and err["line"] == line_of(text, "October 25, 1949")
    [warn] = [w for w in o.warnings() if "header" in str(w["reason"])]
    assert "(10) but the page holds 3" in warn["reason"]
    assert len(o.titles) == 2
    assert summary_counts(o.output) == (3, 2, 1)


def test_odd_spacing_is_tolerated(tmp_path: Path) -> None:
    text = ("Skip to content\n51 - 53 of 120\n"
            "   December 16, 1947   \nCable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]\nStalin invites Mao.\n"
            "\n\n\n\n\tFebruary 1950\n\n\n\nExchange of Notes, Zhou Enlai and Vyshinshy\n\n\n"
            "Notes on Manchuria.\nSecond line of the same paragraph.\n\nA second paragraph of the summary.\n"
            "October 25, 1949\n\nCable, Mao Zedong to Comrade Filippov [Stalin]\n")
    o = run(tmp_path, {"spacing.txt": text})
    assert o.exit_code == 0 and o.errors() == []
    assert set(o.titles) == {"Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]",
                             "Exchange of Notes, Zhou Enlai and Vyshinshy",
                             "Cable, Mao Zedong to Comrade Filippov [Stalin]"}


# -- records ----------------------------------------------------------------------------------

def test_missing_title_and_missing_date(tmp_path: Path) -> None:
    no_title = ("February 3, 1950\n\nVyshinsky reports to Stalin on the continuing negotiations of the treaty. "
                "References are made to the meeting of 2 February. The amendments are listed in detail here.")
    no_date = "Cable, Mao Zedong to Stalin\n\nMao asks Stalin to put off the trip."
    o = run(tmp_path, {"p.txt": page(GOOD_1, no_title, GOOD_2 + "\n\n" + no_date, GOOD_3)})
    assert o.exit_code == 0
    reasons = {e["line"]: e["reason"] for e in o.errors()}
    assert any("no title" in r for r in reasons.values())
    assert any("no date" in r for r in reasons.values())
    assert len(o.titles) == 3


@pytest.mark.parametrize("date,fragment", [
    ("Febtember 1950", "unknown month name 'Febtember'"),
    ("31 February 1950", "February 1950 has no day 31"),
    ("1950-13", "month 13 is out of range"),
])
def test_unreadable_dates_are_rejected_with_the_reason(tmp_path: Path, date: str, fragment: str) -> None:
    bad = f"{date}\n\nCable, Mao Zedong to Stalin\n\nA record whose date cannot be read."
    text = page(GOOD_1, bad, GOOD_2)
    o = run(tmp_path, {"p.txt": text})
    assert o.exit_code == 0
    [err] = o.errors()
    assert fragment in err["reason"] and err["line"] == line_of(text, date) and err["hint"]
    assert err["file"].endswith("p.txt")
    assert len(o.titles) == 2


@pytest.mark.parametrize("date,begin,end", [
    ("c. 1950", "1950-01-01T00:00:00", "1950-12-31T23:59:59"),
    ("1950s", "1950-01-01T00:00:00", "1959-12-31T23:59:59"),
    ("[undated]", "", ""),
])
def test_imprecise_dates_the_archive_prints_are_published(tmp_path: Path, date: str, begin: str, end: str) -> None:
    record = f"{date}\n\nCable, Mao Zedong to Stalin\n\nSome cable."
    o = run(tmp_path, {"p.txt": page(record, GOOD_1)})
    assert o.exit_code == 0 and o.errors() == []
    row = o.titles["Cable, Mao Zedong to Stalin"]
    assert (row["date_begin"], row["date_end"]) == (begin, end)


# -- titles -----------------------------------------------------------------------------------

def test_brackets_gone_wrong_and_very_long_titles(tmp_path: Path) -> None:
    blocks = [
        "January 6, 1949\n\nCable, Stalin [Kuznetsov to Mao Zedong\n\nUnbalanced bracket.",
        "January 7, 1949\n\nCable, Stalin [Kuznetsov [Filippov]] to Mao Zedong\n\nNested brackets.",
        "January 8, 1949\n\n[Untitled]\n\nA title that is only a bracket.",
        "January 9, 1949\n\nCable, Mao Zedong to Stalin " + "and again " * 600 + "\n\nA 6,000-character title.",
        GOOD_1,
    ]
    text = page(*blocks)
    o = run(tmp_path, {"p.txt": text})
    assert o.exit_code == 0
    [err] = o.errors()
    assert "characters long" in err["reason"] and err["line"] == line_of(text, "Cable, Mao Zedong to Stalin and again")
    assert "[Untitled]" in o.titles
    assert o.titles["Cable, Stalin [Kuznetsov to Mao Zedong"]["recipients"] == "Mao Zedong"
    assert o.titles["Cable, Stalin [Kuznetsov [Filippov]] to Mao Zedong"]["senders"] == "Joseph Stalin"
    assert len(o.titles) == 4


def test_scripts_quotes_html_and_control_characters_are_kept_as_text(tmp_path: Path) -> None:
    blocks = [
        "January 1, 1950\n\nТелеграмма, Сталин Мао Цзэдуну\n\nРусский текст.",
        "January 2, 1950\n\n毛泽东致斯大林电报\n\n中文摘要。",
        "January 3, 1950\n\nCable, Mao Zedong to Stalin\n\nMao’s “answer” — with <b>bold</b> &amp; <script>x</script>.",
        "January 4, 1950\n\nCable, Stalin to Mao\x07 Zedong\n\nA bell\x0b character.",
    ]
    text = page(*blocks)
    o = run(tmp_path, {"p.txt": text})
    assert o.exit_code == 0 and o.errors() == []
    assert {"Телеграмма, Сталин Мао Цзэдуну", "毛泽东致斯大林电报", "Cable, Mao Zedong to Stalin",
            "Cable, Stalin to Mao Zedong"} <= set(o.titles)
    nt = gzip.decompress((o.out / "cwgraph.nt.gz").read_bytes()).decode()
    assert "<b>bold</b> &amp; <script>x</script>" in nt.encode().decode("unicode_escape", errors="ignore") or \
        "<b>bold</b> &amp; <script>x</script>" in nt
    assert any("control characters" in str(w["reason"]) and w["line"] == line_of(text, "Cable, Stalin to Mao")
               for w in o.warnings())


# -- curated records and merging ----------------------------------------------------------------

def _curated(**fields: object) -> str:
    base = {"date": "December 16, 1947", "title": "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]"}
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


def test_two_curated_records_with_one_record_id_that_disagree(tmp_path: Path) -> None:
    lines = [_curated(record_id="110296"), _curated(record_id="110296", date="December 17, 1947"),
             _curated(record_id="113779", title="Cable, Terebin to Stalin [via Kuznetsov]", date="July 17, 1948")]
    o = run(tmp_path, {"records.jsonl": "\n".join(lines) + "\n"})
    assert o.exit_code == 0
    [err] = o.errors()
    assert err["line"] == 2 and "Record ID 110296" in err["reason"] and "printed_date" in err["reason"]
    assert len(o.titles) == 2


def test_listing_and_curated_record_disagree_on_the_date(tmp_path: Path) -> None:
    curated = _curated(key="110296", record_id="110296", listing_page=5, listing_position=1)
    listing = page("December 18, 1947\n\nCable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]\n\nStalin invites Mao.")
    o = run(tmp_path, {"records.jsonl": curated + "\n", "page.txt": listing})
    assert o.exit_code == 0 and o.errors() == []
    [warn] = [w for w in o.warnings() if "date" in str(w["reason"])]
    assert "December 18, 1947" in warn["reason"] and "December 16, 1947" in warn["reason"]
    assert len(o.titles) == 1  # one document, not two
    assert o.titles["Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]"]["date_begin"] == "1947-12-16T00:00:00"


def test_broken_json_lines_lose_only_themselves(tmp_path: Path) -> None:
    lines = [_curated(record_id="110296"), "{not json", "[1, 2]", json.dumps({"title": "No date"}),
             _curated(record_id="113779", title="Cable, Terebin to Stalin [via Kuznetsov]", date="July 17, 1948")]
    o = run(tmp_path, {"records.jsonl": "\n".join(lines) + "\n"})
    assert o.exit_code == 0
    assert {e["line"] for e in o.errors()} == {2, 3, 4}
    assert len(o.titles) == 2


# -- names and authorities --------------------------------------------------------------------

def test_unknown_name_is_published_and_reported(tmp_path: Path) -> None:
    o = run(tmp_path, {"p.txt": page("May 1, 1950\n\nLetter, Pak Heon-yeong to Stalin\n\nA letter.")})
    assert o.exit_code == 0
    [warn] = [w for w in o.warnings() if "Pak Heon-yeong" in str(w["reason"])]
    assert warn["line"] == 7 and "reconciliation" in warn["reason"]  # the record's date line
    assert o.titles["Letter, Pak Heon-yeong to Stalin"]["senders"] == "Pak Heon-yeong"
    assert "unknown-name\tactor\tpak-heon-yeong" in (o.out / "reports" / "reconciliation.tsv").read_text()


def test_broken_authority_files_are_reported_and_the_build_goes_on(tmp_path: Path) -> None:
    auth = tmp_path / "auth"
    shutil.copytree(ROOT / "source" / "authorities", auth)
    persons = (auth / "persons.tsv").read_text().splitlines()
    persons.append("joseph-stalin\tJoseph Stalin again\t\t\t\t\t")          # duplicate id
    persons.append("x-y\tX Y\tXY\tQ123\t\t\t")                                 # QID without evidence
    persons.append("\t".join("abcdefghijklmnop"))                                # too many cells
    (auth / "persons.tsv").write_text("\n".join(persons) + "\n")
    covers = (auth / "cover-names.tsv").read_text().splitlines()
    covers.append("ghost\tGhost\t\tnobody-known\t1949\t1949\tcover\thttps://digitalarchive.wilsoncenter.org/document/1\tconfirmed")
    covers.append("stage\tStage\t\tjoseph-stalin\t1949\t1949\tcover\thttps://wilson-center.drivingcreative.com/x\tconfirmed")
    (auth / "cover-names.tsv").write_text("\n".join(covers) + "\n")
    o = run(tmp_path, {"p.txt": page(GOOD_1)}, "--authorities", str(auth))
    assert o.exit_code == 0
    messages = {(w["line"], w["reason"]) for w in o.warnings() if w["stage"] == "authority"}
    n = len(persons)
    assert any(line == n - 2 and "duplicate identifier 'joseph-stalin'" in r for line, r in messages)
    assert any(line == n - 1 and "no evidence URL" in r for line, r in messages)
    assert any(line == n and "cells where the header has" in r for line, r in messages)
    assert any("bearer 'nobody-known' is not a known" in r for _, r in messages)
    assert any(line == len(covers) and "'Stage' is not loaded" in r and "staging" in r for line, r in messages)
    assert all(str(w["file"]).endswith(".tsv") for w in o.warnings() if w["stage"] == "authority")
    assert len(o.titles) == 1


# -- exit codes -------------------------------------------------------------------------------

def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--source", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["build", "--authorities", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "Traceback" not in result.output and "authorit" in result.output


def test_a_graph_that_would_not_conform_exits_1_and_publishes_nothing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A stricter shape (every document needs a citation) makes the build refuse to publish."""
    home = tmp_path / "home"
    for folder in ("shapes", "queries", "ontology", "source"):
        shutil.copytree(ROOT / folder, home / folder)
    (home / "shapes" / "strict.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://example.org/strict> a sh:NodeShape ; sh:targetClass crm:E31_Document ;\n"
        "  sh:property [ sh:path dcterms:source ; sh:minCount 1 ; sh:message \"a document needs its citation\" ] .\n")
    monkeypatch.setenv("CWGRAPH_HOME", str(home))
    out = tmp_path / "dist"
    out.mkdir()
    shutil.copy(ROOT / "dist" / "void.ttl", out / "void.ttl")  # a release: a build may replace it
    (out / "previous.txt").write_text("the previous release")
    result = CliRunner().invoke(main, ["build", "--source", str(home / "source" / "listings"), "--out", str(out)])
    assert result.exit_code == 1
    assert "a document needs its citation" in result.output and "source/listings/" in result.output
    assert (out / "previous.txt").read_text() == "the previous release"


def test_same_title_and_date_on_two_pages_are_two_documents(tmp_path: Path) -> None:
    """A curated record absorbs only the listing record at its own position; the other is reported."""
    title = "Memorandum of Conversation between Anastas Mikoyan and Mao Zedong"
    curated = json.dumps({"key": "k-day", "date": "February 5, 1949", "title": title, "summary": "Day talk.",
                          "listing_page": 8, "listing_position": 1})
    day = page(f"February 5, 1949\n\n{title}\n\nDaytime talk.", start=81)
    evening = page(f"February 5, 1949\n\n{title}\n\nEvening talk.", start=91)
    o = run(tmp_path, {"records.jsonl": curated + "\n", "p8.txt": day, "p9.txt": evening})
    assert o.exit_code == 0 and o.errors() == []
    assert summary_counts(o.output) == (3, 2, 0)
    [warn] = [w for w in o.warnings() if "another listing position" in str(w["reason"])]
    assert str(warn["file"]).endswith("p9.txt")
