"""Every bad input loses only itself: hostile file names, JSON values, identifiers, links,
FIFOs, authority rows, collisions and sizes. Each case writes its own inputs, builds through
the CLI and checks: exit 0, every good record published, the bad one reported with its file
and line, no internal error, nothing from outside the sources in the release."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from test_bad_input import GOOD_1, GOOD_2, GOOD_3, Outcome, page, run

from cwgraph.cli import main
from cwgraph.core.errors import Location
from cwgraph.core.records import CAPS, content_key
from cwgraph.sources.discover import ReadResult, iter_records

ROOT = Path(__file__).resolve().parents[1]
TITLE_1 = "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]"
TITLE_3 = "Cable, Mao Zedong to Comrade Filippov [Stalin]"


def curated(**fields: object) -> str:
    return json.dumps({"date": "1949", **fields}, ensure_ascii=False)


def released_bytes(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file())


def no_internal_error(o: Outcome) -> None:
    assert "internal error" not in o.output and "Traceback" not in o.output
    assert o.exit_code == 0, o.output
    for r in o.rejects:
        assert r["file"] and isinstance(r["line"], int) and r["line"] >= 1, r


# -- file names ------------------------------------------------------------------------------

def test_file_names_of_any_bytes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    names = [b"with space.txt", b"new\nline.txt", b"caf\xe9-latin1.txt", b"quote\"<>{}.txt"]
    for name, block in zip(names, [GOOD_1, GOOD_2, GOOD_3, GOOD_1.replace("16", "17")]):
        (Path(os.fsdecode(os.fsencode(str(src)) + b"/" + name))).write_text(page(block))
    o = run(tmp_path, {})
    no_internal_error(o)
    assert "4 records read, 4 published, 0 rejected" in o.output
    (tmp_path / "src" / "broken\nname.txt").write_text("")
    printed = CliRunner().invoke(main, ["build", "--source", str(tmp_path / "src"), "--out", str(o.out)]).output
    assert "rejected: 'src/broken\\nname.txt':1: the file is empty" in printed
    void = rdflib.Graph().parse(o.out / "void.ttl")  # every source name became a valid IRI
    used = {str(t) for t in void.objects(None, rdflib.URIRef("http://www.w3.org/ns/prov#used"))}
    assert any(u.endswith("with%20space.txt") for u in used)
    assert any(u.endswith("new%0Aline.txt") for u in used)
    assert any("caf%5Cxe9-latin1.txt" in u for u in used)
    spdx = "http://spdx.org/rdf/terms#"
    digests = [v for src in used for c in void.objects(rdflib.URIRef(src), rdflib.URIRef(spdx + "checksum"))
               for v in void.objects(c, rdflib.URIRef(spdx + "checksumValue"))]
    assert len(digests) >= 4


# -- JSON values -----------------------------------------------------------------------------

BAD_LINES = [
    ("[" * 100_000, "nested too deeply"),
    ('{"key": "k", "date": "1949", "title": "T", "n": ' + "9" * 5000 + "}", "5000 digits"),
    ('{"key": "k", "date": "1949", "title": "T \\ud800"}', "lone surrogate"),
    ('{"key": true, "date": "1949", "title": "T"}', "'key' must be a string, not true"),
    ('{"key": "k", "date": "1949", "title": "T", "title": "U"}', "appears twice"),
    ('{"key": "k", "date": "1949", "title": "T", "listing_page": NaN}', "NaN"),
    ('{"key": "k", "date": "1949", "title": "T", "listing_page": true}', "whole number"),
    ('{"key": "k", "date": "1949", "title": ["T"]}', "must be a string"),
    ('"just a string"', "one JSON object"),
    (curated(key="k", title="T", doc_url="https://digitalarchive.wilsoncenter.org/document/1 2"), "not an http(s)"),
    (curated(key="k", title="T", doc_url="javascript:alert(document.cookie)"), "not an http(s)"),
    (curated(key="k", title="T", doc_url="data:text/html,<script>"), "not an http(s)"),
    (curated(key="k", title="T", record_id="\u0661\u0661\u0660"), "ASCII digits"),
    (curated(key="k", title="T", record_id="\u00b9\u00b2\u00b3"), "ASCII digits"),
    (curated(key="k", title="T", doc_url="https://digitalarchive.wilsoncenter.org/document/1\u0662"), None),
    (curated(key="k", title="T", mentioned_people=["x"] * 5000), "names"),
    (curated(key="k", title="T", summary="s" * (CAPS["summary"] + 1)), "summary is 20,001 characters"),
    (curated(key="k", title="T", summary="s " * 60_000), "characters long, more than the 100,000"),
]


@pytest.mark.parametrize("line, reason", BAD_LINES)
def test_a_bad_json_line_loses_only_itself(tmp_path: Path, line: str, reason: str | None) -> None:
    good_a = curated(key="good-a", title="Letter, Mao Zedong to Stalin")
    good_b = curated(key="good-b", title="Letter, Stalin to Mao Zedong")
    (tmp_path / "records.jsonl").write_text("\n".join([good_a, line, good_b]) + "\n")
    result = ReadResult()
    records = list(iter_records([tmp_path], tmp_path, result))
    assert {"Letter, Mao Zedong to Stalin", "Letter, Stalin to Mao Zedong"} <= {r.title for r in records}
    if reason is None:  # not an archive URL with ASCII digits: no Record ID is read from it
        assert all(r.record_id is None for r in records)
        return
    [err] = [r for r in result.rejects if r.severity == "error"]
    assert err.location == Location("records.jsonl", 2) and reason in err.reason, err


def test_bad_json_lines_in_one_build_lose_only_themselves(tmp_path: Path) -> None:
    good_a = curated(key="good-a", title="Letter, Mao Zedong to Stalin")
    good_b = curated(key="good-b", title="Letter, Stalin to Mao Zedong")
    bad = [line.replace('"k"', f'"k{n}"') for n, (line, reason) in enumerate(BAD_LINES) if reason]
    o = run(tmp_path, {"records.jsonl": "\n".join([good_a, *bad, good_b]) + "\n"})
    no_internal_error(o)
    assert {"Letter, Mao Zedong to Stalin", "Letter, Stalin to Mao Zedong"} <= set(o.titles)
    assert sorted(e["line"] for e in o.errors()) == list(range(2, 2 + len(bad)))
    assert f"{len(bad) + 2} records read, 2 published, {len(bad)} rejected" in o.output


def test_a_listing_summary_past_the_cap_is_rejected_quickly(tmp_path: Path) -> None:
    huge = "December 17, 1947\n\nCable, Stalin to Mao Zedong\n\n" + "word " * 1_000_000
    o = run(tmp_path, {"p.txt": page(GOOD_1, huge, GOOD_3)})
    no_internal_error(o)
    assert {TITLE_1, TITLE_3} <= set(o.titles)
    [err] = o.errors()
    assert err["line"] == 13 and "summary is 4,999,999 characters" in err["reason"]
    assert (o.out / "cwgraph.ttl").stat().st_size < 1_000_000


def test_a_lone_carriage_return_in_a_title_is_reported_not_a_line_break(tmp_path: Path) -> None:
    block = "December 16, 1947\n\nCable, Stalin to\rMao Zedong\n\nStalin invites Mao to Moscow."
    o = run(tmp_path, {"p.txt": page(block, GOOD_3)})
    no_internal_error(o)
    assert "Cable, Stalin to Mao Zedong" in o.titles
    [warn] = [w for w in o.warnings() if "control characters" in str(w["reason"])]
    assert warn["line"] == 9


# -- files that are not plain files ------------------------------------------------------------

def test_links_out_dangling_links_and_fifos_are_reported_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(page("December 1, 1950\n\nTOP-SECRET-CANARY to nobody\n\nroot:x:0:0:CANARY"))
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(page(GOOD_1))
    (src / "passwd.txt").symlink_to(secret)
    (src / "nothing.txt").symlink_to(tmp_path / "missing.txt")
    (src / "linked-folder").symlink_to(secret.parent, target_is_directory=True)
    (src / "loop").symlink_to(src, target_is_directory=True)
    os.mkfifo(src / "pipe.txt")
    inside = src / "sub"
    inside.mkdir()
    (inside / "real.txt").write_text(page(GOOD_3))
    (src / "alias.txt").symlink_to(inside / "real.txt")  # a link inside the sources is read
    out = tmp_path / "dist"
    # in a child process with a timeout: a FIFO that is opened would hang the build
    proc = subprocess.run([sys.executable, "-m", "cwgraph", "build", "--source", str(src), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rejects = [json.loads(line) for line in (out / "reports" / "rejects.jsonl").read_text().splitlines()]
    by_file = {str(r["file"]).rsplit("/", 1)[-1]: r for r in rejects}
    assert "outside the source folder" in by_file["passwd.txt"]["reason"]
    assert "dangling" in by_file["nothing.txt"]["reason"]
    assert "FIFO" in by_file["pipe.txt"]["reason"]
    assert "outside the source folder" in by_file["linked-folder"]["reason"]
    assert "not followed" in by_file["loop"]["reason"] and by_file["loop"]["severity"] == "warning"
    assert b"CANARY" not in released_bytes(out)
    assert b"Mao reports on Xinjiang" in (out / "cwgraph.ttl").read_bytes()


def test_a_fifo_given_by_name_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    good = tmp_path / "good.txt"
    good.write_text(page(GOOD_1))
    proc = subprocess.run([sys.executable, "-m", "cwgraph", "build", "--source", str(tmp_path / "pipe.txt"),
                           "--source", str(good), "--out", str(tmp_path / "dist")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "FIFO" in proc.stderr, proc.stderr


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_reported_and_not_hashed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(page(GOOD_1))
    locked = src / "locked.txt"
    locked.write_text(page(GOOD_3))
    locked.chmod(0)
    o = run(tmp_path, {})
    no_internal_error(o)
    [err] = o.errors()
    assert err["file"].endswith("locked.txt") and "cannot read" in err["reason"]
    void = (o.out / "void.ttl").read_text()
    assert "locked.txt" in void


# -- collisions ------------------------------------------------------------------------------

def test_a_record_reusing_a_record_id_key_does_not_replace_the_real_document(tmp_path: Path) -> None:
    real = curated(key="110296", record_id="110296", title="Cable, Stalin to Mao Zedong", date="December 16, 1947")
    intruder = curated(key="110296", title="Letter, Zhou Enlai to Stalin")
    o = run(tmp_path, {"a-new.jsonl": intruder + "\n", "z-real.jsonl": real + "\n"})
    no_internal_error(o)
    assert "Cable, Stalin to Mao Zedong" in o.titles and "Letter, Zhou Enlai to Stalin" not in o.titles
    [err] = o.errors()
    assert err["file"].endswith("a-new.jsonl") and err["line"] == 1 and "110296" in err["reason"]


def test_a_key_collision_keeps_the_first_in_path_and_line_order(tmp_path: Path) -> None:
    one = curated(key="k-1", title="Letter, Zhou Enlai to Stalin")
    two = curated(key="k-1", title="Letter, Stalin to Zhou Enlai")
    o = run(tmp_path, {"b.jsonl": two + "\n", "a.jsonl": one + "\n"})
    no_internal_error(o)
    assert "Letter, Zhou Enlai to Stalin" in o.titles and "Letter, Stalin to Zhou Enlai" not in o.titles
    [err] = o.errors()
    assert err["file"].endswith("b.jsonl") and "also defined at" in err["reason"]


def test_a_curated_key_equal_to_a_listing_records_content_hash_drops_nothing(tmp_path: Path) -> None:
    date, title, summary = "October 25, 1949", TITLE_3, "Mao reports on Xinjiang."
    stolen = content_key(date, title, summary)
    squatter = curated(key=stolen, title="Letter, Zhou Enlai to Stalin", date="1950")
    o = run(tmp_path, {"c.jsonl": squatter + "\n", "p.txt": page(GOOD_3)})
    no_internal_error(o)
    assert {TITLE_3, "Letter, Zhou Enlai to Stalin"} <= set(o.titles)
    [warn] = [w for w in o.warnings() if "content key" in str(w["reason"])]
    assert str(warn["file"]).endswith("p.txt") and f"{stolen}-1" in warn["reason"]
    assert f"/document/{stolen}-1>".encode() in (o.out / "cwgraph.ttl").read_bytes() or \
        f"document/{stolen}-1".encode() in (o.out / "cwgraph.ttl").read_bytes()


# -- authority rows --------------------------------------------------------------------------

def _authorities(tmp_path: Path, **extra: list[str]) -> Path:
    auth = tmp_path / "auth"
    shutil.copytree(ROOT / "source" / "authorities", auth)
    for name, rows in extra.items():
        path = auth / f"{name.replace('_', '-')}.tsv"
        path.write_text(path.read_text().rstrip("\n") + "\n" + "\n".join(rows) + "\n")
    return auth


def _letters(o: Outcome) -> dict[str, tuple[str, str]]:
    return {t: (row.get("senders", ""), row.get("recipients", "")) for t, row in o.titles.items()}


PAGES = {"p.txt": page(GOOD_1, GOOD_2, GOOD_3)}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Senders and recipients of the three letters with the project's own authorities."""
    return _letters(run(tmp_path_factory.mktemp("baseline"), PAGES))


def test_cover_names_borne_by_themselves_each_other_or_a_place_lose_their_rows(
        tmp_path: Path, baseline: dict[str, tuple[str, str]]) -> None:
    rows = ["selfish\tSelfish\t\tselfish\t1949\t1949\tx\thttps://digitalarchive.wilsoncenter.org/document/110296\tconfirmed",
            "ping\tPing\t\tpong\t1949\t1949\tx\thttps://digitalarchive.wilsoncenter.org/document/110296\tconfirmed",
            "pong\tPong\t\tping\t1949\t1949\tx\thttps://digitalarchive.wilsoncenter.org/document/110296\tconfirmed",
            "placed\tPlaced\t\tmoscow\t1949\t1949\tx\thttps://digitalarchive.wilsoncenter.org/document/110296\tconfirmed",
            "joseph-stalin\tUncle Joe\t\tmao-zedong\t1949\t1949\tx\thttps://digitalarchive.wilsoncenter.org/document/110296\tconfirmed"]
    auth = _authorities(tmp_path, cover_names=rows)
    o = run(tmp_path, PAGES, "--authorities", str(auth))
    no_internal_error(o)
    assert _letters(o) == baseline
    n = len((auth / "cover-names.tsv").read_text().splitlines())
    problems = {w["line"]: w["reason"] for w in o.warnings()
                if w["stage"] == "authority" and str(w["file"]).endswith("cover-names.tsv")}
    assert "borne by 'selfish', itself" in problems[n - 4]
    assert "a cover name" in problems[n - 3] and "a cover name" in problems[n - 2]
    assert "a place" in problems[n - 1]
    assert "duplicate identifier 'joseph-stalin'" in problems[n]


def test_a_cover_name_spelled_like_a_person_is_reported_and_changes_no_letter(
        tmp_path: Path, baseline: dict[str, tuple[str, str]]) -> None:
    auth = _authorities(tmp_path, cover_names=[
        "fake-mao\tMao Zedong\tMao\tjoseph-stalin\t1940\t1960\tx\thttps://digitalarchive.wilsoncenter.org/document/110296\tconfirmed"])
    o = run(tmp_path, PAGES, "--authorities", str(auth))
    no_internal_error(o)
    assert _letters(o) == baseline
    reasons = [w["reason"] for w in o.warnings() if w["stage"] == "authority"]
    assert any("'Mao Zedong' is also the name of person 'mao-zedong'" in r for r in reasons)


def test_one_undecodable_byte_loses_its_row_not_its_file(tmp_path: Path) -> None:
    auth = _authorities(tmp_path)
    places = (auth / "places.tsv").read_bytes().split(b"\n")
    broken = next(i for i, row in enumerate(places) if row.startswith(b"moscow\t"))
    places[broken] = places[broken].replace(b"Moscow", b"Mosc\xf6w", 1)
    (auth / "places.tsv").write_bytes(b"\n".join(places))
    o = run(tmp_path, PAGES, "--authorities", str(auth))
    no_internal_error(o)
    [problem] = [w for w in o.warnings() if str(w["file"]).endswith("places.tsv") and "UTF-8" in w["reason"]]
    assert problem["line"] == broken + 1 and "0xf6" in problem["reason"]
    ttl = (o.out / "cwgraph.ttl").read_text()
    assert "place/beijing" in ttl and "place/moscow>" not in ttl


def test_a_missing_events_file_is_reported(tmp_path: Path) -> None:
    auth = _authorities(tmp_path)
    (auth / "events.tsv").unlink()
    o = run(tmp_path, PAGES, "--authorities", str(auth))
    no_internal_error(o)
    assert any("no events.tsv" in str(w["reason"]) for w in o.warnings())
    assert len(o.titles) == 3


def test_the_cli_names_the_rejected_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "r.jsonl").write_text(curated(key="x", title="T", record_id="\u0661") + "\n")
    (src / "p.txt").write_text(page(GOOD_1))
    result = CliRunner().invoke(main, ["build", "--source", str(src), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0 and "r.jsonl:1: record_id" in result.output


def test_an_unreadable_file_is_reported_by_a_user_who_cannot_read_it() -> None:
    """Also where the tests run as root: the reading runs in a forked child without root's override."""
    import tempfile

    from test_release_folder import _as_unprivileged

    from cwgraph.sources.discover import ReadResult, iter_records

    folder = Path(tempfile.mkdtemp(prefix="cwgraph-unreadable-"))
    try:
        folder.chmod(0o755)
        (folder / "good.txt").write_text(page(GOOD_1))
        (folder / "good.txt").chmod(0o644)
        (folder / "locked.txt").write_text(page(GOOD_3))
        (folder / "locked.txt").chmod(0)

        def read() -> None:
            result = ReadResult()
            records = list(iter_records([folder], folder, result))
            assert [r.title for r in records] == [TITLE_1], records
            [reject] = result.rejects
            assert reject.location.file == "locked.txt" and "cannot read" in reject.reason, reject
            assert "locked.txt" not in result.digests and "good.txt" in result.digests

        assert _as_unprivileged(read) == 0
    finally:
        shutil.rmtree(folder)
