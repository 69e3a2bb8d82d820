"""A build step in a forked process: its result, its errors and its death reach the build."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cwgraph.building.background import Background
from cwgraph.core.errors import CwgraphError


def _write(path: Path, text: str) -> None:
    path.write_text(text)


def _fail(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os._exit(3)


def test_the_step_runs_and_its_error_is_raised(tmp_path: Path) -> None:
    step = Background(_write, tmp_path / "a.txt", "done")
    step.wait()
    assert (tmp_path / "a.txt").read_text() == "done"
    with pytest.raises(ValueError, match="broken export"):
        Background(_fail, "broken export").wait()
    with pytest.raises(CwgraphError, match="exit code 3"):
        Background(_die).wait()


def test_cancel_stops_the_step(tmp_path: Path) -> None:
    step = Background(time.sleep, 60)
    started = time.monotonic()
    step.cancel()
    step.wait()
    assert time.monotonic() - started < 30


def test_without_fork_the_step_runs_when_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CWGRAPH_NO_FORK", "1")
    step = Background(_write, tmp_path / "b.txt", "inline")
    assert not (tmp_path / "b.txt").exists()
    step.wait()
    assert (tmp_path / "b.txt").read_text() == "inline"
