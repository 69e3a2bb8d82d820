"""The linked-data server: every IRI under the base resolves, for people and for machines.

``GET /document/110296`` answers ``303 See Other`` with ``Location:
/document/110296.html`` for a browser, ``.ttl`` for ``Accept: text/turtle``,
``.jsonld`` for JSON-LD, ``.nt`` for N-Triples, ``.rdf`` for RDF/XML (``Vary:
Accept``). The description documents answer ``200`` with ``Link: <IRI>;
rel="describes"`` and ``rel="alternate"`` links to the other formats. RDF
responses carry CORS headers. ``/.well-known/void`` leads to the dataset
description, ``/sparql`` is a read-only SPARQL 1.1 endpoint, ``/dist/…`` are
the release files.

The application is a plain WSGI callable (:func:`create_app`): ``cwgraph
serve`` runs it in waitress (:mod:`cwgraph.web.http_server`), which bounds
connections and threads and times out slow clients; any other WSGI server can
run it too, or publish the static site (``cwgraph site``). Request bodies are
refused from their ``Content-Length`` (or, streamed, past :data:`MAX_BODY_BYTES`)
before they are read.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.security import safe_join
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from cwgraph.core.config import BASE_IRI
from cwgraph.core.ids import COLLECTION
from cwgraph.core.namespaces import sparql_prologue
from cwgraph.querying.queries import load_queries
from cwgraph.web.graph import ReleaseGraph
from cwgraph.web.negotiation import FORMATS, HTML, RDF_FORMATS, Format, by_extension, negotiate, serialize
from cwgraph.web.pages import Download, PageRenderer
from cwgraph.web.reconcile_api import reconcile_response
from cwgraph.web.sparql_endpoint import RESULT_FORMATS, SparqlResult, SparqlService, service_description
from cwgraph.web.sparql_policy import is_update

__all__ = ["MAX_BODY_BYTES", "LinkedDataApp", "create_app", "release_downloads"]

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Link, Location, Content-Location, ETag, X-SPARQL-MaxRows, X-SPARQL-Truncated",
}
MAX_QUERY_BYTES = 100_000
MAX_BODY_BYTES = 1 * 2**20  # a request body past this is refused (413) before it is read
FORMAT_PARAMS = ("format", "output", "results")  # Virtuoso, Fuseki/Joseki, rasqal: SPARQLWrapper sends all three
_UPDATE_REFUSAL = "this endpoint is read-only: SPARQL Update is not accepted"
DOWNLOAD_LABELS = {
    "cwgraph.ttl": "Whole graph (Turtle)", "cwgraph.jsonld": "Whole graph (JSON-LD)",
    "cwgraph.nt.gz": "Whole graph (N-Triples, gzip)", "void.ttl": "Dataset description (VoID)",
    "cwgraph.cmif.xml": "Letters in CMIF (TEI correspDesc)", "network.gexf": "Correspondence network (GEXF)",
    "network.graphml": "Correspondence network (GraphML)", "network.svg": "Network picture (SVG)",
    "network.png": "Network picture (PNG)", "mixnmatch-persons.tsv": "Mix'n'match catalogue of persons",
    "map.svg": "Map of the letters (SVG)", "map.png": "Map of the letters (PNG)",
    "wikidata-quickstatements.txt": "QuickStatements for Wikidata (to review)",
    "reports/reconciliation.tsv": "Entities awaiting a Wikidata link",
}
for _kind in ("persons", "groups", "places", "events"):
    DOWNLOAD_LABELS[f"beacon/wikidata-{_kind}.txt"] = f"BEACON links from Wikidata ({_kind})"


def release_downloads(folder: Path) -> list[Download]:
    """The release files worth offering on the home page, in a fixed order."""
    return [Download(f"dist/{name}", label) for name, label in DOWNLOAD_LABELS.items() if (folder / name).is_file()]


LARGE_BODY = 256 * 1024


def _as_file(response: Response, environ: dict[str, Any]) -> Response:
    """A large body handed to the server as a file (``wsgi.file_wrapper``): sent as the client
    reads it, never copied per request, and dropped at once when the client has gone."""
    wrapper = environ.get("wsgi.file_wrapper")
    body = response.response
    if wrapper is None or response.direct_passthrough or not isinstance(body, list) or len(body) != 1 \
            or not isinstance(body[0], bytes) or len(body[0]) < LARGE_BODY:
        return response
    response.response = wrapper(io.BytesIO(body[0]), 64 * 1024)  # BytesIO shares the bytes, no copy
    response.direct_passthrough = True
    return response


class _BoundedRequest(Request):
    max_content_length = MAX_BODY_BYTES
    max_form_memory_size = MAX_BODY_BYTES


class LinkedDataApp:
    """WSGI application over one release folder.

    ``public_url`` is where clients reach the server (``https://example.org/cwgraph/``); it names
    the SPARQL endpoint in the service description. Without it the description names the
    server's own address (the WSGI ``SERVER_NAME`` and ``SERVER_PORT``), never the client's
    ``Host`` header, which anyone can set.
    """

    def __init__(self, folder: Path, *, base: str = BASE_IRI, vocabulary: Path | None = None,
                 sparql: SparqlService | None = None, graph: ReleaseGraph | None = None,
                 public_url: str | None = None):
        self.folder = folder
        self.public_url = public_url.rstrip("/") + "/" if public_url else None
        self.graph = graph or ReleaseGraph(folder, base=base, vocabulary=vocabulary)
        self.base = self.graph.base
        self.sparql = sparql
        picture = "dist/network.svg" if (folder / "network.svg").is_file() else None
        self.pages = PageRenderer(self.graph, downloads=release_downloads(folder), sparql=sparql is not None,
                                  picture=picture)
        self._home: bytes | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = _BoundedRequest(environ)
        try:
            if (request.content_length or 0) > MAX_BODY_BYTES:
                raise RequestEntityTooLarge(f"a request body may hold at most {MAX_BODY_BYTES} bytes")
            response = self.dispatch(request)
        except HTTPException as exc:
            response = self.error(request, exc.code or 500, exc.name, exc.description or "")
            if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
                response.headers["Allow"] = ", ".join(exc.valid_methods)
            if isinstance(exc, RequestEntityTooLarge):
                response.headers["Connection"] = "close"  # the unread body must not be taken for a request
        return _as_file(response, environ)(environ, start_response)

    # --- routing ---------------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        path = quote(request.path.lstrip("/"), safe="/-._~%!$&'()*+,;=:@")
        if request.method == "OPTIONS":
            return self.preflight()
        if path == "sparql":
            return self.sparql_endpoint(request)
        if path == "reconcile" or path.startswith("reconcile/"):  # the Reconciliation Service API (OpenRefine)
            return reconcile_response(self, request, path)
        if request.method not in ("GET", "HEAD"):
            raise MethodNotAllowed(valid_methods=["GET", "HEAD", "OPTIONS"])
        if path in ("", "index.html"):
            return self.home(request, negotiated=path == "")
        if path == ".well-known/void":
            if COLLECTION not in self.graph:
                raise NotFound("This release has no dataset description.")
            return self.see_other(request, COLLECTION)
        if path.startswith("dist/"):
            return self.release_file(request, path[len("dist/"):])
        iri = self.base + path
        if iri in self.graph:
            return self.see_other(request, iri)
        split = by_extension(path)
        if split is not None:
            stem, fmt = split
            iri = self.base + stem
            if iri in self.graph:
                return self.describe(request, iri, fmt)
        raise NotFound(f"Nothing is published at {self.base}{path}.")

    # --- responses -------------------------------------------------------------------------

    def see_other(self, request: Request, iri: str) -> Response:
        """303 from a thing to the description in the format the client asked for."""
        fmt = negotiate(request.headers.get("Accept"))
        if fmt is None:
            return self.not_acceptable(request, iri)
        path = self.graph.path_of(iri)
        location = f"{request.script_root}/{path}.{fmt.extension}"
        response = Response(f"See {location}\n", status=303, mimetype="text/plain")
        response.headers["Location"] = location
        response.headers["Vary"] = "Accept"
        response.headers["Link"] = f'<{location}>; rel="describedby"; type="{fmt.media_type}"'
        response.headers.update(CORS)
        return response

    def describe(self, request: Request, iri: str, fmt: Format) -> Response:
        resource = self.graph.resource(iri)
        assert resource is not None
        if fmt is HTML:
            body = self.pages.render(resource).encode("utf-8")
        else:
            body = serialize(self.graph.description(iri), fmt, self.base)
        response = Response(body, status=200, content_type=fmt.content_type)
        stem = f"{request.script_root}/{resource.path}"
        links = [f'<{iri}>; rel="describes"']
        links += [f'<{stem}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in FORMATS if f is not fmt]
        response.headers["Link"] = ", ".join(links)
        if fmt.is_rdf:
            response.headers.update(CORS)
        return self._cacheable(request, response, f"{resource.path}.{fmt.extension}")

    def _cacheable(self, request: Request, response: Response, key: str) -> Response:
        response.set_etag(f"{self.graph.fingerprint}-{hashlib.sha256(key.encode()).hexdigest()[:12]}")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response.make_conditional(request)

    def home(self, request: Request, *, negotiated: bool) -> Response:
        if negotiated:
            fmt = negotiate(request.headers.get("Accept"))
            if fmt is not None and fmt.is_rdf and COLLECTION in self.graph:
                return self.see_other(request, COLLECTION)
        if self._home is None:  # the same for every request: render it once (a flood of GET / stays cheap)
            self._home = self.pages.render_home("index.html").encode("utf-8")
        response = Response(self._home, content_type=HTML.content_type)
        if negotiated:
            response.headers["Vary"] = "Accept"
        return self._cacheable(request, response, "index.html")

    def release_file(self, request: Request, name: str) -> Response:
        target = safe_join(str(self.folder), name)
        if target is None or not Path(target).is_file():
            raise NotFound(f"No file {name} in this release.")
        media = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".gz": "application/gzip",
                 ".tsv": "text/tab-separated-values", ".jsonl": "application/x-ndjson",
                 ".gexf": "application/gexf+xml", ".graphml": "application/graphml+xml",
                 ".xml": "application/tei+xml", ".svg": "image/svg+xml", ".png": "image/png",
                 ".txt": "text/plain"}.get(Path(name).suffix)
        media = media or mimetypes.guess_type(name)[0] or "application/octet-stream"
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("+xml", "json")) else ""
        handle = open(target, "rb")  # noqa: SIM115 - closed by the response once sent
        response = Response(wrap_file(request.environ, handle), content_type=media + charset,
                            direct_passthrough=True)
        response.content_length = os.fstat(handle.fileno()).st_size
        response.headers.update(CORS)
        return self._cacheable(request, response, f"dist/{name}")

    def preflight(self) -> Response:
        response = Response(status=204)
        response.headers.update(CORS)
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
        return response

    def not_acceptable(self, request: Request, iri: str) -> Response:
        path = self.graph.path_of(iri)
        options = "\n".join(f"{request.script_root}/{path}.{f.extension}\t{f.media_type}" for f in FORMATS)
        response = Response(f"406 Not Acceptable: {iri} is available as\n{options}\n", status=406,
                            mimetype="text/plain")
        response.headers["Vary"] = "Accept"
        response.headers.update(CORS)
        return response

    def error(self, request: Request, status: int, title: str, message: str) -> Response:
        wants_html = negotiate(request.headers.get("Accept"), (HTML, *RDF_FORMATS)) is HTML
        if wants_html:
            body = self.pages.render_error(status, title, message, page=request.path.lstrip("/") or "index.html")
            return Response(body, status=status, content_type=HTML.content_type)
        return Response(f"{status} {title}: {message}\n", status=status, mimetype="text/plain")

    # --- SPARQL ----------------------------------------------------------------------------

    def sparql_endpoint(self, request: Request) -> Response:
        if self.sparql is None:
            raise NotFound("This server has no SPARQL endpoint.")
        if request.method not in ("GET", "HEAD", "POST"):
            raise MethodNotAllowed(valid_methods=["GET", "HEAD", "POST", "OPTIONS"])
        params = request.args
        query: str | None = params.get("query")
        if request.mimetype == "application/sparql-update" or "update" in params:
            return self._sparql_response(SparqlResult.error(403, _UPDATE_REFUSAL))
        if request.method == "POST":
            ctype = request.mimetype
            if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                if "update" in request.form or "update" in request.files:
                    return self._sparql_response(SparqlResult.error(403, _UPDATE_REFUSAL))
                query = request.form.get("query", query)
                params = request.form if "query" in request.form else params
            elif ctype == "application/sparql-query":
                query = request.get_data(as_text=True)
            else:
                body = request.get_data(as_text=True) if request.content_length else ""
                if body and is_update(body):
                    return self._sparql_response(SparqlResult.error(403, _UPDATE_REFUSAL))
                return self._sparql_response(SparqlResult.error(
                    415, "send application/sparql-query or an application/x-www-form-urlencoded form"))
        if not query:
            return self.sparql_home(request)
        if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
            return self._sparql_response(SparqlResult.error(413, "query too long"))
        sources = [params] if params is request.args else [params, request.args]
        formats = [v for source in sources for name in FORMAT_PARAMS for v in source.getlist(name)]
        result = self.sparql.run(query, accept=request.headers.get("Accept"), formats=formats,
                                 default_graphs=tuple(params.getlist("default-graph-uri")),
                                 named_graphs=tuple(params.getlist("named-graph-uri")))
        if result.solutions is not None:
            return self._sparql_html(request, query, result)
        return self._sparql_response(result)

    def _sparql_response(self, result: SparqlResult) -> Response:
        response = Response(result.body, status=result.status, content_type=result.content_type)
        response.headers.update(result.headers)
        response.headers.update(CORS)
        response.headers["Vary"] = "Accept"
        response.headers["Cache-Control"] = "no-store"
        return response

    def sparql_home(self, request: Request, query: str = "", results: dict[str, Any] | None = None) -> Response:
        fmt = negotiate(request.headers.get("Accept"), FORMATS)
        if fmt is not None and fmt.is_rdf:
            endpoint = self.endpoint_url(request)
            response = Response(service_description(endpoint, self.base, fmt), content_type=fmt.content_type)
            response.headers.update(CORS)
            response.headers["Vary"] = "Accept"
            return response
        body = self.pages.render_template(
            "sparql.html", "sparql", title="Query the collection", query=query or _DEFAULT_QUERY,
            action="sparql", timeout=f"{self.sparql.timeout:g}" if self.sparql else "",
            max_rows=self.sparql.max_rows if self.sparql else 0, examples=_examples(),
            result_formats=["html", *(f.extension for f in RESULT_FORMATS)], results=results)
        response = Response(body, content_type=HTML.content_type)
        response.headers["Vary"] = "Accept"
        return response

    def endpoint_url(self, request: Request) -> str:
        """The endpoint's URL for the service description: configured, or the server's own address."""
        if self.public_url:
            return self.public_url + "sparql"
        env = request.environ
        scheme = env.get("wsgi.url_scheme", "http")
        name, port = env.get("SERVER_NAME", "localhost"), str(env.get("SERVER_PORT", ""))
        host = f"[{name}]" if ":" in name else name
        default = (scheme, port) in (("http", "80"), ("https", "443"))
        return f"{scheme}://{host}{'' if default or not port else ':' + port}{request.script_root}/sparql"

    def _sparql_html(self, request: Request, query: str, result: SparqlResult) -> Response:
        data = result.solutions or {}
        table: dict[str, Any]
        if "boolean" in data:
            table = {"columns": ["answer"], "rows": [[{"text": str(data["boolean"]).lower(), "href": None}]]}
        else:
            columns = data["head"]["vars"]  # type: ignore[index]
            rows = []
            for binding in data["results"]["bindings"]:  # type: ignore[index]
                row = []
                for v in columns:
                    term = binding.get(v)
                    if term is None:
                        row.append({"text": "", "href": None})
                    elif term["type"] == "uri":
                        # our own IRIs link to their pages; others only when they are http(s) URLs
                        ours = term["value"].startswith(self.base)
                        href = self.pages.href(term["value"], "sparql") \
                            if ours or term["value"].lower().startswith(("http://", "https://")) else None
                        row.append({"text": self.graph.label(term["value"]) if term["value"] in self.graph
                                    else term["value"], "href": href})
                    else:
                        row.append({"text": term["value"], "href": None})
                rows.append(row)
            table = {"columns": columns, "rows": rows}
        table["truncated"] = result.headers.get("X-SPARQL-Truncated") == "true"
        return self.sparql_home(request, query, table)


_DEFAULT_QUERY = """# Who wrote to whom, under which name
SELECT ?date ?sender ?signed_as ?recipient ?document WHERE {
  ?document cw:sender ?s ; cw:recipient ?r ; cw:edtf ?date .
  ?s rdfs:label ?sender . ?r rdfs:label ?recipient .
  OPTIONAL { ?document cw:signedAs/rdfs:label ?signed_as }
}
ORDER BY ?date
LIMIT 100
"""


def _examples() -> list[dict[str, str]]:
    """The canned queries without required parameters, ready to run (when the checkout is at hand)."""
    try:
        out = []
        for q in load_queries().values():
            if any(not p.optional and p.default is None for p in q.params):
                continue
            out.append({"name": q.name, "description": q.description, "text": sparql_prologue() + q.text})
        return out
    except Exception:  # noqa: BLE001 - examples are a convenience; the endpoint works without them
        return []


def create_app(folder: Path, *, base: str = BASE_IRI, vocabulary: Path | None = None, sparql: bool = True,
               timeout: float = 10.0, max_rows: int = 10_000, workers: int = 2, max_memory: int = 512 * 2**20,
               allow_service: tuple[str, ...] = (), public_url: str | None = None) -> LinkedDataApp:
    """The WSGI application for a release folder (with its SPARQL workers, started lazily)."""
    service = SparqlService(folder, base=base, vocabulary=vocabulary, timeout=timeout, max_rows=max_rows,
                            workers=workers, max_memory=max_memory, allowed_services=allow_service) \
        if sparql else None
    return LinkedDataApp(folder, base=base, vocabulary=vocabulary, sparql=service, public_url=public_url)

