"""Sorted run files: text lines sorted in pieces that fit in memory, merged back in order.

The exports stream far more letters and edges than memory holds. Each piece is
sorted and written to a run file; :func:`merge_runs` reads the files back as one
sorted stream (``heapq.merge``), so memory holds one line a file. Lines compare as
strings, so a line starts with its sort key.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["FAN_IN", "RunSorter", "merge_runs", "reduce_runs", "write_run"]

FAN_IN = 128  # run files merged at once: well under the usual limit of 1024 open files


def write_run(lines: Iterable[str], path: Path) -> Path:
    """Write ``lines`` (each ending in a newline) sorted into ``path``."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(sorted(lines))
    return path


def merge_runs(paths: list[Path]) -> Iterator[str]:
    """The lines of sorted run files, in order (one open file and one line each)."""
    files = [open(path, encoding="utf-8", newline="\n") for path in paths]
    try:
        yield from heapq.merge(*files)
    finally:
        for f in files:
            f.close()


def reduce_runs(paths: list[Path], folder: Path, name: str, fan_in: int = FAN_IN) -> list[Path]:
    """At most ``fan_in`` runs holding the lines of ``paths``: groups of them merged into ``folder``."""
    level = 0
    while len(paths) > fan_in:
        merged = []
        for start in range(0, len(paths), fan_in):
            path = folder / f"{name}-{level:02d}-{start // fan_in:06d}.txt"
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.writelines(merge_runs(paths[start:start + fan_in]))
            merged.append(path)
        if level:
            for path in paths:
                path.unlink(missing_ok=True)
        paths, level = merged, level + 1
    return paths


class RunSorter:
    """Sorts more lines than fit in memory: ``add`` them, then iterate :meth:`sorted` (once)."""

    def __init__(self, folder: Path, name: str, limit: int = 32 * 1024 * 1024) -> None:
        self.folder, self.name, self.limit = folder, name, limit
        self.runs: list[Path] = []
        self.lines: list[str] = []
        self.size = 0

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.size += len(line)
        if self.size >= self.limit:
            self._flush()

    def _flush(self) -> None:
        if self.lines:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.runs.append(write_run(self.lines, self.folder / f"{self.name}-{len(self.runs):06d}.txt"))
            self.lines, self.size = [], 0

    def sorted(self) -> Iterator[str]:
        """Every line added, in order; the run files are deleted once read."""
        if not self.runs:
            self.lines.sort()
            yield from self.lines
            return
        self._flush()
        try:
            yield from merge_runs(reduce_runs(self.runs, self.folder, f"{self.name}-merged"))
        finally:
            for run in self.runs:
                run.unlink(missing_ok=True)
