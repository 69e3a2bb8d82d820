"""Golden cases: a listing page in, the document's subgraph out, compared as graphs.

Each folder under tests/golden/ holds ``listing.txt`` and ``expected.ttl`` (the triples
whose subject is the document or one of its parts). To regenerate after a deliberate
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

from cwgraph.pipeline import build

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


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, tmp_path: Path) -> None:
    result = build([case / "listing.txt"], tmp_path / "dist")
    assert result.conforms and result.published == 1
    got = _document_subgraph(tmp_path / "dist")
    expected_path = case / "expected.ttl"
    if os.environ.get("CWGRAPH_UPDATE_GOLDEN"):
        from cwgraph.namespaces import PREFIXES

        for prefix, iri in PREFIXES.items():
            got.bind(prefix, iri)
        expected_path.write_text(got.serialize(format="turtle"))
    expected = rdflib.Graph().parse(expected_path)
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail("graphs differ\nonly in output:\n" + only_got.serialize(format="nt")
                    + "\nonly in expected:\n" + only_expected.serialize(format="nt"))
