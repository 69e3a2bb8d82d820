"""Every page layout the archive prints is recognised from its content and read whole.

Fixtures (``pagefixtures.py``) print invented records in each of the 12 listing layouts and
the 5 document-page layouts, whole and cut off at 2,000 bytes; the last test reads the
archive's own saved pages (``../shared/archive``) when they are there.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cwgraph.cli import main
from cwgraph.sources.pages import detect_layout, read_page
from pagefixtures import LAYOUTS, RECORDS, UNDATED, cut, date_of

ARCHIVE = Path(__file__).resolve().parents[1].parent / "shared" / "archive"


def read(tmp_path: Path, data: str | bytes, name: str = "page.txt"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_page(path, name)


def published(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(r.printed_date, r.title) for r in page.records]


def errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.reason for r in page.rejects if r.severity == "error"]


# -- listing layouts, whole ----------------------------------------------------------------------

@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_listing_layout_is_recognised_and_read_whole(tmp_path: Path, layout: str) -> None:
    text = LAYOUTS[layout](RECORDS)
    assert detect_layout(text) == layout
    page = read(tmp_path, text)
    assert page.layout == layout and not page.cut
    assert published(page) == [(date_of(layout, r), r.title) for r in RECORDS]
    assert page.rejects == [] or all(r.severity == "warning" and "header" in r.reason for r in page.rejects)
    by_title = {r.title: r for r in page.records}
    assert by_title[RECORDS[1].title].summary is None  # a record without a summary
    assert by_title[RECORDS[4].title].summary == "Sokolova tells Petrov that the trawlers will arrive in June."
    assert all(r.location.file == "page.txt" and r.location.line > 0 for r in page.records)
    lines = text.split("\n")
    for record in page.records:  # the line of a record is its date line, or its title when undated
        assert record.title in lines[record.location.line - 1] or record.printed_date in lines[record.location.line - 1]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_undated_records_are_read_in_every_layout(tmp_path: Path, layout: str) -> None:
    records = [RECORDS[0], UNDATED, RECORDS[2]]
    page = read(tmp_path, LAYOUTS[layout](records))
    assert published(page) == [(date_of(layout, r), r.title) for r in records]
    undated = page.records[1]
    assert undated.printed_date == "[undated]" and undated.summary == UNDATED.summary
    assert errors(page) == []


def test_an_undated_first_record_after_the_range_line(tmp_path: Path) -> None:
    text = "Skip to content\n\n\n1 - 3 of 3\n\n\n\n" + \
        f"{UNDATED.title}\n\n{UNDATED.summary}\n\n{RECORDS[0].new_date}\n\n{RECORDS[0].title}\n\n{RECORDS[0].summary}"
    page = read(tmp_path, text)
    assert published(page) == [("[undated]", UNDATED.title), (RECORDS[0].new_date, RECORDS[0].title)]
    assert page.records[0].listing_position == 1 and page.records[1].listing_position == 2


def test_a_title_right_after_the_range_line_is_a_record_without_its_date(tmp_path: Path) -> None:
    """Only three blank lines after the range line mark an undated record; a usual gap is a missing date line."""
    text = f"Skip to content\n\n\n1 - 2 of 2\n\n\n{UNDATED.title}\n\n{UNDATED.summary}\n\n" + \
        f"{RECORDS[0].new_date}\n\n{RECORDS[0].title}\n\n{RECORDS[0].summary}"
    page = read(tmp_path, text)
    assert [r.title for r in page.records] == [RECORDS[0].title]
    [error] = [r for r in page.rejects if r.severity == "error"]
    assert "no date line" in error.reason and error.location.line == 7


def test_a_single_blank_line_before_a_title_is_still_a_missing_date(tmp_path: Path) -> None:
    """Only the archive's extra blank line marks an undated record; otherwise the date line is missing."""
    text = LAYOUTS["new-range"]([RECORDS[0]]).replace("\n\nPagination", "") + \
        "\n\nCable, Olga Sokolova to Ivan Petrov\n\nShe asks for news."
    page = read(tmp_path, text)
    assert [r.title for r in page.records] == [RECORDS[0].title]
    assert any("no date line" in e for e in errors(page))


def test_headings_that_end_in_a_year_are_furniture_not_records(tmp_path: Path) -> None:
    text = "Korea, 1950\n\nKorean War, 1950\n\n" + LAYOUTS["new-people-bare"](RECORDS[:1]).split("\n\n", 1)[1]
    page = read(tmp_path, text)
    assert published(page) == [(RECORDS[0].new_date, RECORDS[0].title)] and page.rejects == []


# -- listing layouts, cut off --------------------------------------------------------------------

CUT_POINTS = {  # where the saved copy breaks off, and whether the last record is published
    "in its date": (lambda last, layout: date_of(layout, last), 5, False),
    "in its title": (lambda last, layout: last.title, 12, False),
    "after its whole title": (lambda last, layout: last.title, len(RECORDS[0].title), False),
    "in its summary": (lambda last, layout: last.summary, 20, True),
}


@pytest.mark.parametrize("where", sorted(CUT_POINTS))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_cut_page_never_publishes_a_truncated_title_or_date(tmp_path: Path, layout: str, where: str) -> None:
    last = RECORDS[0]
    records = [RECORDS[2], RECORDS[3], last]
    text = LAYOUTS[layout](records).replace("\n\nPagination", "")
    at, keep, kept = CUT_POINTS[where]
    data = cut(text, at(last, layout), keep, RECORDS[2].summary or "")
    page = read(tmp_path, data)
    assert page.cut and page.layout == layout
    whole = [(date_of(layout, r), r.title) for r in records[:2]]
    assert published(page)[:2] == whole
    assert errors(page) == []
    [warning] = [r for r in page.rejects if "page ends inside this record" in r.reason]
    assert warning.severity == "warning" and warning.location.file == "page.txt" and warning.location.line > 1
    if kept:
        assert published(page) == whole + [(date_of(layout, last), last.title)]
        assert page.records[-1].summary_truncated
        assert last.summary and last.summary.startswith(page.records[-1].summary or "?")
    else:
        assert published(page) == whole


def test_a_page_just_under_the_cut_size_keeps_its_pager(tmp_path: Path) -> None:
    text = LAYOUTS["new-range"](RECORDS[2:4])
    data = cut(text, "Pagination", len("Pagination"), RECORDS[2].summary or "")
    page = read(tmp_path, data)
    assert not page.cut and [t for _, t in published(page)] == [r.title for r in RECORDS[2:4]]


def test_a_page_of_the_cut_size_that_ends_with_a_newline_is_whole(tmp_path: Path) -> None:
    """A saved copy adds no newline: a page of ~2,000 bytes ending with one ends where its text ends."""
    text = LAYOUTS["old-dash"]([RECORDS[2], RECORDS[1]])  # the last record has no summary
    data = cut(text, RECORDS[1].title, len(RECORDS[1].title), RECORDS[2].summary or "", size=1999) + b"\n"
    page = read(tmp_path, data)
    assert not page.cut and [t for _, t in published(page)] == [RECORDS[2].title, RECORDS[1].title]


def test_a_short_page_ending_on_a_date_is_still_an_error(tmp_path: Path) -> None:
    page = read(tmp_path, LAYOUTS["old-dash"](RECORDS[:2]) + "-\nMay 09, 1954\n")
    assert any("no title" in e for e in errors(page))


# -- document pages ------------------------------------------------------------------------------

SUPPORT = "This document was made possible with support from Harbour Trust"
BODY = "Comrade Petrov,\n\n\xa0\n\nWe need two trawlers before the season opens.\n\n16 July 1952\n\nSokolova"
DOC_NEW_A2 = (f"Skip to content\n\nMay 9, 1954\n\n{RECORDS[4].title}\n\n{BODY}\n\nSokolova promises trawlers.\n\n"
              "Author(s):\n\n\nAssociated People & Organizations\n\nAssociated Places\n\nAssociated Topics\n\n"
              "Subjects Discussed\n\nDocument Information\n\nSource\n\nFisheries Archive, fond 2, delo 7.\n\nRights\n\n"
              "Reuse is welcome.\n\nTo enquire write to us.\n\nOriginal Uploaded Date\n\n2012-01-05\n\nType\n\n"
              "Cable\n\nLanguage\n\nRussian\n\nRecord ID\n\n900123")
DOC_NEW_A1 = (f"Skip to content\n\nMarch 3, 1952\n\n{RECORDS[0].title}\n\n{SUPPORT}\n\n{BODY}\n\n"
              "Petrov asks for trawlers.\n\n\nDocument Information\n\n\nFisheries Archive, fond 1, delo 2.\n\n\n"
              "Reuse is welcome.\n\nTo enquire write to [email protected].\n\nOriginal Uploaded Date\n\n\n\n\n\n"
              "Record ID\n\n\nOriginal Classification\n\nTop Secret\n\n\nHarbour Trust")
DOC_FLAT = ("Sokolova writes to Petrov about another matter.\nMay 9, 1954\n" + RECORDS[4].title + "\n" + SUPPORT
            + "\nComrade Petrov,\nWe need two trawlers | soon | .\n[...]\nSokolova promises trawlers.\n"
            "Associated People & Organizations\nAssociated Places\nDocument Information\nSource\nOriginal Archive\n"
            "Rights\nReuse is welcome." + " " + "Reuse is welcome. " * 120)
DOC_OLD = ("Search in\n\nDigital Archive International History Declassified\n\nMarch 03, 1952\n\n\n"
           "This document was made possible with support from the Harbour Trust, Sea Fund\n\n  • Citation\n\n"
           "    get citation\n\n    Petrov asks for trawlers.\n"
           f'    "{RECORDS[0].title}," March 03, 1952, History and Public Policy Program Digital Archive, '
           "Fisheries Archive. Translated by A. Reader.\n  • share document\n\n\nEnglish HTML\n\n" + BODY
           + "\n\n" + "More of the letter. " * 120)
DOC_OLD_FILTER = ("Search in\nADD SEARCH FILTER CANCEL SEARCH FILTER\n\nDigital Archive International History "
                  f"Declassified\n\nMarch 03, 1952\n\n{RECORDS[0].title.upper()}\n\n{SUPPORT.replace('from', 'from the')}"
                  "\n\nCITATION SHARE DOWNLOAD\n  • Citation\n\n    get citation\n\n    Petrov asks for trawlers.\n"
                  f'    "{RECORDS[0].title}," March 03, 1952, History and Public Policy Program Digital Archive, '
                  "Fisheries Archive. http://digitalarchive.wilsoncenter.org/document/900777\n  • share document\n\n"
                  "    http://digitalarchive.wilsoncenter.org/document/900777\n\nVIEW DOCUMENT IN\n\nEnglish HTML\n\n"
                  + BODY + "\n\n" + "More of the letter. " * 120)
DOC_OLD_BARE = ("March 03, 1952\n\n\n    Petrov asks for trawlers.\nLetter from Ivan Petrov to the Ministry\n"
                "of Fisheries (1)\n\n" + BODY + "\n\n" + "More of the letter. " * 120)


def _saved(text: str) -> bytes:
    data = text.encode("utf-8")
    return data[:2000] if len(data) > 2000 else data


@pytest.mark.parametrize("text,layout,expected", [
    (DOC_NEW_A2, "doc-new", dict(printed_date="May 9, 1954", title=RECORDS[4].title, summary="Sokolova promises "
     "trawlers.", record_id="900123", key="900123", citation="Fisheries Archive, fond 2, delo 7.",
     archive_type="Cable", language="Russian")),
    (DOC_NEW_A1, "doc-new", dict(printed_date="March 3, 1952", title=RECORDS[0].title, summary="Petrov asks for "
     "trawlers.", record_id=None, citation="Fisheries Archive, fond 1, delo 2.", archive_type=None)),
    (DOC_FLAT, "doc-flat", dict(printed_date="May 9, 1954", title=RECORDS[4].title,
                                summary="Sokolova promises trawlers.", citation=None)),
    (DOC_OLD, "doc-old", dict(printed_date="March 03, 1952", title=RECORDS[0].title,
                              summary="Petrov asks for trawlers.", record_id=None)),
    (DOC_OLD_FILTER, "doc-old-filter", dict(printed_date="March 03, 1952", title=RECORDS[0].title,
                                            summary="Petrov asks for trawlers.", record_id="900777",
                                            doc_url="http://digitalarchive.wilsoncenter.org/document/900777")),
    (DOC_OLD_BARE, "doc-old-bare", dict(printed_date="March 03, 1952", title="Letter from Ivan Petrov to the "
                                        "Ministry of Fisheries (1)", summary="Petrov asks for trawlers.")),
])
def test_each_document_layout_gives_one_record_with_its_metadata(tmp_path: Path, text: str, layout: str,
                                                                  expected: dict[str, object]) -> None:
    data = _saved(text)
    assert detect_layout(data.decode("utf-8", errors="ignore")) == layout
    page = read(tmp_path, data)
    assert page.layout == layout and page.rejects == []
    [record] = page.records
    for name, value in expected.items():
        assert getattr(record, name) == value, name


def test_a_document_page_cut_before_its_summary_or_inside_a_value(tmp_path: Path) -> None:
    body = DOC_NEW_A2.replace(BODY, BODY + "\n\nThe " + "trawlers must be ready. " * 80)
    page = read(tmp_path, _saved(body))
    assert page.cut and page.records[0].summary is None and page.records[0].record_id is None
    head, tail = DOC_NEW_A2.split("900123")
    padded = head.replace(BODY, BODY + "\n\n" + "x" * (2000 - len((head + "9001").encode()) - 2)) + "9001"
    page = read(tmp_path, padded.encode())
    assert page.cut and page.records[0].summary == "Sokolova promises trawlers."
    assert page.records[0].record_id is None  # "9001" may be the start of a longer Record ID


def test_an_old_document_page_without_its_title_is_never_published_with_a_guess(tmp_path: Path) -> None:
    cut_in_citation = DOC_OLD[: DOC_OLD.index("Petrov to the Ministry")]
    room = 2000 - len(cut_in_citation.encode()) - 1
    cut_in_citation = cut_in_citation.replace("Petrov asks", "Petrov asks " + "y" * room)
    page = read(tmp_path, cut_in_citation.encode())
    assert page.cut and page.records == []
    assert [(r.severity, r.location.line) for r in page.rejects] == [("warning", 5)]
    assert "page ends inside this record" in page.rejects[0].reason
    page = read(tmp_path, DOC_OLD.replace(f'"{RECORDS[0].title},"', f'"{RECORDS[0].title}"')[:1500])
    assert page.records == [] and [r.severity for r in page.rejects] == ["error"]
    assert "citation" in page.rejects[0].reason


def test_a_listing_that_starts_with_skip_to_content_and_a_date_is_not_a_document(tmp_path: Path) -> None:
    text = "Skip to content\n\n" + LAYOUTS["new-people-bare"](RECORDS).split("\n\n", 1)[1]
    assert detect_layout(text) == "new-topic-bare"
    assert len(read(tmp_path, text).records) == len(RECORDS)


def test_mojibake_is_repaired_and_reported(tmp_path: Path) -> None:
    garbled = "Letter from the Ă©migrĂ© Committee to Ivan Petrov"
    text = LAYOUTS["new-range"]([RECORDS[0]]).replace(RECORDS[0].title, garbled)
    page = read(tmp_path, text)
    assert [r.title for r in page.records] == ["Letter from the émigré Committee to Ivan Petrov"]
    [warning] = page.rejects[:1]
    assert "mojibake" in warning.reason and warning.severity == "warning" and warning.location.line == 9
    clean = "Ochęduszko’s cable to Ceaușescu – “urgent”"
    page = read(tmp_path, LAYOUTS["new-range"]([RECORDS[0]]).replace(RECORDS[0].title, clean))
    assert page.records[0].title == clean and not [r for r in page.rejects if "mojibake" in r.reason]


# -- through the build ---------------------------------------------------------------------------

def test_build_publishes_every_layout_and_rejects_no_furniture(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    expected = set()
    for n, (layout, writer) in enumerate(sorted(LAYOUTS.items())):
        # each page prints the records with its own site's date forms; a page's records are its own
        records = [RECORDS[(n + i) % len(RECORDS)] for i in range(3)]
        records = [type(r)(r.new_date, r.old_date, f"{r.title} ({layout})", r.summary) for r in records]
        (src / f"p{n:02}.txt").write_text(writer(records), encoding="utf-8")
        expected |= {(r.title, date_of(layout, r)) for r in records}
    for n, text in enumerate([DOC_NEW_A2, DOC_OLD_FILTER, DOC_OLD_BARE]):
        (src / f"d{n}.txt").write_bytes(_saved(text))
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--source", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"\b0 rejected\b", result.output), result.output
    rows = json.loads(CliRunner().invoke(main, ["query", "letters", "--data", str(out), "--format", "json"]).output)
    titles = [row["title"] for row in rows]
    assert {t for t, _ in expected} <= set(titles)
    assert len(titles) == len(set(titles)) == len(expected) + 3
    # a document page's Record ID is its key and identifier, as a curated record's would be
    [cable] = [row for row in rows if row["record_id"] == "900123"]
    assert cable["document"].endswith("/document/900123") and cable["title"] == RECORDS[4].title
    nt = gzip.decompress((out / "cwgraph.nt.gz").read_bytes()).decode("utf-8")
    assert '<https://w3id.org/cwgraph/document/900123> <http://purl.org/dc/terms/source> ' \
        '"Fisheries Archive, fond 2, delo 7." .' in nt


# -- the archive's own saved pages ---------------------------------------------------------------

def _archive_layouts(readme: Path) -> dict[str, str]:
    """The layout the README's table names for each saved page."""
    rows = re.findall(r"^\| (\S+\.txt) \|(.*)$", readme.read_text(encoding="utf-8"), re.M)
    layout = re.compile(r"\b(?:doc|new|old|collection)-[a-z-]*[a-z]")
    return {name: layout.search(rest).group(0) for name, rest in rows}  # type: ignore[union-attr]


@pytest.mark.skipif(not ARCHIVE.is_dir(), reason="../shared/archive is not here")
def test_every_saved_page_of_the_archive_is_read(tmp_path: Path) -> None:
    """Each complete record once, with the title and date ``records.jsonl`` gives; no furniture rejected."""
    listed = {json.loads(line)["source_url"]: [] for line in (ARCHIVE / "records.jsonl").open(encoding="utf-8")}
    for line in (ARCHIVE / "records.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        listed[record["source_url"]].append(record)
    urls = {}
    for folder in ("pages", "documents"):
        text = (ARCHIVE / folder / "README.md").read_text(encoding="utf-8")
        urls.update(dict(re.findall(r"^\| (\S+\.txt) \|.*?\| (https?://\S+) \|", text, re.M)))
        for name, layout in _archive_layouts(ARCHIVE / folder / "README.md").items():
            page = read_page(ARCHIVE / folder / name, name)
            assert page.layout == layout, name
            assert errors(page) == [], name
            assert len(page.records) == ARCHIVE_COUNTS.get(name, 1), name
            ours = {(r.title, r.printed_date) for r in page.records}
            assert len(ours) == len(page.records), f"{name}: a record read twice"
            if folder == "documents":  # the same document listed elsewhere in the set has this title and date
                [(title, date)] = ours
                assert all(r["date_printed"].replace(" 0", " ") == date.replace(" 0", " ")
                           for rs in listed.values() for r in rs if r["title"] == title), name
            for record in listed.get(urls.get(name, ""), []):
                date = record["date_printed"] or "[undated]"
                assert (record["title"], date) in ours, f"{name}: {record['title']!r} ({date}) not read"
                if record["summary_truncated"]:
                    [mine] = [r for r in page.records if r.title == record["title"]]
                    assert mine.summary_truncated


ARCHIVE_COUNTS = {"site-1.txt": 7, "site-2.txt": 4, "site-3.txt": 4, "site-4.txt": 5, "site-5.txt": 4,
                  "site-6.txt": 9, "site-7.txt": 5, "site-8.txt": 6, "site-9.txt": 2, "site-10.txt": 4,
                  "site-11.txt": 7, "site-12.txt": 5}


@pytest.mark.skipif(not ARCHIVE.is_dir(), reason="../shared/archive is not here")
def test_the_archive_pages_build_with_every_complete_record_once(tmp_path: Path) -> None:
    """Counted by hand from the saved pages: every complete record, none of the cut ones."""
    src = tmp_path / "src"
    for folder in ("pages", "documents"):
        (src / folder).mkdir(parents=True)
        for path in (ARCHIVE / folder).glob("*.txt"):
            (src / folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--source", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    documents = len(list((ARCHIVE / "documents").glob("*.txt"))) - 1  # documents 2 and 3 are one page, saved twice
    total = sum(ARCHIVE_COUNTS.values()) + documents
    assert re.search(rf"\b{total} published, 0 rejected\b", result.output), result.output
    rejects = [json.loads(line) for line in (out / "reports" / "rejects.jsonl").read_text().splitlines()]
    read_stage = [r for r in rejects if r["stage"] == "read"]
    cut_pages = {r["file"] for r in read_stage if "page ends inside this record" in r["reason"]}
    assert cut_pages == {f"src/pages/{name}" for name in ARCHIVE_COUNTS if name != "site-9.txt"}
    assert all(r["severity"] == "warning" for r in read_stage)
