"""Throughput of the reconciliation service (/reconcile): batches of OpenRefine-shaped queries.

    python bench/reconcile.py [--data dist] [--batches 20] [--size 50]

Loads the release the way ``cwgraph serve`` does, builds the service once (time printed), then
POSTs ``--batches`` batches of ``--size`` queries (names and variants of the release's entities,
some misspelt, some with a type or an ``active`` date) through the WSGI application, and prints
the median time per batch and queries per second. No target is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from werkzeug.test import Client

from cwgraph.web.reconcile_api import ReconcileService
from cwgraph.web.server import LinkedDataApp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("dist"))
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--size", type=int, default=50)
    args = parser.parse_args()
    start = time.perf_counter()
    app = LinkedDataApp(args.data)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    service = ReconcileService.from_store(app.graph.store)
    built = time.perf_counter() - start
    rng = random.Random(1)
    entries = list(service.entries.values())
    client = Client(app)
    client.get("/reconcile")  # the application builds its service once
    times = []
    for _ in range(args.batches):
        batch = {}
        for i in range(args.size):
            e = rng.choice(entries)
            name = rng.choice([e.name, *e.names])
            if rng.random() < 0.2 and len(name) > 5:
                j = rng.randrange(1, len(name) - 1)
                name = name[:j] + name[j + 1:]  # a letter lost
            query: dict = {"query": name, "type_strict": "should"}
            if rng.random() < 0.5:
                query["type"] = e.type
            if rng.random() < 0.3 and e.begin:
                query["properties"] = [{"pid": "active", "v": e.begin[:4]}]
            batch[f"q{i}"] = query
        t = time.perf_counter()
        r = client.post("/reconcile", data={"queries": json.dumps(batch)})
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
    median = statistics.median(times)
    print(f"entities {len(entries)}; release loaded in {loaded:.2f} s; service built in {built:.3f} s")
    print(f"batch of {args.size}: median {median * 1000:.1f} ms ({args.size / median:.0f} queries/s) "
          f"over {args.batches} batches")


if __name__ == "__main__":
    main()
