"""bench/generate.py: the same arguments give the same bytes, and a build of what it writes
rejects exactly the records it lists as bad (file and line) and publishes all the others,
merging each listing record into its curated record.

300 records with a raised bad share, so that listing pages and curated files both hold bad
records of several kinds; a small authority growth (--persons) keeps the build fast.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cwgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
GENERATE = ROOT / "bench" / "generate.py"
ARGS = ["--records", "300", "--seed", "11", "--bad-share", "0.1", "--curated-share", "0.3", "--persons", "150"]
SOURCE_RECORD = "https://w3id.org/cwgraph/vocab#sourceRecord"
DOCUMENT = re.compile(r"^<https://w3id\.org/cwgraph/document/([^/>]+)> ")
SUMMARY = re.compile(r"(\d+) records read, (\d+) published, (\d+) rejected")


def generate(out: Path, *args: str) -> Path:
    subprocess.run([sys.executable, str(GENERATE), "--out", str(out), "--quiet", *args], check=True, timeout=300)
    return out


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("generated") / "src", *ARGS)


@pytest.fixture(scope="module")
def expected(generated: Path) -> dict:
    return json.loads((generated / "expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def built(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    out = tmp_path_factory.mktemp("release") / "dist"
    result = CliRunner().invoke(main, [
        "build", "--source", str(generated / "listings"), "--source", str(generated / "records"),
        "--authorities", str(generated / "authorities"), "--out", str(out)])
    return result, out


def test_same_arguments_give_the_same_bytes(generated: Path, tmp_path: Path) -> None:
    first, second = tree(generated), tree(generate(tmp_path / "again", *ARGS))
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_another_seed_gives_other_records(generated: Path, tmp_path: Path) -> None:
    other = generate(tmp_path / "other", *[a if a != "11" else "12" for a in ARGS])
    assert (other / "listings" / "page-00001.txt").read_bytes() != (generated / "listings" / "page-00001.txt").read_bytes()


def test_the_folder_has_the_source_layout(generated: Path, expected: dict) -> None:
    pages = sorted((generated / "listings").iterdir())
    assert [p.name for p in pages[:2]] == ["page-00001.txt", "page-00002.txt"]
    assert len(pages) == expected["pages"] == (expected["listing_records"] + 9) // 10
    first = pages[0].read_bytes().decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    assert first[0] == "Skip to content"
    assert f"1 - 10 of {expected['listing_records']}" in first[:5]
    assert sorted(p.name for p in (generated / "records").iterdir()) == ["curated-0001.jsonl"]
    real_keys = {k for line in (ROOT / "source" / "records").glob("*.jsonl")
                 for row in line.read_text("utf-8").splitlines() for k in json.loads(row)}
    for line in (generated / "records" / "curated-0001.jsonl").read_bytes().splitlines():
        keys = set(json.loads(line.decode("utf-8", "replace")))
        assert keys <= real_keys, keys - real_keys
    for name in ("persons.tsv", "groups.tsv", "places.tsv", "events.tsv", "cover-names.tsv"):
        real = (ROOT / "source" / "authorities" / name).read_text("utf-8")
        grown = (generated / "authorities" / name).read_text("utf-8")
        assert grown.startswith(real) and len(grown) > len(real), name
    assert expected["records"] == 300 and expected["good"] + len(expected["bad"]) == 300
    assert {b["kind"] for b in expected["bad"] if b["file"].startswith("listings/")} >= {
        "bad-date", "no-title", "no-date", "bad-byte", "long-title"}
    assert any(b["file"].startswith("records/") for b in expected["bad"])


def test_the_build_publishes_without_a_traceback(built: tuple[Result, Path]) -> None:
    result, out = built
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert (out / "cwgraph.nt.gz").is_file()


def test_the_rejects_are_exactly_the_bad_records(built: tuple[Result, Path], expected: dict) -> None:
    _, out = built
    rejects = [json.loads(line) for line in (out / "reports" / "rejects.jsonl").read_text("utf-8").splitlines()]
    errors = sorted((r["file"], r["line"]) for r in rejects if r["severity"] == "error")
    assert errors == sorted((b["file"], b["line"]) for b in expected["bad"])


def test_every_good_record_is_published_once(built: tuple[Result, Path], expected: dict) -> None:
    result, _ = built
    m = SUMMARY.search(result.output)
    assert m, result.output
    read, published, rejected = map(int, m.groups())
    merged = int(mm.group(1)) if (mm := re.search(r"(\d+) merged", result.output)) else 0
    assert rejected == len(expected["bad"])
    assert published == expected["good"]
    assert published + rejected == expected["records"]
    assert merged == expected["merged"] > 0
    assert read == expected["read"] == published + rejected + merged


def test_each_listing_record_merges_into_its_curated_record(built: tuple[Result, Path], expected: dict) -> None:
    _, out = built
    document_of: dict[str, str] = {}
    documents: set[str] = set()
    with gzip.open(out / "cwgraph.nt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            m = DOCUMENT.match(line)
            if not m:
                continue
            if line.endswith("<http://www.cidoc-crm.org/cidoc-crm/E31_Document> .\n"):
                documents.add(m.group(1))
            elif f"<{SOURCE_RECORD}>" in line:
                document_of[line.rsplit('"', 2)[1]] = m.group(1)
    assert len(documents) == expected["good"]
    wrong = [(curated, listing) for curated, listing in expected["merges"]
             if document_of.get(curated) is None or document_of.get(curated) != document_of.get(listing)]
    assert wrong == []
