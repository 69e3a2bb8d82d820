"""``cwgraph serve`` as a process on 127.0.0.1, attacked and used as the internet would.

Each server is started the way a user starts it (``python -m cwgraph serve`` on a free port)
and stopped by its process id. Raw sockets stand for hostile clients (floods, slow clients,
huge bodies); SPARQLWrapper, with its defaults, stands for the SPARQL clients nobody here
wrote. The figures these attacks produce under load are measured by ``bench/server_stress.py``;
here only the behaviour is checked, with bounds generous enough for a busy machine.
"""

from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from servers import free_port
from test_web_release import published

pytestmark = pytest.mark.integration
HOST = "127.0.0.1"


@dataclass
class Served:
    base: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    def log_text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")


@contextmanager
def serving(release: Path, tmp: Path, *args: str) -> Iterator[Served]:
    port = free_port()
    log = tmp / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "cwgraph", "serve", "--data", str(release),
                                    "--port", str(port), *args],
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
    served = Served(f"http://{HOST}:{port}", port, process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"cwgraph serve exited: {served.log_text()}")
            try:
                if get(f"{served.base}/index.html")[0] == 200 and \
                        get(f"{served.sparql}?query=ASK%7B%7D", "application/sparql-results+json")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"cwgraph serve did not answer: {served.log_text()}")
            time.sleep(0.2)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def get(url: str, accept: str | None = None, timeout: float = 30) -> tuple[int, Message, bytes]:
    """Status, headers (names case-insensitive, as in HTTP) and body."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (local URL)
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@pytest.fixture(scope="module")
def release(built) -> Path:  # type: ignore[no-untyped-def]
    return published(built[1])


@pytest.fixture(scope="module")
def server(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(release, tmp_path_factory.mktemp("live"), "--workers", "2", "--timeout", "10",
                 "--client-timeout", "2", "--max-rows", "1000") as served:
        yield served


# --- the server process ----------------------------------------------------------------------------

def test_a_busy_port_is_an_error_with_a_fix(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "cwgraph", "serve", "--data", str(tmp_path),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and "in use" in result.stderr and "(fix: " in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("signum", "group"), [(signal.SIGTERM, False), (signal.SIGTERM, True), (signal.SIGINT, True)],
                         ids=["sigterm", "sigterm-to-the-group", "ctrl-c"])
def test_stopping_stops_everything_without_a_traceback(release: Path, tmp_path: Path, signum: int,
                                                       group: bool) -> None:
    with serving(release, tmp_path, "--workers", "2") as served:
        status, _, _ = get(f"{served.sparql}?query=" + urllib.parse.quote("SELECT * { ?s ?p ?o } LIMIT 3"),
                           "text/csv")
        assert status == 200
        below = descendants(served.process.pid)
        assert len(below) >= 3  # the loader and two workers (and multiprocessing's tracker)
        if group:  # as a terminal's Ctrl-C, or systemd stopping the whole unit
            os.killpg(served.process.pid, signum)
        else:
            served.process.send_signal(signum)
        assert served.process.wait(timeout=20) == 0
        log = served.log_text()
    assert "Traceback" not in log and "stopped" in log, log
    # the CLI tells where it listens (the library reports it through on_ready)
    assert f"at http://127.0.0.1:{served.port}/ — IRIs under " in log and "(SPARQL at /sparql)" in log, log
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
              for pid in below if Path(f"/proc/{pid}").exists()) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in below if Path(f"/proc/{pid}").exists()
            and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
    assert not left, f"processes left behind: {left}"


# --- SSRF ---------------------------------------------------------------------------------------------

class _Private(http.server.BaseHTTPRequestHandler):
    """A 'private' SPARQL service on the build machine, recording who calls it."""

    hits: list[str] = []

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).hits.append(self.path)
        body = b'{"head":{"vars":["o"]},"results":{"bindings":[{"o":{"type":"literal","value":"private-secret"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def private() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer((HOST, 0), _Private)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://{HOST}:{httpd.server_address[1]}/query"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_service_cannot_reach_a_private_endpoint(server: Served, private: str) -> None:
    before = len(_Private.hits)
    for query in (f"SELECT ?o WHERE {{ SERVICE <{private}> {{ ?s ?p ?o }} }}",
                  f"SELECT ?o WHERE {{ SERVICE SILENT <{private}> {{ ?s ?p ?o }} }}",
                  f"SELECT ?o WHERE {{ \\u0053ERVICE <{private}> {{ ?s ?p ?o }} }}"):
        status, _, body = get(f"{server.sparql}?query={urllib.parse.quote(query)}", "application/sparql-results+json")
        assert status == 403 and b"private-secret" not in body, body
    status, _, _ = get(f"{server.sparql}?query={urllib.parse.quote(f'LOAD <{private}>')}")
    assert status == 403
    assert len(_Private.hits) == before


def test_allowed_service_endpoints_are_called(release: Path, tmp_path: Path, private: str) -> None:
    with serving(release, tmp_path, "--workers", "1", "--allow-service", private) as served:
        query = f"SELECT ?o WHERE {{ SERVICE <{private}> {{ ?s ?p ?o }} }}"
        status, _, body = get(f"{served.sparql}?query={urllib.parse.quote(query)}", "text/csv")
        assert status == 200 and b"private-secret" in body, body
        other = "SELECT ?o WHERE { SERVICE <http://127.0.0.1:9/query> { ?s ?p ?o } }"
        assert get(f"{served.sparql}?query={urllib.parse.quote(other)}", "text/csv")[0] == 403


# --- bodies, slow clients, floods --------------------------------------------------------------------

def _status_line(sock: socket.socket, timeout: float = 20) -> bytes:
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    return data.split(b"\r\n", 1)[0]


def test_a_huge_declared_body_is_refused_before_it_is_sent(server: Served) -> None:
    with socket.create_connection((HOST, server.port)) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 209715200\r\n\r\n")
        assert b" 413 " in _status_line(sock)


def test_a_huge_streamed_body_is_refused_while_it_streams(server: Served) -> None:
    before = rss_kib(server.process.pid)
    sent = 0
    chunk = b"#" * 65536
    with socket.create_connection((HOST, server.port)) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        sock.settimeout(5)
        try:
            while sent < 200 * 2**20:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        line = _status_line(sock, 5)
    assert sent < 32 * 2**20, f"the server read {sent} bytes before refusing"
    assert line == b"" or b" 413 " in line
    assert rss_kib(server.process.pid) - before < 64 * 1024


def test_a_slow_client_is_disconnected(server: Served) -> None:
    with socket.create_connection((HOST, server.port)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed = False
        for i in range(40):  # one header line every 0.25 s: never idle, never done
            try:
                sock.sendall(b"X-Slow-%d: a\r\n" % i)
                sock.settimeout(0.25)
                if sock.recv(1024) == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        assert closed, "the server kept a slow client for 10 s"
        assert time.monotonic() - started < 8
    assert get(f"{server.base}/index.html")[0] == 200


def test_a_connection_flood_is_recovered_from(server: Served) -> None:
    flood = []
    try:
        for _ in range(600):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex((HOST, server.port))
            flood.append(sock)
        time.sleep(0.5)
        for sock in flood:
            try:
                sock.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            except OSError:
                pass
    finally:
        for sock in flood:  # all at once, without reading a byte
            sock.close()
    started = time.monotonic()
    status, _, body = get(f"{server.base}/index.html", timeout=60)
    assert status == 200 and b"<h1" in body
    assert time.monotonic() - started < 60


# --- the SPARQL protocol as clients send it -------------------------------------------------------------

QUERIES = {
    "SELECT": "SELECT ?p ?name WHERE { ?p a crm:E21_Person ; rdfs:label ?name } ORDER BY ?p LIMIT 3",
    "ASK": "ASK { ?d cw:sender ?s }",
    "CONSTRUCT": "CONSTRUCT { ?p rdfs:label ?name } WHERE { ?p a crm:E21_Person ; rdfs:label ?name } LIMIT 3",
    "DESCRIBE": "DESCRIBE <https://w3id.org/cwgraph/person/joseph-stalin>",
}


@pytest.mark.parametrize("kind", list(QUERIES))
def test_sparqlwrapper_defaults_in_every_return_format(server: Served, kind: str) -> None:
    import rdflib
    from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

    for fmt in (XML, JSON, JSONLD, TURTLE, N3, RDF, RDFXML, CSV, TSV):
        client = SPARQLWrapper(server.sparql)
        client.setQuery(QUERIES[kind])
        client.setReturnFormat(fmt)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = client.query()  # raises on any HTTP error
            converted = result.convert()
        mismatch = [str(w.message) for w in caught if "has been returned" in str(w.message)
                    or "unknown response" in str(w.message)]
        where = f"{kind} as {fmt}: {result.response.headers.get('Content-Type')}"
        if kind in ("CONSTRUCT", "DESCRIBE"):
            if isinstance(converted, bytes):  # SPARQLWrapper hands Turtle and N3 over unparsed
                converted = rdflib.Graph().parse(data=converted, format="turtle")
            assert isinstance(converted, rdflib.Graph) and len(converted) > 0, where
        elif fmt in (CSV, TSV):
            assert isinstance(converted, bytes) and converted.strip(), where
        elif kind == "ASK" and isinstance(converted, dict):
            assert converted["boolean"] is True, where
        elif isinstance(converted, dict):
            assert len(converted["results"]["bindings"]) == 3, where
        else:  # XML results: a DOM document
            assert converted.getElementsByTagName("sparql"), where
        if fmt in ((XML, JSON, CSV, TSV) if kind in ("SELECT", "ASK") else (XML, RDFXML, TURTLE, N3, JSONLD, RDF)):
            assert not mismatch, (where, mismatch)  # what SPARQLWrapper asked for is what it got


def test_the_client_warns_only_when_our_server_cut_the_answer(server: Served) -> None:
    from click.testing import CliRunner

    from cwgraph.cli import main

    result = CliRunner().invoke(main, ["query", "letters", "--endpoint", server.sparql, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) > 10 and "cut the results" not in result.stderr
    status, headers, _ = get(f"{server.sparql}?query=" + urllib.parse.quote("SELECT * { ?s ?p ?o }"), "text/csv")
    assert status == 200 and headers.get("X-SPARQL-MaxRows") == "1000"
    status, headers, _ = get(f"{server.sparql}?query=" + urllib.parse.quote("SELECT * { ?s ?p ?o } LIMIT 1000"),
                             "text/csv")
    assert status == 200 and headers.get("X-SPARQL-MaxRows") is None  # exactly the cap: nothing was cut
