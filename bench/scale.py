"""The scale benchmark: generate → build → validate → load into Oxigraph → one query.

    python bench/scale.py [--sizes 10000 100000] [--million] [--workers 2] [--keep DIR]

Each stage runs as its own process; wall seconds come from the clock and peak RSS from
the operating system (``wait4``: the process and the children it waited for). In the same
run, the raw pyoxigraph baseline on the produced dump: stream-parse the N-Triples and
serialise Turtle and JSON-LD. Prints a table; records nothing itself (copy the table
into bench/README.md with the machine and date). No assertion anywhere: figures only.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = r"""
import gzip, sys, time, pyoxigraph as ox
def triples():  # a streaming parse of the dump: nothing is held
    return ox.parse(gzip.open(sys.argv[1], "rb"), format=ox.RdfFormat.N_TRIPLES)
t0 = time.perf_counter()
with open(sys.argv[2] + ".ttl", "wb") as f:
    ox.serialize(triples(), f, format=ox.RdfFormat.TURTLE)
t1 = time.perf_counter()
with open(sys.argv[2] + ".jsonld", "wb") as f:
    ox.serialize(triples(), f, format=ox.RdfFormat.JSON_LD)
t2 = time.perf_counter()
print(f"parse+Turtle {t1 - t0:.1f} s, parse+JSON-LD {t2 - t1:.1f} s")
"""


@dataclass
class Stage:
    name: str
    seconds: float
    peak_mib: float
    output: str


def run(name: str, argv: list[str], env: dict[str, str] | None = None) -> Stage:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                            env={**os.environ, **(env or {})})
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed:\n{out[-3000:]}")
    print(f"  ({name}: {seconds:.1f} s, {usage.ru_maxrss / 1024:.0f} MiB)", file=sys.stderr, flush=True)
    return Stage(name, seconds, usage.ru_maxrss / 1024, out.strip().splitlines()[-1] if out.strip() else "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_size(records: int, workers: int, work: Path) -> list[Stage]:
    src, out = work / "src", work / "dist"
    py = sys.executable
    stages = [run("generate", [py, "bench/generate.py", "--records", str(records), "--out", str(src), "--seed", "1"])]
    stages.append(run("build (all dumps)", [py, "-m", "cwgraph", "build", "--quiet", "--workers", str(workers),
                                            "--source", str(src / "listings"), "--source", str(src / "records"),
                                            "--authorities", str(src / "authorities"), "--out", str(out)]))
    stages.append(run("validate dump (SHACL)", [py, "-m", "cwgraph", "validate", str(out), "--engine", "native",
                                                "--workers", str(workers)]))
    stages.append(run("baseline pyoxigraph", [py, "-c", BASELINE, str(out / "cwgraph.nt.gz"), str(work / "baseline")]))
    oxigraph = shutil.which("oxigraph") or str(Path(py).parent / "oxigraph")
    port = free_port()
    store = work / "store"
    gz = out / "cwgraph.nt.gz"
    stages.append(run("oxigraph bulk load", [oxigraph, "load", "--location", str(store), "--file", str(gz)]))
    server = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        try:  # the aggregate takes minutes at a million records: allow 15, and keep the table if it fails
            stages.append(run("query network (HTTP)", [py, "-m", "cwgraph", "query", "network", "--endpoint",
                                                       f"http://127.0.0.1:{port}/query", "--format", "csv",
                                                       "--limit", "5", "--timeout", "900"]))
        except SystemExit as failed:
            stages.append(Stage("query network (HTTP)", float("nan"), 0.0, f"failed: {str(failed)[-120:]}"))
    finally:
        server.terminate()
        server.wait(10)
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 records")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the generated folders here")
    args = parser.parse_args()
    sizes = args.sizes + ([1_000_000] if args.million else [])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"workers {args.workers}, {time.strftime('%Y-%m-%d')}")
    print(f"{'records':>9} {'stage':<22} {'wall s':>8} {'records/s':>10} {'peak RSS MiB':>13}  note")
    for records in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"cwgraph-scale-{records}-", dir=args.keep))
        try:
            stages = one_size(records, args.workers, work)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        build = next(s for s in stages if s.name.startswith("build"))
        base = next(s for s in stages if s.name.startswith("baseline"))
        for s in stages:
            note = s.output[:60]
            if s is build:
                note = f"{build.seconds / max(base.seconds, 1e-9):.1f}x the pyoxigraph baseline; " + note
            print(f"{records:>9} {s.name:<22} {s.seconds:>8.1f} {records / s.seconds:>10.0f} {s.peak_mib:>13.0f}  {note}")


if __name__ == "__main__":
    main()
