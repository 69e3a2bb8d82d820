"""Sorted run files: items sorted in pieces that fit in memory, merged back in order.

The build and the exports stream far more than memory holds: N-Triples lines of
edges, letters, rendered subject blocks. Each piece is sorted and written to a run
file; :func:`merge_runs` reads the files back as one sorted stream
(``heapq.merge``), so memory holds one item a file; :func:`reduce_runs` merges them
in rounds when there are more files than may be open at once; :class:`RunSorter`
does both for a stream of any length.

A :class:`RunFormat` says how one kind of item lives in a run file: its text, how a
file is read back as items, what items sort by and whether two may share a key. The
default, :data:`LINES`, is text lines that are their own sort key (a line starts
with what it sorts by); it merges the open files themselves, with no key function.
Other formats are defined beside their items (letters in :mod:`cwgraph.exports.chunks`,
blocks in :mod:`cwgraph.publishing.serialize`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

__all__ = ["FAN_IN", "LINES", "RunFormat", "RunSorter", "merge_runs", "read_run", "reduce_runs", "write_run"]

FAN_IN = 128  # run files merged at once: well under the usual limit of 1024 open files

T = TypeVar("T")


@dataclass(frozen=True)
class RunFormat(Generic[T]):
    """How items of one kind are kept in a run file (UTF-8, ``\\n`` never translated).

    ``dump``: an item's text in the file (None: the item is a line, written as it is);
    ``load``: the items of an open file (None: its lines); ``key``: what items sort by
    (None: the items themselves, as lines do); ``repeated``: the error two items with one key
    are, raised by :func:`merge_runs` (None: keys may repeat); ``size``: the memory an item
    holds, for :class:`RunSorter` (None: the length of its text); ``suffix``: of the files.
    """

    dump: Callable[[T], str] | None = None
    load: Callable[[IO[str]], Iterator[T]] | None = None
    key: Callable[[T], Any] | None = None
    repeated: Callable[[T], Exception] | None = None
    size: Callable[[T], int] | None = None
    suffix: str = ".txt"

    def measure(self, item: T) -> int:
        if self.size is not None:
            return self.size(item)
        return len(self.dump(item) if self.dump is not None else item)  # type: ignore[arg-type]


LINES: RunFormat[str] = RunFormat()  # text lines, each ending in "\n", sorted as strings
_NOTHING = object()  # before the first key of a merge


def _open(path: Path, mode: str = "r") -> IO[str]:
    return open(path, mode, encoding="utf-8", newline="\n")


def write_run(items: Iterable[T], path: Path, fmt: RunFormat[T] = LINES, *,  # type: ignore[assignment]
              sort: bool = False) -> Path:
    """Write ``items`` to the run file ``path``: as they come (in ``fmt``'s key order), or
    sorted in memory first with ``sort``. Returns ``path``."""
    if sort:
        items = sorted(items, key=fmt.key)  # type: ignore[type-var, arg-type]
    with _open(path, "w") as f:
        f.writelines(items if fmt.dump is None else map(fmt.dump, items))  # type: ignore[arg-type]
    return path


def read_run(path: Path, fmt: RunFormat[T] = LINES) -> Iterator[T]:  # type: ignore[assignment]
    """The items of one run file, in order."""
    with _open(path) as f:
        yield from (f if fmt.load is None else fmt.load(f))  # type: ignore[misc]


def merge_runs(paths: Iterable[Path], fmt: RunFormat[T] = LINES) -> Iterator[T]:  # type: ignore[assignment]
    """The items of sorted run files, in ``fmt``'s order (one open file and one item each);
    of equal keys the earlier file's item first. Raises ``fmt.repeated`` at a key met twice."""
    files = [_open(path) for path in paths]
    try:
        streams = files if fmt.load is None else [fmt.load(f) for f in files]
        merged: Iterator[T] = heapq.merge(*streams, key=fmt.key)  # type: ignore[arg-type]
        if fmt.repeated is None:
            yield from merged
            return
        key = fmt.key or (lambda item: item)
        previous: object = _NOTHING
        for item in merged:
            current = key(item)
            if current == previous:
                raise fmt.repeated(item)
            previous = current
            yield item
    finally:
        for f in files:
            f.close()


def reduce_runs(paths: list[Path], folder: Path, name: str, fan_in: int = FAN_IN,
                fmt: RunFormat[T] = LINES, *, consume: bool = False) -> list[Path]:  # type: ignore[assignment]
    """At most ``fan_in`` runs holding the items of ``paths``: groups of ``fan_in`` merged into
    ``folder`` (``name``-round-group), in rounds, keeping their order. The runs given are only read
    unless ``consume`` (then each is deleted once merged); the rounds' own are deleted once merged."""
    if fan_in < 2:
        raise ValueError(f"a merge needs at least two run files open, not {fan_in}")
    paths = list(paths)
    level = 0
    while len(paths) > fan_in:
        merged = []
        for group, start in enumerate(range(0, len(paths), fan_in)):
            inputs = paths[start:start + fan_in]
            target = folder / f"{name}-{level:02d}-{group:06d}{fmt.suffix}"
            merged.append(write_run(merge_runs(inputs, fmt), target, fmt))
            if level or consume:
                for path in inputs:
                    path.unlink(missing_ok=True)
        paths, level = merged, level + 1
    return paths


class RunSorter(Generic[T]):
    """Sorts more items than fit in memory: ``add`` them, then iterate :meth:`sorted` (once).

    ``limit``: the memory (:meth:`RunFormat.measure`) held before a run file is written."""

    def __init__(self, folder: Path, name: str, limit: int = 32 * 1024 * 1024,
                 fmt: RunFormat[T] = LINES) -> None:  # type: ignore[assignment]
        self.folder, self.name, self.limit, self.fmt = folder, name, limit, fmt
        self.runs: list[Path] = []
        self.items: list[T] = []
        self.size = 0

    def add(self, item: T) -> None:
        self.items.append(item)
        self.size += self.fmt.measure(item)
        if self.size >= self.limit:
            self._flush()

    def _flush(self) -> None:
        if self.items:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{self.name}-{len(self.runs):06d}{self.fmt.suffix}"
            self.runs.append(write_run(self.items, path, self.fmt, sort=True))
            self.items, self.size = [], 0

    def sorted(self) -> Iterator[T]:
        """Every item added, in order; the run files are deleted once read."""
        if not self.runs:
            self.items.sort(key=self.fmt.key)
            yield from self.items
            return
        self._flush()
        runs = self.runs
        try:
            runs = reduce_runs(self.runs, self.folder, f"{self.name}-merged", fmt=self.fmt, consume=True)
            yield from merge_runs(runs, self.fmt)
        finally:
            for run in {*self.runs, *runs}:
                run.unlink(missing_ok=True)
