"""What a release folder is and how to read its files: the one place that knows that a release's
graph is its ``cwgraph.nt.gz``, that a file may be gzipped, and how a sorted dump is cut into
chunks of documents.

>>> dump_name(Path("dist/cwgraph.nt.gz")), dump_name(Path("graph.ttl"))
('cwgraph.nt', 'graph.ttl')
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from cwgraph.core.config import BASE_IRI

__all__ = ["DUMP", "UnsortedLines", "document_chunks", "dump_name", "dump_of", "is_nt", "open_binary", "read_bytes",
           "read_lines"]

DUMP = "cwgraph.nt.gz"  # a release's whole graph: sorted, canonical N-Triples, gzipped


def dump_of(path: Path) -> Path:
    """The file holding the graph: a release folder's ``cwgraph.nt.gz``, or ``path`` itself (a file)."""
    return path / DUMP if path.is_dir() else path


def dump_name(path: Path) -> str:
    """The file's name without a ``.gz`` (what its RDF format is read from)."""
    return path.name[:-3] if path.name.endswith(".gz") else path.name


def is_nt(path: Path) -> bool:
    """An N-Triples file (``.nt`` or ``.nt.gz``)."""
    return path.is_file() and dump_name(path).endswith(".nt")


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes as a stream, gunzipped when the name ends with ``.gz``."""
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def read_bytes(path: Path) -> bytes:
    """The whole file, gunzipped when the name ends with ``.gz``."""
    with open_binary(path) as f:
        return f.read()


def read_lines(path: Path) -> Iterator[str]:
    """The file's lines (UTF-8, ``\\n`` only), gunzipped when the name ends with ``.gz``."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="\n") as f:  # type: ignore[operator]
        yield from f


_KEY = re.compile(r"[^/>]*")


class UnsortedLines(ValueError):
    """The lines given to :func:`document_chunks` were not sorted."""


def document_chunks(lines: Iterable[str], size: int, outside: list[str]) -> Iterator[list[str]]:
    """Cut sorted N-Triples lines into chunks of ``size`` documents (each with all its parts); the lines
    outside the documents are appended to ``outside``. Raises :class:`UnsortedLines` on unsorted input.
    """
    prefix = f"<{BASE_IRI}document/"
    # sorted lines do not keep a document together: "K/…" < "K0…" < "K>" puts document K0 inside K.
    # The documents still open are each a prefix of the next; one is complete once a line
    # of a document it is not a prefix of comes.
    open_docs: list[tuple[str, list[str]]] = []
    chunk: list[str] = []
    documents = 0
    previous = ""
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        if line < previous:
            raise UnsortedLines(f"line out of order: {line[:200]!r}")
        previous = line
        key = _KEY.match(line, len(prefix)).group() if line.startswith(prefix) else None  # type: ignore[union-attr]
        while open_docs and (key is None or not key.startswith(open_docs[-1][0])):
            chunk.extend(open_docs.pop()[1])
            documents += 1
            if documents >= size:
                yield chunk
                chunk, documents = [], 0
        if key is None:
            outside.append(line)
        elif open_docs and open_docs[-1][0] == key:
            open_docs[-1][1].append(line)
        else:
            open_docs.append((key, [line]))
    while open_docs:
        chunk.extend(open_docs.pop()[1])
        documents += 1
    if chunk:
        yield chunk
