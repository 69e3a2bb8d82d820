"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, with time, size and memory limits.

Queries run in worker processes forked from one process that loaded the release
(:mod:`cwgraph.web.query_workers`): a query that runs past the time limit, or
needs more memory than ``max_memory``, has its worker killed and replaced, and
the client gets ``503``. SELECT results stop at ``max_rows``; only an answer that
was cut says so, in ``X-SPARQL-MaxRows`` (as Virtuoso does) and
``X-SPARQL-Truncated``. Updates and ``SERVICE`` calls are refused (``403``) from
the query's tokens (:mod:`cwgraph.web.sparql_policy`) before a worker sees them;
``allowed_services`` names the endpoints a federated query may call.

The result format follows ``Accept`` when it names one; otherwise ``format=``,
``output=`` or ``results=`` (as SPARQLWrapper, Virtuoso and Fuseki clients send
them: ``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``n3``, ``rdf+xml``,
``json-ld``, a media type …; ``xml`` for CONSTRUCT or DESCRIBE means RDF/XML);
otherwise ``Accept``'s wildcards. SPARQL JSON, SPARQL XML, CSV and TSV for
SELECT and ASK; Turtle, JSON-LD, N-Triples and RDF/XML for CONSTRUCT and
DESCRIBE. The prefixes of the project's prefix table are predeclared
(``crm:``, ``cw:``, ``dcterms:`` …).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import queue
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from cwgraph.core.config import BASE_IRI
from cwgraph.core.namespaces import PREFIXES
from cwgraph.web.graph import load_release_store
from cwgraph.web.negotiation import RDF_FORMATS, Format, format_for, negotiate, negotiate_exact, serialize
from cwgraph.web.query_workers import LoaderFailed, Worker, WorkerPool
from cwgraph.web.sparql_policy import check, is_update

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "SparqlResult", "SparqlService", "choose_format", "is_update",
           "serialize_solutions"]

XSD_STRING = PREFIXES["xsd"] + "string"
RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "SPARQL JSON", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "SPARQL XML", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "CSV"),
    Format("tsv", "text/tab-separated-values", "TSV"),
)
HTML_FORMAT = Format("html", "text/html", "HTML", ("application/xhtml+xml",))
# CONSTRUCT and DESCRIBE: what SPARQL clients ask for (Turtle is N3, so N3 clients get Turtle)
GRAPH_FORMATS: tuple[Format, ...] = (
    replace(format_for("ttl"), aliases=("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3",
                                        "application/n3")),
    replace(format_for("jsonld"), aliases=("application/json", "application/x-json+ld")),
    format_for("nt"),
    replace(format_for("rdf"), aliases=("application/xml", "text/xml")),
)
_RESULT_NAMES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
                 "html": "html", "text/html": "html"}
_GRAPH_NAMES = {"turtle": "ttl", "ttl": "ttl", "n3": "ttl", "json-ld": "jsonld", "jsonld": "jsonld", "json": "jsonld",
                "nt": "nt", "ntriples": "nt", "n-triples": "nt", "xml": "rdf", "rdf": "rdf", "rdf+xml": "rdf",
                "rdfxml": "rdf", "rdf/xml": "rdf", "html": "html", "text/html": "html"}
_UPDATE_REFUSAL = "this endpoint is read-only: SPARQL Update is not accepted"
log = logging.getLogger("cwgraph.sparql")


def _by_name(value: str, offers: tuple[Format, ...], names: Mapping[str, str]) -> Format | None:
    """The offered format a ``format=``/``output=`` value names (a short name or a media type)."""
    value = value.strip().lower().replace(" ", "+")  # an unescaped "+" in a URL arrives as a space
    by_ext = {f.extension: f for f in offers}
    if value in names:
        return by_ext.get(names[value])
    for fmt in offers:
        if value == fmt.media_type or value in fmt.aliases:
            return fmt
    return None


def choose_format(kind: str, accept: str | None, requested: Sequence[str] = ()) -> Format | None:
    """The answer's format for a query kind (``solutions``, ``boolean``, ``graph``).

    An ``Accept`` that names a data format (not a wildcard, not HTML) decides; otherwise the
    first ``format``/``output``/``results`` value that names a format for this kind of query;
    otherwise ``Accept`` with its wildcards (HTML for a browser). None: nothing acceptable (406).

    >>> choose_format("graph", "application/rdf+xml", ["xml"]).media_type
    'application/rdf+xml'
    >>> choose_format("solutions", "text/html,*/*;q=0.8", ["csv"]).media_type
    'text/csv'
    >>> choose_format("graph", "*/*", ["xml", "application/rdf+xml"]).media_type
    'application/rdf+xml'
    >>> choose_format("solutions", "application/*", []).media_type
    'application/sparql-results+json'
    """
    graph = kind == "graph"
    offers = (*(GRAPH_FORMATS if graph else RESULT_FORMATS), HTML_FORMAT)
    overall = negotiate(accept or "*/*", offers)
    if overall is not None and overall is not HTML_FORMAT and negotiate_exact(accept, (overall,)) is overall:
        return overall
    for value in requested:
        fmt = _by_name(value, offers, _GRAPH_NAMES if graph else _RESULT_NAMES)
        if fmt is not None:
            return fmt
    return overall


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


# --- running one query (inside a worker) -------------------------------------------------------

@dataclass(frozen=True)
class _Request:
    query: str
    accept: str | None
    formats: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def execute(store: ox.Store, request: _Request, base: str, max_rows: int) -> SparqlResult:
    """Run one query on ``store`` and serialise the answer (this runs inside a worker)."""
    if is_update(request.query):
        return SparqlResult.error(403, _UPDATE_REFUSAL)
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
    headers: dict[str, str] = {}
    cut = {"X-SPARQL-MaxRows": str(max_rows), "X-SPARQL-Truncated": "true"}
    try:
        if isinstance(result, ox.QueryBoolean):
            fmt = choose_format("boolean", request.accept, request.formats)
            if fmt is None:
                return _not_acceptable(RESULT_FORMATS)
            ext = "json" if fmt is HTML_FORMAT else fmt.extension
            return _answer(fmt, serialize_boolean(bool(result), ext), headers)
        if isinstance(result, ox.QuerySolutions):
            fmt = choose_format("solutions", request.accept, request.formats)
            if fmt is None:
                return _not_acceptable(RESULT_FORMATS)
            variables = [v.value for v in result.variables]
            rows: list[list[object]] = []
            for solution in result:
                if len(rows) == max_rows:
                    headers.update(cut)
                    break
                rows.append([solution[v] for v in variables])
            ext = "json" if fmt is HTML_FORMAT else fmt.extension
            return _answer(fmt, serialize_solutions(variables, rows, ext), headers)
        fmt = choose_format("graph", request.accept, request.formats)
        if fmt is None:
            return _not_acceptable(GRAPH_FORMATS)
        triples = []
        for triple in result:
            if len(triples) == max_rows:
                headers.update(cut)
                break
            triples.append(triple)
        out = format_for("ttl" if fmt is HTML_FORMAT else fmt.extension)
        return SparqlResult(200, out.content_type, serialize(triples, out, base), headers)
    except (ValueError, OSError) as exc:  # evaluation errors surface while iterating
        return SparqlResult.error(400, f"query failed: {exc}")


def _answer(fmt: Format, body: bytes, headers: dict[str, str]) -> SparqlResult:
    if fmt is HTML_FORMAT:
        return SparqlResult(200, "application/sparql-results+json", body, headers, solutions=json.loads(body))
    return SparqlResult(200, fmt.content_type, body, headers)


def _not_acceptable(offers: tuple[Format, ...]) -> SparqlResult:
    kinds = ", ".join(f.media_type for f in offers)
    return SparqlResult.error(406, f"none of the requested media types can be produced; available: {kinds}")


def _load(folder: str, base: str, vocabulary: str | None) -> ox.Store:
    return load_release_store(Path(folder), base=base, vocabulary=Path(vocabulary) if vocabulary else None)


def _handle(store: ox.Store, request: _Request, *, base: str, max_rows: int) -> SparqlResult:
    try:
        return execute(store, request, base, max_rows)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a worker must answer, not die
        return SparqlResult.error(500, f"internal error: {type(exc).__name__}: {exc}")


# --- the service (in the server process) ---------------------------------------------------------

class SparqlService:
    """The endpoint's query runner: refusals first, then a pool of forked workers with limits.

    ``max_memory`` (bytes, 0: no cap) is what one query may add to a worker's memory;
    ``allowed_services`` the endpoints that SERVICE may call (none by default).
    """

    def __init__(self, folder: Path, *, base: str = BASE_IRI, vocabulary: Path | None = None,
                 timeout: float = 10.0, max_rows: int = 10_000, workers: int = 2, load_timeout: float = 300.0,
                 max_memory: int = 512 * 2**20, allowed_services: Sequence[str] = ()):
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_memory = max_memory
        self.allowed_services = frozenset(allowed_services)
        self._pool = WorkerPool(partial(_load, str(folder), base, str(vocabulary) if vocabulary else None),
                                partial(_handle, base=base, max_rows=max_rows), max_memory=max_memory,
                                isolate=not self.allowed_services, load_timeout=load_timeout)
        self._size = max(1, workers)
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._busy: set[Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._ready = threading.Event()
        self.load_wait = 30.0  # seconds a query waits for the workers to come up
        self._closed = False
        self.failure: str | None = None

    @property
    def isolated(self) -> bool:
        """Whether the workers run without any network (when no SERVICE endpoint is allowed)."""
        return self._pool.isolated

    def worker_pids(self) -> list[int]:
        """The process ids of the loader and the workers (for monitoring)."""
        with self._lock:
            pids = [w.pid for w in list(self._idle.queue) + list(self._busy)]
        loader = self._pool.loader_pid
        return ([loader] if loader else []) + pids

    def start(self) -> None:
        """Load the release and fork the workers in the background (otherwise on the first query)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._boot, name="cwgraph-sparql-boot", daemon=True).start()

    def _boot(self) -> None:
        try:
            for _ in range(self._size):
                self._idle.put(self._pool.fork())
        except LoaderFailed as exc:
            self.failure = str(exc)
        finally:
            self._ready.set()
        if self._closed:  # closed while loading
            while not self._idle.empty():
                self._idle.get().kill()

    def _wait_ready(self) -> SparqlResult | None:
        """None once the workers are up; a 503 while the release is still loading (a request
        thread must not wait minutes for a large release) or when it could not be loaded."""
        self.start()
        if not self._ready.wait(self.load_wait):
            return SparqlResult(503, "text/plain; charset=utf-8",
                                b"the release is still loading into the query workers; try again shortly\n",
                                {"Retry-After": "10"})
        if self.failure is not None:
            return SparqlResult.error(503, f"the query workers could not load the release: {self.failure}")
        return None

    def _acquire(self) -> Worker | None:
        with self._lock:
            lost = not self._busy and self._idle.empty()
        if lost and not self._closed:  # every worker was lost (its loader died): start again
            try:
                self._idle.put(self._pool.fork())
            except LoaderFailed as exc:
                log.error("cannot start a query worker: %s", exc)
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return None
        with self._lock:
            self._busy.add(worker)
        return worker

    def _release(self, worker: Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
        self._idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._busy.discard(worker)
        if self._closed:
            return
        try:
            self._idle.put(self._pool.fork())
        except LoaderFailed as exc:
            log.error("cannot replace a query worker: %s", exc)

    def run(self, query: str, *, accept: str | None = None, formats: Sequence[str] = (),
            default_graphs: tuple[str, ...] = (), named_graphs: tuple[str, ...] = ()) -> SparqlResult:
        """Run a query with the limits; updates and SERVICE calls are refused without reaching a worker."""
        refusal = check(query, self.allowed_services, PREFIXES)
        if refusal is not None:
            return SparqlResult.error(refusal.status, refusal.message)
        waiting = self._wait_ready()
        if waiting is not None:
            return waiting
        worker = self._acquire()
        if worker is None:
            return SparqlResult.error(503, "all query workers are busy; try again")
        try:
            worker.conn.send(_Request(query, accept, tuple(formats), default_graphs, named_graphs))
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                log.warning("a query ran past %g s and was stopped", self.timeout)
                return SparqlResult.error(
                    503, f"the query ran longer than {self.timeout:g} s and was stopped; add a LIMIT or narrow it")
            answer = worker.conn.recv()
        except (EOFError, OSError):
            loader_alive = self._pool.alive
            self._replace(worker)
            if not loader_alive:
                return SparqlResult.error(500, "the query workers stopped unexpectedly; try again")
            return self._out_of_memory()
        if isinstance(answer, MemoryError):
            self._replace(worker)
            return self._out_of_memory()
        self._release(worker)
        return answer  # type: ignore[no-any-return]

    def _out_of_memory(self) -> SparqlResult:
        limit = f"{self.max_memory / 2**20:g} MiB" if self.max_memory else "the memory available"
        log.warning("a query needed more than %s of memory and was stopped", limit)
        return SparqlResult.error(503, f"the query needed more than {limit} of memory and was stopped; "
                                       "add a LIMIT, avoid ORDER BY over large joins, or narrow it")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._idle.queue) + list(self._busy)
            self._busy.clear()
        for worker in workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.kill()
        self._pool.close()


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
