"""Integration: the committed release in a real Oxigraph server, queried over HTTP.

A session-scoped Oxigraph server (``oxigraph serve``, from the ``oxigraph`` PyPI package of
the test extra) is started on a free 127.0.0.1 port in a temporary folder, loaded with
``dist/cwgraph.nt.gz`` over the SPARQL 1.1 Graph Store Protocol (urllib only), and every
canned query is run on it and on the embedded pyoxigraph store: the two must agree row for
row, in order. The CLI is checked on the same server, and on an endpoint that is down.
"""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cwgraph.cli import main
from cwgraph.querying.queries import load_queries, run_query
from servers import free_port, gsp_put_default, oxigraph_server, sparql_count

pytestmark = pytest.mark.integration

RELEASE = Path(__file__).resolve().parents[1] / "dist"

# Canned queries that run without any --param (every parameter optional or defaulted).
UNPARAMETERISED = sorted(name for name, q in load_queries().items()
                         if all(p.optional or p.default is not None for p in q.params))


@pytest.fixture(scope="session")
def release(root: Path) -> Path:
    folder = root / "dist"
    assert (folder / "cwgraph.nt.gz").is_file(), f"no committed release in {folder}"
    return folder


@pytest.fixture(scope="session")
def ntriples(release: Path) -> bytes:
    return gzip.decompress((release / "cwgraph.nt.gz").read_bytes())


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT``) of a fresh, empty Oxigraph server; stopped at the end."""
    location = tmp_path_factory.mktemp("oxigraph") / "store"
    try:
        server = oxigraph_server(location)
        started = server.__enter__()
    except RuntimeError as exc:
        pytest.fail(f"cannot start an Oxigraph server: {exc}", pytrace=False)
    try:
        yield started.base
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(scope="session")
def endpoint(oxigraph: str, ntriples: bytes) -> str:
    """The server's query URL, once the release is its default graph."""
    status = gsp_put_default(oxigraph, ntriples)
    assert status in (201, 204), f"PUT /store?default answered {status}"
    return f"{oxigraph}/query"


def test_release_loads_completely(oxigraph: str, endpoint: str, ntriples: bytes) -> None:
    lines = [line for line in ntriples.decode("utf-8").splitlines() if line.strip()]
    assert lines, "the release is empty"
    assert sparql_count(oxigraph) == len(lines)


def test_there_are_queries_to_compare() -> None:
    assert {"letters", "network", "cover-names", "treaty"} <= set(UNPARAMETERISED)


@pytest.mark.parametrize("name", UNPARAMETERISED)
def test_canned_query_same_on_server_and_embedded(name: str, endpoint: str, release: Path) -> None:
    local = run_query(name, data=release)
    remote = run_query(name, endpoint=endpoint, timeout=20)
    assert remote.columns == local.columns
    assert local.rows, f"{name} returns no rows on the release"
    assert remote.rows == local.rows


def test_cli_query_on_endpoint_equals_local(endpoint: str, root: Path) -> None:
    runner = CliRunner()
    remote = runner.invoke(main, ["query", "letters", "--endpoint", endpoint, "--format", "csv"])
    local = runner.invoke(main, ["query", "letters", "--data", str(root / "dist"), "--format", "csv"])
    assert remote.exit_code == 0, remote.output
    assert local.exit_code == 0, local.output
    assert remote.stdout.startswith("document,record_id,")
    assert remote.stdout.count("\n") == 1 + len(run_query("letters", data=root / "dist").rows)
    assert remote.stdout == local.stdout


def test_cli_query_on_endpoint_that_is_down() -> None:
    down = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["query", "letters", "--endpoint", down, "--format", "csv",
                                       "--timeout", "5"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert down in result.output
    assert result.output.startswith("error: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""


class _NotSparql(http.server.BaseHTTPRequestHandler):
    """Answers every POST with 200 and a body that is not SPARQL JSON results."""

    answers = {
        "/html": ("text/html", b"<html><body>a web page, not a SPARQL endpoint</body></html>"),
        "/xml": ("application/sparql-results+xml",
                 b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                 b"<head/><results/></sparql>"),
        "/ask": ("application/sparql-results+json", b'{"head": {}, "boolean": true}'),
    }

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ctype, body = self.answers[self.path.split("?")[0]]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def not_sparql() -> Iterator[str]:
    """Base URL of a local HTTP server (127.0.0.1) that answers 200 with non-SPARQL bodies."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotSparql)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("path", sorted(_NotSparql.answers))
def test_cli_query_on_url_that_is_not_a_sparql_endpoint(not_sparql: str, path: str) -> None:
    url = f"{not_sparql}{path}"
    result = CliRunner().invoke(main, ["query", "letters", "--endpoint", url, "--format", "csv", "--timeout", "5"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert url in result.output and "not SPARQL JSON SELECT results" in result.output
    assert "Traceback" not in result.output and "Warning" not in result.output
