"""Canned-query parameters: parsing, safe binding (hostile values never change a query), rendering.

The embedded store is enough to prove binding is structure-preserving: an "echo" query returns
the bound value, which must come back exactly, in one row and one column, whatever it holds.
The same values are sent to real servers in ``test_integration_stores.py``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from cwgraph.cli import main
from cwgraph.core.namespaces import sparql_prologue
from cwgraph.querying.queries import (
    Param,
    Query,
    QueryError,
    QueryResult,
    bind,
    load_queries,
    parse_params,
    parse_query_file,
    render,
    run_query,
    sparql_term,
    with_limit,
)

# Values an attacker (or an unlucky historian) may type. Each must reach the store as one literal.
HOSTILE = [
    'x" } ; DROP ALL #',
    "x' } ; DROP ALL #",
    '> } ; DROP ALL #',
    '") || true || ("',
    "x\") } UNION { ?s ?p ?o } #",
    '"""',
    "'''",
    "\\",
    '\\"',
    "trailing backslash\\",
    "\\u0022 ) } ; DROP ALL #",           # a codepoint escape typed as text
    "\\\\u0022 ) } ; DROP ALL #",         # …after an escaped backslash (naive \u pre-processing)
    "\\U00000022 ) }",
    "line\nbreak } ;\r\nDROP ALL",
    "tab\there",
    "nul\x00byte",
    "é ☃ 𝄞 \u2028 \u202e",
    "$person $to ?x",                     # parameter tokens inside a value
    "#? text: FILTER(false)",             # the template's conditional marker inside a value
    "PREFIX x: <urn:x> SELECT * WHERE {}",
    "x" * 100_000,                        # very long
]


def echo_query(kind: str = "string", **extra: object) -> Query:
    return Query("echo", "", "SELECT ?v WHERE { BIND($v AS ?v) }", (Param("v", kind, "", **extra),))


def run_embedded(text: str) -> list[list[ox.Term | None]]:
    solutions = ox.Store().query(text)
    assert isinstance(solutions, ox.QuerySolutions)
    return [[sol[v] for v in solutions.variables] for sol in solutions]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:24]))
def test_hostile_string_comes_back_unchanged(value: str) -> None:
    rows = run_embedded(bind(echo_query(), {"v": value}))
    assert len(rows) == 1 and len(rows[0]) == 1
    term = rows[0][0]
    assert isinstance(term, ox.Literal)
    assert term.value == value
    assert term.datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:24]))
def test_hostile_values_in_canned_queries_match_nothing(value: str) -> None:
    for name, key in (("search", "text"), ("lookup", "name")):
        assert run_query(name, {key: value}).rows == [], name


def test_a_value_never_widens_a_filter() -> None:
    # if '") || true || ("' were pasted into the FILTER, every document would match
    assert run_query("search", {"text": '") || true || ("'}).rows == []
    assert run_query("search", {"text": "railway"}).rows  # the same query does match real text


def test_substitution_is_one_pass() -> None:
    q = Query("two", "", "SELECT ?a ?b WHERE { BIND($a AS ?a) BIND($b AS ?b) }",
              (Param("a", "string", ""), Param("b", "string", "")))
    rows = run_embedded(bind(q, {"a": "$b", "b": '"} DROP ALL'}))
    assert [t.value for t in rows[0] if t is not None] == ["$b", '"} DROP ALL']


@pytest.mark.parametrize("value", [
    "https://w3id.org/cwgraph/person/x>", "http://x/a b", "http://x/{a}", "http://x/a\\u003E", 'http://x/"',
    "http://x/<", "http://x/a|b", "http://x/a^b", "http://x/`", "<https://w3id.org/cwgraph/person/x>",
    "https://w3id.org/x> } ; DROP ALL #", "not an iri", "Joseph Stalin", "", "http://x/\nb",
])
def test_hostile_iris_are_refused(value: str) -> None:
    with pytest.raises(QueryError) as err:
        bind(echo_query("iri"), {"v": value})
    assert "parameter v" in str(err.value)


@pytest.mark.parametrize(("value", "iri"), [
    ("joseph-stalin", "https://w3id.org/cwgraph/person/joseph-stalin"),
    ("place/moscow", "https://w3id.org/cwgraph/place/moscow"),
    ("cwd:person/mao-zedong", "https://w3id.org/cwgraph/person/mao-zedong"),
    ("wd:Q855", "http://www.wikidata.org/entity/Q855"),
    ("https://w3id.org/cwgraph/person/joseph-stalin", "https://w3id.org/cwgraph/person/joseph-stalin"),
    ("urn:x:a;b'c#frag", "urn:x:a;b'c#frag"),
    ("http://example.org/é/ü?q=1&r=2", "http://example.org/é/ü?q=1&r=2"),
    ("  joseph-stalin  ", "https://w3id.org/cwgraph/person/joseph-stalin"),
])
def test_iris_ids_and_curies(value: str, iri: str) -> None:
    rows = run_embedded(bind(echo_query("iri"), {"v": value}))
    assert rows == [[ox.NamedNode(iri)]]


def test_bare_id_uses_the_parameter_namespace() -> None:
    assert sparql_term(Param("place", "iri", "", namespace="place/"), "moscow") == \
        "<https://w3id.org/cwgraph/place/moscow>"


@pytest.mark.parametrize(("kind", "value", "bound", "lexical"), [
    ("date", "1950-02-10", "begin", "1950-02-10T00:00:00"),
    ("date", "1950-02-10", "end", "1950-02-10T23:59:59"),
    ("date", "February 1950", "begin", "1950-02-01T00:00:00"),
    ("date", "February 1950", "end", "1950-02-28T23:59:59"),
    ("date", "1950", "end", "1950-12-31T23:59:59"),
    ("integer", " 42 ", None, "42"),
    ("integer", "-007", None, "-7"),
])
def test_typed_literals(kind: str, value: str, bound: str | None, lexical: str) -> None:
    rows = run_embedded(bind(echo_query(kind, bound=bound), {"v": value}))
    term = rows[0][0]
    assert isinstance(term, ox.Literal) and term.value == lexical


@pytest.mark.parametrize(("kind", "value"), [
    ("date", "1950-02-30"), ("date", "x<y"), ("date", "1950-02-10T00:00:00\"^^<x> } #"), ("date", "[undated]"),
    ("integer", "1; DROP ALL"), ("integer", "1e3"), ("integer", "9" * 40),
])
def test_bad_typed_values_are_refused(kind: str, value: str) -> None:
    with pytest.raises(QueryError):
        bind(echo_query(kind), {"v": value})


def test_choice_parameters() -> None:
    q = echo_query("choice", choices=("overlap", "within"))
    assert run_embedded(bind(q, {"v": "within"}))[0][0] == ox.Literal("within")
    with pytest.raises(QueryError, match="not one of overlap, within"):
        bind(q, {"v": 'within" || true || "'})


def test_unknown_missing_and_repeated_parameters() -> None:
    between = load_queries()["between"]
    with pytest.raises(QueryError, match="has no parameter nope"):
        bind(between, {"from": "1950", "to": "1950", "nope": "1"})
    with pytest.raises(QueryError, match="needs --param to"):
        bind(between, {"from": "1950"})
    with pytest.raises(QueryError, match="given twice"):
        parse_params(["a=1", "a=2"])
    assert parse_params(["note=a=b", "x="]) == {"note": "a=b", "x": ""}


def test_unbound_optional_parameter_is_a_free_variable_and_drops_its_conditional_lines() -> None:
    mentions = load_queries()["mentions"]
    free = bind(mentions, {})
    assert "$place" not in free and "#?" not in free and "FILTER(?target IN" not in free
    bound = bind(mentions, {"place": "moscow"})
    assert "FILTER(?target IN (<https://w3id.org/cwgraph/place/moscow>, ?event))" in bound
    assert "#?" not in bound


def test_header_parsing(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# name: q\n# description: first part\n# description: second part\n"
                    "# param: who iri ns=group/ — the group\n"
                    "# param: when date optional bound=end — a date\n"
                    "# param: how choice [a|b] default=b — how\n"
                    "# example: who=cpsu how=a when=\"February 1950\"\n"
                    "SELECT ?x WHERE { BIND($who AS ?x) }\n", "utf-8")
    q = parse_query_file(path)
    assert q.description == "first part second part"
    assert [(p.name, p.kind, p.required, p.namespace, p.bound, p.choices, p.default) for p in q.params] == [
        ("who", "iri", True, "group/", None, (), None),
        ("when", "date", False, None, "end", (), None),
        ("how", "choice", False, None, None, ("a", "b"), "b"),
    ]
    assert q.examples == ({"who": "cpsu", "how": "a", "when": "February 1950"},)
    path.write_text("# name: q\n# param: who sometype — ?\nSELECT * {}\n", "utf-8")
    with pytest.raises(QueryError, match="cannot read parameter line"):
        parse_query_file(path)
    path.write_text("# name: q\nSELECT * {\n  #? nobody: FILTER(true)\n}\n", "utf-8")
    with pytest.raises(QueryError, match="unknown parameter"):
        parse_query_file(path)


def test_every_canned_query_parses_and_documents_its_parameters() -> None:
    queries = load_queries()
    assert {"person-timeline", "intermediaries", "mentions", "between", "unresolved"} <= set(queries)
    for q in queries.values():
        assert q.description, q.name
        for p in q.params:
            assert p.description, f"{q.name}: parameter {p.name} has no description"
        if any(p.required for p in q.params):
            assert q.examples, f"{q.name} needs an '# example:' line"
        for example in q.examples:
            bind(q, example)  # every example binds


def test_limit_is_pushed_into_the_query_and_enforced() -> None:
    assert with_limit("SELECT * {}\n", 5).rstrip().endswith("LIMIT 5")
    assert with_limit("SELECT * {} LIMIT 3", 5) == "SELECT * {} LIMIT 3"
    assert len(run_query("letters", limit=3).rows) == 3
    assert run_query("letters", limit=0).rows == []


def test_graph_option_needs_an_endpoint() -> None:
    with pytest.raises(QueryError, match="--graph applies to --endpoint"):
        run_query("letters", graphs=["urn:x:g"])


# --- rendering --------------------------------------------------------------------------------------

TRICKY = QueryResult(["a", "b", "c"], [["1", "", "x | y"], ["two,\"quoted\"", "tab\there", "line\nbreak\\n"],
                                        ["", "", ""]])


def test_csv_is_rfc4180_and_keeps_columns() -> None:
    rows = list(csv.reader(io.StringIO(render(TRICKY, "csv"))))
    assert rows[0] == ["a", "b", "c"]
    assert rows[1:] == TRICKY.rows


def test_tsv_has_one_record_a_line_with_escapes() -> None:
    lines = render(TRICKY, "tsv").splitlines()
    assert len(lines) == 1 + len(TRICKY.rows)
    assert all(line.count("\t") == 2 for line in lines)
    assert lines[2] == 'two,"quoted"\ttab\\there\tline\\nbreak\\\\n'
    assert lines[3] == "\t\t"


def test_json_has_every_column_in_every_row() -> None:
    data = json.loads(render(TRICKY, "json"))
    assert [list(r) for r in data] == [["a", "b", "c"]] * 3
    assert data[2] == {"a": "", "b": "", "c": ""}


def test_table_keeps_columns_aligned() -> None:
    lines = render(TRICKY, "table").splitlines()
    assert lines[-1] == "(3 rows)"
    positions = {tuple(i for i, ch in enumerate(line) if ch in "│┼") for line in lines[:-1]}
    assert len(positions) == 1


def test_only_group_concat_columns_are_sorted() -> None:
    q = Query("m", "", 'SELECT ?title (GROUP_CONCAT(DISTINCT STR(?x); separator=" | ") AS ?xs) WHERE {'
                       ' VALUES (?title ?x) { ("Z | A" "b") ("Z | A" "a") } } GROUP BY ?title')
    assert q.multi_valued == {"xs"}
    from cwgraph.querying.queries import _cell

    assert _cell("Z | A", False) == "Z | A"      # a title that happens to contain the separator
    assert _cell("b | a | b", True) == "a | b"   # a multi-valued cell: sorted, deduplicated
    assert _cell(None, True) == ""


def test_unbound_values_are_empty_cells_on_the_release(root: Path) -> None:
    result = run_query("letters", data=root / "dist")
    assert all(len(row) == len(result.columns) for row in result.rows)
    record_id = result.columns.index("record_id")
    assert any(row[record_id] == "" for row in result.rows)  # documents without a Record ID


# --- the command line ----------------------------------------------------------------------------------

def test_cli_hostile_value_is_an_ordinary_search() -> None:
    result = CliRunner().invoke(main, ["query", "search", "--param", 'text=x" } ; DROP ALL #', "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "date_begin,date_end,date,document,title,found_in\n"


@pytest.mark.parametrize("args", [
    ["query", "person-timeline", "--param", "person=https://w3id.org/x> } ; DROP ALL #"],
    ["query", "person-timeline"],
    ["query", "between", "--param", "from=1950-02-30", "--param", "to=1950"],
    ["query", "between", "--param", "from=1950", "--param", "to=1950", "--param", "match=sometimes"],
    ["query", "letters", "--param", "x=1"],
    ["query", "letters", "--graph", "urn:x:g"],
])
def test_cli_parameter_errors_exit_2_without_traceback(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and "Traceback" not in result.output


def test_cli_queries_lists_parameters_and_examples() -> None:
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    assert "--param person=IRI" in result.output
    assert "--param match=overlap|within" in result.output
    assert "e.g. cwgraph query between --param from=1950-02-10 --param to=1950-02-20" in result.output
    data = json.loads(CliRunner().invoke(main, ["queries", "--format", "json"]).output)
    between = next(q for q in data if q["name"] == "between")
    assert [p["name"] for p in between["parameters"]] == ["from", "to", "match"]
    assert between["parameters"][2]["choices"] == ["overlap", "within"]


def test_prologue_is_prepended() -> None:
    assert bind(load_queries()["letters"], {}).startswith(sparql_prologue())
