"""The graph outside the documents: the edges chunks add to entities are merged, validated in
batches with the verdicts of a whole-graph validation, and rendered as if mapped at once."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import rdflib

from cwgraph.building import outside

from cwgraph.mapping import record
from cwgraph.core.ids import entity_iri
from cwgraph.mapping import Triples
from cwgraph.building.pipeline import BuildResult, build
from cwgraph.validation.validate import validate_graph

P16 = "http://www.cidoc-crm.org/cidoc-crm/P16_used_specific_object"


def _misattest(g: Triples, cover_id: str, doc: str) -> None:
    """A broken mapping: the attribution of a cover name 'used' its bearer, not the document."""
    g.iri(f"{entity_iri('cover', cover_id)}/assignment", "crm:P16_used_specific_object",
          entity_iri("person", "joseph-stalin") if cover_id == "filippov" else doc)


def _key(findings: list) -> set[tuple[str, str, str]]:
    return {(f.focus, f.path, f.message) for f in findings}


def test_edges_are_validated_like_the_whole_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record, "attestation", _misattest)
    unchecked = build(out=tmp_path / "unchecked", workers=1, validate=False)
    lines = gzip.decompress((tmp_path / "unchecked" / "cwgraph.nt.gz").read_bytes()).decode()
    whole = _key(validate_graph(rdflib.Graph().parse(data=lines, format="nt")).findings)
    assert unchecked.published and whole
    assert {(focus, path) for focus, path, _ in whole} == {(entity_iri("cover", "filippov") + "/assignment", P16)}
    seen = []
    for batch in (1, 4, outside.BATCH):
        monkeypatch.setattr(outside, "BATCH", batch)
        result = build(out=tmp_path / f"batch-{batch}", workers=1)
        assert not result.conforms and not (tmp_path / f"batch-{batch}").exists()  # nothing published
        assert result.report is not None
        seen.append(_key(result.report.findings))
    assert seen[0] == seen[1] == seen[2] == whole


def test_edges_of_the_collection(built: tuple[BuildResult, Path]) -> None:
    """The attestations, conversations and minted names' sources are all in the release."""
    _, out = built
    lines = gzip.decompress((out / "cwgraph.nt.gz").read_bytes()).decode().splitlines()
    attested = [line for line in lines if f"/assignment> <{P16}> " in line]
    assert len(attested) >= 10
    assert any("/event/" in line and "P9_consists_of" in line and "/conversation>" in line for line in lines)


def test_a_generated_corpus_in_small_chunks_and_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Minted names recur across chunks: their source lines arrive from many edge runs."""
    import csv
    import subprocess
    import sys

    from cwgraph.building import pipeline

    root = Path(__file__).resolve().parents[1]
    src = tmp_path / "gen"
    subprocess.run([sys.executable, str(root / "bench" / "generate.py"), "--records", "300", "--out", str(src),
                    "--seed", "11", "--quiet"], check=True, cwd=root)
    sources = [src / "listings", src / "records"]
    assert build(sources, tmp_path / "one", src / "authorities", workers=1).conforms
    monkeypatch.setattr(pipeline, "CHUNK", 7)
    monkeypatch.setattr(pipeline, "MAX_OPEN_RUNS", 5)
    monkeypatch.setattr(outside, "BATCH", 10)
    assert build(sources, tmp_path / "many", src / "authorities", workers=2).conforms
    files = lambda d: {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}  # noqa: E731
    assert files(tmp_path / "one") == files(tmp_path / "many")
    lines = gzip.decompress((tmp_path / "one" / "cwgraph.nt.gz").read_bytes()).decode().splitlines()
    rows = list(csv.DictReader((tmp_path / "one" / "reports" / "reconciliation.tsv").open(), delimiter="\t"))
    minted = [r for r in rows if r["status"] == "unknown-name"]
    assert minted
    for row in minted:
        listed = row["sources"].split(" | ")
        published = sorted(line.split('"')[1] for line in lines
                           if line.startswith(f"<{row['iri']}> <https://w3id.org/cwgraph/vocab#sourceRecord> "))
        assert published == sorted(listed)


def test_edge_entries_carry_the_classes_of_what_they_point_to() -> None:
    chunk = Triples()
    chunk.a("https://w3id.org/cwgraph/document/1", "crm:E31_Document", "crm:E73_Information_Object")
    edges = Triples()
    edges.iri("https://w3id.org/cwgraph/name/x/assignment", "crm:P16_used_specific_object",
              "https://w3id.org/cwgraph/document/1")
    edges.add("https://w3id.org/cwgraph/actor/y", "cw:sourceRecord", "source/a.txt#L3")
    entries = outside.edge_entries(edges.sorted_triples(), chunk.sorted_triples())
    assert entries == sorted(entries)
    by_line = {e.split("\x00")[0]: e.rstrip("\n").split("\x00")[1] for e in entries}
    assert sorted(by_line.values()) == ["", "http://www.cidoc-crm.org/cidoc-crm/E31_Document "
                                            "http://www.cidoc-crm.org/cidoc-crm/E73_Information_Object"]
