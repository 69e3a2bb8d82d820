"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, with a time and a size limit.

Queries run in worker processes, each holding its own pyoxigraph store loaded
from the release (pyoxigraph has no query timeout; a process can always be
stopped). A query that runs past the time limit has its worker killed and
replaced, and the client gets ``503``. SELECT results stop at ``max_rows``
(the response says so in ``X-SPARQL-MaxRows``, as Virtuoso does). Updates are
refused (``403``): the endpoint only ever calls ``Store.query``.

Result formats, chosen by ``Accept`` (or ``format=json|xml|csv|tsv|…``):
SPARQL JSON, SPARQL XML, CSV and TSV for SELECT and ASK; Turtle, JSON-LD,
N-Triples and RDF/XML for CONSTRUCT and DESCRIBE. The prefixes of the
project's prefix table are predeclared (``crm:``, ``cw:``, ``dcterms:`` …).
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import queue
import re
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from cwgraph.config import BASE_IRI
from cwgraph.namespaces import PREFIXES
from cwgraph.web.negotiation import RDF_FORMATS, Format, negotiate, serialize

__all__ = ["RESULT_FORMATS", "SparqlResult", "SparqlService", "is_update", "serialize_solutions"]

XSD_STRING = PREFIXES["xsd"] + "string"
RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "SPARQL JSON", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "SPARQL XML", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "CSV"),
    Format("tsv", "text/tab-separated-values", "TSV"),
)
HTML_FORMAT = Format("html", "text/html", "HTML", ("application/xhtml+xml",))
_BY_NAME = {f.extension: f for f in (*RESULT_FORMATS, *RDF_FORMATS)} | {
    "turtle": RDF_FORMATS[0], "json-ld": RDF_FORMATS[1], "ntriples": RDF_FORMATS[2], "rdfxml": RDF_FORMATS[3],
    "html": HTML_FORMAT}
_UPDATE = re.compile(r"^\s*(?:(?:#[^\n]*\n|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def is_update(text: str) -> bool:
    """Whether a request text is a SPARQL Update operation.

    >>> is_update("PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    return bool(_UPDATE.match(text))


@dataclass
class SparqlResult:
    """An HTTP answer: status, content type, body, extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    solutions: dict[str, object] | None = None  # SPARQL JSON, when the client asked for HTML

    @classmethod
    def error(cls, status: int, message: str) -> SparqlResult:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


# --- serialising results ------------------------------------------------------------------------

def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected term {term!r}")


def _csv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value  # type: ignore[attr-defined, no-any-return]


def serialize_solutions(variables: list[str], rows: list[list[object]], fmt: str) -> bytes:
    """SELECT results in one of the SPARQL 1.1 result formats (json, xml, csv, tsv)."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return (json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)
                + "\n").encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head><results>"]
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>")
        out.append("</results></sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_csv_term(t) for t in row])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown result format {fmt}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps({"head": {}, "boolean": value}) + "\n").encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt == "csv":
        return f"_askResult\r\n{'true' if value else 'false'}\r\n".encode()
    return f"?_askResult\n{'true' if value else 'false'}\n".encode()


# --- the worker process --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Request:
    query: str
    accept: str | None
    format: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def _choose(accept: str | None, explicit: str | None, offers: tuple[Format, ...]) -> Format | None:
    if explicit:
        fmt = _BY_NAME.get(explicit.lower())
        return fmt if fmt in offers else None
    return negotiate(accept or "*/*", offers)


def execute(store: ox.Store, request: _Request, base: str, max_rows: int) -> SparqlResult:
    """Run one query on ``store`` and serialise the answer (this runs inside a worker)."""
    if is_update(request.query):
        return SparqlResult.error(403, "this endpoint is read-only: SPARQL Update is not accepted")
    kwargs: dict[str, object] = {"base_iri": base, "prefixes": dict(PREFIXES)}
    if request.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    if request.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    try:
        result = store.query(request.query, **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        return SparqlResult.error(400, f"malformed query: {exc}")
    except (ValueError, OSError) as exc:
        return SparqlResult.error(400, f"query failed: {exc}")
    headers = {"X-SPARQL-MaxRows": str(max_rows)}
    try:
        if isinstance(result, ox.QueryBoolean):
            fmt = _choose(request.accept, request.format, (*RESULT_FORMATS, HTML_FORMAT))
            if fmt is None:
                return _not_acceptable(RESULT_FORMATS)
            ext = "json" if fmt is HTML_FORMAT else fmt.extension
            body = serialize_boolean(bool(result), ext)
            return _answer(fmt, body, headers)
        if isinstance(result, ox.QuerySolutions):
            fmt = _choose(request.accept, request.format, (*RESULT_FORMATS, HTML_FORMAT))
            if fmt is None:
                return _not_acceptable(RESULT_FORMATS)
            variables = [v.value for v in result.variables]
            rows: list[list[object]] = []
            truncated = False
            for solution in result:
                if len(rows) == max_rows:
                    truncated = True
                    break
                rows.append([solution[v] for v in variables])
            if truncated:
                headers["X-SPARQL-Truncated"] = "true"
            ext = "json" if fmt is HTML_FORMAT else fmt.extension
            return _answer(fmt, serialize_solutions(variables, rows, ext), headers)
        fmt = _choose(request.accept, request.format, (*RDF_FORMATS, HTML_FORMAT))
        if fmt is None:
            return _not_acceptable(RDF_FORMATS)
        triples = []
        for triple in result:
            if len(triples) == max_rows:
                headers["X-SPARQL-Truncated"] = "true"
                break
            triples.append(triple)
        if fmt is HTML_FORMAT:
            fmt = RDF_FORMATS[0]
        return _answer(fmt, serialize(triples, fmt, base), headers)
    except (ValueError, OSError) as exc:  # evaluation errors surface while iterating
        return SparqlResult.error(400, f"query failed: {exc}")


def _answer(fmt: Format, body: bytes, headers: dict[str, str]) -> SparqlResult:
    if fmt is HTML_FORMAT:
        return SparqlResult(200, "application/sparql-results+json", body, headers, solutions=json.loads(body))
    return SparqlResult(200, fmt.content_type, body, headers)


def _not_acceptable(offers: tuple[Format, ...]) -> SparqlResult:
    kinds = ", ".join(f.media_type for f in offers)
    return SparqlResult.error(406, f"none of the requested media types can be produced; available: {kinds}")


def _worker_main(conn: Connection, folder: str, base: str, vocabulary: str | None, max_rows: int) -> None:
    from cwgraph.web.graph import load_release_store

    store = load_release_store(Path(folder), base=base, vocabulary=Path(vocabulary) if vocabulary else None)
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if request is None:
            return
        try:
            answer = execute(store, request, base, max_rows)
        except Exception as exc:  # noqa: BLE001 - a worker must answer, not die
            answer = SparqlResult.error(500, f"internal error: {type(exc).__name__}: {exc}")
        conn.send(("done", answer))


class _Worker:
    def __init__(self, ctx: multiprocessing.context.BaseContext, args: tuple[object, ...]):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, *args), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready and self.conn.poll(timeout):
            try:
                self.ready = self.conn.recv()[0] == "ready"
            except EOFError:
                return False
        return self.ready

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class SparqlService:
    """A pool of query workers over one release folder."""

    def __init__(self, folder: Path, *, base: str = BASE_IRI, vocabulary: Path | None = None,
                 timeout: float = 10.0, max_rows: int = 10_000, workers: int = 2, load_timeout: float = 120.0):
        self.timeout = timeout
        self.max_rows = max_rows
        self.load_timeout = load_timeout
        self._args = (str(folder), base, str(vocabulary) if vocabulary else None, max_rows)
        self._ctx = multiprocessing.get_context("spawn")
        self._size = max(1, workers)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start the workers now (otherwise they start on the first query)."""
        with self._lock:
            while len(self._all) < self._size:
                self._spawn()

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self._args)
        self._all.append(worker)
        self._idle.put(worker)
        return worker

    def _acquire(self) -> _Worker | None:
        with self._lock:
            if not self._all:
                for _ in range(self._size):
                    self._spawn()
        try:
            return self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return None

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            if not self._closed:
                self._spawn()

    def run(self, query: str, *, accept: str | None = None, format: str | None = None,
            default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = ()) -> SparqlResult:
        """Run a query with the time and size limits; an update is refused without reaching a worker."""
        if is_update(query):
            return SparqlResult.error(403, "this endpoint is read-only: SPARQL Update is not accepted")
        worker = self._acquire()
        if worker is None:
            return SparqlResult.error(503, "all query workers are busy; try again")
        if not worker.wait_ready(self.load_timeout):
            self._replace(worker)
            return SparqlResult.error(503, "the query worker could not load the release")
        try:
            worker.conn.send(_Request(query, accept, format, default_graphs, named_graphs))
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                return SparqlResult.error(
                    503, f"the query ran longer than {self.timeout:g} s and was stopped; add a LIMIT or narrow it")
            _, answer = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return SparqlResult.error(500, "the query worker stopped unexpectedly")
        self._idle.put(worker)
        return answer  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for worker in self._all:
                try:
                    worker.conn.send(None)
                except (OSError, BrokenPipeError):
                    pass
                worker.stop()
            self._all.clear()


def service_description(endpoint: str, base: str, fmt: Format) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint, in an RDF format."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    node = ox.NamedNode(endpoint)
    t = ox.Triple
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    dataset = ox.NamedNode(f"{base}collection/sino-soviet-alliance")
    triples = [
        t(node, rdf_type, ox.NamedNode(sd + "Service")),
        t(node, ox.NamedNode(sd + "endpoint"), node),
        t(node, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        t(node, ox.NamedNode(PREFIXES["void"] + "sparqlEndpoint"), node),
        t(dataset, ox.NamedNode(PREFIXES["void"] + "sparqlEndpoint"), node),
    ]
    for f in (*RESULT_FORMATS, *RDF_FORMATS):
        triples.append(t(node, ox.NamedNode(sd + "resultFormat"),
                         ox.NamedNode(f"http://www.w3.org/ns/formats/{_W3C_FORMATS[f.extension]}")))
    return serialize(sorted(triples, key=str), fmt, base)


_W3C_FORMATS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                "tsv": "SPARQL_Results_TSV", "ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples",
                "rdf": "RDF_XML"}
