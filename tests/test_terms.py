"""Terms as tuples and their N-Triples text: the same bytes pyoxigraph prints, for every character;
blocks render what their triples hold (their run files: tests/test_runs.py)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwgraph.core.terms import checked_iri, iri, literal, nt_line, nt_term, parse_line
from cwgraph.mapping.graph import Triples
from cwgraph.publishing.serialize import Renderer, Stats, parse_lines, render_blocks

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_every_character_is_escaped_as_pyoxigraph_escapes_it() -> None:
    codes = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(codes), 8192):
        text = "".join(map(chr, codes[start:start + 8192]))
        assert nt_term(literal(text)) == str(ox.Literal(text)), hex(codes[start])


@given(st.text(), st.sampled_from(["", "en", "ru", "zh-Hans", "EN-GB"]),
       st.sampled_from([XSD + "string", XSD + "dateTime", XSD + "integer", XSD + "boolean"]))
def test_literals_print_and_parse_back(text: str, language: str, datatype: str) -> None:
    term = literal(text, datatype, language)
    expected = ox.Literal(text, language=language) if language else ox.Literal(text, datatype=ox.NamedNode(datatype))
    assert nt_term(term) == str(expected)
    triple = ("https://w3id.org/cwgraph/document/1", "http://purl.org/dc/terms/title", term)
    assert parse_line(nt_line(triple)) == triple


def test_iris_outside_the_base_are_checked() -> None:
    assert iri("https://w3id.org/cwgraph/person/x") == ("I", "https://w3id.org/cwgraph/person/x")
    assert iri("http://www.wikidata.org/entity/Q855") == ("I", "http://www.wikidata.org/entity/Q855")
    with pytest.raises(ValueError):
        iri("https://digitalarchive.wilsoncenter.org/document/a b")
    with pytest.raises(ValueError):
        checked_iri("no scheme")


def test_the_collector_prints_what_pyoxigraph_prints() -> None:
    g = Triples()
    s = "https://w3id.org/cwgraph/document/1"
    g.a(s, "crm:E31_Document")
    g.add(s, "rdfs:label", 'Cable, "Filippov" to Mao\n\tNo. 1 — Москва')
    g.add(s, "cw:awaitingReconciliation", True)
    g.lang(s, "dcterms:title", "Telegram", "EN")
    g.add(s, "cw:dateBegin", ox.Literal("1950-02-01T00:00:00", datatype=ox.NamedNode(XSD + "dateTime")))
    expected = sorted(f"{t} .\n" for t in g.to_ox())
    assert g.lines() == expected
    assert [line for line, _ in parse_lines(g.lines())] == expected
    assert [t for _, t in parse_lines(g.lines())] == [t for _, t in g.sorted_triples()]


def test_stats_count_what_the_blocks_hold() -> None:
    g = Triples()
    g.a("https://w3id.org/cwgraph/person/a", "crm:E21_Person")
    g.a("https://w3id.org/cwgraph/person/b", "crm:E21_Person", "crm:E39_Actor")
    g.add("https://w3id.org/cwgraph/person/b", "rdfs:label", "B")
    stats = Stats()
    list(render_blocks(g.sorted_triples(), Renderer("https://w3id.org/cwgraph/"), stats))
    assert (stats.subjects, stats.triples) == (2, 4)
    assert stats.classes["http://www.cidoc-crm.org/cidoc-crm/E21_Person"] == 2


_IRIS = ["https://w3id.org/cwgraph/document/1", "https://w3id.org/cwgraph/vocab#edtf", "http://x.org/a%20b",
         "https://w3id.org/cwgraph/person/a b", "https://w3id.org/cwgraph/doc/é", "urn:x", "no-scheme",
         "https://w3id.org/cwgraph/a#b#c", "http://x.org/[bad", "https://w3id.org/cwgraph/q?x=1", "http://x:80/y"]


def _ox_triples(lines: list[str]) -> list[tuple] | type:
    from cwgraph.core.terms import from_ox

    try:
        return [(t.subject.value, t.predicate.value, from_ox(t.object))
                for t in ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
    except (SyntaxError, ValueError):
        return SyntaxError


@given(st.lists(st.tuples(st.sampled_from(_IRIS), st.sampled_from(_IRIS),
                          st.one_of(st.sampled_from(_IRIS).map(lambda i: f"<{i}>"),
                                    st.tuples(st.text(max_size=8), st.sampled_from(["", "@en", "@EN-gb", "@1", "^^<"
                                                                                    + XSD + "string>", "^^<"
                                                                                    + XSD + "integer>", "^^<x>"]))
                                    .map(lambda t: f'"{t[0]}"{t[1]}'))), max_size=4),
       st.integers(0, 200), st.sampled_from(["", " ", "\"", "<", ">", "\\", "#", ".", "\t"]))
def test_reading_lines_fast_reads_what_pyoxigraph_reads(parts: list, where: int, insert: str) -> None:
    """Canonical lines take the fast path, any other pyoxigraph's: the triples (or the error) are the same."""
    from cwgraph.core.terms import parse_nt_lines

    lines = [f"<{s}> <{p}> {o} .\n" for s, p, o in parts]
    if lines and insert:  # one stray character somewhere
        i = where % len(lines)
        cut = where % len(lines[i].rstrip("\n"))
        lines[i] = lines[i][:cut] + insert + lines[i][cut:]
    expected = _ox_triples(lines)
    if expected is SyntaxError or len(expected) != len(lines):  # type: ignore[arg-type]
        with pytest.raises((SyntaxError, ValueError)):
            parse_nt_lines(lines)
    else:
        assert parse_nt_lines(lines) == expected
