"""``cwgraph serve`` under attack, on loopback only: figures, no assertion.

    python bench/server_stress.py [--data dist] [--runs 3] [--flood 600] [--slow 300]
                                  [--post-mib 200] [--max-memory 512] [--workers 2]

Starts the server as a user would (``python -m cwgraph serve`` on a free 127.0.0.1 port),
then, each scenario bounded in time and stopping by itself:

- **flood**: ``--flood`` connections each send ``GET /`` and are closed at once, unread;
  recovery is the time from the close to the first answered ``GET /`` of a fresh client.
- **slowloris**: ``--slow`` connections send one header line a second and never finish;
  how long a normal ``GET /`` takes meanwhile, and when the server has dropped them all.
- **memory bomb**: the audit's ``SELECT ?c ?f WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f
  LIMIT 1``: time to the 503, peak RSS of any worker, time of the next query.
- **runaway**: a query past ``--timeout``: time to the 503 and of the next query (a worker
  forked again, not the release reloaded).
- **large POST**: a declared 200 MB body (time to the 413) and a streamed (chunked) one
  (bytes the server took before refusing; growth of its RSS).

Memory is sampled from /proc every 50 ms (Linux): the server process, the loader that holds
the release, and each worker. Medians of ``--runs`` runs where a scenario repeats.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
BOMB = "SELECT ?c ?f WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f LIMIT 1"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def get(url: str, timeout: float = 5.0, accept: str = "text/html") -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}),  # noqa: S310
                                    timeout=timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        exc.read()
        return int(exc.code)
    except OSError:
        return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Monitor(threading.Thread):
    """Peak RSS of the server, the loader and the workers, sampled every 50 ms."""

    def __init__(self, server: int):
        super().__init__(daemon=True)
        self.server = server
        self.peaks = {"server": 0.0, "loader": 0.0, "worker": 0.0}
        self.stop = threading.Event()

    def reset(self) -> None:
        self.peaks = dict.fromkeys(self.peaks, 0.0)

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self.peaks["server"] = max(self.peaks["server"], rss_mib(self.server))
            for child in children(self.server):
                grandchildren = children(child)
                if grandchildren:  # the loader: its children are the workers
                    self.peaks["loader"] = max(self.peaks["loader"], rss_mib(child))
                    for worker in grandchildren:
                        self.peaks["worker"] = max(self.peaks["worker"], rss_mib(worker))


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        if get(f"{base}/index.html", 2) == 200 and \
                get(f"{base}/sparql?query=ASK%7B%7D", 30, "application/sparql-results+json") == 200:
            return
        time.sleep(0.2)
    raise SystemExit("the server did not come up")


def first_answer(base: str, limit: float = 120.0) -> float:
    """Seconds until a fresh client gets 200 for GET / (polling)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if get(f"{base}/index.html", 2) == 200:
            return time.monotonic() - started
    return float("inf")


def flood(port: int, base: str, n: int) -> float:
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((HOST, port))
        socks.append(s)
    time.sleep(0.5)
    for s in socks:
        try:
            s.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        except OSError:
            pass
    for s in socks:
        s.close()
    return first_answer(base)


def slowloris(port: int, base: str, n: int, seconds: float = 30.0) -> tuple[float, float, float]:
    """(median and worst GET / latency during the attack, seconds until the server dropped them all)."""
    socks = []
    for _ in range(n):
        try:
            s = socket.create_connection((HOST, port), timeout=2)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            s.setblocking(False)
            socks.append(s)
        except OSError:
            pass
    started = time.monotonic()
    latencies = []
    dropped_at = float("inf")
    i = 0
    while socks and time.monotonic() - started < seconds:
        alive = []
        for s in socks:
            try:
                s.send(b"X-Slow-%d: a\r\n" % i)
                if s.recv(1) == b"":
                    s.close()
                    continue
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                continue
            alive.append(s)
        socks = alive
        t = time.monotonic()
        get(f"{base}/index.html", 10)
        latencies.append(time.monotonic() - t)
        i += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - t)))
    if not socks:
        dropped_at = time.monotonic() - started
    for s in socks:
        s.close()
    return statistics.median(latencies or [0]), max(latencies or [0]), dropped_at


def sparql(base: str, query: str, timeout: float = 120) -> tuple[int, float]:
    started = time.monotonic()
    status = get(f"{base}/sparql?query={urllib.parse.quote(query)}", timeout, "application/sparql-results+json")
    return status, time.monotonic() - started


def large_posts(port: int, mib: int, server_pid: int) -> tuple[float, int, float]:
    """(seconds to the 413 of a declared body, bytes taken of a streamed one, server RSS growth MiB)."""
    started = time.monotonic()
    with socket.create_connection((HOST, port)) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: %d\r\n\r\n" % (mib * 2**20))
        s.settimeout(30)
        s.recv(64)
    declared = time.monotonic() - started
    before = rss_mib(server_pid)
    sent = 0
    chunk = b"#" * 65536
    with socket.create_connection((HOST, port)) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n")
        s.settimeout(5)
        try:
            while sent < mib * 2**20:
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except OSError:
            pass
    return declared, sent, rss_mib(server_pid) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("dist"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--flood", type=int, default=600)
    parser.add_argument("--slow", type=int, default=300)
    parser.add_argument("--post-mib", type=int, default=200)
    parser.add_argument("--max-memory", type=int, default=512)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # this client holds --flood sockets at once
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))

    port = free_port()
    base = f"http://{HOST}:{port}"
    log = open(os.devnull, "wb")  # noqa: SIM115
    server = subprocess.Popen([sys.executable, "-m", "cwgraph", "serve", "--data", str(args.data), "--port",
                               str(port), "--workers", str(args.workers), "--max-memory", str(args.max_memory),
                               "--timeout", str(args.timeout)], stdout=log, stderr=subprocess.STDOUT)
    monitor = Monitor(server.pid)
    try:
        t = time.monotonic()
        wait_until_up(base, time.monotonic() + 300)
        print(f"server up in {time.monotonic() - t:.1f} s (release {args.data}, {args.workers} workers, "
              f"--max-memory {args.max_memory} MiB, --timeout {args.timeout:g} s)")
        monitor.start()
        time.sleep(0.3)
        print(f"idle RSS: server {monitor.peaks['server']:.0f} MiB, loader {monitor.peaks['loader']:.0f} MiB, "
              f"worker {monitor.peaks['worker']:.0f} MiB")
        plain = [sparql(base, "ASK { ?s ?p ?o }")[1] for _ in range(10)]
        print(f"ASK latency: median {statistics.median(plain) * 1000:.1f} ms")

        recoveries = [flood(port, base, args.flood) for _ in range(args.runs)]
        print(f"flood of {args.flood} half-open GET /: recovered in median {statistics.median(recoveries):.2f} s "
              f"(runs: {', '.join(f'{r:.2f}' for r in recoveries)})")

        median, worst, dropped = slowloris(port, base, args.slow)
        print(f"slowloris with {args.slow} connections: GET / took median {median * 1000:.0f} ms, worst "
              f"{worst * 1000:.0f} ms meanwhile; all slow connections dropped after {dropped:.1f} s")

        bombs = []
        for _ in range(args.runs):
            monitor.reset()
            status, seconds = sparql(base, BOMB)
            next_status, next_seconds = sparql(base, "ASK { ?s ?p ?o }")
            time.sleep(0.2)
            bombs.append((status, seconds, monitor.peaks["worker"], next_status, next_seconds))
        print(f"memory bomb: {bombs[0][0]} after median {statistics.median(b[1] for b in bombs):.2f} s; peak worker "
              f"RSS median {statistics.median(b[2] for b in bombs):.0f} MiB (max {max(b[2] for b in bombs):.0f}); "
              f"next query {bombs[0][3]} in median {statistics.median(b[4] for b in bombs) * 1000:.0f} ms")

        runaways = []
        for _ in range(args.runs):
            status, seconds = sparql(base, RUNAWAY)
            next_status, next_seconds = sparql(base, "ASK { ?s ?p ?o }")
            runaways.append((status, seconds, next_status, next_seconds))
        print(f"runaway query: {runaways[0][0]} after median {statistics.median(r[1] for r in runaways):.2f} s; "
              f"next query {runaways[0][2]} in median {statistics.median(r[3] for r in runaways) * 1000:.0f} ms")

        declared, taken, grown = large_posts(port, args.post_mib, server.pid)
        print(f"POST of {args.post_mib} MB: declared refused in {declared * 1000:.0f} ms; streamed refused after "
              f"{taken / 2**20:.1f} MiB sent; server RSS grew {grown:.1f} MiB")
        print(f"peak RSS over the run: server {monitor.peaks['server']:.0f} MiB, loader "
              f"{monitor.peaks['loader']:.0f} MiB")
    finally:
        monitor.stop.set()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    main()
