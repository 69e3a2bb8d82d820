"""The linked-data server through werkzeug's test client: 303s, descriptions, CORS, caching, SPARQL."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_web_release import graph, published
from werkzeug.test import Client

from cwgraph.web.server import LinkedDataApp
from cwgraph.web.sparql_endpoint import SparqlService, is_update

BASE = "https://w3id.org/cwgraph/"
DOC = "document/110296"


@pytest.fixture(scope="module")
def release(built) -> Path:  # type: ignore[no-untyped-def]
    return published(built[1])


@pytest.fixture(scope="module")
def service(release: Path):  # type: ignore[no-untyped-def]
    svc = SparqlService(release, timeout=5.0, max_rows=50, workers=1)
    svc.start()
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def client(release: Path, service: SparqlService) -> Client:
    return Client(LinkedDataApp(release, sparql=service, graph=graph(release)))


@pytest.mark.parametrize(("accept", "ext"), [
    ("text/html,application/xhtml+xml,*/*;q=0.8", "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"), ("*/*", "html")])
def test_a_resource_iri_answers_303_by_accept(client: Client, accept: str, ext: str) -> None:
    r = client.get(f"/{DOC}", headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["Location"] == f"/{DOC}.{ext}"
    assert r.headers["Vary"] == "Accept"
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_unacceptable_formats_get_406_with_the_alternatives(client: Client) -> None:
    r = client.get(f"/{DOC}", headers={"Accept": "image/png"})
    assert r.status_code == 406 and f"/{DOC}.ttl" in r.text


@pytest.mark.parametrize(("ext", "media", "rdf_format"), [
    ("ttl", "text/turtle", ox.RdfFormat.TURTLE), ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES), ("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_descriptions_are_rdf_about_the_resource(client: Client, ext: str, media: str, rdf_format) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"/{DOC}.{ext}")
    assert r.status_code == 200 and r.mimetype == media and r.mimetype_params.get("charset") == "utf-8"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert f'<{BASE}{DOC}>; rel="describes"' in r.headers["Link"]
    assert f'</{DOC}.html>; rel="alternate"; type="text/html"' in r.headers["Link"]
    triples = list(ox.parse(r.data, format=rdf_format, base_iri=BASE))
    subjects = {t.subject.value for t in triples}
    assert BASE + DOC in subjects and BASE + DOC + "/communication/sending" in subjects
    labels = {t.subject.value for t in triples if t.predicate.value.endswith("#label")}
    assert BASE + "person/joseph-stalin" in labels  # labels of what it links to come along


def test_the_person_description_includes_the_documents_that_point_at_them(client: Client) -> None:
    triples = list(ox.parse(client.get("/person/joseph-stalin.nt").data, format=ox.RdfFormat.N_TRIPLES))
    senders = {t.subject.value for t in triples if t.predicate.value.endswith("vocab#sender")}
    assert BASE + DOC in senders


def test_every_iri_in_the_release_resolves(release: Path, client: Client) -> None:
    g = graph(release)
    minted = {q.subject.value for q in g.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
              if q.subject.value.startswith(BASE)}
    assert len(minted) > 500
    for iri in sorted(minted):
        path = iri[len(BASE):]
        r = client.get("/" + path, headers={"Accept": "text/turtle"})
        assert r.status_code == 303, iri
        assert client.get(r.headers["Location"]).status_code == 200, iri


def test_html_pages_render_for_every_kind(release: Path, client: Client) -> None:
    for path in (DOC, "person/joseph-stalin", "name/filippov", "place/moscow", "event/sino-soviet-treaty-1950",
                 "group/gru", "type/cable", "collection/sino-soviet-alliance", f"{DOC}/communication/sending",
                 "vocab", "dataset/build"):
        r = client.get(f"/{path}.html")
        assert r.status_code == 200, path
        assert r.mimetype == "text/html" and "<h1" in r.text, path
        assert "Access-Control-Allow-Origin" not in r.headers


def test_conditional_requests_and_head(client: Client) -> None:
    r = client.get(f"/{DOC}.ttl")
    etag = r.headers["ETag"]
    assert client.get(f"/{DOC}.ttl", headers={"If-None-Match": etag}).status_code == 304
    head = client.head(f"/{DOC}.ttl")
    assert head.status_code == 200 and head.data == b""


def test_well_known_void_and_the_home_page(client: Client) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["Location"] == "/collection/sino-soviet-alliance.ttl"
    void = list(ox.parse(client.get(r.headers["Location"]).data, format=ox.RdfFormat.TURTLE, base_iri=BASE))
    assert any(t.predicate.value == "http://rdfs.org/ns/void#triples" for t in void)
    home = client.get("/", headers={"Accept": "text/html"})
    assert home.status_code == 200 and "Who wrote to whom" in home.text and home.headers["Vary"] == "Accept"
    assert client.get("/", headers={"Accept": "text/turtle"}).status_code == 303


def test_release_files_are_served_and_nothing_else(client: Client) -> None:
    r = client.get("/dist/cwgraph.nt.gz")
    assert r.status_code == 200 and r.mimetype == "application/gzip" and r.data[:2] == b"\x1f\x8b"
    assert client.get("/dist/network.gexf").mimetype == "application/gexf+xml"
    assert client.get("/dist/../pyproject.toml").status_code == 404
    assert client.get("/dist/%2e%2e/pyproject.toml").status_code == 404
    assert client.get("/document/does-not-exist", headers={"Accept": "text/html"}).status_code == 404
    assert client.post(f"/{DOC}").status_code == 405


def test_preflight_allows_sparql_posts(client: Client) -> None:
    r = client.options("/sparql")
    assert r.status_code == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in r.headers["Access-Control-Allow-Headers"]


# --- SPARQL --------------------------------------------------------------------------------------

PERSONS = ("SELECT ?p ?name WHERE { ?p a crm:E21_Person ; rdfs:label ?name FILTER(?name IN (\"Anastas Mikoyan\", "
            "\"Mao Zedong\", \"Joseph Stalin\", \"Zhou Enlai\", \"Liu Shaoqi\")) } ORDER BY ?p LIMIT 5")


@pytest.mark.parametrize(("accept", "fmt"), [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", ox.QueryResultsFormat.CSV), ("text/tab-separated-values", ox.QueryResultsFormat.TSV)])
def test_sparql_get_in_every_result_format(client: Client, accept: str, fmt) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/sparql", query_string={"query": PERSONS}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.mimetype == accept and r.headers["Access-Control-Allow-Origin"] == "*"
    if fmt == ox.QueryResultsFormat.CSV:  # lossy: read as text
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == 5 and rows[0]["p"] == BASE + "person/anastas-mikoyan"
        return
    rows = list(ox.parse_query_results(r.data, format=fmt))
    assert len(rows) == 5
    assert rows[0]["p"] == ox.NamedNode(BASE + "person/anastas-mikoyan")


def test_sparql_post_form_and_direct(client: Client) -> None:
    form = client.post("/sparql", data={"query": PERSONS}, headers={"Accept": "application/sparql-results+json"})
    direct = client.post("/sparql", data=PERSONS, content_type="application/sparql-query",
                         headers={"Accept": "application/sparql-results+json"})
    assert form.status_code == direct.status_code == 200
    assert json.loads(form.data) == json.loads(direct.data)
    assert client.post("/sparql", data=PERSONS, content_type="text/plain").status_code == 415


def test_sparql_ask_construct_and_bad_queries(client: Client) -> None:
    ask = client.get("/sparql", query_string={"query": "ASK { ?d cw:sender ?s }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert json.loads(ask.data)["boolean"] is True
    construct = client.get("/sparql", query_string={"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ <{BASE}{DOC}> ?p ?o "
                                                               "BIND(?p AS ?x) BIND(<urn:x> AS ?s) }"},
                           headers={"Accept": "text/turtle"})
    assert construct.status_code == 200 and construct.mimetype == "text/turtle"
    assert list(ox.parse(construct.data, format=ox.RdfFormat.TURTLE))
    bad = client.get("/sparql", query_string={"query": "SELECT WHERE"})
    assert bad.status_code == 400


UPDATE = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"


@pytest.mark.parametrize("request_kwargs", [
    {"method": "POST", "data": {"update": UPDATE}},
    {"method": "POST", "data": "DELETE WHERE { ?s ?p ?o }", "content_type": "application/sparql-update"},
    {"method": "POST", "data": UPDATE, "content_type": "application/sparql-update; charset=utf-8"},
    {"method": "GET", "query_string": {"query": "PREFIX x: <urn:x#> DELETE WHERE { ?s ?p ?o }"}},
    {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
    {"method": "GET", "query_string": {"query": "SELECT * {}", "update": "CLEAR ALL"}},
    {"method": "POST", "data": UPDATE, "content_type": "application/sparql-query"},
    {"method": "POST", "data": {"query": "LOAD <http://127.0.0.1:7878/x.ttl>"}},
    {"method": "POST", "data": {"update": (io.BytesIO(UPDATE.encode()), "u.rq")}},  # multipart/form-data
    {"method": "POST", "data": UPDATE, "content_type": "text/plain"},
    {"method": "POST", "query_string": {"update": UPDATE}, "data": "", "content_type": "application/sparql-query"},
    {"method": "GET", "query_string": {"query": "\\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "GET", "query_string": {"query": "# INSERT\nPREFIX : <urn:x#>\ndelete data { :a :b :c }"}},
])
def test_sparql_updates_are_refused(client: Client, request_kwargs: dict) -> None:  # type: ignore[type-arg]
    r = client.open("/sparql", **request_kwargs)
    assert r.status_code == 403
    count = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                       headers={"Accept": "text/csv"})
    assert int(list(csv.reader(io.StringIO(count.text)))[1][0]) > 1000


def test_sparql_results_stop_at_the_row_limit(client: Client) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert r.headers["X-SPARQL-MaxRows"] == "50" and r.headers["X-SPARQL-Truncated"] == "true"
    assert len(json.loads(r.data)["results"]["bindings"]) == 50


def test_a_runaway_query_is_stopped(release: Path) -> None:
    svc = SparqlService(release, timeout=1.0, workers=1)
    try:
        svc.start()
        assert svc.run("ASK { ?s ?p ?o }").status == 200  # ready
        loader = svc.worker_pids()[0]
        r = svc.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert r.status == 503 and b"longer than 1 s" in r.body
        assert svc.run("ASK { ?s ?p ?o }", accept="application/sparql-results+json").status == 200  # replaced
        assert svc.worker_pids()[0] == loader  # forked again from the loaded release, not reloaded
    finally:
        svc.close()


def test_sparql_form_and_service_description(client: Client) -> None:
    form = client.get("/sparql", headers={"Accept": "text/html"})
    assert form.status_code == 200 and "<textarea" in form.text
    sd = client.get("/sparql", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(sd.data, format=ox.RdfFormat.TURTLE, base_iri=BASE))
    assert any(t.object.value.endswith("SPARQL11Query") for t in triples)
    html = client.get("/sparql", query_string={"query": PERSONS}, headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Anastas Mikoyan" in html.text


def test_update_detection() -> None:
    assert is_update("INSERT DATA { <a:b> <a:b> <a:c> }")
    assert is_update("# comment\nPREFIX a: <urn:a#>\nWITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert not is_update("PREFIX a: <urn:a#> SELECT * WHERE { ?s a:insert ?o }")


# --- hardening (issue 15) and the protocol as clients send it (issue 12) ------------------------------

def test_federated_queries_are_refused(client: Client) -> None:
    for query in ("SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }",
                  "SELECT * WHERE { SERVICE SILENT <http://169.254.169.254/latest/> { ?s ?p ?o } }"):
        r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 403 and "SERVICE" in r.text and "--allow-service" in r.text


def test_max_rows_header_only_when_the_answer_was_cut(client: Client) -> None:
    r = client.get("/sparql", query_string={"query": PERSONS}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert "X-SPARQL-MaxRows" not in r.headers and "X-SPARQL-Truncated" not in r.headers


def test_sparql_format_parameters(client: Client) -> None:
    construct = f"CONSTRUCT {{ <{BASE}{DOC}> ?p ?o }} WHERE {{ <{BASE}{DOC}> ?p ?o }}"
    r = client.get("/sparql", query_string={"query": construct, "format": "xml"})
    assert r.status_code == 200 and r.mimetype == "application/rdf+xml"
    assert list(ox.parse(r.data, format=ox.RdfFormat.RDF_XML))
    for value, media in (("rdf+xml", "application/rdf+xml"), ("n3", "text/turtle"), ("json-ld", "application/ld+json"),
                         ("turtle", "text/turtle")):
        r = client.get("/sparql", query_string={"query": construct, "output": value})
        assert r.status_code == 200 and r.mimetype == media, value
    r = client.get("/sparql", query_string={"query": PERSONS, "results": "csv"}, headers={"Accept": "*/*"})
    assert r.mimetype == "text/csv"
    r = client.get("/sparql", query_string={"query": PERSONS}, headers={"Accept": "application/*"})
    assert r.mimetype == "application/sparql-results+json"
    r = client.get("/sparql", query_string={"query": PERSONS},
                   headers={"Accept": "application/sparql-results+xml;charset=utf-8"})
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+xml"


def test_accept_with_parameters_and_application_wildcard_on_resources(client: Client) -> None:
    r = client.get(f"/{DOC}", headers={"Accept": "text/turtle;charset=utf-8"})
    assert r.status_code == 303 and r.headers["Location"] == f"/{DOC}.ttl"
    r = client.get(f"/{DOC}", headers={"Accept": "application/*"})
    assert r.status_code == 303 and not r.headers["Location"].endswith(".html")
    assert client.get("/", headers={"Accept": "application/*"}).status_code == 303


def test_non_http_iris_are_never_links(client: Client, release: Path) -> None:
    query = ("SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <data:text/html,x> <http://example.org/ok> "
             f"<{BASE}{DOC}> }} }}")
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert 'href="javascript:' not in r.text and 'href="data:' not in r.text
    assert "javascript:alert(1)" in r.text  # shown as text
    assert 'href="http://example.org/ok"' in r.text and f'href="{DOC}.html"' in r.text
    # and whatever a template is given: every page passes through the same filter
    app = LinkedDataApp(release, sparql=None, graph=graph(release))
    table = {"columns": ["x"], "truncated": False,
             "rows": [[{"text": "a", "href": "javascript:alert(1)"}], [{"text": "b", "href": " JAVA\tSCRIPT:alert(2)"}],
                      [{"text": "c", "href": "vbscript:x"}], [{"text": "d", "href": "https://example.org/"}]]}
    page = app.pages.render_template("sparql.html", "sparql", title="t", query="", action="sparql", timeout="1",
                                     max_rows=1, examples=[], result_formats=["html"], results=table)
    hrefs = [html.unescape(h).replace("\t", "").strip().lower() for h in re.findall(r'href="([^"]*)"', page)]
    assert "https://example.org/" in hrefs
    assert not [h for h in hrefs if re.match(r"[a-z][a-z0-9+.-]*:", h) and not h.startswith(("http:", "https:"))]
    assert "<a>c</a>" in page  # the text stays, without a link


def test_the_host_header_is_not_reflected(release: Path, service: SparqlService) -> None:
    def endpoints(app: LinkedDataApp) -> set[str]:
        r = Client(app).get("/sparql", headers={"Accept": "application/n-triples", "Host": "evil.example"})
        assert r.status_code == 200 and b"evil.example" not in r.data
        triples = ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES)
        return {t.object.value for t in triples if t.predicate.value.endswith("#endpoint")}

    # the server's own name (the WSGI server's SERVER_NAME), not the client's
    assert endpoints(LinkedDataApp(release, sparql=service, graph=graph(release))) == {"http://localhost/sparql"}
    configured = LinkedDataApp(release, sparql=service, graph=graph(release), public_url="https://data.example.org/cw")
    assert endpoints(configured) == {"https://data.example.org/cw/sparql"}


def test_bodies_are_refused_from_their_length(client: Client) -> None:
    from cwgraph.web.server import MAX_BODY_BYTES

    r = client.post("/sparql", data=b"#" * (MAX_BODY_BYTES + 1), content_type="application/sparql-query")
    assert r.status_code == 413
    r = client.post("/sparql", data={"query": "#" * (MAX_BODY_BYTES + 1)})
    assert r.status_code == 413


def test_memory_cap_and_no_reload(release: Path) -> None:
    svc = SparqlService(release, timeout=20.0, workers=1, max_memory=192 * 2**20)
    try:
        assert svc.run("ASK { ?s ?p ?o }").status == 200
        loader, first = svc.worker_pids()
        bomb = svc.run("SELECT ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1")
        assert bomb.status == 503 and b"192 MiB" in bomb.body
        assert svc.run("ASK { ?s ?p ?o }").status == 200
        again, second = svc.worker_pids()
        assert again == loader and second != first  # a fresh worker, forked: the release was not read again
    finally:
        svc.close()


def test_workers_have_no_network_when_no_service_is_allowed(release: Path) -> None:
    """Defence in depth: even a SERVICE call handed straight to a worker cannot leave the machine."""
    import http.server
    import threading

    from cwgraph.web.sparql_endpoint import _Request

    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    svc = SparqlService(release, timeout=10.0, workers=1)
    try:
        assert svc.run("ASK { ?s ?p ?o }").status == 200
        if not svc.isolated:
            pytest.skip("this kernel lets no unprivileged process have a network namespace of its own")
        worker = svc._pool.fork()  # past the policy, on purpose
        url = f"http://127.0.0.1:{httpd.server_address[1]}/query"
        worker.conn.send(_Request(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", None))
        assert worker.conn.poll(10)
        answer = worker.conn.recv()
        worker.kill()
        assert answer.status == 400 and not hits
    finally:
        svc.close()
        httpd.shutdown()
        httpd.server_close()


def test_queries_during_loading_get_503_with_retry_after(release: Path) -> None:
    svc = SparqlService(release, timeout=5.0, workers=1)
    svc.load_wait = 0.001  # a request thread does not wait for a large release to load
    try:
        early = svc.run("ASK { ?s ?p ?o }")
        assert early.status == 503 and early.headers.get("Retry-After") == "10" and b"still loading" in early.body
        svc.load_wait = 60.0
        assert svc.run("ASK { ?s ?p ?o }").status == 200
    finally:
        svc.close()


def test_the_endpoint_recovers_when_its_loader_is_killed(release: Path) -> None:
    import os
    import signal

    svc = SparqlService(release, timeout=10.0, workers=1)
    try:
        assert svc.run("ASK { ?s ?p ?o }").status == 200
        for pid in svc.worker_pids():  # the loader and its worker, as the kernel's OOM killer would
            os.kill(pid, signal.SIGKILL)
        statuses = [svc.run("ASK { ?s ?p ?o }").status for _ in range(3)]
        assert statuses[-1] == 200 and 503 not in statuses[1:], statuses  # at most the first query is lost
    finally:
        svc.close()
