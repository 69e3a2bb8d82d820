"""The exports' share of one chunk of documents, worked out where the chunk is mapped.

A build gets each document's letter row and counts from
:func:`cwgraph.mapping.record.map_record`; exports written from a published dump read it a
chunk of documents at a time: :func:`chunk_exports` parses a chunk's N-Triples lines (its
documents and their parts, nothing else) and returns what the exports need from them
(:func:`cwgraph.mapping.rows.document_rows`, the same function): the chunk's letters as
skeletons (IRIs where names go; the names are in the lines outside the documents) and,
for each entity, how many of the chunk's documents refer to it. A document is in one
chunk only, so the counts of all chunks add up.

Letters are kept in *letter runs*: JSON lines sorted by the letter's sort key,

    1949-12-16T00:00:00<TAB>https://w3id.org/cwgraph/document/110296<TAB>[…the skeleton…]

so that the runs of all chunks merge into date order (:func:`merge_letter_runs`); their
run format is :data:`LETTERS` (:mod:`cwgraph.core.runs`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from cwgraph.core.dumps import UnsortedLines, document_chunks  # noqa: F401  (re-exported for the exports)
from cwgraph.core.runs import RunFormat, merge_runs, read_run, write_run
from cwgraph.core.terms import parse_nt_lines
from cwgraph.mapping.rows import LetterSkeleton, document_rows

__all__ = ["LETTERS", "ChunkExports", "UnsortedLines", "chunk_exports", "document_chunks", "merge_letter_runs",
           "read_letter_run", "write_letter_run"]


@dataclass
class ChunkExports:
    """What the exports need from one chunk of documents."""

    letters: list[LetterSkeleton] = field(default_factory=list)  # in sort-key order
    counts: dict[str, int] = field(default_factory=dict)  # entity IRI → documents of the chunk referring to it

    def write_letters(self, path: Path) -> Path:
        """Write the letters as a letter run (see :func:`write_letter_run`)."""
        return write_letter_run(self.letters, path)


def chunk_exports(lines: list[str]) -> ChunkExports:
    """The letters and entity counts of one chunk, from its sorted N-Triples lines (documents and parts)."""
    rows = document_rows(parse_nt_lines(lines))
    return ChunkExports(rows.letters, rows.counts)


def _line(letter: LetterSkeleton) -> str:
    begin, iri = letter.sort_key
    return f"{begin}\t{iri}\t{json.dumps(letter.to_json(), ensure_ascii=False, separators=(',', ':'))}\n"


def _letters(lines: Iterable[str]) -> Iterator[LetterSkeleton]:
    for line in lines:
        yield LetterSkeleton.from_json(json.loads(line.split("\t", 2)[2]))


# letters in run files: one a line, the sort key written first (a date and an IRI sort as their text,
# a tab before anything they hold, so lines and keys agree)
LETTERS: RunFormat[LetterSkeleton] = RunFormat(dump=_line, load=_letters, key=attrgetter("sort_key"),
                                               suffix=".jsonl")


def write_letter_run(letters: Iterable[LetterSkeleton], path: Path) -> Path:
    """Write letters to ``path`` as JSON lines, sorted by their sort key (a prefix of each line)."""
    return write_run(letters, path, LETTERS, sort=True)


def read_letter_run(path: Path) -> Iterator[LetterSkeleton]:
    """The letters of one run, in order."""
    return read_run(path, LETTERS)


def merge_letter_runs(paths: list[Path]) -> Iterator[LetterSkeleton]:
    """The letters of all runs in sort-key order, read one at a time."""
    return merge_runs(paths, LETTERS)
