"""Safe writes: a killed build leaves the previous release intact, racing builds do not
interleave, and a pyld round trip of the JSON-LD gives the Turtle's graph."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from cwgraph.building.pipeline import BuildResult

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "source" / "listings"


def _build_process(out: Path, *args: str, pause: str | None = None) -> subprocess.Popen[bytes]:
    """A build in its own process; ``pause`` (``point:seconds``) holds it at a point of the publish step
    (``tests/tools/paused_build.py``)."""
    command = [sys.executable, "-m", "cwgraph"]
    if pause:
        point, seconds = pause.split(":")
        command = [sys.executable, str(ROOT / "tests" / "tools" / "paused_build.py"), point, seconds]
    return subprocess.Popen([*command, "build", "--quiet", "--out", str(out), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _checksums_hold(folder: Path) -> bool:
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            return False
    return True


def _wait_for(predicate, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.parametrize("point", ["mid-write", "before-swap"])
def test_a_killed_build_leaves_the_previous_release(built: tuple[BuildResult, Path], tmp_path: Path, point: str) -> None:
    _, release = built
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "cwgraph", "build", "--quiet", "--out", str(out)], cwd=ROOT, check=True)
    before = _snapshot(out)
    proc = _build_process(out, "--source", str(SEED), pause=f"{point}:30")
    # wait until the new release is being written beside the old one
    scratch = tmp_path / ".dist.cwgraph"
    _wait_for(lambda: any(p.is_dir() and any(p.iterdir()) for p in scratch.glob(f"tmp-{proc.pid}-*")))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _snapshot(out) == before, "the previous release changed"
    assert _checksums_hold(out)
    left = {p.name.split("-")[0] for p in scratch.iterdir()}
    assert {"runs", "tmp"} <= left, left  # the killed build's run files and release in writing
    # the next build clears what the killed one left: nothing but the release stays beside it
    subprocess.run([sys.executable, "-m", "cwgraph", "build", "--quiet", "--out", str(out), "--source", str(SEED)],
                   cwd=ROOT, check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    assert _checksums_hold(out) and _snapshot(out) != before


def test_racing_builds_do_not_interleave(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    korea = Path(__file__).parent / "data" / "listings" / "korea-page-00.txt"
    first = _build_process(out, "--source", str(SEED), pause="mid-write:1")
    second = _build_process(out, "--source", str(korea), pause="mid-write:1")
    assert first.wait(120) == 0 and second.wait(120) == 0
    assert _checksums_hold(out)
    void = (out / "void.ttl").read_text()
    rejects = (out / "reports" / "rejects.jsonl").read_text()
    # every file belongs to the same build: the release of one source or of the other, never a mix
    if "korea-page-00" in void:
        assert "korea-page-00" in rejects
    else:
        assert "sino-soviet-alliance-page-05" in void and "korea" not in rejects
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no lock, no scratch left


def test_jsonld_through_pyld_is_the_turtle_graph(built: tuple[BuildResult, Path]) -> None:
    from pyld import jsonld

    _, out = built
    doc = json.loads((out / "cwgraph.jsonld").read_text())
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    from_pyld = rdflib.Graph().parse(data=nquads, format="nt")
    from_turtle = rdflib.Graph().parse(out / "cwgraph.ttl", format="turtle")
    assert len(from_pyld) == len(from_turtle)
    assert isomorphic(from_pyld, from_turtle)
