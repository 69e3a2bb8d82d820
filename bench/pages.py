"""How fast saved pages are read: every ``*.txt`` of a folder through the page readers.

    python bench/pages.py --records 100000 [--runs 5]    # generates listing pages first
    python bench/pages.py --source DIR [--runs 5]        # or reads a folder you give

Prints the median wall time of ``--runs`` reads, pages and records per second. Nothing is
asserted. To compare with an older checkout, run this script with that checkout's ``src``
on ``PYTHONPATH`` (a checkout without ``sources/pages.py`` is read with its ``parse_listing``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from cwgraph.sources.pages import read_page
except ImportError:  # an older checkout: one listing reader
    from cwgraph.sources.listing import parse_listing as read_page  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]


def read_all(files: list[Path]) -> int:
    records = 0
    for path in files:
        try:
            records += len(read_page(path, path.name).records)
        except Exception:  # noqa: BLE001 - a file the reader refuses still counts as read
            pass
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--source", type=Path, help="a folder of saved pages (else generated)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source
        if source is None:
            source = Path(tmp) / "src"
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--records", str(args.records),
                            "--out", str(source), "--seed", "1", "--quiet"], check=True)
        files = sorted(p for p in source.rglob("*.txt") if not p.name.upper().startswith("README"))
        times = []
        records = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            records = read_all(files)
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{len(files)} pages, {records} records: median {median:.2f} s of {args.runs} runs "
          f"({len(files) / median:,.0f} pages/s, {records / median:,.0f} records/s); "
          f"runs: {', '.join(f'{t:.2f}' for t in times)}")


if __name__ == "__main__":
    main()
