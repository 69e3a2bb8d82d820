"""Canned SPARQL: a registry read from ``queries/*.rq``, safe parameters, local or remote runs.

Each query file starts with a header of ``#`` lines::

    # name: person-timeline
    # description: Everything a person sent, received, relayed or took part in, by date.
    # param: person iri — the person's IRI (or an authority id such as joseph-stalin)

A parameter appears in the query as ``$person``. When bound, the token is
replaced by the RDF term serialised by pyoxigraph (an IRI checked for
validity, or an escaped typed literal), so a value can never change the
query's structure; when not bound, ``$person`` stays a free variable.
Multi-valued cells (``GROUP_CONCAT`` with `` | ``) are sorted, so results
are identical on every store.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from cwgraph.config import BASE_IRI, project_path
from cwgraph.errors import CwgraphError, StoreError
from cwgraph.namespaces import sparql_prologue

__all__ = ["Param", "Query", "QueryResult", "bind", "load_queries", "parse_params", "render", "run_query"]

SEPARATOR = " | "
_KINDS = {"iri", "string", "date", "integer", "choice"}


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


@dataclass(frozen=True)
class Query:
    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    path: Path | None = None


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


_HEADER = re.compile(r"^#\s*(name|description|param):\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\s+(?P<kind>\w+)(?P<opt>\s+optional)?"
                    r"(?:\s+\[(?P<choices>[^\]]*)\])?(?:\s+default=(?P<default>\S+))?\s*(?:[—-]+\s*(?P<desc>.*))?$")


def parse_query_file(path: Path) -> Query:
    text = path.read_text("utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        m = _HEADER.match(line.strip())
        if not m:
            if line.strip() and not line.startswith("#"):
                break
            continue
        key, value = m.groups()
        if key == "param":
            pm = _PARAM.match(value.strip())
            if not pm or pm.group("kind") not in _KINDS:
                raise QueryError(f"{path.name}: cannot read parameter line {value!r}",
                                 hint="write '# param: NAME KIND [optional] [[a|b]] — description'")
            params.append(Param(pm.group("name"), pm.group("kind"), pm.group("desc") or "", bool(pm.group("opt")),
                                tuple(c.strip() for c in (pm.group("choices") or "").split("|") if c.strip()),
                                pm.group("default")))
        else:
            meta[key] = value.strip()
    if "name" not in meta:
        raise QueryError(f"{path.name}: no '# name:' header", hint="start the file with '# name: …'")
    return Query(meta["name"], meta.get("description", ""), text, tuple(params), path)


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
    """``KEY=VALUE`` strings to a dict; raise on a malformed one."""
    out = {}
    for item in values:
        if "=" not in item:
            raise QueryError(f"--param {item!r} is not KEY=VALUE", hint="e.g. --param person=joseph-stalin")
        key, value = item.split("=", 1)
        out[key.strip()] = value
    return out


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _term(param: Param, value: str) -> str:
    """The SPARQL text of one bound value (always a single, well-formed term)."""
    if param.kind == "iri":
        iri = value.strip()
        if re.fullmatch(r"[a-z][a-z0-9-]*(?:/[a-z0-9-]+)?", iri):
            # an authority id: try person/…, else the kinded path given
            iri = f"{BASE_IRI}{iri}" if "/" in iri else f"{BASE_IRI}person/{iri}"
        try:
            return str(ox.NamedNode(iri))
        except ValueError:
            raise QueryError(f"parameter {param.name}: {value!r} is not an IRI",
                             hint="give a full IRI such as https://w3id.org/cwgraph/person/joseph-stalin") from None
    if param.kind == "date":
        from cwgraph.dates import parse_printed_date

        try:
            reading = parse_printed_date(value)
        except CwgraphError as exc:
            raise QueryError(f"parameter {param.name}: {exc.message}", hint=exc.hint) from None
        if not reading.is_dated:
            raise QueryError(f"parameter {param.name}: {value!r} is not a date", hint="e.g. 1950-02-10")
        assert reading.begin
        stamp = reading.begin if not param.name.endswith(("to", "end", "until")) else reading.end
        assert stamp
        return str(ox.Literal(stamp.strftime("%Y-%m-%dT%H:%M:%S"), datatype=ox.NamedNode(_XSD + "dateTime")))
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,12}", value.strip()):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return str(ox.Literal(value.strip(), datatype=ox.NamedNode(_XSD + "integer")))
    if param.kind == "choice":
        if value not in param.choices:
            raise QueryError(f"parameter {param.name}: {value!r} is not one of {', '.join(param.choices)}")
        return str(ox.Literal(value))
    return str(ox.Literal(value))


def bind(query: Query, values: dict[str, str]) -> str:
    """The query text with bound parameters substituted and the prologue prepended."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)}",
                         hint=f"its parameters: {', '.join(known) or 'none'}")
    text = query.text
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            if not param.optional:
                raise QueryError(f"query {query.name!r} needs --param {param.name}=…", hint=param.description)
            continue
        term = _term(param, value)
        text = re.sub(rf"\${re.escape(param.name)}\b", lambda _m: term, text)
    return sparql_prologue() + text


def _cell(term: object) -> str:
    if term is None:
        return ""
    value = term.value if hasattr(term, "value") else str(term)
    if SEPARATOR in value:
        value = SEPARATOR.join(sorted(dict.fromkeys(value.split(SEPARATOR))))
    return value


def _local(text: str, data: Path | None) -> QueryResult:
    from cwgraph.store import open_store

    store = open_store(data or project_path("dist"))
    try:
        solutions = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError("canned queries must be SELECT queries")
    columns = [v.value for v in solutions.variables]
    rows = [[_cell(sol[c]) for c in columns] for sol in solutions]
    return QueryResult(columns, rows)


def _remote(text: str, endpoint: str, timeout: float) -> QueryResult:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(1, timeout)))
    hint = "check the endpoint URL (for Oxigraph: http://HOST:PORT/query) and that the store is up"
    try:
        with warnings.catch_warnings():
            # SPARQLWrapper warns (and returns the raw body) when the answer is not JSON;
            # that case is reported below as an error, not as a stray warning.
            warnings.simplefilter("ignore")
            data = client.queryAndConvert()
    except Exception as exc:  # SPARQLWrapper raises urllib and its own errors
        raise StoreError(f"query to {endpoint} failed: {exc}", hint=hint) from None
    # A URL that is not a SPARQL query endpoint may still answer 200 (an HTML page, XML
    # results, an ASK boolean): refuse anything but SPARQL JSON SELECT results.
    try:
        columns = [str(v) for v in data["head"]["vars"]]
        rows = [[_cell(_Value(str(b[c]["value"])) if c in b else None) for c in columns]
                for b in data["results"]["bindings"]]
    except (TypeError, KeyError, AttributeError):
        raise StoreError(f"query to {endpoint} failed: the answer is not SPARQL JSON SELECT results",
                         hint=hint) from None
    return QueryResult(columns, rows)


@dataclass
class _Value:
    value: str


def run_query(name: str, values: dict[str, str] | None = None, *, data: Path | None = None,
              endpoint: str | None = None, limit: int | None = None, timeout: float = 60.0) -> QueryResult:
    """Run a canned query locally (embedded pyoxigraph) or on an endpoint."""
    queries = load_queries()
    if name not in queries:
        raise QueryError(f"no canned query {name!r}", hint=f"known: {', '.join(sorted(queries))}")
    text = bind(queries[name], values or {})
    result = _remote(text, endpoint, timeout) if endpoint else _local(text, data)
    if limit is not None:
        result.rows = result.rows[:limit]
    return result


def render(result: QueryResult, fmt: str) -> str:
    """Table, CSV, TSV or JSON; unbound values are empty cells, columns never shift."""
    if fmt == "json":
        return json.dumps([dict(zip(result.columns, row)) for row in result.rows], ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return out.getvalue()
    widths = [len(c) for c in result.columns]
    for row in result.rows:
        widths = [max(w, min(60, len(v))) for w, v in zip(widths, row)]

    def fit(value: str, width: int) -> str:
        value = value.replace("\n", " ")
        return (value[: width - 1] + "…" if len(value) > width else value).ljust(width)

    lines = [" │ ".join(fit(c, w) for c, w in zip(result.columns, widths)),
             "─┼─".join("─" * w for w in widths)]
    lines += [" │ ".join(fit(v, w) for v, w in zip(row, widths)) for row in result.rows]
    lines.append(f"({len(result.rows)} rows)")
    return "\n".join(lines) + "\n"
