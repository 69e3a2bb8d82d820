"""The release's serialisations, rendered one subject at a time and merged in IRI order.

A *block* is one subject with all its triples, already rendered three ways: its
N-Triples lines (sorted), its Turtle statement and its compacted JSON-LD node.
Workers render the blocks of their documents (:func:`render_blocks`) and write them
to a run file in subject order (:data:`BLOCKS`, the run format of
:mod:`cwgraph.core.runs`); the main process merges the runs and the blocks of
everything else, refusing a subject described twice, and :class:`ReleaseWriter`
only concatenates: N-Triples into gzip (mtime 0, compressed in a thread, which zlib
lets run beside the merge), Turtle (``@base`` for our IRIs, prefixes for the
vocabularies) and JSON-LD (one node object per subject, the context embedded).
Rendering depends on nothing but the subject's triples, so the bytes are the same
whoever rendered them and however the documents were shared out.
"""

from __future__ import annotations

import gzip
import json
import queue
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import IO

from cwgraph.core.errors import CwgraphError
from cwgraph.core.namespaces import TURTLE_PREFIXES, curie, jsonld_context
from cwgraph.core.runs import RunFormat
from cwgraph.core.terms import RDF_TYPE, XSD_STRING, Term, Triple, nt_term, parse_nt_lines

__all__ = ["BLOCKS", "Block", "ReleaseWriter", "Renderer", "Stats", "parse_lines", "render_blocks"]

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*[A-Za-z0-9_-]$|^[A-Za-z_]$")


def _cached(cache: dict[str, str], iri: str, compute: Callable[[str], str]) -> str:
    """A bounded memo for IRI rendering (the same vocabulary IRIs recur on every line)."""
    value = cache.get(iri)
    if value is None:
        if len(cache) > 200_000:
            cache.clear()
        value = cache[iri] = compute(iri)
    return value


class Stats:
    """What VoID reports: triples, distinct subjects, entities per class, triples per property."""

    def __init__(self) -> None:
        self.triples = 0
        self.subjects = 0
        self.classes: Counter[str] = Counter()
        self.properties: Counter[str] = Counter()

    def add(self, triples: list[Triple]) -> None:
        """One subject's triples."""
        self.subjects += 1
        self.triples += len(triples)
        for _, p, o in triples:
            self.properties[p] += 1
            if p == RDF_TYPE and o[0] == "I":
                self.classes[o[1]] += 1

    def update(self, other: Stats) -> None:
        self.subjects += other.subjects
        self.triples += other.triples
        self.classes.update(other.classes)
        self.properties.update(other.properties)


@dataclass(frozen=True)
class Block:
    """One subject rendered: ``<subject>`` (the sort key), N-Triples, Turtle, JSON-LD."""

    subject: str
    nt: str
    ttl: str
    jsonld: str


class Renderer:
    """Turtle statements and JSON-LD nodes of single subjects, with our prefixes and base."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._ttl_prefixes = sorted(TURTLE_PREFIXES.items(), key=lambda kv: -len(kv[1]))
        self._ttl_cache: dict[str, str] = {}
        self._json_cache: dict[str, str] = {}

    # -- Turtle ------------------------------------------------------------------------------
    def ttl_iri(self, iri: str) -> str:
        return _cached(self._ttl_cache, iri, self._ttl_iri)

    def _ttl_iri(self, iri: str) -> str:
        for prefix, ns in self._ttl_prefixes:
            if iri.startswith(ns) and _LOCAL.match(iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        if iri.startswith(self.base):
            rest = iri[len(self.base):]
            if rest and ":" not in rest.split("/", 1)[0] and not rest.startswith(("/", "?", "#")):
                return f"<{rest}>"
        return f"<{iri}>"

    def ttl_term(self, term: Term) -> str:
        if term[0] == "I":
            return self.ttl_iri(term[1])
        text = nt_term(term)  # N-Triples syntax is valid Turtle
        if term[0] != "L" or term[3] or term[2] == XSD_STRING:
            return text
        return text[: text.rindex("^^") + 2] + self.ttl_iri(term[2])

    def turtle(self, triples: list[Triple]) -> str:
        """The statement of one subject (triples in line order), ``a`` first."""
        cache = self._ttl_cache
        by_predicate: dict[str, list[str]] = {}
        for _, p, o in triples:
            predicate = "a" if p == RDF_TYPE else (cache.get(p) or self.ttl_iri(p))
            if o[0] == "I":
                text = cache.get(o[1]) or self.ttl_iri(o[1])
            else:
                text = self.ttl_term(o)
            objects = by_predicate.get(predicate)
            if objects is None:
                by_predicate[predicate] = [text]
            else:
                objects.append(text)
        if "a" in by_predicate:  # rdf:type first, as people write Turtle
            by_predicate = {"a": by_predicate.pop("a"), **by_predicate}
        parts = [f"{p} {', '.join(objects)}" for p, objects in by_predicate.items()]
        return f"\n{self.ttl_iri(triples[0][0])} " + " ;\n    ".join(parts) + " .\n"

    # -- JSON-LD -----------------------------------------------------------------------------
    def compact(self, iri: str) -> str:
        return _cached(self._json_cache, iri, self._compact)

    def _compact(self, iri: str) -> str:
        if iri.startswith(self.base):
            rest = iri[len(self.base):]
            if "/" in rest and ":" not in rest:
                return rest
        return curie(iri, jsonld=True) or iri

    def json_value(self, term: Term) -> object:
        if term[0] == "I":
            return {"@id": self.compact(term[1])}
        if term[3]:
            return {"@value": term[1], "@language": term[3]}
        if term[2] == XSD_STRING:
            return term[1]
        return {"@value": term[1], "@type": self.compact(term[2])}

    def jsonld(self, triples: list[Triple]) -> str:
        """The node object of one subject, keys sorted."""
        cache = self._json_cache
        node: dict[str, object] = {"@id": self.compact(triples[0][0])}
        for _, p, o in triples:
            if o[0] == "I":
                value = cache.get(o[1]) or self.compact(o[1])
                if p == RDF_TYPE:
                    node.setdefault("@type", []).append(value)  # type: ignore[union-attr]
                    continue
                item: object = {"@id": value}
            else:
                item = self.json_value(o)
            key = cache.get(p) or self.compact(p)
            values = node.get(key)
            if values is None:
                node[key] = [item]
            else:
                values.append(item)  # type: ignore[union-attr]
        return json.dumps(node, ensure_ascii=False, sort_keys=True)

    def block(self, lines: list[str], triples: list[Triple]) -> Block:
        return Block(f"<{triples[0][0]}>", "".join(lines), self.turtle(triples), self.jsonld(triples))


def render_blocks(pairs: Iterable[tuple[str, Triple]], renderer: Renderer, stats: Stats | None = None) -> Iterator[Block]:
    """Blocks of (line, triple) pairs sorted by line (so each subject's triples are consecutive)."""
    lines: list[str] = []
    triples: list[Triple] = []
    for line, triple in pairs:
        if triples and triple[0] != triples[0][0]:
            if stats is not None:
                stats.add(triples)
            yield renderer.block(lines, triples)
            lines, triples = [], []
        lines.append(line)
        triples.append(triple)
    if triples:
        if stats is not None:
            stats.add(triples)
        yield renderer.block(lines, triples)


def parse_lines(lines: list[str]) -> list[tuple[str, Triple]]:
    """(line, triple) pairs of N-Triples lines, in the given order (:func:`cwgraph.core.terms.parse_nt_lines`)."""
    return list(zip(lines, parse_nt_lines(lines)))


def _block_text(b: Block) -> str:
    """A header (the subject and the lengths of the three texts), then the texts as they are."""
    return f"{b.subject}\t{len(b.nt)}\t{len(b.ttl)}\t{len(b.jsonld)}\n{b.nt}{b.ttl}{b.jsonld}"


def _read_blocks(f: IO[str]) -> Iterator[Block]:
    while header := f.readline():
        subject, n1, n2, n3 = header.rstrip("\n").split("\t")
        a, b = int(n1), int(n2)
        body = f.read(a + b + int(n3))
        yield Block(subject, body[:a], body[a:a + b], body[a + b:])


def _described_twice(block: Block) -> CwgraphError:
    return CwgraphError(f"two partitions of the build both describe {block.subject}",
                        hint="this is a bug in cwgraph: documents and entities must not share subjects")


# blocks in run files: in subject order, a subject from one run only (lengths, not separators,
# delimit the texts, so any character may be inside them)
BLOCKS: RunFormat[Block] = RunFormat(
    dump=_block_text, load=_read_blocks, key=attrgetter("subject"), repeated=_described_twice,
    size=lambda b: len(b.subject) + len(b.nt) + len(b.ttl) + len(b.jsonld), suffix=".blocks")


class _Compressor(threading.Thread):
    """gzip in a thread: zlib releases the GIL, so compression runs beside the merge."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self._raw = open(path, "wb")
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6)
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=16)
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            while (data := self._queue.get()) is not None:
                self._gz.write(data)
        except BaseException as exc:  # reported by close()
            self.error = exc
            while self._queue.get() is not None:
                pass

    def write(self, data: bytes) -> None:
        self._queue.put(data)

    def close(self) -> None:
        self._queue.put(None)
        self.join()
        self._gz.close()
        self._raw.close()
        if self.error is not None:
            raise self.error


class ReleaseWriter:
    """Writes cwgraph.nt.gz, cwgraph.ttl and cwgraph.jsonld from blocks in subject order."""

    def __init__(self, folder: Path, base: str) -> None:
        self._nt = _Compressor(folder / "cwgraph.nt.gz")
        self._ttl = open(folder / "cwgraph.ttl", "w", encoding="utf-8", newline="\n")
        self._ttl.write(f"@base <{base}> .\n")
        for prefix, iri in TURTLE_PREFIXES.items():
            self._ttl.write(f"@prefix {prefix}: <{iri}> .\n")
        self._json = open(folder / "cwgraph.jsonld", "w", encoding="utf-8", newline="\n")
        self._json.write('{\n"@context": ')
        self._json.write(json.dumps(jsonld_context(base), ensure_ascii=False, sort_keys=True))
        self._json.write(',\n"@graph": [\n')
        self._first = True
        self._closed = False

    def write_blocks(self, blocks: Iterable[Block], progress: Callable[[int], None] | None = None) -> int:
        """Consume blocks; returns the number of subjects written."""
        count = 0
        pending: list[str] = []
        size = 0
        for block in blocks:
            pending.append(block.nt)
            size += len(block.nt)
            self._ttl.write(block.ttl)
            self._json.write(block.jsonld if self._first else ",\n" + block.jsonld)
            self._first = False
            count += 1
            if size >= 1 << 20:
                self._nt.write("".join(pending).encode("utf-8"))
                pending, size = [], 0
                if progress is not None:
                    progress(count)
        if pending:
            self._nt.write("".join(pending).encode("utf-8"))
        if progress is not None:
            progress(count)
        return count

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._nt.close()
        finally:
            self._ttl.close()
            self._json.write("\n]\n}\n")
            self._json.close()
