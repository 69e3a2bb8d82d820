"""Golden cases: a listing page in, the document's subgraph out, compared as graphs.

Each folder under tests/golden/ holds ``listing.txt`` and ``expected.ttl`` (the triples
whose subject is the document or one of its parts). A folder may also hold ``reading.json``:
the title reading the grammar is agreed to return for its title (fields of
:class:`cwgraph.interpreting.titles.TitleReading` that differ from what the grammar reads today; names as
:class:`~cwgraph.interpreting.titles.NameRef` fields), so the model of a reading can be fixed before the
grammar produces it. To regenerate after a deliberate
model change, run ``CWGRAPH_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the
diff of every ``expected.ttl`` before committing it.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from cwgraph.resolving import resolve
from cwgraph.building.pipeline import build
from cwgraph.interpreting.titles import Conveyed, NameRef, TitleReading

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())
DOCUMENT = "https://w3id.org/cwgraph/document/"


def _document_subgraph(out: Path) -> rdflib.Graph:
    full = rdflib.Graph()
    full.parse(data=gzip.decompress((out / "cwgraph.nt.gz").read_bytes()).decode(), format="nt")
    sub = rdflib.Graph()
    sub.namespace_manager = full.namespace_manager
    for s, p, o in full:
        if str(s).startswith(DOCUMENT):
            sub.add((s, p, o))
    return sub


def _refs(items: list[dict]) -> list[NameRef]:
    return [NameRef(**item) for item in items]


def _agreed_reading(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Have the resolver use the reading in ``reading.json`` (see the module docstring)."""
    import json

    fields = json.loads(path.read_text())
    grammar = resolve.parse_title

    def parse_title(title: str, lexicon: object = None) -> TitleReading:
        reading = grammar(title, lexicon)  # type: ignore[arg-type]
        for key, value in fields.items():
            if key == "conveyed":
                value = [Conveyed(tuple(_refs(c["senders"])), tuple(_refs(c["recipients"])),
                                  c.get("via_outer", True)) for c in value]
            elif key in ("senders", "recipients", "intermediaries", "participants", "authors"):
                value = _refs(value)
            setattr(reading, key, value)
        return reading

    monkeypatch.setattr(resolve, "parse_title", parse_title)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if (case / "reading.json").exists():
        _agreed_reading(case / "reading.json", monkeypatch)
    result = build([case / "listing.txt"], tmp_path / "dist", workers=1)
    assert result.conforms and result.published == 1
    got = _document_subgraph(tmp_path / "dist")
    expected_path = case / "expected.ttl"
    if os.environ.get("CWGRAPH_UPDATE_GOLDEN"):
        from cwgraph.core.namespaces import PREFIXES

        for prefix, iri in PREFIXES.items():
            got.bind(prefix, iri)
        expected_path.write_text(got.serialize(format="turtle"))
    expected = rdflib.Graph().parse(expected_path)
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail("graphs differ\nonly in output:\n" + only_got.serialize(format="nt")
                    + "\nonly in expected:\n" + only_expected.serialize(format="nt"))
