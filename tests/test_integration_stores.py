"""Integration: `cwgraph load` into real triple stores, and the same answers everywhere.

A private Oxigraph server and a private Virtuoso 7 instance (fresh database, account dba/dba)
are started on free 127.0.0.1 ports in temporary folders and stopped by their process ids. The
release is loaded with ``cwgraph load`` (Virtuoso: authenticated Graph Store Protocol with HTTP
Digest; also its isql bulk loader from ``--bulk-script``), then every canned query — with
representative parameters for the parameterised ones — runs on the embedded store, on Oxigraph and
on Virtuoso, and must give identical columns and rows, in order.

Normalisation: none is needed today. ``_normalise`` would map store-specific lexical forms of the
same number (``1.0E0`` / ``1``) to one form; nothing else (values, order, empty cells) is touched.

Virtuoso is required under CI (the CI variable set; ``.ci/run`` installs it); elsewhere, without
``virtuoso-t``, its tests are skipped with a message saying how to install it. Its instances run
with MaxQueryCostEstimationTime commented out (see README): Debian's 400 s limit refuses canned
queries on cost *estimates* of hours for queries that take milliseconds.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cwgraph.cli import main
from cwgraph.querying.queries import QueryError, QueryResult, bind, load_queries, run_query
from cwgraph.stores import default_graph_iri
from servers import VirtuosoLauncher, VirtuosoServer, find_virtuoso, in_ci, oxigraph_server, sparql_count
from test_queries_params import HOSTILE, echo_query

pytestmark = pytest.mark.integration

GRAPH = default_graph_iri()

# Representative bindings beyond each query's own '# example:' lines.
MORE: dict[str, list[dict[str, str]]] = {
    "person-timeline": [{"person": "mao-zedong"}, {"person": "andrei-orlov"}, {"person": "anastas-mikoyan"},
                        {"person": "cwd:person/zhou-enlai"}, {"person": "no-such-person"}],
    "mentions": [{"place": "beijing"}, {"place": "beijing", "event": "sino-soviet-treaty-1950"},
                 {"event": "chinese-civil-war"}],
    "between": [{"from": "February 1950", "to": "February 1950", "match": "within"},
                {"from": "1947", "to": "1948"}, {"from": "1949-10-01", "to": "1949-10-31", "match": "within"}],
    "lookup": [{"name": "Filippov"}, {"name": "moscow"}, {"name": "Vyshinsk"}],
    "search": [{"text": "Port Arthur"}, {"text": "treaty"}],
}


def cases() -> list[tuple[str, dict[str, str]]]:
    out = []
    for name, query in sorted(load_queries().items()):
        bindings = [dict(e) for e in query.examples] + MORE.get(name, [])
        if not any(p.required for p in query.params):
            bindings.insert(0, {})
        out += [(name, b) for b in bindings]
    return out


CASES = cases()
IDS = [f"{n}:{','.join(f'{k}={v}' for k, v in b.items())}" for n, b in CASES]


def _normalise(rows: list[list[str]]) -> list[list[str]]:
    """One lexical form for a number written differently by different stores (1.0E0, 1.0, 1)."""
    def cell(value: str) -> str:
        if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?", value) and not re.fullmatch(r"\d{4}", value):
            number = float(value)
            return str(int(number)) if number.is_integer() else repr(number)
        return value
    return [[cell(v) for v in row] for row in rows]


# --- fixtures ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Path:
    """A private copy of the release: others may rebuild dist/ while the tests run; Virtuoso reads it too."""
    folder = tmp_path_factory.mktemp("stores-release")
    shutil.copy2(root / "dist" / "cwgraph.nt.gz", folder / "cwgraph.nt.gz")
    return folder


@pytest.fixture(scope="module")
def triples(release: Path) -> int:
    return len(set(gzip.decompress((release / "cwgraph.nt.gz").read_bytes()).splitlines()) - {b""})


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Root URL of a fresh Oxigraph server."""
    try:
        context = oxigraph_server(tmp_path_factory.mktemp("oxigraph-load") / "store")
        server = context.__enter__()
    except RuntimeError as exc:
        pytest.fail(f"cannot start an Oxigraph server: {exc}", pytrace=False)
    try:
        yield server.base
    finally:
        context.__exit__(None, None, None)


@pytest.fixture(scope="module")
def oxigraph_loaded(oxigraph: str, release: Path, triples: int) -> str:
    result = CliRunner().invoke(main, ["load", "--endpoint", oxigraph, "--data", str(release)])
    assert result.exit_code == 0, result.output
    assert f"loaded {triples} triples into the default graph" in result.output
    return f"{oxigraph}/query"


@pytest.fixture(scope="module", autouse=True)
def virtuoso_booting(tmp_path_factory: pytest.TempPathFactory, release: Path) -> Iterator[VirtuosoLauncher | None]:
    """Virtuoso starts with the module (creating its database takes seconds) and is awaited when needed."""
    if find_virtuoso() is None:
        yield None
        return
    launcher = VirtuosoLauncher(tmp_path_factory.mktemp("virtuoso") / "db", dirs_allowed=(release,))
    try:
        yield launcher
    finally:
        launcher.stop()


@pytest.fixture(scope="module")
def virtuoso(virtuoso_booting: VirtuosoLauncher | None) -> VirtuosoServer:
    if virtuoso_booting is None:
        message = ("Virtuoso 7 is not installed (virtuoso-t, isql-vt); install it with "
                   "'DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource' (.ci/run does)")
        if in_ci():
            pytest.fail(f"{message}; it is required in CI", pytrace=False)
        pytest.skip(f"{message}; skipped outside CI")
    try:
        return virtuoso_booting.wait()
    except RuntimeError as exc:
        pytest.fail(f"cannot start Virtuoso: {exc}", pytrace=False)


@pytest.fixture(scope="module")
def virtuoso_loaded(virtuoso: VirtuosoServer, release: Path, triples: int) -> str:
    result = CliRunner().invoke(main, ["load", "--endpoint", virtuoso.base, "--data", str(release)],
                                env={"CWGRAPH_STORE_USER": "dba", "CWGRAPH_STORE_PASSWORD": "dba"})
    assert result.exit_code == 0, result.output
    assert f"loaded {triples} triples into <{GRAPH}>" in result.output and "(virtuoso)" in result.output
    return virtuoso.query_url


def select(url: str, query: str, graph: str | None = None) -> list[dict[str, str]]:
    """A SELECT over HTTP with the standard library only (not our client)."""
    fields = {"query": query, **({"default-graph-uri": graph} if graph else {})}
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as resp:  # noqa: S310 (local URL)
        data = json.load(resp)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def graph_count(url: str, graph: str) -> int:
    return int(select(url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0]["n"])


def temporary_graphs(url: str) -> list[str]:
    rows = select(url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return [r["g"] for r in rows if r["g"].startswith(("urn:x-cwgraph:"))]


# --- same answers everywhere ------------------------------------------------------------------------------------

def test_every_canned_query_is_compared() -> None:
    assert {name for name, _ in CASES} == set(load_queries())
    assert len(CASES) >= 2 * len(load_queries())


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_same_answers_on_oxigraph(name: str, params: dict[str, str], oxigraph_loaded: str, release: Path) -> None:
    local = _answer(name, params, data=release)
    remote = _answer(name, params, endpoint=oxigraph_loaded, timeout=30)
    if isinstance(local, str) or isinstance(remote, str):  # an id the data does not hold: the same refusal
        assert remote == local and "no person" in local
        return
    assert remote.columns == local.columns
    assert _normalise(remote.rows) == _normalise(local.rows)


def _answer(name: str, params: dict[str, str], **where: object) -> QueryResult | str:
    try:
        return run_query(name, params, **where)  # type: ignore[arg-type]
    except QueryError as exc:
        return exc.message


def test_examples_answer_something(release: Path) -> None:
    for name, query in load_queries().items():
        for params in query.examples:
            assert run_query(name, dict(params), data=release).rows, f"{name} {params}"


# --- Oxigraph server ----------------------------------------------------------------------------------------

def test_oxigraph_holds_the_release(oxigraph_loaded: str, oxigraph: str, triples: int) -> None:
    assert sparql_count(oxigraph) == triples


def test_cli_query_on_root_url_equals_local(oxigraph_loaded: str, oxigraph: str, release: Path) -> None:
    runner = CliRunner()
    remote = runner.invoke(main, ["query", "person-timeline", "--param", "person=joseph-stalin", "--endpoint", oxigraph,
                                  "--format", "tsv"])
    local = runner.invoke(main, ["query", "person-timeline", "--param", "person=joseph-stalin", "--data", str(release),
                                 "--format", "tsv"])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
    assert remote.stdout == local.stdout and remote.stdout.count("\n") > 5


def test_load_again_without_replace_changes_nothing(oxigraph_loaded: str, oxigraph: str, release: Path,
                                                    triples: int) -> None:
    result = CliRunner().invoke(main, ["load", "--endpoint", oxigraph, "--data", str(release)])
    assert result.exit_code == 2 and "already holds" in result.output and "--replace" in result.output
    assert sparql_count(oxigraph) == triples


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:24]))
def test_hostile_values_on_oxigraph(value: str, oxigraph_loaded: str) -> None:
    assert select(oxigraph_loaded, bind(echo_query(), {"v": value})) == [{"v": value}]


def test_replace_is_all_or_nothing_on_oxigraph(oxigraph_loaded: str, oxigraph: str, release: Path, triples: int,
                                               tmp_path: Path) -> None:
    broken = tmp_path / "broken.nt"
    lines = gzip.decompress((release / "cwgraph.nt.gz").read_bytes()).splitlines(keepends=True)
    broken.write_bytes(b"".join(lines[:100]) + b"<urn:x:a> <urn:x:b> broken .\n" + b"".join(lines[100:]))
    result = CliRunner().invoke(main, ["load", "--endpoint", oxigraph, "--data", str(broken), "--replace"])
    assert result.exit_code == 2 and "is not valid N-Triples" in result.output and "line 101" in result.output
    assert "nothing was sent to the store" in result.output
    assert sparql_count(oxigraph) == triples and temporary_graphs(oxigraph_loaded) == []
    before = run_query("letters", endpoint=oxigraph_loaded).rows
    result = CliRunner().invoke(main, ["load", "--endpoint", oxigraph, "--data", str(release), "--replace"])
    assert result.exit_code == 0, result.output
    assert f"replaced {triples} triples of the default graph with {triples}" in result.output
    assert "in one transaction" in result.output  # Oxigraph: one PUT, no temporary graph
    assert sparql_count(oxigraph) == triples and temporary_graphs(oxigraph_loaded) == []
    assert run_query("letters", endpoint=oxigraph_loaded).rows == before


def test_oxigraph_put_is_all_or_nothing(oxigraph_loaded: str, oxigraph: str, release: Path, triples: int) -> None:
    """What `cwgraph load --replace` relies on for Oxigraph: a PUT that fails leaves the old graph whole."""
    import socket
    import time
    import urllib.error

    before = run_query("letters", endpoint=oxigraph_loaded).rows
    body = gzip.decompress((release / "cwgraph.nt.gz").read_bytes())
    lines = body.splitlines(keepends=True)
    middle = len(lines) // 2
    rejected = b"".join(lines[:middle]) + b"<urn:x:a> <urn:x:b> broken .\n" + b"".join(lines[middle:])
    request = urllib.request.Request(f"{oxigraph}/store?default", data=rejected, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)  # noqa: S310 (local URL)
    assert refused.value.code == 400
    assert sparql_count(oxigraph) == triples
    host, port = urllib.parse.urlsplit(oxigraph).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:  # the connection cut half-way
        sock.sendall(b"PUT /store?default HTTP/1.1\r\nHost: %s\r\nContent-Type: application/n-triples\r\n"
                     b"Content-Length: %d\r\n\r\n" % (host.encode(), len(body)) + body[: len(body) // 2])
    for _ in range(10):
        time.sleep(0.1)
        assert sparql_count(oxigraph) == triples
    assert run_query("letters", endpoint=oxigraph_loaded).rows == before


def test_load_into_a_named_graph_and_query_it(oxigraph: str, oxigraph_loaded: str, release: Path,
                                              triples: int) -> None:
    graph = "https://example.org/graphs/cwgraph"
    result = CliRunner().invoke(main, ["load", "--endpoint", f"{oxigraph}/store", "--store", "oxigraph",
                                       "--graph", graph, "--data", str(release)])
    assert result.exit_code == 0, result.output
    assert graph_count(oxigraph_loaded, graph) == triples
    assert f"--graph {graph}" in result.output
    named = run_query("network", endpoint=oxigraph_loaded, graphs=[graph])
    assert named.rows == run_query("network", data=release).rows


def test_oxigraph_read_only_and_wrong_paths(tmp_path: Path, release: Path, oxigraph: str) -> None:
    import subprocess

    from servers import find_oxigraph

    location = tmp_path / "ro"
    binary = find_oxigraph()
    assert binary
    subprocess.run([binary, "load", "--location", str(location), "--file", str(release / "cwgraph.nt.gz")],
                   check=True, capture_output=True)
    with oxigraph_server(location, read_only=True) as server:
        result = CliRunner().invoke(main, ["load", "--endpoint", server.base, "--data", str(release),
                                           "--graph", "https://example.org/g"])
    assert result.exit_code == 2 and "HTTP 403" in result.output and "serve-read-only" in result.output
    result = CliRunner().invoke(main, ["load", "--endpoint", f"{oxigraph}/nope/deeper", "--store", "oxigraph",
                                       "--data", str(release)])
    assert result.exit_code == 2 and "404" in result.output and "root URL" in result.output


# --- Virtuoso ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_same_answers_on_virtuoso(name: str, params: dict[str, str], virtuoso_loaded: str, release: Path) -> None:
    local = _answer(name, params, data=release)
    remote = _answer(name, params, endpoint=virtuoso_loaded, graphs=[GRAPH], timeout=60)
    if isinstance(local, str) or isinstance(remote, str):  # an id the data does not hold: the same refusal
        assert remote == local and "no person" in local
        return
    assert remote.columns == local.columns
    assert _normalise(remote.rows) == _normalise(local.rows)


def test_virtuoso_holds_the_release(virtuoso_loaded: str, triples: int) -> None:
    assert graph_count(virtuoso_loaded, GRAPH) == triples


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:24]))
def test_hostile_values_on_virtuoso(value: str, virtuoso_loaded: str) -> None:
    assert select(virtuoso_loaded, bind(echo_query(), {"v": value})) == [{"v": value}]


def test_virtuoso_wrong_password(virtuoso: VirtuosoServer, release: Path) -> None:
    result = CliRunner().invoke(main, ["load", "--endpoint", virtuoso.base, "--data", str(release),
                                       "--graph", "https://example.org/never", "--user", "dba", "--password", "nope"])
    assert result.exit_code == 2 and "401" in result.output and "refused the credentials of 'dba'" in result.output
    assert "nope" not in result.output


def test_virtuoso_replace_is_all_or_nothing(virtuoso_loaded: str, virtuoso: VirtuosoServer, release: Path,
                                            triples: int, tmp_path: Path) -> None:
    env = {"CWGRAPH_STORE_USER": "dba", "CWGRAPH_STORE_PASSWORD": "dba"}
    # valid N-Triples that Virtuoso refuses half-way (a long language tag), keeping what it read before:
    # the temporary graph must be dropped and the target left as it was
    lines = gzip.decompress((release / "cwgraph.nt.gz").read_bytes()).splitlines(keepends=True)
    long_tag = ("<urn:x:a> <urn:x:b> \"x\"@en-" + "-".join(["abcdefgh"] * 20) + " .\n").encode()
    broken = tmp_path / "refused.nt"
    broken.write_bytes(b"".join(lines[:3000]) + long_tag + b"".join(lines[3000:]))
    result = CliRunner().invoke(main, ["load", "--endpoint", virtuoso.base, "--data", str(broken), "--replace"],
                                env=env)
    assert result.exit_code == 2 and virtuoso.base in result.output, result.output
    assert "HTTP 500" in result.output and "dropped the temporary graph" in result.output
    assert graph_count(virtuoso_loaded, GRAPH) == triples and temporary_graphs(virtuoso_loaded) == []
    result = CliRunner().invoke(main, ["load", "--endpoint", f"{virtuoso.base}/sparql", "--data", str(release),
                                       "--replace"], env=env)
    assert result.exit_code == 0, result.output
    assert f"replaced {triples} triples of <{GRAPH}> with {triples}" in result.output
    assert graph_count(virtuoso_loaded, GRAPH) == triples and temporary_graphs(virtuoso_loaded) == []


def test_virtuoso_bulk_loader_script(virtuoso: VirtuosoServer, virtuoso_loaded: str, release: Path, triples: int,
                                     tmp_path: Path) -> None:
    graph = "https://example.org/graphs/bulk"
    script = tmp_path / "load.isql"

    def write(*extra: str) -> None:
        result = CliRunner().invoke(main, ["load", "--bulk-script", str(script), "--data", str(release),
                                           "--graph", graph, *extra])
        assert result.exit_code == 0, result.output

    write()
    run = virtuoso.isql(script.read_text("utf-8"))
    assert "Error" not in run.stdout, run.stdout[-2000:]
    assert f"now holds {triples} triples (replaced 0)" in run.stdout
    assert graph_count(virtuoso_loaded, graph) == triples
    assert run_query("letters", endpoint=virtuoso_loaded, graphs=[graph]).rows == \
        run_query("letters", data=release).rows

    run = virtuoso.isql(script.read_text("utf-8"))  # the graph holds triples and --replace was not asked
    assert "CWG01" in run.stdout and "untouched" in run.stdout
    assert graph_count(virtuoso_loaded, graph) == triples

    write("--replace")
    run = virtuoso.isql(script.read_text("utf-8"))
    assert "Error" not in run.stdout and f"(replaced {triples})" in run.stdout, run.stdout[-2000:]
    assert graph_count(virtuoso_loaded, graph) == triples and temporary_graphs(virtuoso_loaded) == []


# --- both servers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("store", ["oxigraph_loaded", "virtuoso_loaded"])
def test_hostile_values_in_canned_queries(store: str, request: pytest.FixtureRequest, release: Path) -> None:
    endpoint = request.getfixturevalue(store)
    graphs = [GRAPH] if store.startswith("virtuoso") else []
    before = run_query("letters", endpoint=endpoint, graphs=graphs).rows
    for value in HOSTILE:
        assert run_query("search", {"text": value}, endpoint=endpoint, graphs=graphs, timeout=30).rows == [], value[:40]
    assert run_query("lookup", {"name": HOSTILE[0]}, endpoint=endpoint, graphs=graphs).rows == []
    args = ["query", "search", "--endpoint", endpoint, "--format", "csv", "--param", 'text=x" } ; DROP ALL #']
    result = CliRunner().invoke(main, args + [a for g in graphs for a in ("--graph", g)])
    assert result.exit_code == 0 and result.stdout.count("\n") == 1, result.output
    assert run_query("letters", endpoint=endpoint, graphs=graphs).rows == before  # nothing was dropped
