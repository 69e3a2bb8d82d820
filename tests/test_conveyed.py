"""A conveyed message in the published output: the letters query's ``conveys`` and ``authors``
columns, and the exports, which list the letter that was sent, not the message inside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cwgraph.resolving import resolve
from cwgraph.exports.letters import load_graph, read_letters
from cwgraph.building.pipeline import build
from cwgraph.querying.queries import run_query
from cwgraph.interpreting.titles import Conveyed, NameRef, TitleReading

LISTING = """1 - 2 of 2

March 3, 1950

Ciphered Telegram, Shtykov to Vyshinsky, transmitting a letter from Kim Il Sung to Stalin

May 2, 1950

Notes by Anastas Mikoyan on the Situation in Korea
"""


def _ref(name: str) -> NameRef:
    return NameRef(written=name, name=name, kind="person")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    grammar = resolve.parse_title

    def agreed(title: str, lexicon: object = None) -> TitleReading:
        reading = grammar(title, lexicon)  # type: ignore[arg-type]
        if title.startswith("Ciphered Telegram"):  # the reading the grammar is agreed to give
            reading.senders, reading.recipients, reading.intermediaries = [_ref("Shtykov")], [_ref("Vyshinsky")], []
            reading.conveyed = [Conveyed((_ref("Kim Il Sung"),), (_ref("Stalin"),))]
        return reading

    mp = pytest.MonkeyPatch()
    mp.setattr(resolve, "parse_title", agreed)
    folder = tmp_path_factory.mktemp("conveyed")
    (folder / "listing.txt").write_text(LISTING)
    try:
        result = build([folder / "listing.txt"], folder / "dist", workers=1)
    finally:
        mp.undo()
    assert result.conforms and result.published == 2
    return folder / "dist"


def _rows(release: Path) -> dict[str, dict[str, str]]:
    result = run_query("letters", data=release)
    return {r["title"]: r for r in (dict(zip(result.columns, row)) for row in result.rows)}


def test_letters_lists_the_conveyed_message_and_the_authors(release: Path) -> None:
    rows = _rows(release)
    telegram = rows["Ciphered Telegram, Shtykov to Vyshinsky, transmitting a letter from Kim Il Sung to Stalin"]
    assert telegram["senders"] == "Terenty Shtykov" and telegram["recipients"] == "Andrey Vyshinsky"
    assert telegram["intermediaries"] == "" and telegram["authors"] == ""
    assert telegram["conveys"] == "Kim Il Sung -> Joseph Stalin"
    notes = rows["Notes by Anastas Mikoyan on the Situation in Korea"]
    assert notes["authors"] == "Anastas Mikoyan" and notes["conveys"] == ""


def test_the_message_is_on_its_senders_timeline(release: Path) -> None:
    result = run_query("person-timeline", {"person": "kim-il-sung"}, data=release)
    [row] = [r for r in (dict(zip(result.columns, r)) for r in result.rows) if r["kind"] == "document"]
    assert row["roles"] == "sender of a message it conveys"
    assert set(row["with"].split(" | ")) == {"Joseph Stalin", "Terenty Shtykov", "Andrey Vyshinsky"}


def test_the_transmitter_relayed_the_message(release: Path) -> None:
    result = run_query("intermediaries", data=release)
    rows = [dict(zip(result.columns, r)) for r in result.rows]
    assert [(r["intermediary"], r["sender"], r["recipient"], r["documents"]) for r in rows] == [
        ("Terenty Shtykov", "Kim Il Sung", "Joseph Stalin", "1")]


def test_the_columns_keep_their_order(release: Path) -> None:
    result = run_query("letters", data=release)
    assert list(result.columns) == ["document", "record_id", "date_begin", "date_end", "type", "title", "senders",
                                    "recipients", "intermediaries", "participants", "signed_as", "authors", "conveys"]


def test_exports_list_the_letter_that_was_sent(release: Path) -> None:
    [letter] = read_letters(load_graph(release))
    assert [p.label for p in letter.senders] == ["Terenty Shtykov"]
    assert [p.label for p in letter.recipients] == ["Andrey Vyshinsky"]
    assert letter.intermediaries == []
    cmif = (release / "cwgraph.cmif.xml").read_text()
    names = re.findall(r"<(?:persName|orgName)[^>]*>([^<]+)<", cmif)
    assert "Terenty Shtykov" in names and "Kim Il Sung" not in names


def test_every_canned_query_is_sent_as_a_query() -> None:
    """SPARQLWrapper picks query or update from the first keyword it finds anywhere in the text, comments
    and strings included: a word such as 'addressee' made it send the letters query as an ADD update."""
    from SPARQLWrapper import SPARQLWrapper

    from cwgraph.querying.queries import bind, load_queries

    for name, query in load_queries().items():
        client = SPARQLWrapper("http://127.0.0.1:1/query")
        client.setQuery(bind(query, query.examples[0] if query.examples else {}))
        assert client.queryType in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"), (name, client.queryType)
