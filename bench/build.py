"""Time the build of the collection, stage by stage; prints a table of medians.

    python bench/build.py [--runs 5] [--source PATH]...

Stages: read+resolve (sources, title grammar, names), map (triples), validate (SHACL +
CRM check), publish (N-Triples, Turtle, JSON-LD, VoID, checksums). No assertion: figures only.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

import rdflib

from cwgraph.config import BASE_IRI, project_path
from cwgraph.mapping import build_triples
from cwgraph.pipeline import build, interpret
from cwgraph.publish import nquads_sorted, sort_triples, write_jsonld, write_ntriples_gz, write_turtle
from cwgraph.validate import load_shapes, validate_graph


def once(sources: list[Path]) -> dict[str, float]:
    times: dict[str, float] = {}
    t = time.perf_counter()
    resolved, resolver, result = interpret(sources)
    times["read+resolve"] = time.perf_counter() - t
    t = time.perf_counter()
    g = build_triples(resolved, resolver.auth, resolver.local)
    triples = sort_triples(g.triples)
    lines = nquads_sorted(triples)
    times["map"] = time.perf_counter() - t
    t = time.perf_counter()
    data = rdflib.Graph().parse(data="".join(lines), format="nt")
    shapes = load_shapes()
    validate_graph(data, shapes)
    times["validate"] = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_ntriples_gz(lines, Path(tmp) / "x.nt.gz")
        write_turtle(triples, Path(tmp) / "x.ttl", BASE_IRI)
        write_jsonld(triples, Path(tmp) / "x.jsonld", BASE_IRI)
        times["serialize"] = time.perf_counter() - t
        t = time.perf_counter()
        build(sources, Path(tmp) / "dist")
        times["whole build"] = time.perf_counter() - t
    times["_records"] = result.published
    times["_triples"] = len(triples)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", action="append", type=Path)
    args = parser.parse_args()
    sources = args.source or [project_path("source")]
    runs = [once(sources) for _ in range(args.runs)]
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}, "
          f"runs: {args.runs}; records: {runs[0]['_records']:.0f}, triples: {runs[0]['_triples']:.0f}")
    print(f"{'stage':<14} {'median s':>9} {'min s':>7} {'max s':>7}")
    for stage in ("read+resolve", "map", "validate", "serialize", "whole build"):
        values = [r[stage] for r in runs]
        print(f"{stage:<14} {statistics.median(values):>9.3f} {min(values):>7.3f} {max(values):>7.3f}")


if __name__ == "__main__":
    main()
