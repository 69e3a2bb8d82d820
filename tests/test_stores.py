"""Loading triple stores, at the protocol level: adapters, Digest, dumps, and a Fuseki fake.

No Fuseki package exists here, so ``tests/fakes/fuseki.py`` answers like Fuseki does (405 for an
unknown dataset, 400 for an update whose Content-Type carries a charset, JSON counts for uploads,
Basic authentication). Real Oxigraph and Virtuoso servers are in ``test_integration_stores.py``.
"""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from cwgraph.cli import main
from cwgraph.core.errors import StoreError
from cwgraph.querying.queries import run_query
from cwgraph.stores import (
    TEMP_PREFIX,
    Credentials,
    adapter_for,
    bulk_load_script,
    default_graph_iri,
    load_dump,
    read_dump,
)
from cwgraph.stores.transport import Http, digest_authorization, parse_challenge
from fakes.fuseki import FakeFuseki, fake_fuseki
from servers import free_port

GRAPH = "https://example.org/graph/release"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Path:
    """A private copy of the committed release (others may rebuild dist/ meanwhile)."""
    folder = tmp_path_factory.mktemp("release")
    (folder / "cwgraph.nt.gz").write_bytes((root / "dist" / "cwgraph.nt.gz").read_bytes())
    return folder


@pytest.fixture(scope="module")
def triples(release: Path) -> int:
    return len(set(gzip.decompress((release / "cwgraph.nt.gz").read_bytes()).splitlines()) - {b""})


@pytest.fixture()
def fuseki() -> Iterator[FakeFuseki]:
    with fake_fuseki() as fake:
        yield fake


def load(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["load", *args])
    assert "Traceback" not in result.output
    if result.exit_code not in (0, 2):
        raise AssertionError(result.output)
    return result.exit_code, result.output


# --- adapters and URLs --------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "kind", "base", "query", "gsp"), [
    ("http://h:7878", "oxigraph", "http://h:7878", "http://h:7878/query", "http://h:7878/store"),
    ("http://h:7878/query", "oxigraph", "http://h:7878", "http://h:7878/query", "http://h:7878/store"),
    ("http://h:7878/store/", "oxigraph", "http://h:7878", "http://h:7878/query", "http://h:7878/store"),
    ("http://h:3030/ds", "fuseki", "http://h:3030/ds", "http://h:3030/ds/query", "http://h:3030/ds/data"),
    ("http://h:3030/ds/sparql", "fuseki", "http://h:3030/ds", "http://h:3030/ds/query", "http://h:3030/ds/data"),
    ("http://h:8890", "virtuoso", "http://h:8890", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud-auth"),
    ("http://h:8890/sparql-auth", "virtuoso", "http://h:8890", "http://h:8890/sparql",
     "http://h:8890/sparql-graph-crud-auth"),
])
def test_adapter_urls(url: str, kind: str, base: str, query: str, gsp: str) -> None:
    adapter = adapter_for(url, kind)
    assert (adapter.base, adapter.query_url, adapter.gsp_url) == (base, query, gsp)


def test_graph_urls_are_encoded() -> None:
    adapter = adapter_for("http://h:7878", "oxigraph")
    assert adapter.graph_url(None) == "http://h:7878/store?default"
    assert adapter.graph_url("https://x.org/g?a=b&c#d") == "http://h:7878/store?graph=https%3A%2F%2Fx.org%2Fg%3Fa%3Db%26c%23d"


@pytest.mark.parametrize("url", ["ftp://h/x", "h:7878", "not a url", ""])
def test_bad_endpoint_urls(url: str) -> None:
    with pytest.raises(StoreError, match="not an http"):
        adapter_for(url, "oxigraph")


def test_fuseki_url_must_name_a_dataset() -> None:
    with pytest.raises(StoreError, match="names its dataset"):
        adapter_for("http://h:3030", "fuseki")


def test_store_is_told_from_its_server_header(fuseki: FakeFuseki) -> None:
    assert adapter_for(fuseki.url(), None).kind == "fuseki"


def test_unknown_server_asks_for_store() -> None:
    class Plain(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

        def version_string(self) -> str:
            return "nginx"

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Plain)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with pytest.raises(StoreError, match="--store oxigraph"):
            adapter_for(f"http://127.0.0.1:{server.server_address[1]}", None)
    finally:
        server.shutdown()
        server.server_close()


# --- HTTP Digest (Virtuoso) --------------------------------------------------------------------------------

def test_digest_rfc2617_example() -> None:
    challenge = parse_challenge('Digest realm="testrealm@host.com", qop="auth,auth-int", '
                                'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')
    assert challenge[0] == "digest"
    header = digest_authorization(Credentials("Mufasa", "Circle Of Life"), challenge[1], "GET", "/dir/index.html",
                                  1, "0a4f113b")
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert "nc=00000001" in header and 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in header


def test_credentials_never_print_the_password() -> None:
    assert "secret" not in repr(Credentials("dba", "secret"))


# --- dumps -------------------------------------------------------------------------------------------------

def test_read_dump_counts_distinct_triples(tmp_path: Path, release: Path, triples: int) -> None:
    assert read_dump(release).triples == triples
    nt = tmp_path / "x.nt"
    nt.write_text("# a comment\n<urn:a> <urn:b> <urn:c> .\n\n<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"d\" .\n"
                  "<urn:0> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"d\" .\n", "utf-8")  # unsorted, with duplicates
    dump = read_dump(nt)
    assert dump.triples == 3
    with dump.open() as stream:
        assert len(stream.read()) == dump.size
    ttl = tmp_path / "x.ttl"
    ttl.write_text("<urn:a> <urn:b> <urn:c>, <urn:d> .\n", "utf-8")
    assert read_dump(ttl).triples == 2


def test_read_dump_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no cwgraph.nt.gz"):
        read_dump(tmp_path)
    with pytest.raises(StoreError, match="no such file"):
        read_dump(tmp_path / "missing.nt")
    broken = tmp_path / "broken.nt"
    broken.write_text("<urn:a> <urn:b> <urn:c> .\n" * 3 + "<urn:a> <urn:b> broken .\n", "utf-8")
    with pytest.raises(StoreError, match=r"not valid N-Triples: .*line 4"):
        read_dump(broken)
    truncated = tmp_path / "cut.nt.gz"
    truncated.write_bytes(gzip.compress(b"<urn:a> <urn:b> <urn:c> .\n" * 1000)[:-20])
    with pytest.raises(StoreError, match="truncated"):
        read_dump(truncated)


# --- loading: the Fuseki fake ------------------------------------------------------------------------------

def test_load_into_empty_default_graph(fuseki: FakeFuseki, release: Path, triples: int) -> None:
    code, out = load("--endpoint", fuseki.url(), "--data", str(release))
    assert code == 0, out
    assert f"loaded {triples} triples into the default graph" in out and "(fuseki)" in out
    assert f"cwgraph query letters --endpoint {fuseki.url()}/query" in out
    assert fuseki.count() == triples and fuseki.graphs() == []


def test_updates_carry_no_charset(fuseki: FakeFuseki, release: Path) -> None:
    assert load("--endpoint", fuseki.url(), "--data", str(release))[0] == 0
    assert load("--endpoint", fuseki.url(), "--data", str(release), "--replace")[0] == 0
    updates = [h for m, p, h in fuseki.requests if p.endswith("/update")]
    assert updates and all(h["Content-Type"] == "application/sparql-update" for h in updates)


def test_fake_refuses_a_charset_like_fuseki(fuseki: FakeFuseki) -> None:
    response = Http().request("POST", f"{fuseki.url()}/update", body=b"DROP SILENT DEFAULT",
                              headers={"Content-Type": "application/sparql-update; charset=UTF-8"})
    assert response.status == 400 and b"Unknown content type" in response.body


def test_load_refuses_a_graph_that_holds_triples(fuseki: FakeFuseki, release: Path, triples: int) -> None:
    assert load("--endpoint", fuseki.url(), "--data", str(release))[0] == 0
    code, out = load("--endpoint", fuseki.url(), "--data", str(release))
    assert code == 2
    assert f"already holds {triples} triples; nothing was loaded" in out and "--replace" in out


def test_replace_swaps_in_one_update_and_leaves_no_temporary_graph(fuseki: FakeFuseki, release: Path,
                                                                    triples: int) -> None:
    old = ox.Quad(ox.NamedNode("urn:x:old"), ox.NamedNode("urn:x:p"), ox.Literal("stale"), ox.NamedNode(GRAPH))
    fuseki.datasets["cwgraph"].add(old)
    code, out = load("--endpoint", fuseki.url(), "--graph", GRAPH, "--data", str(release), "--replace")
    assert code == 0, out
    assert f"replaced 1 triples of <{GRAPH}> with {triples}" in out
    assert fuseki.count(graph=GRAPH) == triples and old not in fuseki.datasets["cwgraph"]
    assert fuseki.graphs() == [GRAPH]
    moves = [h for m, p, h in fuseki.requests if p.endswith("/update")]
    assert len(moves) == 1  # MOVE: one request, one transaction


def test_failed_swap_keeps_the_old_graph_and_drops_the_temporary_one(fuseki: FakeFuseki, release: Path) -> None:
    old = ox.Quad(ox.NamedNode("urn:x:old"), ox.NamedNode("urn:x:p"), ox.Literal("kept"))
    fuseki.datasets["cwgraph"].add(old)
    fuseki.fail_updates = True
    code, out = load("--endpoint", fuseki.url(), "--data", str(release), "--replace")
    assert code == 2
    assert "moving the loaded triples into the default graph" in out and "HTTP 500" in out
    assert "dropped the temporary graph" in out
    assert list(fuseki.datasets["cwgraph"]) == [old]  # untouched, and nothing left behind


def test_partial_upload_is_reported_and_cleaned_up(fuseki: FakeFuseki, release: Path) -> None:
    fuseki.break_upload_after = 10_000
    code, out = load("--endpoint", fuseki.url(), "--data", str(release))
    assert code == 2
    assert f"PUT {fuseki.url()}/data?default" in out
    assert "the connection broke after" in out or "closed the connection without an answer" in out
    assert fuseki.count() == 0 and fuseki.graphs() == []


def test_partial_upload_during_replace_keeps_the_old_graph(fuseki: FakeFuseki, release: Path) -> None:
    old = ox.Quad(ox.NamedNode("urn:x:old"), ox.NamedNode("urn:x:p"), ox.Literal("kept"))
    fuseki.datasets["cwgraph"].add(old)
    fuseki.break_upload_after = 10_000
    code, out = load("--endpoint", fuseki.url(), "--data", str(release), "--replace")
    assert code == 2 and "dropped the temporary graph" in out
    assert list(fuseki.datasets["cwgraph"]) == [old]


def test_a_store_holding_fewer_triples_than_the_dump_fails_the_load(fuseki: FakeFuseki, tmp_path: Path) -> None:
    # two lines, one triple for the store: whatever the cause, a count that does not match is refused
    dump = tmp_path / "d.nt"
    dump.write_text('<urn:a> <urn:b> "x" .\n<urn:a>  <urn:b> "x" .\n', "utf-8")
    code, out = load("--endpoint", fuseki.url(), "--data", str(dump))
    assert code == 2 and "partial upload" in out and "holds 1 of the dump's 2 triples" in out
    assert fuseki.count() == 0


def test_unknown_dataset_405(fuseki: FakeFuseki, release: Path) -> None:
    code, out = load("--endpoint", fuseki.url("nope"), "--store", "fuseki", "--data", str(release))
    assert code == 2
    assert f"{fuseki.url('nope')}/query" in out and "405" in out and "unknown or read-only dataset" in out


def test_unknown_path_404(fuseki: FakeFuseki, release: Path) -> None:
    fuseki.datasets["cwgraph"]  # the dataset exists; the service does not
    code, out = load("--endpoint", fuseki.base + "/cwgraph/nope/x", "--store", "fuseki", "--data", str(release))
    assert code == 2 and "404" in out and "the URL must name the dataset" in out


def test_authentication(release: Path, triples: int) -> None:
    fake = FakeFuseki(users={"admin": "pw", "reader": "pw2"}, readers={"reader"})
    with fake_fuseki(fake) as fuseki:
        code, out = load("--endpoint", fuseki.url(), "--data", str(release))
        assert code == 2 and "401" in out and "--user/--password" in out
        code, out = load("--endpoint", fuseki.url(), "--data", str(release), "--user", "admin", "--password", "no")
        assert code == 2 and "refused the credentials of 'admin'" in out
        code, out = load("--endpoint", fuseki.url(), "--data", str(release), "--user", "reader", "--password", "pw2")
        assert code == 2 and "403" in out and "shiro.ini" in out
        assert fuseki.count() == 0
        result = CliRunner().invoke(main, ["load", "--endpoint", fuseki.url(), "--data", str(release)],
                                    env={"CWGRAPH_STORE_USER": "admin", "CWGRAPH_STORE_PASSWORD": "pw"})
        assert result.exit_code == 0, result.output
        assert fuseki.count() == triples
        assert "pw" not in result.output


def test_timeout(release: Path) -> None:
    with fake_fuseki(FakeFuseki(delay=3)) as fuseki:
        code, out = load("--endpoint", fuseki.url(), "--store", "fuseki", "--data", str(release), "--timeout", "1")
    assert code == 2 and "no answer within 1 s" in out and fuseki.url() in out


def test_connection_refused(release: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, out = load("--endpoint", url, "--data", str(release))
    assert code == 2
    assert out.startswith("error: cannot connect to") and url in out and "is the store running?" in out


def test_virtuoso_needs_credentials_and_a_named_graph(release: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, out = load("--endpoint", url, "--store", "virtuoso", "--data", str(release))
    assert code == 2 and "needs credentials" in out and "dba/dba" in out
    with pytest.raises(StoreError, match="no separate default graph"):
        load_dump(release, url, store="virtuoso", graph="default", credentials=Credentials("dba", "dba"))


def test_graph_must_be_an_iri(fuseki: FakeFuseki, release: Path) -> None:
    code, out = load("--endpoint", fuseki.url(), "--graph", "not an iri> } DROP ALL", "--data", str(release))
    assert code == 2 and "is not an IRI" in out
    code, out = load("--endpoint", fuseki.url(), "--graph", TEMP_PREFIX + "x", "--data", str(release))
    assert code == 2 and "temporary graphs" in out


def test_syntax_errors_name_their_line_across_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cwgraph.stores.load as loading

    monkeypatch.setattr(loading, "_CHECK_CHUNK", 100)  # many small blocks
    broken = tmp_path / "broken.nt.gz"
    broken.write_bytes(gzip.compress(b"<urn:a> <urn:b> <urn:c> .\n" * 50 + b"<urn:a> <urn:b> broken .\n"))
    with pytest.raises(StoreError, match=r"line 51\b"):
        read_dump(broken)


def test_broken_dump_never_reaches_the_store(fuseki: FakeFuseki, tmp_path: Path) -> None:
    broken = tmp_path / "broken.nt"
    broken.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> broken .\n", "utf-8")
    code, out = load("--endpoint", fuseki.url(), "--data", str(broken))
    assert code == 2 and "not valid N-Triples" in out and "nothing was sent" in out
    assert fuseki.requests == []


def test_load_needs_an_endpoint() -> None:
    result = CliRunner().invoke(main, ["load"])
    assert result.exit_code == 2 and "--endpoint" in result.output


def test_query_through_fake_fuseki_equals_local(fuseki: FakeFuseki, release: Path) -> None:
    assert load("--endpoint", fuseki.url(), "--data", str(release))[0] == 0
    for name, params in (("letters", {}), ("between", {"from": "1950-02-10", "to": "1950-02-20"})):
        local = run_query(name, params, data=release)
        remote = run_query(name, params, endpoint=f"{fuseki.url()}/query", timeout=10)
        assert remote.columns == local.columns and remote.rows == local.rows


def test_query_errors_name_the_endpoint(fuseki: FakeFuseki) -> None:
    result = CliRunner().invoke(main, ["query", "letters", "--endpoint", fuseki.url("nope") + "/query"])
    assert result.exit_code == 2 and fuseki.url("nope") in result.output and "Traceback" not in result.output


def test_query_hints_at_virtuoso_cost_estimates() -> None:
    class Refusing(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b"Virtuoso 42000 Error The estimated execution time 1751 (sec) exceeds the limit of 400 (sec)."
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        result = CliRunner().invoke(main, ["query", "letters", "--endpoint", url])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 2 and "MaxQueryCostEstimationTime" in result.output


@pytest.mark.parametrize(("headers", "warned"), [
    ({"X-SPARQL-MaxRows": "1"}, True),  # Virtuoso: as many rows as its cap
    ({"X-SPARQL-MaxRows": "10000", "X-SPARQL-Truncated": "true"}, True),
    ({"X-SPARQL-MaxRows": "10000"}, False),  # a cap that was not reached cut nothing
    ({}, False),
])
def test_query_warns_only_when_the_store_cut_the_results(headers: dict[str, str], warned: bool) -> None:
    class Capped(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Capped)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        result = CliRunner().invoke(main, ["query", "network", "--format", "csv",
                                           "--endpoint", f"http://127.0.0.1:{server.server_address[1]}/sparql"])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert result.stdout == "n\n1\n"
    assert ("cut the results at" in result.stderr) is warned, result.stderr


# --- Virtuoso's bulk-load script -------------------------------------------------------------------------

def test_bulk_script(release: Path, triples: int, tmp_path: Path) -> None:
    out = tmp_path / "load.isql"
    result = CliRunner().invoke(main, ["load", "--bulk-script", str(out), "--data", str(release), "--replace"])
    assert result.exit_code == 0, result.output
    script = out.read_text("utf-8")
    dump = (release / "cwgraph.nt.gz").resolve()
    assert f"ld_dir('{dump.parent}', 'cwgraph.nt.gz', 'urn:x-cwgraph:bulk:" in script
    assert "rdf_loader_run();" in script and "checkpoint;" in script
    assert f"loaded <> {triples}" in script and f"TO GRAPH <{default_graph_iri()}>" in script
    assert "ll_error IS NOT NULL" in script
    assert "isql-vt 1111 dba PASSWORD" in result.output
    stdout = CliRunner().invoke(main, ["load", "--bulk-script", "-", "--data", str(release), "--graph", GRAPH])
    assert stdout.exit_code == 0 and f"TO GRAPH <{GRAPH}>" in stdout.stdout and "(0 = 1 AND" not in stdout.stdout


def test_bulk_script_refuses_what_isql_would_misread(tmp_path: Path) -> None:
    dump = tmp_path / "x.nt"
    dump.write_text("<urn:a> <urn:b> <urn:c> .\n", "utf-8")
    with pytest.raises(StoreError, match="isql"):
        bulk_load_script(dump, "urn:x:$U", 1)
    with pytest.raises(StoreError, match="N-Triples"):
        bulk_load_script(tmp_path / "x.ttl", GRAPH, 1)
    with pytest.raises(StoreError, match="not an IRI"):
        bulk_load_script(dump, "not an iri>", 1)
    result = CliRunner().invoke(main, ["load", "--bulk-script", "-", "--store", "oxigraph", "--data", str(dump)])
    assert result.exit_code == 2 and "Virtuoso" in result.output
