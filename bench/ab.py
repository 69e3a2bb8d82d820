"""Before and after: build and validate one generated source with two checkouts, alternately.

    python bench/generate.py --records 100000 --out /tmp/gen100k --seed 1
    git worktree add --detach /tmp/before <commit>   # and a venv in it: python -m venv .venv; pip install -e .
    python bench/ab.py /tmp/gen100k --rounds 2 /tmp/before .

Each checkout runs with its own ``.venv/bin/python``; the rounds alternate the checkouts so
that a busy machine weighs on both alike. Prints wall seconds and peak RSS (``wait4``: the
process and the children it waited for) of each build (``--workers``) and of
``cwgraph validate --engine native`` of what it built. No assertion: figures only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command; exits with its output when it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(argv)} failed:\n{err.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def once(checkout: Path, source: Path, out: Path, workers: int) -> dict[str, tuple[float, float]]:
    py = str(checkout / ".venv" / "bin" / "python")
    shutil.rmtree(out, ignore_errors=True)
    build = run([py, "-m", "cwgraph", "build", "--quiet", "--workers", str(workers),
                 "--source", str(source / "listings"), "--source", str(source / "records"),
                 "--authorities", str(source / "authorities"), "--out", str(out)], checkout)
    validate = run([py, "-m", "cwgraph", "validate", str(out), "--engine", "native", "--workers", str(workers)],
                   checkout)
    shutil.rmtree(out, ignore_errors=True)
    return {"build": build, "validate": validate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="a folder written by bench/generate.py")
    parser.add_argument("checkouts", type=Path, nargs="+", help="checkouts of cwgraph, each with its .venv")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    figures: dict[str, list[dict[str, tuple[float, float]]]] = {str(c): [] for c in args.checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for checkout in args.checkouts:
                seen = once(checkout.resolve(), args.source.resolve(), Path(tmp) / "dist", args.workers)
                figures[str(checkout)].append(seen)
                print(f"round {round_} {checkout}: " + "; ".join(
                    f"{stage} {s:.1f} s {mib:.0f} MiB" for stage, (s, mib) in seen.items()), flush=True)
    for checkout, runs in figures.items():
        print(f"{checkout}: " + "; ".join(
            f"{stage} median {statistics.median(r[stage][0] for r in runs):.1f} s, "
            f"peak {max(r[stage][1] for r in runs):.0f} MiB" for stage in ("build", "validate")))


if __name__ == "__main__":
    main()
