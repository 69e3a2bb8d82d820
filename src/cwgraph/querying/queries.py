"""Canned SPARQL: a registry read from ``queries/*.rq``, safe parameters, local or remote runs.

Each query file starts with a header of ``#`` lines::

    # name: person-timeline
    # description: Everything a person sent, received, relayed or took part in, by date.
    # param: person iri ns=person/ — the person: an id such as joseph-stalin, a CURIE or a full IRI
    # example: person=joseph-stalin

A parameter line reads ``NAME KIND [optional] [[a|b]] [default=V] [ns=PATH/] [bound=begin|end] — text``
with KIND one of ``iri``, ``string``, ``date``, ``integer``, ``choice``. ``# example:`` lines give
representative bindings (shown by ``cwgraph queries`` and run by the tests on every store).

A parameter appears in the query as ``$person``. When bound, the token is replaced — in one pass,
so a value is never scanned again — by the RDF term serialised by pyoxigraph: an IRI checked for
validity, or an escaped typed literal. A value can therefore never change the query's structure.
When not bound, ``$person`` becomes the free variable ``?person``. A query line written as a
comment ``#? place event: FILTER(…)`` is switched on only when one of those parameters is bound
(an optional filter; the raw text, a comment there, runs unfiltered); the template decides the
structure, never a value.

Multi-valued cells (``GROUP_CONCAT`` with `` | ``) are sorted, so results are identical on every
store; unbound values are empty cells.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import shlex
import urllib.parse
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from cwgraph.core.config import BASE_IRI, project_path
from cwgraph.core.errors import CwgraphError, StoreError
from cwgraph.core.namespaces import converter, sparql_prologue
from cwgraph.interpreting.dates import parse_printed_date
from cwgraph.stores import adapter_for
from cwgraph.stores.embedded import cached_store

__all__ = [
    "FORMATS",
    "Param",
    "Query",
    "QueryError",
    "QueryResult",
    "bind",
    "load_queries",
    "parse_params",
    "parse_query_file",
    "render",
    "check_ids",
    "run_query",
    "suggest",
    "sparql_term",
]

SEPARATOR = " | "
FORMATS = ("table", "csv", "tsv", "json")
_KINDS = {"iri", "string", "date", "integer", "choice"}
_XSD = "http://www.w3.org/2001/XMLSchema#"


class QueryError(CwgraphError):
    """A canned query that does not exist, or a parameter that does not fit."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str
    optional: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    namespace: str | None = None  # for iri: the data path a bare id lives under (person/, place/, …)
    bound: str | None = None  # for date: which end of a printed date to use (begin | end)

    @property
    def required(self) -> bool:
        return not self.optional and self.default is None

    def usage(self) -> str:
        """``--param name=KIND`` as shown by ``cwgraph queries``."""
        value = "|".join(self.choices) if self.choices else self.kind.upper()
        return f"--param {self.name}={value}"


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    path: Path | None = None
    examples: tuple[dict[str, str], ...] = ()

    @property
    def multi_valued(self) -> frozenset[str]:
        """Columns built by ``GROUP_CONCAT(… separator=" | ")``: their cells are sorted."""
        return frozenset(re.findall(r"GROUP_CONCAT\((?:[^()]|\([^()]*\))*?separator\s*=\s*\"\s\|\s\"\s*\)\s+AS\s+\?(\w+)",
                                    self.text, flags=re.IGNORECASE))


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_HEADER = re.compile(r"^#\s*(name|description|param|example):\s*(.*)$")
_CONDITION = re.compile(r"^(?P<indent>\s*)#\?\s*(?P<names>[a-z][a-z0-9_]*(?:\s+[a-z][a-z0-9_]*)*)\s*:\s?(?P<line>.*)$",
                        flags=re.DOTALL)
_PARAM_HEAD = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\s+(?P<kind>\w+)(?P<rest>.*)$")
_DESCRIPTION_SPLIT = re.compile(r"\s+(?:—|--?)\s+|\s+(?:—|--?)$")


def _parse_param(value: str, where: str) -> Param:
    parts = _DESCRIPTION_SPLIT.split(value, maxsplit=1)
    head, desc = parts[0], (parts[1] if len(parts) > 1 else "")
    m = _PARAM_HEAD.match(head.strip())
    problem = QueryError(f"{where}: cannot read parameter line {value!r}",
                         hint="write '# param: NAME KIND [optional] [[a|b]] [default=V] [ns=PATH/] — description'")
    if not m or m.group("kind") not in _KINDS:
        raise problem
    optional, choices, default, namespace, bound = False, (), None, None, None
    for token in re.findall(r"\[[^\]]*\]|\S+", m.group("rest")):
        if token == "optional":
            optional = True
        elif token.startswith("[") and token.endswith("]"):
            choices = tuple(c.strip() for c in token[1:-1].split("|") if c.strip())
        elif token.startswith("default="):
            default = token.split("=", 1)[1]
        elif token.startswith("ns="):
            namespace = token.split("=", 1)[1]
        elif token.startswith("bound=") and token.split("=", 1)[1] in ("begin", "end"):
            bound = token.split("=", 1)[1]
        else:
            raise problem
    if m.group("kind") == "choice" and not choices:
        raise problem
    return Param(m.group("name"), m.group("kind"), desc.strip(), optional, choices, default, namespace, bound)


def parse_query_file(path: Path) -> Query:
    """Read one ``.rq`` file: its header (name, description, parameters, examples) and text."""
    text = path.read_text("utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    examples: list[dict[str, str]] = []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            if line.strip() and not line.startswith("#"):
                break
            continue
        key, value = m.groups()
        if key == "param":
            params.append(_parse_param(value.strip(), path.name))
        elif key == "example":
            examples.append(parse_params(shlex.split(value)))
        elif key == "description" and "description" in meta:
            meta[key] += " " + value.strip()
        else:
            meta[key] = value.strip()
    if "name" not in meta:
        raise QueryError(f"{path.name}: no '# name:' header", hint="start the file with '# name: …'")
    names = {p.name for p in params}
    for line in text.splitlines():
        condition = _CONDITION.match(line)
        if condition and not set(condition.group("names").split()) <= names:
            raise QueryError(f"{path.name}: '#?' names an unknown parameter in {line.strip()!r}",
                             hint=f"its parameters: {', '.join(sorted(names)) or 'none'}")
    return Query(meta["name"], meta.get("description", ""), text, tuple(params), path, tuple(examples))


@cache
def _load(folder: str) -> dict[str, Query]:
    queries = {}
    for path in sorted(Path(folder).glob("*.rq")):
        q = parse_query_file(path)
        queries[q.name] = q
    return queries


def load_queries(folder: Path | None = None) -> dict[str, Query]:
    """Every canned query, by name."""
    return _load(str(folder or project_path("queries")))


def parse_params(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``KEY=VALUE`` strings to a dict; raise on a malformed or repeated one.

    >>> parse_params(["person=joseph-stalin", "note=a=b"])
    {'person': 'joseph-stalin', 'note': 'a=b'}
    """
    out: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise QueryError(f"--param {item!r} is not KEY=VALUE", hint="e.g. --param person=joseph-stalin")
        key, value = item.split("=", 1)
        key = key.strip()
        if key in out:
            raise QueryError(f"--param {key} is given twice", hint="give each parameter once")
        out[key] = value
    return out


# --- binding -------------------------------------------------------------------------------------

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_KINDED_ID = re.compile(r"[a-z][a-z-]*/[a-z0-9][a-z0-9._/-]*")


def _harden(literal: str) -> str:
    """Neutralise ``\\u`` sequences that a value's own backslash could form in the serialised text.

    pyoxigraph writes a backslash of the value as ``\\\\``; a ``u`` after it would read
    ``\\u…`` to a store that (as SPARQL 1.1 §19.2 describes) expands codepoint escapes before
    parsing. Writing that ``u`` as ``\\u0075`` keeps the value the same for every parser.

    >>> _harden(r'"\\\\u0022"')
    '"\\\\\\\\\\\\u00750022"'
    """
    out: list[str] = []
    i = 0
    while i < len(literal):
        ch = literal[i]
        if ch == "\\" and i + 1 < len(literal):
            nxt = literal[i + 1]
            out.append(ch + nxt)
            i += 2
            if nxt == "\\" and i < len(literal) and literal[i] in "uU":
                out.append("\\u0075" if literal[i] == "u" else "\\u0055")
                i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _iri(param: Param, value: str) -> str:
    raw = value.strip()
    iri = raw
    if _KINDED_ID.fullmatch(raw) and ":" not in raw:
        iri = f"{BASE_IRI}{raw}"  # place/moscow
    elif _ID.fullmatch(raw):
        iri = f"{BASE_IRI}{param.namespace or 'person/'}{raw}"  # joseph-stalin
    elif re.fullmatch(r"[A-Za-z][\w.-]*:[^/].*", raw) and not re.match(r"(?i)(urn|https?|mailto|tag):", raw):
        expanded = converter.expand(raw)
        if expanded:
            iri = expanded
    hint = (f"give an id such as {'moscow' if (param.namespace or '').startswith('place') else 'joseph-stalin'}, "
            f"a CURIE such as cwd:{param.namespace or 'person/'}…, or a full IRI; "
            "find ids with: cwgraph query lookup --param name=…")
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise QueryError(f"parameter {param.name}: {value!r} is not an IRI or an id", hint=hint)
    try:
        return str(ox.NamedNode(iri))
    except ValueError as exc:
        raise QueryError(f"parameter {param.name}: {_short(value)!r} is not a valid IRI ({exc})", hint=hint) from None


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + f"… ({len(value)} characters)"


def sparql_term(param: Param, value: str) -> str:
    """The SPARQL text of one bound value: always a single, well-formed RDF term.

    >>> sparql_term(Param("n", "integer", ""), "42")
    '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> sparql_term(Param("q", "string", ""), 'x" } ; DROP ALL #')
    '"x\\\\" } ; DROP ALL #"'
    """
    if param.kind == "iri":
        return _iri(param, value)
    if param.kind == "date":
        try:
            reading = parse_printed_date(value)
        except CwgraphError as exc:
            raise QueryError(f"parameter {param.name}: {exc.message}", hint=exc.hint) from None
        if not reading.is_dated or reading.begin is None or reading.end is None:
            raise QueryError(f"parameter {param.name}: {_short(value)!r} is not a date", hint="e.g. 1950-02-10")
        use_end = param.bound == "end" or (param.bound is None and param.name.endswith(("to", "end", "until")))
        stamp = reading.end if use_end else reading.begin
        return str(ox.Literal(stamp.strftime("%Y-%m-%dT%H:%M:%S"), datatype=ox.NamedNode(_XSD + "dateTime")))
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
            raise QueryError(f"parameter {param.name}: {_short(value)!r} is not an integer")
        return str(ox.Literal(str(int(value.strip())), datatype=ox.NamedNode(_XSD + "integer")))
    if param.kind == "choice":
        if value not in param.choices:
            raise QueryError(f"parameter {param.name}: {_short(value)!r} is not one of {', '.join(param.choices)}")
        return str(ox.Literal(value))
    return _harden(str(ox.Literal(value)))


def bind(query: Query, values: dict[str, str]) -> str:
    """The query text with bound parameters substituted and the prologue prepended."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)}",
                         hint=f"its parameters: {', '.join(known) or 'none'}")
    terms: dict[str, str] = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            if not param.optional:
                raise QueryError(f"query {query.name!r} needs --param {param.name}=…", hint=param.description)
            terms[param.name] = f"?{param.name}"
            continue
        terms[param.name] = sparql_term(param, value)
    text = _conditional_lines(query.text, {n for n, t in terms.items() if not t.startswith("?")})
    if not terms:
        return sparql_prologue() + text
    # one pass: a substituted term is never scanned again, so a value holding '$to' stays a value
    pattern = re.compile(r"\$(" + "|".join(re.escape(n) for n in sorted(terms, key=len, reverse=True)) + r")\b")
    return sparql_prologue() + pattern.sub(lambda m: terms[m.group(1)], text)


def _conditional_lines(text: str, bound: set[str]) -> str:
    """Switch on a line ``#? a b: …`` when ``a`` or ``b`` is bound; drop it otherwise."""
    out = []
    for line in text.splitlines(keepends=True):
        condition = _CONDITION.match(line)
        if condition is None:
            out.append(line)
        elif bound & set(condition.group("names").split()):
            out.append(condition.group("indent") + condition.group("line"))
    return "".join(out)


def with_limit(text: str, limit: int | None) -> str:
    """Ask the store for at most ``limit`` rows (when the query sets no LIMIT of its own)."""
    if limit is None or re.search(r"\bLIMIT\s+\d+\s*(OFFSET\s+\d+\s*)?$", text.strip(), flags=re.IGNORECASE):
        return text
    return f"{text.rstrip()}\nLIMIT {int(limit)}\n"


# --- running ---------------------------------------------------------------------------------------

def _cell(value: str | None, multi: bool) -> str:
    if value is None:
        return ""
    if multi and SEPARATOR in value:
        value = SEPARATOR.join(sorted(dict.fromkeys(value.split(SEPARATOR))))
    return value


def _local(text: str, data: Path | None, multi: frozenset[str]) -> QueryResult:
    store = cached_store(data or project_path("dist"))
    try:
        solutions = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError("canned queries must be SELECT queries")
    columns = [v.value for v in solutions.variables]
    rows = [[_cell(None if sol[c] is None else sol[c].value, c in multi) for c in columns] for sol in solutions]
    return QueryResult(columns, rows)


def resolve_query_url(endpoint: str, timeout: float) -> str:
    """A store's root URL (``http://host:7878``) becomes its query URL; other URLs are kept."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"--endpoint {endpoint!r} is not an http(s) URL",
                         hint="e.g. http://127.0.0.1:7878/query (Oxigraph), http://HOST:3030/DATASET/query (Fuseki), "
                              "http://HOST:8890/sparql (Virtuoso)")
    if parts.path not in ("", "/"):
        return endpoint

    return adapter_for(endpoint, None, timeout=min(timeout, 10.0)).query_url


def _remote(text: str, endpoint: str, timeout: float, multi: frozenset[str], graphs: tuple[str, ...],
            user: str | None, password: str | None) -> QueryResult:
    from SPARQLWrapper import DIGEST, JSON, POST, SPARQLWrapper

    url = resolve_query_url(endpoint, timeout)
    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(1, round(timeout))))
    for graph in graphs:
        client.addDefaultGraph(graph)
    if user is not None:
        client.setCredentials(user, password or "")
        if "sparql-auth" in url:
            client.setHTTPAuth(DIGEST)
    hint = ("check the endpoint URL (Oxigraph: http://HOST:PORT/query, Fuseki: http://HOST:3030/DATASET/query, "
            "Virtuoso: http://HOST:8890/sparql) and that the store is up")
    try:
        with warnings.catch_warnings():
            # SPARQLWrapper warns (and returns the raw body) when the answer is not JSON;
            # that case is reported below as an error, not as a stray warning.
            warnings.simplefilter("ignore")
            answer = client.query()
            headers = answer.response.headers if hasattr(answer.response, "headers") else {}
            data = answer.convert()
    except Exception as exc:  # SPARQLWrapper raises urllib, socket and its own errors
        raise StoreError(f"query to {url} failed: {_describe(exc, timeout)}", hint=_hint(exc, hint)) from None
    # A URL that is not a SPARQL query endpoint may still answer 200 (an HTML page, XML
    # results, an ASK boolean): refuse anything but SPARQL JSON SELECT results.
    try:
        columns = [str(v) for v in data["head"]["vars"]]
        rows = [[_cell(str(b[c]["value"]) if c in b else None, c in multi) for c in columns]
                for b in data["results"]["bindings"]]
    except (TypeError, KeyError, AttributeError):
        raise StoreError(f"query to {url} failed: the answer is not SPARQL JSON SELECT results",
                         hint=hint) from None
    result = QueryResult(columns, rows)
    if _was_cut(headers, len(rows)):
        capped = headers.get("X-SPARQL-MaxRows")
        result.warnings.append(f"{url} cut the results at {capped} rows (Virtuoso: ResultSetMaxRows in the [SPARQL] "
                               "section of virtuoso.ini); use --limit, or raise that setting")
    return result


def _was_cut(headers: Any, rows: int) -> bool:
    """Whether the endpoint says it cut this answer: ``X-SPARQL-Truncated``, or as many rows as its
    ``X-SPARQL-MaxRows`` (Virtuoso sends that header with the cap; some servers send it on every answer)."""
    if not headers:
        return False
    if str(headers.get("X-SPARQL-Truncated", "")).strip().lower() == "true":
        return True
    try:
        capped = int(str(headers.get("X-SPARQL-MaxRows", "")).strip())
    except ValueError:
        return False
    return rows >= capped


def _describe(exc: Exception, timeout: float) -> str:
    text = str(exc).strip().replace("\n", " ")
    if isinstance(exc, TimeoutError) or "timed out" in text:
        return f"no answer within {timeout:g} s"
    return text[:400] or type(exc).__name__


def _hint(exc: Exception, default: str) -> str:
    name = type(exc).__name__
    if "estimated execution time" in str(exc):
        return ("Virtuoso refused the query on its cost *estimate*, which is often far off on small graphs "
                "(openlink/virtuoso-opensource#130, #229): comment out MaxQueryCostEstimationTime in the [SPARQL] "
                "section of virtuoso.ini (OpenLink: a debugging setting) and restart Virtuoso")
    if name == "EndPointInternalError":
        return "the store failed while running the query; its message above says why"
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "raise --timeout, or check that the store is not overloaded"
    if name == "Unauthorized" or "401" in str(exc):
        return "the endpoint wants credentials: pass --user and --password (or CWGRAPH_STORE_USER/PASSWORD)"
    if name == "QueryBadFormed":
        return "the store rejected the query; its message says which part — report it if a canned query fails"
    if name == "EndPointNotFound":
        return "no SPARQL endpoint at that path: " + default.split(": ", 1)[-1]
    return default


def run_query(name: str, values: dict[str, str] | None = None, *, data: Path | None = None,
              endpoint: str | None = None, limit: int | None = None, timeout: float = 60.0,
              graphs: tuple[str, ...] | list[str] = (), user: str | None = None,
              password: str | None = None) -> QueryResult:
    """Run a canned query locally (embedded pyoxigraph) or on an endpoint.

    ``graphs`` are default-graph IRIs for the remote query (the graph a dump was loaded into);
    ``limit`` is pushed into the query and enforced on the rows; ``timeout`` bounds a remote query.
    """
    queries = load_queries()
    if name not in queries:
        raise QueryError(f"no canned query {name!r}", hint=f"known: {', '.join(sorted(queries))}")
    query = queries[name]
    text = with_limit(bind(query, values or {}), limit)
    graph_iris = tuple(_graph_iri(g) for g in graphs)
    if not endpoint and graph_iris:
        raise QueryError("--graph applies to --endpoint queries", hint="the local release has one graph")

    def select(sparql: str) -> QueryResult:
        if endpoint:
            return _remote(sparql, endpoint, timeout, frozenset(), graph_iris, user, password)
        return _local(sparql, data, frozenset())

    check_ids(query, values or {}, select)
    if endpoint:
        result = _remote(text, endpoint, timeout, query.multi_valued, graph_iris, user, password)
    else:
        result = _local(text, data, query.multi_valued)
    if limit is not None:
        result.rows = result.rows[:limit]
    return result


def check_ids(query: Query, values: dict[str, str], select: Callable[[str], QueryResult]) -> None:
    """Refuse an id the data does not hold (an empty answer would look like "nothing found"), suggesting ids.

    ``select`` runs a SELECT on the same data as the query. Only IRIs under our base are
    checked; an outside IRI (Wikidata, say) is the user's to know.
    """
    for param in query.params:
        if param.kind != "iri" or param.name not in values:
            continue
        iri = _iri(param, values[param.name]).strip("<>")
        if not iri.startswith(BASE_IRI):
            continue
        kind = iri[len(BASE_IRI):].split("/", 1)[0]
        namespace = f"{BASE_IRI}{kind}/"
        found = select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), {str(ox.Literal(namespace))})) }}")
        known = {row[0] for row in found.rows}
        if iri in known:
            continue
        ids = sorted({k[len(namespace):] for k in known if "/" not in k[len(namespace):]})
        given = values[param.name].strip()
        wanted = iri[len(namespace):] if iri.startswith(namespace) else given
        close = suggest(wanted, ids)
        hint = ("find ids with: cwgraph query lookup --param name=…" if not ids
                else f"give one of the {len(ids)} {kind} ids; find them with: cwgraph query lookup --param name=…")
        maybe = f"; did you mean {_either(close)}?" if close else ""
        raise QueryError(f"parameter {param.name}: no {kind} `{given}`{maybe}", hint=hint)


def suggest(word: str, ids: list[str], n: int = 3) -> list[str]:
    """The ids nearest ``word``: those holding it as a hyphenated part, then containing it, then alike.

    >>> suggest("stalin", ["joseph-stalin", "mao-zedong", "stalingrad"])
    ['joseph-stalin', 'stalingrad']
    >>> suggest("mao-zedung", ["joseph-stalin", "mao-zedong"])
    ['mao-zedong']
    >>> suggest("no-such-person", ["dean-acheson", "joseph-stalin"])
    []
    """
    w = word.casefold().strip()
    if not w:
        return []
    whole = [i for i in ids if w in i.casefold().split("-")]
    inside = [i for i in ids if w in i.casefold() and i not in whole]
    # a misspelt part (vyshinski → andrei-vyshinsky), then a misspelt whole id (mosco → moscow)
    part = [i for i in ids if "-" not in w and difflib.get_close_matches(w, i.casefold().split("-"), n=1, cutoff=0.8)]
    alike = difflib.get_close_matches(w, ids, n=n, cutoff=0.75)
    return list(dict.fromkeys(whole + inside + part + alike))[:n]


def _either(ids: list[str]) -> str:
    quoted = [f"`{i}`" for i in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _graph_iri(value: str) -> str:
    try:
        return ox.NamedNode(value.strip()).value
    except ValueError:
        raise QueryError(f"--graph {_short(value)!r} is not an IRI", hint="e.g. https://w3id.org/cwgraph/collection/"
                         "sino-soviet-alliance") from None


# --- rendering -------------------------------------------------------------------------------------

def _tsv_field(value: str) -> str:
    """One TSV field on one line: backslash, tab, newline and carriage return escaped."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def render(result: QueryResult, fmt: str) -> str:
    """Table, CSV, TSV or JSON; unbound values are empty cells, columns never shift.

    CSV follows RFC 4180 (quoted fields); TSV has one record a line, with ``\\t``, ``\\n``,
    ``\\r`` and ``\\\\`` escaped inside fields; JSON is a list of objects with every column.
    """
    if fmt == "json":
        return json.dumps([dict(zip(result.columns, row)) for row in result.rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return out.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(_tsv_field(c) for c in result.columns)]
        lines += ["\t".join(_tsv_field(v) for v in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}", hint=f"one of {', '.join(FORMATS)}")

    def flat(value: str) -> str:
        return re.sub(r"[\t\r\n]+", " ", value)

    widths = [len(c) for c in result.columns]
    for row in result.rows:
        widths = [max(w, min(60, len(flat(v)))) for w, v in zip(widths, row)]

    def fit(value: str, width: int) -> str:
        value = flat(value)
        return (value[: width - 1] + "…" if len(value) > width else value).ljust(width)

    lines = [" │ ".join(fit(c, w) for c, w in zip(result.columns, widths)),
             "─┼─".join("─" * w for w in widths)]
    lines += [" │ ".join(fit(v, w) for v, w in zip(row, widths)) for row in result.rows]
    lines.append(f"({len(result.rows)} rows)")
    return "\n".join(lines) + "\n"
