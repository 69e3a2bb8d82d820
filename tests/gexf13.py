"""GEXF 1.3 for the tests: the official schema (vendored in fixtures/gexf, CC BY 4.0) and a networkx reading.

networkx reads GEXF 1.1draft and 1.2draft only; 1.3 differs from 1.2draft in what our files
use only by its namespace, its version and the edge ``kind`` (which networkx ignores), so the
reading swaps the namespace and version and lets networkx do the rest.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import networkx as nx
from lxml import etree

SCHEMA = Path(__file__).parent / "fixtures" / "gexf" / "gexf.xsd"
GEXF_13 = "http://gexf.net/1.3"


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def schema_errors(path: Path) -> list[str]:
    """The official GEXF 1.3 schema's complaints about a file (none: valid)."""
    checker = schema()
    checker.validate(etree.parse(str(path)))
    return [f"{e.line}: {e.message}" for e in checker.error_log]  # type: ignore[attr-defined]


def read_gexf(path: Path) -> nx.MultiDiGraph:
    text = path.read_text("utf-8")
    assert f'xmlns="{GEXF_13}"' in text and 'version="1.3"' in text
    text = text.replace(f'xmlns="{GEXF_13}"', 'xmlns="http://www.gexf.net/1.2draft"', 1).replace(
        'version="1.3"', 'version="1.2"', 1)
    graph = nx.read_gexf(_Text(text))  # type: ignore[arg-type]
    return graph if graph.is_multigraph() else nx.MultiDiGraph(graph)  # without parallel edges networkx makes a DiGraph


class _Text:
    """A file-like object networkx's reader accepts."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.pos = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.data[self.pos:] if n < 0 else self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        return chunk
