"""A local HTTP fake of Apache Jena Fuseki, backed by pyoxigraph, that behaves as STORES.md describes.

Fuseki's URL scheme: ``/{dataset}/query`` (GET or POST: ``query=`` form field, or a body of type
``application/sparql-query``; ``default-graph-uri`` honoured), ``/{dataset}/update`` (POST: a body of
type ``application/sparql-update`` or an ``update=`` form field), ``/{dataset}/data?graph=IRI|default``
(the read-write Graph Store: GET, PUT, POST, DELETE; PUT and POST answer 200 with a JSON count of
what was loaded), ``/{dataset}/get`` (read-only Graph Store) and ``/$/ping``.

As users report of the real server: an unknown dataset answers 405; an update whose Content-Type
carries a parameter (``application/sparql-update; charset=UTF-8``) is refused with 400 ("Unknown
content type for triples", rdflib issue #2420). Responses carry ``Server: Apache Jena Fuseki`` and
a ``Fuseki-Request-Id`` header.

Knobs for tests: ``users`` (Basic authentication: name → password), ``readers`` (may read, not
write: 403), ``break_upload_after`` (close the connection after that many body bytes of a PUT or
POST to the Graph Store, without answering), ``fail_updates`` (answer 500 to every update),
``delay`` (seconds to sleep before answering), and ``requests`` (a log of method, path, headers).
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox

__all__ = ["FakeFuseki", "fake_fuseki"]

_RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass
class FakeFuseki:
    datasets: dict[str, ox.Store] = field(default_factory=lambda: {"cwgraph": ox.Store()})
    users: dict[str, str] = field(default_factory=dict)
    readers: set[str] = field(default_factory=set)
    break_upload_after: int | None = None
    fail_updates: bool = False
    delay: float = 0.0
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, dataset: str = "cwgraph") -> str:
        return f"{self.base}/{dataset}"

    def count(self, dataset: str = "cwgraph", graph: str | None = None) -> int:
        store = self.datasets[dataset]
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return sum(1 for _ in store.quads_for_pattern(None, None, None, name))

    def graphs(self, dataset: str = "cwgraph") -> list[str]:
        return sorted(g.value for g in self.datasets[dataset].named_graphs())


class _Handler(http.server.BaseHTTPRequestHandler):
    fake: FakeFuseki
    body: bytes | None = None
    protocol_version = "HTTP/1.1"
    server_version = "Apache Jena Fuseki (4.10.0)"
    sys_version = ""

    def log_message(self, *args: object) -> None:
        pass

    # --- plumbing -----------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/plain; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Fuseki-Request-Id", str(len(self.fake.requests)))
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _read_body(self) -> bytes | None:
        """The request body, read once up front; ``None`` when the upload is broken off on purpose."""
        length = int(self.headers.get("Content-Length") or 0)
        limit = self.fake.break_upload_after
        if limit is not None and self.command in ("PUT", "POST") and "/data" in self.path and length > limit:
            self.rfile.read(limit)
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        return self.rfile.read(length) if length else b""

    def _body(self) -> bytes | None:
        return self.body

    def _authorised(self, write: bool) -> bool:
        if not self.fake.users:
            return True
        header = self.headers.get("Authorization", "")
        user = None
        if header.startswith("Basic "):
            try:
                name, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                name, password = "", None
            if self.fake.users.get(name) == password:
                user = name
        if user is None:
            self._send(401, b"Unauthorized", headers={"WWW-Authenticate": 'Basic realm="fuseki"'})
            return False
        if write and user in self.fake.readers:
            self._send(403, b"Forbidden")
            return False
        return True

    def _route(self) -> tuple[str | None, str | None, dict[str, list[str]]]:
        parts = urllib.parse.urlsplit(self.path)
        segments = [s for s in parts.path.split("/") if s]
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        if len(segments) == 2:
            return segments[0], segments[1], query
        if len(segments) == 1:
            return segments[0], "", query
        if not segments:
            return None, "", query
        return segments[0], None, query  # deeper paths: no such service

    def _handle(self) -> None:
        fake = self.fake
        fake.requests.append((self.command, self.path, dict(self.headers.items())))
        self.body = self._read_body()
        if self.body is None:
            return  # the connection was broken on purpose
        if fake.delay:
            time.sleep(fake.delay)
        dataset, service, params = self._route()
        if dataset == "$" and service == "ping":
            self._send(200, time.strftime("%Y-%m-%dT%H:%M:%S").encode())
            return
        if dataset is None:
            self._send(200, b"<html><body>Apache Jena Fuseki</body></html>", "text/html")
            return
        if dataset not in fake.datasets:
            self._body()
            self._send(405, b"Method Not Allowed")  # what users report for an unknown dataset
            return
        store = fake.datasets[dataset]
        if service is None:
            self._send(404, b"Not Found")
            return
        if service in ("query", "sparql", ""):
            if service == "" and self.command == "GET" and not params:
                self._send(200, json.dumps({"ds.name": f"/{dataset}"}).encode(), "application/json")
                return
            self._query(store, params)
        elif service == "update":
            self._update(store, params)
        elif service in ("data", "get"):
            self._graph_store(store, params, writable=service == "data")
        else:
            self._body()
            self._send(404, b"Not Found")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle  # noqa: N815 (http.server's naming)

    # --- services -----------------------------------------------------------------------------------

    def _query(self, store: ox.Store, params: dict[str, list[str]]) -> None:
        if not self._authorised(write=False):
            self._body()
            return
        body = self._body() or b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if self.command == "POST" and ctype == "application/x-www-form-urlencoded":
            params = {**params, **urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)}
        text = params.get("query", [None])[0]
        if self.command == "POST" and ctype == "application/sparql-query":
            text = body.decode("utf-8")
        if not text:
            self._send(400, b"No query string")
            return
        graphs = [ox.NamedNode(g) for g in params.get("default-graph-uri", [])]
        try:
            with self.fake.lock:
                result = store.query(text, default_graph=graphs or None)
                if not isinstance(result, ox.QuerySolutions):
                    self._send(400, b"only SELECT in this fake")
                    return
                out = result.serialize(format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            self._send(400, f"Parse error: {exc}".encode())
            return
        self._send(200, out, "application/sparql-results+json")

    def _update(self, store: ox.Store, params: dict[str, list[str]]) -> None:
        if self.command != "POST":
            self._body()
            self._send(405, b"Method Not Allowed")
            return
        if not self._authorised(write=True):
            self._body()
            return
        body = self._body() or b""
        raw_type = self.headers.get("Content-Type") or ""
        if raw_type.startswith("application/sparql-update") and raw_type.strip() != "application/sparql-update":
            self._send(400, f"Unknown content type for triples: [{raw_type.replace(';', '')}]".encode())
            return
        if raw_type.strip() == "application/sparql-update":
            text = body.decode("utf-8")
        elif raw_type.split(";")[0].strip() == "application/x-www-form-urlencoded":
            text = urllib.parse.parse_qs(body.decode("utf-8")).get("update", [""])[0]
        else:
            self._send(415, f"Unsupported Media Type: {raw_type}".encode())
            return
        if self.fake.fail_updates:
            self._send(500, b"Server Error: the update failed (fake)")
            return
        try:
            with self.fake.lock:
                store.update(text)
        except SyntaxError as exc:
            self._send(400, f"SPARQL Update: parse error: {exc}".encode())
            return
        self._send(204)

    def _graph_store(self, store: ox.Store, params: dict[str, list[str]], writable: bool) -> None:
        write = self.command in ("PUT", "POST", "DELETE")
        if write and not writable:
            self._body()
            self._send(405, b"Method Not Allowed")
            return
        if not self._authorised(write=write):
            self._body()
            return
        if "graph" in params:
            graph: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(params["graph"][0])
        elif "default" in params:
            graph = ox.DefaultGraph()
        else:
            self._body()
            self._send(400, b"Neither ?default nor ?graph in the request")
            return
        exists = isinstance(graph, ox.DefaultGraph) or store.contains_named_graph(graph)
        if self.command in ("GET", "HEAD"):
            if not exists:
                self._send(404, b"No such graph")
                return
            with self.fake.lock:
                out = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
            self._send(200, out, "application/n-triples")
            return
        if self.command == "DELETE":
            if not exists:
                self._send(404, b"No such graph")
                return
            with self.fake.lock:
                store.clear_graph(graph) if isinstance(graph, ox.DefaultGraph) else store.remove_graph(graph)
            self._send(204)
            return
        body = self._body()
        if body is None:
            return  # the connection was broken on purpose
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        fmt = _RDF_TYPES.get(ctype)
        if fmt is None:
            self._send(415, f"Unsupported Media Type: {ctype}".encode())
            return
        try:
            parsed = list(ox.parse(body, format=fmt))
        except SyntaxError as exc:
            self._send(400, f"Parse error: {exc}".encode())
            return
        with self.fake.lock:
            if self.command == "PUT":
                if isinstance(graph, ox.DefaultGraph):
                    store.clear_graph(graph)
                elif exists:
                    store.remove_graph(graph)
            store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed)
        counts = {"count": len(parsed), "tripleCount": len(parsed), "quadCount": 0}
        self._send(200, json.dumps(counts, indent=2).encode(), "application/json")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up (timeouts, broken uploads) is part of the tests, not an error


@contextmanager
def fake_fuseki(fake: FakeFuseki | None = None) -> Iterator[FakeFuseki]:
    """Serve ``fake`` on a free 127.0.0.1 port for the duration of the block."""
    fake = fake or FakeFuseki()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = _Server(("127.0.0.1", 0), handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
