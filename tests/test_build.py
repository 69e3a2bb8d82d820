"""End to end: the real collection built into a release, read back by independent parsers."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from cwgraph.building.pipeline import BuildResult, build
from cwgraph.querying.queries import run_query

pytestmark = pytest.mark.slow

DOC = "https://w3id.org/cwgraph/document/"
CW = "https://w3id.org/cwgraph/vocab#"


def _rdflib(out: Path, name: str) -> rdflib.Graph:
    g = rdflib.Graph()
    path = out / name
    if name.endswith(".gz"):
        g.parse(data=gzip.decompress(path.read_bytes()).decode(), format="nt")
    elif name.endswith(".jsonld"):
        g.parse(path, format="json-ld")
    else:
        g.parse(path, format="turtle")
    return g


def test_release_has_every_file(built: tuple[BuildResult, Path]) -> None:
    result, out = built
    for name in ("cwgraph.ttl", "cwgraph.jsonld", "context.jsonld", "cwgraph.nt.gz", "void.ttl", "SHA256SUMS",
                 "reports/rejects.jsonl", "reports/reconciliation.tsv"):
        assert (out / name).is_file(), name
    assert result.published == 63 and result.rejected == 0


def test_checksums_match(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    lines = (out / "SHA256SUMS").read_text().splitlines()
    assert len(lines) >= 7
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name


def test_three_serialisations_are_one_graph_in_rdflib(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    nt = _rdflib(out, "cwgraph.nt.gz")
    assert isomorphic(nt, _rdflib(out, "cwgraph.ttl"))
    assert isomorphic(nt, _rdflib(out, "cwgraph.jsonld"))


def test_three_serialisations_are_one_graph_in_pyoxigraph(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    sets = []
    for name, fmt in (("cwgraph.nt.gz", ox.RdfFormat.N_TRIPLES), ("cwgraph.ttl", ox.RdfFormat.TURTLE),
                      ("cwgraph.jsonld", ox.RdfFormat.JSON_LD)):
        data = (out / name).read_bytes()
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        sets.append({str(q) for q in ox.parse(data, format=fmt)})
    assert sets[0] == sets[1] == sets[2]


def test_ntriples_lines_are_sorted_and_unique(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    lines = gzip.decompress((out / "cwgraph.nt.gz").read_bytes()).decode().splitlines()
    assert lines == sorted(set(lines))


def test_rebuild_is_byte_identical(built: tuple[BuildResult, Path], tmp_path: Path) -> None:
    _, out = built
    again = tmp_path / "again"
    build(out=again)
    for path in sorted(out.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (again / path.relative_to(out)).read_bytes(), path.name


def test_committed_release_is_a_fresh_build(built: tuple[BuildResult, Path], root: Path) -> None:
    """dist/ is the published release: rebuilding from source/ must give the same bytes."""
    _, out = built
    committed = root / "dist"
    assert committed.is_dir(), "dist/ is missing: run 'cwgraph build' and commit it"
    for path in sorted(out.rglob("*")):
        if path.is_file():
            rel = path.relative_to(out)
            assert (committed / rel).read_bytes() == path.read_bytes(), f"dist/{rel} is stale: rebuild and commit"


def _letters(out: Path) -> dict[str, dict[str, str]]:
    result = run_query("letters", data=out)
    rows = [dict(zip(result.columns, row)) for row in result.rows]
    return {r["document"]: r for r in rows}


def test_seed_cable_of_16_december_1947(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    row = _letters(out)[DOC + "110296"]
    assert row["senders"] == "Joseph Stalin"
    assert row["recipients"] == "Mao Zedong"
    assert row["intermediaries"] == "Andrei Orlov"
    assert row["signed_as"] == "Kuznetsov | Terebin"
    assert row["type"] == "Cable"
    assert (row["date_begin"], row["date_end"]) == ("1947-12-16T00:00:00", "1947-12-16T23:59:59")


def test_seed_exchange_of_notes_and_month_dates(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    rows = [r for r in _letters(out).values() if r["title"] == "Exchange of Notes, Zhou Enlai and Vyshinshy"]
    assert len(rows) == 1
    assert rows[0]["participants"] == "Andrey Vyshinsky | Zhou Enlai"
    assert (rows[0]["date_begin"], rows[0]["date_end"]) == ("1950-02-01T00:00:00", "1950-02-28T23:59:59")


def test_seed_records_are_merged_with_curated_ones(built: tuple[BuildResult, Path]) -> None:
    result, out = built
    g = _rdflib(out, "cwgraph.nt.gz")
    sources = {str(o) for o in g.objects(rdflib.URIRef(DOC + "110296"), rdflib.URIRef(CW + "sourceRecord"))}
    assert any(s.startswith("source/listings/") for s in sources)
    assert any(s.startswith("source/records/") for s in sources)
    # the archive's own wording of the summary wins over the paraphrase
    desc = g.value(rdflib.URIRef(DOC + "110296"), rdflib.URIRef("http://purl.org/dc/terms/description"))
    assert str(desc).startswith("Stalin, using the name of Fyodor Kuznetsov")


def test_letters_has_one_row_per_document(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    result = run_query("letters", data=out)
    assert result.columns == ["document", "record_id", "date_begin", "date_end", "type", "title", "senders",
                              "recipients", "intermediaries", "participants", "signed_as", "authors", "conveys"]
    assert len(result.rows) == 63 == len({r[0] for r in result.rows})


def test_cover_names_query(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    result = run_query("cover-names", data=out)
    rows = {r[0]: dict(zip(result.columns, r)) for r in result.rows}
    assert rows["Kuznetsov"]["person"] == "Joseph Stalin"
    assert rows["Kuznetsov"]["wikidata"] == "http://www.wikidata.org/entity/Q855"
    assert rows["Terebin"]["person"] == "Andrei Orlov" and rows["Terebin"]["wikidata"] == ""
    assert int(rows["Filippov"]["documents"]) >= 6


def test_network_resolves_cover_names(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    result = run_query("network", data=out)
    pairs = {(r[0], r[1]): int(r[2]) for r in result.rows}
    assert pairs[("Andrei Orlov", "Joseph Stalin")] >= 5
    assert not any("Kuznetsov" in s or "Filippov" in r for s, r in pairs)


def test_treaty_documents_in_date_order(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    result = run_query("treaty", data=out)
    dates = [r[1] for r in result.rows]
    assert len(dates) >= 8
    titles = [r[2] for r in result.rows]
    assert "Top Secret Memorandum to Comrade Joseph V. Stalin from Andrey Vyshinsky" in titles


def test_void_counts_match_the_dump(built: tuple[BuildResult, Path]) -> None:
    result, out = built
    void = rdflib.Graph().parse(out / "void.ttl")
    triples = void.value(rdflib.URIRef("https://w3id.org/cwgraph/collection/sino-soviet-alliance"),
                         rdflib.URIRef("http://rdfs.org/ns/void#triples"))
    assert int(triples) == result.triples
    assert len(_rdflib(out, "cwgraph.nt.gz")) == result.triples


def test_reconciliation_report_lists_unlinked_entities(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    lines = (out / "reports" / "reconciliation.tsv").read_text().splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    ids = {r["id"] for r in rows}
    assert "andrei-orlov" in ids  # no confirmed QID for Terebin's bearer
    assert "joseph-stalin" not in ids
    assert any(r["status"] == "bearer-unknown" and r["id"] == "melnikov" for r in rows)


def test_jsonld_uses_the_shipped_context(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    doc = json.loads((out / "cwgraph.jsonld").read_text())
    context = json.loads((out / "context.jsonld").read_text())
    assert doc["@context"] == context["@context"]
    assert all(node["@id"] for node in doc["@graph"])


def test_bytes_do_not_depend_on_the_hash_seed(built: tuple[BuildResult, Path], tmp_path: Path) -> None:
    """Sets and dicts must never leak their order into the output: build under two hash seeds."""
    import os
    import subprocess
    import sys

    _, out = built
    for seed in ("1", "4242"):
        target = tmp_path / f"seed-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "cwgraph", "build", "--quiet", "--out", str(target)],
                       check=True, env=env, cwd=Path(__file__).resolve().parents[1], capture_output=True)
        for path in sorted(out.rglob("*")):
            if path.is_file():
                assert (target / path.relative_to(out)).read_bytes() == path.read_bytes(), (seed, path.name)


def test_the_library_reports_progress_through_a_callback_and_prints_nothing(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from cwgraph.building.pipeline import ProgressEvent
    from cwgraph.building.pipeline import build as run_build

    events: list[ProgressEvent] = []
    run_build([Path(__file__).resolve().parents[1] / "source" / "listings"], tmp_path / "out",
              progress=events.append)
    assert capfd.readouterr().err == ""
    stages = [e.stage for e in events]
    assert stages[0] == "mapping" and "writing" in stages and stages[-1] == "exports"
    mapped = [e for e in events if e.stage == "mapping"]
    assert mapped[-1].done == 10 and mapped[-1].count == 10
