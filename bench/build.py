"""Time the build of a source folder (default: the collection); prints medians.

    python bench/build.py [--runs 5] [--workers 1] [--source PATH]... [--authorities DIR]

Stages: read+map (sources, title grammar, names, the mapping of each record, in memory), and the whole build
(streamed, sharded, validated, all dumps written). No assertion: figures only.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from cwgraph.core.config import project_path
from cwgraph.building.pipeline import build, map_records


def once(sources: list[Path], authorities: Path | None, workers: int, validate: bool) -> dict[str, float]:
    times: dict[str, float] = {}
    t = time.perf_counter()
    _, _, result = map_records(sources, authorities)
    times["read+map"] = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        built = build(sources, Path(tmp) / "dist", authorities, validate=validate, workers=workers)
        times["whole build"] = time.perf_counter() - t
    times["_records"] = result.published
    times["_triples"] = built.triples
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--source", action="append", type=Path)
    parser.add_argument("--authorities", type=Path)
    args = parser.parse_args()
    sources = args.source or [project_path("source")]
    runs = [once(sources, args.authorities, args.workers, not args.no_validate) for _ in range(args.runs)]
    print(f"machine: {platform.machine()} python {platform.python_version()}, runs: {args.runs}, "
          f"workers: {args.workers}; records: {runs[0]['_records']:.0f}, triples: {runs[0]['_triples']:.0f}")
    print(f"{'stage':<14} {'median s':>9} {'min s':>7} {'max s':>7}")
    for stage in ("read+map", "whole build"):
        values = [r[stage] for r in runs]
        print(f"{stage:<14} {statistics.median(values):>9.3f} {min(values):>7.3f} {max(values):>7.3f}")


if __name__ == "__main__":
    main()
