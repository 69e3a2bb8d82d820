"""Run files (:mod:`cwgraph.core.runs`), one helper for every format: lines, rendered blocks and
a format made up here. Items survive their files whatever characters they hold; runs merge in key
order, earlier files first on ties; a repeated key is refused where the format says so; more runs
than may be open are merged in rounds without changing the stream."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwgraph.core.errors import CwgraphError
from cwgraph.core.runs import FAN_IN, LINES, RunFormat, RunSorter, merge_runs, read_run, reduce_runs, write_run
from cwgraph.mapping.graph import Triples
from cwgraph.publishing.serialize import BLOCKS, Block, Renderer, Stats, render_blocks

# characters a line-splitter other than "\n" would cut at, and ones that need care in UTF-8
AWKWARD = "\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00 é中😀\\\""
_TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # a fresh folder each example


def _runs(chunks: list[list[str]], folder: Path, fmt: RunFormat = LINES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_run(chunk, folder / f"run-{i:04d}{fmt.suffix}", fmt, sort=True) for i, chunk in enumerate(chunks)]


# -- lines ---------------------------------------------------------------------------------------

@_TMP
@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_characters="\n", blacklist_categories=["Cs"])
                                 | st.sampled_from(AWKWARD)).map(lambda t: t + "\n"), max_size=20), max_size=6))
def test_lines_survive_their_files_and_merge_in_order(tmp_path_factory: pytest.TempPathFactory,
                                                      chunks: list[list[str]]) -> None:
    folder = tmp_path_factory.mktemp("lines")
    runs = _runs(chunks, folder)
    for run, chunk in zip(runs, chunks):
        assert list(read_run(run)) == sorted(chunk)
    assert list(merge_runs(runs)) == sorted(line for chunk in chunks for line in chunk)


def test_lines_are_written_as_given_unless_sorted(tmp_path: Path) -> None:
    lines = ["b\n", "a\tz\n", "a\n"]
    assert write_run(lines, tmp_path / "as-given").read_bytes() == b"b\na\tz\na\n"
    sorted_run = write_run(lines, tmp_path / "sorted", sort=True)
    assert sorted_run.read_bytes() == b"a\tz\na\nb\n"  # as strings: a tab before a newline


def test_more_runs_than_the_fan_in_are_merged_in_rounds(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = [f"{rng.randrange(10_000):05d} {i}\n" for i in range(2_000)]
    chunks = [lines[i:i + 80] for i in range(0, len(lines), 80)]  # 25 runs
    runs = _runs(chunks, tmp_path / "runs")
    (tmp_path / "merged").mkdir()
    fewer = reduce_runs(runs, tmp_path / "merged", "lines", fan_in=3)
    assert len(fewer) == 3  # 25 → 9 → 3: two rounds
    assert all(run.is_file() for run in runs)  # the runs given are only read
    assert sorted(p.name for p in (tmp_path / "merged").iterdir()) == [p.name for p in fewer]  # round 1's are gone
    assert list(merge_runs(fewer)) == sorted(lines)
    consumed = reduce_runs(runs, tmp_path / "merged", "again", fan_in=4, consume=True)
    assert not any(run.exists() for run in runs) and list(merge_runs(consumed)) == sorted(lines)
    assert reduce_runs(fewer, tmp_path, "none", fan_in=3) == fewer  # few enough: nothing to do
    with pytest.raises(ValueError, match="at least two"):
        reduce_runs(fewer, tmp_path, "x", fan_in=1)


def test_the_sorter_spills_runs_and_removes_them(tmp_path: Path) -> None:
    rng = random.Random(3)
    lines = [f"{rng.random()}\t{i}\n" for i in range(5_000)]
    sorter: RunSorter[str] = RunSorter(tmp_path / "sort", "lines", limit=500)
    for line in lines:
        sorter.add(line)
    assert list(sorter.sorted()) == sorted(lines)
    assert len(sorter.runs) > FAN_IN and not any((tmp_path / "sort").iterdir())
    small: RunSorter[str] = RunSorter(tmp_path / "small", "lines")
    for line in lines[:10]:
        small.add(line)
    assert list(small.sorted()) == sorted(lines[:10]) and not (tmp_path / "small").exists()


# -- a format of our own: any items, any key -----------------------------------------------------

def _pairs(f: IO[str]) -> Iterator[tuple[int, str]]:
    for line in f:
        number, _, word = line.rstrip("\n").partition(" ")
        yield int(number), word


NUMBERED: RunFormat[tuple[int, str]] = RunFormat(dump=lambda p: f"{p[0]} {p[1]}\n", load=_pairs, key=lambda p: p[0],
                                                 repeated=lambda p: ValueError(f"number {p[0]} twice"))


def test_a_format_says_what_items_sort_by_and_whether_keys_repeat(tmp_path: Path) -> None:
    one = write_run([(10, "ten"), (2, "two"), (33, "thirty-three")], tmp_path / "one", NUMBERED, sort=True)
    two = write_run([(1, "one"), (3, "three")], tmp_path / "two", NUMBERED, sort=True)
    assert one.read_text() == "2 two\n10 ten\n33 thirty-three\n"  # numbers, not text, decide
    assert list(merge_runs([one, two], NUMBERED)) == [(1, "one"), (2, "two"), (3, "three"), (10, "ten"),
                                                      (33, "thirty-three")]
    three = write_run([(3, "drei")], tmp_path / "three", NUMBERED)
    with pytest.raises(ValueError, match="number 3 twice"):
        list(merge_runs([one, two, three], NUMBERED))
    sorter = RunSorter(tmp_path / "s", "numbers", limit=20, fmt=NUMBERED)
    for n in range(200, 0, -1):
        sorter.add((n, "x" * (n % 7)))
    assert [n for n, _ in sorter.sorted()] == list(range(1, 201)) and len(sorter.runs) > 10


def test_equal_keys_come_from_the_earlier_file_first(tmp_path: Path) -> None:
    loose = RunFormat(dump=NUMBERED.dump, load=NUMBERED.load, key=NUMBERED.key)
    a = write_run([(1, "a"), (2, "a")], tmp_path / "a", loose)
    b = write_run([(1, "b"), (2, "b")], tmp_path / "b", loose)
    assert list(merge_runs([b, a], loose)) == [(1, "b"), (1, "a"), (2, "b"), (2, "a")]


# -- blocks --------------------------------------------------------------------------------------

def _blocks(n: int, text: str = "") -> list[Block]:
    g = Triples()
    for i in range(n):
        s = f"https://w3id.org/cwgraph/document/{i}"
        g.a(s, "crm:E31_Document")
        g.add(s, "rdfs:label", f"line one\nline two ✓ {i}{text}")
        g.iri(s, "crm:P102_has_title", f"{s}/title")
        g.add(f"{s}/title", "crm:P190_has_symbolic_content", f"title\t{i}\r\n{text}")
    return list(render_blocks(g.sorted_triples(), Renderer("https://w3id.org/cwgraph/"), Stats()))


def test_a_block_run_is_a_header_and_the_texts_as_they_are(tmp_path: Path) -> None:
    block = Block("<https://w3id.org/cwgraph/x>", "a\n", "b\r\n\t", "{\"é\":1}")
    run = write_run([block], tmp_path / "one.blocks", BLOCKS)
    assert run.read_bytes() == "<https://w3id.org/cwgraph/x>\t2\t4\t7\na\nb\r\n\t{\"é\":1}".encode()
    assert list(read_run(run, BLOCKS)) == [block]


@_TMP
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]) | st.sampled_from(AWKWARD), max_size=30))
def test_blocks_survive_their_run_files_whatever_they_hold(tmp_path_factory: pytest.TempPathFactory,
                                                          text: str) -> None:
    blocks = _blocks(12, text)
    run = write_run(blocks, tmp_path_factory.mktemp("blocks") / "run.blocks", BLOCKS)
    assert list(read_run(run, BLOCKS)) == blocks


def test_block_runs_merge_in_subject_order_and_a_subject_comes_from_one_run(tmp_path: Path) -> None:
    blocks = _blocks(30, "\u2028\x85")
    runs = [write_run(blocks[i::3], tmp_path / f"run-{i}.blocks", BLOCKS) for i in range(3)]
    assert list(merge_runs(runs, BLOCKS)) == blocks
    overlap = [write_run(blocks[:5], tmp_path / "a.blocks", BLOCKS),
               write_run(blocks[4:], tmp_path / "b.blocks", BLOCKS)]
    with pytest.raises(CwgraphError, match="two partitions of the build both describe <https://w3id.org/cwgraph/doc"):
        list(merge_runs(overlap, BLOCKS))


def test_many_block_runs_are_merged_in_rounds_and_refused_there_too(tmp_path: Path) -> None:
    blocks = _blocks(40)
    runs = [write_run(blocks[i::20], tmp_path / f"run-{i:02d}.blocks", BLOCKS) for i in range(20)]
    fewer = reduce_runs(runs, tmp_path, "merge", 4, BLOCKS, consume=True)
    assert len(fewer) == 2 and not any(run.exists() for run in runs)  # 20 → 5 → 2
    assert all(p.suffix == ".blocks" for p in fewer)
    assert list(merge_runs(fewer, BLOCKS)) == blocks
    twice = [write_run(blocks[i::5], tmp_path / f"twice-{i}.blocks", BLOCKS) for i in range(5)]
    twice.insert(1, write_run(blocks[7:8], tmp_path / "again.blocks", BLOCKS))  # merged with blocks[2::5]
    twice[0], twice[3] = twice[3], twice[0]  # … in the first round's first group
    with pytest.raises(CwgraphError, match="both describe"):
        reduce_runs(twice, tmp_path, "refused", 3, BLOCKS)
