"""Updates and federation refused from a query's tokens, checked against what pyoxigraph really does.

The cross-check runs each query in a real pyoxigraph store while a small HTTP server on
127.0.0.1 records every request: a query our policy lets through must never reach it, and
one that pyoxigraph sends there must be one our policy refuses.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from cwgraph.core.namespaces import PREFIXES
from cwgraph.web.sparql_policy import check, is_update, services, tokens, unescape

ANSWER = b'{"head": {"vars": ["o"]}, "results": {"bindings": [{"o": {"type": "literal", "value": "secret"}}]}}'


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    do_GET = do_POST = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def _tricky(url: str) -> list[str]:
    """Ways to write (or seem to write) a SERVICE call; {url} is the recorder."""
    escaped = "".join(f"\\u{ord(c):04X}" for c in "SERVICE")
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {escaped} <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(1 AS ?x) SERVICE\n#comment\n<{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        # a keyword glued to a number or a boolean: pyoxigraph reads two tokens
        f"SELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p trueSERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p falseSERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p 1e5SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p 1.0SERVICE<{url}>{{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p 1.e5SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p 1.SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ ?s ?p 1SERVICEr:sparql {{ ?a ?b ?c }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ ?s ?p 1SERVICESILENTr:sparql {{ ?a ?b ?c }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ ?s ?p trueSERVICEr:sparql {{ ?a ?b ?c }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ ?s ?p 1e5SeRvIcEr:sparql {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(true)SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL{{}}SERVICE <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p 'x'SERVICE <{url}> {{ ?a ?b ?c }} }}",
        # look alike, but call nothing
        f"# SERVICE <{url}> {{ ?s ?p ?o }}\nSELECT * WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ ?s ?p 'SERVICE <{url}> {{ ?s ?p ?o }}' }}",
        f"SELECT * WHERE {{ ?s ?p \"\"\"x\" SERVICE <{url}> {{ }}\"\"\" }}",
        f"SELECT ?service WHERE {{ ?service <{url}#SERVICE> ?o }}",
        "PREFIX svc: <urn:x#> SELECT * WHERE { ?s svc:SERVICE ?o }",
    ]


def test_the_policy_refuses_every_call_pyoxigraph_would_make(recorder: str) -> None:
    store = ox.Store()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    # objects for every literal the tricky queries glue a keyword to: a pattern that matches
    # nothing would let pyoxigraph skip the SERVICE call and hide a way through
    for value, datatype in (("o", "string"), ("x", "string"), ("1", "integer"), ("true", "boolean"),
                            ("false", "boolean"), ("1e5", "double"), ("1.0", "decimal")):
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
                          ox.Literal(value, datatype=ox.NamedNode(xsd + datatype))))
    called = 0
    for query in _tricky(recorder):
        before = len(_Recorder.hits)
        try:
            result = store.query(query, prefixes=dict(PREFIXES))
            if not isinstance(result, ox.QueryBoolean):
                list(result)
        except (SyntaxError, OSError, ValueError):
            pass
        reached = len(_Recorder.hits) > before
        called += reached
        refusal = check(query)
        if reached:
            assert refusal is not None and refusal.status == 403, query
        if refusal is None:
            assert not reached, query
    assert called >= 18  # the cross-check is real: pyoxigraph does call out for these forms


def test_look_alikes_are_not_refused(recorder: str) -> None:
    for query in _tricky(recorder)[-5:]:
        assert check(query) is None, query


def test_a_prefix_named_service_is_refused_by_design() -> None:
    refusal = check("PREFIX service: <urn:x#> SELECT * WHERE { ?s service:x ?o }")
    assert refusal is not None and "rename that prefix" in refusal.message


def test_allowed_endpoints(recorder: str) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{recorder}> {{ ?s ?p ?o }} }}"
    assert check(query, frozenset({recorder})) is None
    refusal = check(query, frozenset({"https://query.wikidata.org/sparql"}))
    assert refusal is not None and "query.wikidata.org" in refusal.message
    assert check("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", frozenset({recorder})) is not None
    assert services("PREFIX w: <https://query.wikidata.org/> SELECT * { SERVICE w:sparql {} }") == \
        ["https://query.wikidata.org/sparql"]


@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "  # comment\nPREFIX a: <urn:a#>\nBASE <urn:b>\nWITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "delete where { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:7878/evil.ttl>",
    "LOAD SILENT <http://127.0.0.1:7878/evil.ttl> INTO GRAPH <urn:g>",
    "CLEAR ALL", "DROP SILENT GRAPH <urn:g>", "CREATE GRAPH <urn:g>", "ADD DEFAULT TO <urn:g>",
    "COPY <urn:a> TO <urn:b>", "MOVE DEFAULT TO <urn:g>",
    "PREFIX x: <urn:x#> INSERT { ?s x:p 1 } USING <urn:g> WHERE { ?s ?p ?o }",
    "\\u0049NSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
])
def test_updates_are_recognised(text: str) -> None:
    assert is_update(text)
    refusal = check(text)
    assert refusal is not None and refusal.status == 403


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s <urn:insert> 'DELETE DATA' } # LOAD <x>",
    "PREFIX insert: <urn:i#> SELECT ?load WHERE { ?load insert:DROP ?clear }",
    "SELECT * WHERE { ?s ?p \"\"\"multi\nline INSERT\"\"\"@en }",
])
def test_queries_are_not_updates(text: str) -> None:
    assert not is_update(text)


def test_tokens_and_escapes() -> None:
    kinds = [(t.kind, t.text) for t in tokens("SELECT ?x WHERE { ?x ex:p <urn:a#b> . } # c")]
    assert kinds == [("keyword", "SELECT"), ("var", "?x"), ("keyword", "WHERE"), ("punct", "{"), ("var", "?x"),
                     ("pname", "ex:p"), ("iri", "<urn:a#b>"), ("punct", "."), ("punct", "}")]
    assert unescape("\\u0053ERVICE \\U0001F600") == "SERVICE \U0001F600"
    assert [t.text for t in tokens("FILTER(?a<?b)")][2:5] == ["?a", "<", "?b"]


def test_every_way_of_gluing_service_to_a_term(recorder: str) -> None:
    """Exhaustively: each term a pattern can end with, each separator, each spelling — reached ⇒ refused."""
    import itertools

    store = ox.Store()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for value, datatype in (("x", "string"), ("1", "integer"), ("true", "boolean"), ("false", "boolean"),
                            ("1e5", "double"), ("1.0", "decimal"), ("-1", "integer")):
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
                          ox.Literal(value, datatype=ox.NamedNode(xsd + datatype))))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:x")))
    root = recorder.rsplit("/", 1)[0]
    terms = ["1", "true", "false", "1e5", "1.0", "1.e5", "-1", "+1", "'x'", '"x"', "?o", "<urn:x>", "r:x", "[]", "()"]
    separators = ["", " ", "\n", "#c\n", ".", " . ", ";", ")"]
    spellings = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "SERVICESILENT", "\\u0053ERVICE"]
    targets = [f"<{recorder}>", "r:sparql"]
    reached = 0
    for term, sep, spelling, target in itertools.product(terms, separators, spellings, targets):
        query = f"PREFIX r: <{root}/> SELECT * WHERE {{ ?s ?p {term}{sep}{spelling}{'' if sep else ' '}{target} {{ ?a ?b ?c }} }}"
        before = len(_Recorder.hits)
        try:
            list(store.query(query))
        except (SyntaxError, OSError, ValueError):
            pass
        if len(_Recorder.hits) > before:
            reached += 1
            assert check(query) is not None, query
    assert reached > 100
