"""Real triple-store processes for integration tests: an Oxigraph server on 127.0.0.1.

Used by ``tests/test_integration_oxigraph.py``; kept apart so other integration tests can
start the same server. Only the standard library talks to the server (urllib), so these
helpers test the store, not our own client code.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["OxigraphServer", "find_oxigraph", "free_port", "oxigraph_server", "sparql_count", "gsp_put_default"]

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def find_oxigraph() -> str | None:
    """The ``oxigraph`` binary: beside this interpreter (the venv's bin) first, else on PATH."""
    beside = Path(sys.executable).parent / ("oxigraph.exe" if sys.platform == "win32" else "oxigraph")
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


@dataclass
class OxigraphServer:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def log_text(self) -> str:
        try:
            return self.log.read_text("utf-8", errors="replace")[-4000:]
        except OSError:
            return ""


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/", timeout=1) as resp:  # noqa: S310 (local URL)
            return 200 <= resp.status < 500
    except urllib.error.HTTPError as exc:  # the server is up, it just does not like GET /
        return exc.code < 500
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def oxigraph_server(location: Path, *, startup_deadline: float = 20.0) -> Iterator[OxigraphServer]:
    """Start ``oxigraph serve`` on a free 127.0.0.1 port, wait until it answers, stop it after.

    Raises ``RuntimeError`` (never skips) when the binary is missing or the server does not
    come up within ``startup_deadline`` seconds; the server's log is in the message.
    """
    binary = find_oxigraph()
    if binary is None:
        raise RuntimeError(
            "the 'oxigraph' server binary was not found beside "
            f"{sys.executable} nor on PATH; install the test extra: pip install -e '.[test]'")
    location.mkdir(parents=True, exist_ok=True)
    log = location.parent / f"{location.name}-oxigraph.log"
    last_error = ""
    # A port picked by free_port() can be taken by someone else before the server binds it;
    # try a few ports before giving up.
    for _attempt in range(3):
        port = free_port()
        base = f"http://{HOST}:{port}"
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                [binary, "serve", "--location", str(location), "--bind", f"{HOST}:{port}"],
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
        server = OxigraphServer(base, process, log)
        deadline = time.monotonic() + startup_deadline
        up = False
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if _answers(base):
                up = True
                break
            time.sleep(0.05)
        if up:
            try:
                yield server
            finally:
                _stop(process)
            return
        exited = process.poll()
        _stop(process)
        last_error = (f"oxigraph serve on {base} exited with code {exited}" if exited is not None else
                      f"oxigraph serve on {base} did not answer within {startup_deadline:.0f} s")
        last_error += f"; its log:\n{server.log_text()}"
    raise RuntimeError(last_error)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the process we started (by its handle), then kill it if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def gsp_put_default(base: str, ntriples: bytes, *, timeout: float = 30.0) -> int:
    """Replace the default graph with N-Triples over the Graph Store Protocol; the HTTP status."""
    request = urllib.request.Request(f"{base}/store?default", data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (local URL)
        return int(resp.status)


def sparql_count(base: str, where: str = "?s ?p ?o", *, timeout: float = 30.0) -> int:
    """``SELECT (COUNT(*) AS ?n) WHERE { … }`` over ``POST /query``, read from SPARQL JSON."""
    import json

    request = urllib.request.Request(
        f"{base}/query", data=f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}".encode(), method="POST",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (local URL)
        data = json.load(resp)
    return int(data["results"]["bindings"][0]["n"]["value"])
