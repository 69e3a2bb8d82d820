"""The sharded build: identical bytes for any chunking and number of workers, and per-partition
validation that gives the verdicts of a whole-graph pyshacl validation."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import rdflib

from cwgraph.building import pipeline
from cwgraph.building.pipeline import BuildResult, build
from cwgraph.validation.validate import load_shapes, validate_graph, validate_partition

DOC = re.compile(r"^<https://w3id\.org/cwgraph/document/([^/>]+)")
TYPE = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("workers,chunk,open_runs", [(1, 7, 200), (2, 5, 200), (1, 3, 4)])
def test_output_does_not_depend_on_chunks_or_workers(built: tuple[BuildResult, Path], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, workers: int, chunk: int,
                                                      open_runs: int) -> None:
    """(1, 3, 4): 21 run files merged four at a time, in two rounds, before the final merge."""
    _, reference = built
    monkeypatch.setattr(pipeline, "CHUNK", chunk)
    monkeypatch.setattr(pipeline, "MAX_OPEN_RUNS", open_runs)
    build(out=tmp_path / "dist", workers=workers)
    assert _files(tmp_path / "dist") == _files(reference)


def _partitioned(lines: list[str]) -> set[tuple[str, str, str]]:
    shapes = load_shapes()
    docs: dict[str, list[str]] = {}
    rest: list[str] = []
    for line in lines:
        m = DOC.match(line)
        (docs.setdefault(m.group(1), []) if m else rest).append(line)
    rest_types = [line for line in rest if TYPE in line]
    doc_types = [line for part in docs.values() for line in part if TYPE in line]
    findings = []
    keys = sorted(docs)
    for i in range(0, len(keys), 10):  # ten documents a partition
        part = [line for key in keys[i:i + 10] for line in docs[key]]
        findings += validate_partition(part, rest_types, shapes)
    findings += validate_partition(rest, doc_types, shapes)
    return {(f.focus, f.path, f.message) for f in findings}


def _whole(lines: list[str]) -> set[tuple[str, str, str]]:
    g = rdflib.Graph().parse(data="".join(lines), format="nt")
    return {(f.focus, f.path, f.message) for f in validate_graph(g).findings}


def _inject(lines: list[str]) -> list[str]:
    """Break the graph in ways that several shapes catch, in documents and in entities."""
    out = []
    for line in lines:
        if "/document/110296> <http://www.cidoc-crm.org/cidoc-crm/P102_has_title>" in line:
            continue  # a document without a title
        if "/document/113779/creation/time> <http://www.cidoc-crm.org/cidoc-crm/P82b_end_of_the_end>" in line:
            line = line.replace("1948-07-17T23:59:59", "1948-07-16T23:59:59")  # ends before it begins
        if "/person/andrei-orlov> <http://www.w3.org/2000/01/rdf-schema#label>" in line:
            continue  # an entity without a label
        if "/person/joseph-stalin> <https://w3id.org/cwgraph/vocab#qidEvidence>" in line:
            continue  # a QID without evidence
        if "/communication/sending/actor/" in line and "P14.1_in_the_role_of" in line and "h-6c4e619c3cc6" in line:
            continue  # a role node without its role
        out.append(line)
    return out


def test_partitioned_validation_equals_whole_graph_validation(built: tuple[BuildResult, Path]) -> None:
    _, out = built
    lines = gzip.decompress((out / "cwgraph.nt.gz").read_bytes()).decode().splitlines(keepends=True)
    assert _partitioned(lines) == _whole(lines) == set()
    broken = _inject(lines)
    whole = _whole(broken)
    assert len({focus for focus, _, _ in whole}) >= 5
    assert _partitioned(broken) == whole


def test_partitioned_validation_on_a_generated_corpus_with_injected_violations(tmp_path: Path) -> None:
    """The same verdicts as whole-graph pyshacl on a corpus nobody wrote by hand."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    src = tmp_path / "gen"
    subprocess.run([sys.executable, str(root / "bench" / "generate.py"), "--records", "120", "--out", str(src),
                    "--seed", "7", "--quiet"], check=True, cwd=root)
    result = build([src / "listings", src / "records"], tmp_path / "dist", src / "authorities", workers=1)
    assert result.conforms
    lines = gzip.decompress((tmp_path / "dist" / "cwgraph.nt.gz").read_bytes()).decode().splitlines(keepends=True)
    titles = [i for i, line in enumerate(lines) if "P102_has_title>" in line][:3]
    ends = [i for i, line in enumerate(lines) if "/creation/time> <http://www.cidoc-crm.org/cidoc-crm/P82b" in line][:2]
    broken = list(lines)
    for i in ends:
        broken[i] = re.sub(r'"(\d{4})-', lambda m: f'"{int(m.group(1)) - 5}-', broken[i], count=1)
    broken = [line for i, line in enumerate(broken) if i not in titles]
    whole = _whole(broken)
    assert len(whole) >= 5
    assert _partitioned(broken) == whole


def _sorted_dump(lines: list[str], path: Path) -> Path:
    path.write_bytes(gzip.compress("".join(sorted(set(lines))).encode()))
    return path


@pytest.mark.parametrize("workers,chunk", [(1, 7), (2, 3)])
def test_a_published_dump_validates_as_a_stream_with_the_verdicts_of_pyshacl(
        built: tuple[BuildResult, Path], tmp_path: Path, workers: int, chunk: int) -> None:
    """`cwgraph validate` on a release: the dump cut into chunks of documents, in parallel."""
    from cwgraph.validation.dump import validate_dump

    _, out = built
    lines = gzip.decompress((out / "cwgraph.nt.gz").read_bytes()).decode().splitlines(keepends=True)
    assert validate_dump(out / "cwgraph.nt.gz", workers=workers, chunk=chunk).findings == []
    broken = _inject(lines)
    whole = validate_graph(rdflib.Graph().parse(data="".join(broken), format="nt")).findings
    streamed = validate_dump(_sorted_dump(broken, tmp_path / "broken.nt.gz"), workers=workers, chunk=chunk)
    key = lambda f: (f.source, f.focus, f.path, f.message, f.severity)  # noqa: E731
    assert sorted(map(key, streamed.findings)) == sorted(set(map(key, whole)))
    assert not streamed.conforms


def test_validate_command_engines(built: tuple[BuildResult, Path], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cwgraph.cli import main

    _, out = built
    lines = gzip.decompress((out / "cwgraph.nt.gz").read_bytes()).decode().splitlines(keepends=True)
    broken = _sorted_dump(_inject(lines), tmp_path / "broken.nt.gz")
    runner = CliRunner()
    native = runner.invoke(main, ["validate", str(broken), "--workers", "2"])
    reference = runner.invoke(main, ["validate", str(broken), "--engine", "pyshacl"])
    assert native.exit_code == reference.exit_code == 1
    assert native.output == reference.output
    assert "source/" in native.output  # findings name the record they came from
    unsorted = tmp_path / "unsorted.nt"
    unsorted.write_text("".join(reversed(lines)))
    result = runner.invoke(main, ["validate", str(unsorted), "--engine", "native"])
    assert result.exit_code == 2 and "not sorted" in result.output and "Traceback" not in result.output
    assert runner.invoke(main, ["validate", str(unsorted)]).exit_code == 0  # auto: unsorted, so loaded whole
    bad = tmp_path / "bad.nt"  # a sorted dump whose last line is not N-Triples: the file's own line number
    bad.write_text("".join(sorted(set(lines))) + "~not a triple\n")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2 and f"line {len(set(lines)) + 1}" in result.output
    assert "Traceback" not in result.output
    turtle = runner.invoke(main, ["validate", str(out / "cwgraph.ttl"), "--engine", "native"])
    assert turtle.exit_code == 2 and "pyshacl" in turtle.output
    assert runner.invoke(main, ["validate", str(out / "cwgraph.ttl")]).exit_code == 0  # auto: pyshacl for Turtle
