"""Streaming writers for the release: one pass over the sorted N-Triples lines.

The lines arrive sorted, so each subject's triples are consecutive. Each writer
handles one subject at a time and never holds the graph: N-Triples (gzip,
mtime 0), Turtle (``@base`` for our IRIs, prefixes for vocabularies, one block
per subject), compacted JSON-LD (one node object per subject, the context
embedded) and the VoID statistics. Same lines in, same bytes out, whatever the
number of shards that produced them.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from cwgraph.namespaces import PREFIXES

__all__ = ["ReleaseWriter", "Stats", "group_by_subject", "jsonld_context"]

RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"
_TURTLE_PREFIXES = {p: iri for p, iri in PREFIXES.items() if p not in ("cwd", "sh", "owl", "wd")}
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*[A-Za-z0-9_-]$|^[A-Za-z_]$")


def group_by_subject(lines: Iterable[str]) -> Iterator[list[str]]:
    """Runs of consecutive lines with the same subject (lines must be sorted)."""
    current: str | None = None
    group: list[str] = []
    for line in lines:
        subject = line.split(" ", 1)[0]
        if subject != current:
            if group:
                yield group
            current, group = subject, []
        group.append(line)
    if group:
        yield group


def jsonld_context(base: str) -> dict[str, object]:
    """The JSON-LD context: our prefixes, with the data base as ``@base``."""
    context: dict[str, object] = {"@base": base}
    context.update({p: iri for p, iri in PREFIXES.items() if p not in ("sh",)})
    return {"@context": context}


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

    def add(self, triples: list[ox.Triple]) -> None:
        self.subjects += 1
        self.triples += len(triples)
        for t in triples:
            self.properties[t.predicate.value] += 1
            if t.predicate.value == RDF_TYPE:
                self.classes[t.object.value] += 1


class _Turtle:
    def __init__(self, path: Path, base: str) -> None:
        self.base = base
        self.out = open(path, "w", encoding="utf-8", newline="\n")
        self.out.write(f"@base <{base}> .\n")
        for prefix, iri in _TURTLE_PREFIXES.items():
            self.out.write(f"@prefix {prefix}: <{iri}> .\n")
        self.prefixes = sorted(_TURTLE_PREFIXES.items(), key=lambda kv: -len(kv[1]))
        self._cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        return _cached(self._cache, iri, self._iri)

    def _iri(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and _LOCAL.match(iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        if iri.startswith(self.base):
            rest = iri[len(self.base):]
            if rest and ":" not in rest.split("/", 1)[0] and not rest.startswith(("/", "?", "#")):
                return f"<{rest}>"
        return f"<{iri}>"

    def term(self, term: ox.NamedNode | ox.Literal) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        text = str(term)  # N-Triples syntax is valid Turtle
        if term.language or term.datatype.value == XSD_STRING:
            return text
        datatype = self.iri(term.datatype.value)
        return text[: text.rindex("^^") + 2] + datatype

    def add(self, triples: list[ox.Triple]) -> None:
        subject = self.iri(triples[0].subject.value)
        by_predicate: dict[str, list[str]] = {}
        for t in triples:
            predicate = "a" if t.predicate.value == RDF_TYPE else self.iri(t.predicate.value)
            by_predicate.setdefault(predicate, []).append(self.term(t.object))
        if "a" in by_predicate:  # rdf:type first, as people write Turtle
            by_predicate = {"a": by_predicate.pop("a"), **by_predicate}
        parts = [f"{p} {', '.join(objects)}" for p, objects in by_predicate.items()]
        self.out.write(f"\n{subject} " + " ;\n    ".join(parts) + " .\n")

    def close(self) -> None:
        self.out.close()


class _JsonLd:
    def __init__(self, path: Path, base: str) -> None:
        self.base = base
        self.out = open(path, "w", encoding="utf-8", newline="\n")
        self.out.write('{\n"@context": ')
        self.out.write(json.dumps(jsonld_context(base)["@context"], ensure_ascii=False, sort_keys=True))
        self.out.write(',\n"@graph": [\n')
        self.first = True
        self._cache: dict[str, str] = {}
        self.prefixes = sorted(((p, ns) for p, ns in PREFIXES.items() if p != "sh"), key=lambda kv: -len(kv[1]))

    def compact(self, iri: str) -> str:
        return _cached(self._cache, iri, self._compact)

    def _compact(self, iri: str) -> str:
        if iri.startswith(self.base):
            rest = iri[len(self.base):]
            if "/" in rest and ":" not in rest:
                return rest
        for prefix, ns in self.prefixes:  # the longest namespace first, as curies would choose
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def value(self, obj: ox.NamedNode | ox.Literal) -> object:
        if isinstance(obj, ox.NamedNode):
            return {"@id": self.compact(obj.value)}
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if obj.datatype.value == XSD_STRING:
            return obj.value
        return {"@value": obj.value, "@type": self.compact(obj.datatype.value)}

    def add(self, triples: list[ox.Triple]) -> None:
        node: dict[str, object] = {"@id": self.compact(triples[0].subject.value)}
        for t in triples:
            if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
                node.setdefault("@type", []).append(self.compact(t.object.value))  # type: ignore[union-attr]
            else:
                node.setdefault(self.compact(t.predicate.value), []).append(self.value(t.object))  # type: ignore[union-attr]
        if not self.first:
            self.out.write(",\n")
        self.first = False
        self.out.write(json.dumps(node, ensure_ascii=False, sort_keys=True))

    def close(self) -> None:
        self.out.write("\n]\n}\n")
        self.out.close()


class ReleaseWriter:
    """Writes cwgraph.nt.gz, cwgraph.ttl and cwgraph.jsonld from sorted lines, one subject at a time."""

    def __init__(self, folder: Path, base: str) -> None:
        self._raw = open(folder / "cwgraph.nt.gz", "wb")
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6)
        self._turtle = _Turtle(folder / "cwgraph.ttl", base)
        self._jsonld = _JsonLd(folder / "cwgraph.jsonld", base)
        self.stats = Stats()

    def write_lines(self, lines: Iterable[str], batch: int = 20000) -> Stats:
        """Consume sorted lines; parse them a batch of whole subjects at a time."""
        from cwgraph.publish import _test_pause

        halfway = False
        pending: list[list[str]] = []
        size = 0
        for group in group_by_subject(lines):
            pending.append(group)
            size += len(group)
            if size >= batch:
                self._flush(pending)
                pending, size = [], 0
                if not halfway:
                    _test_pause("mid-write")  # tests kill the build here, with files half written
                    halfway = True
        if not halfway:
            _test_pause("mid-write")
        self._flush(pending)
        return self.stats

    def _flush(self, groups: list[list[str]]) -> None:
        if not groups:
            return
        block = "".join(line for group in groups for line in group).encode("utf-8")
        self._gz.write(block)
        triples = list(ox.parse(block, format=ox.RdfFormat.N_TRIPLES))
        start = 0
        for group in groups:  # the parser keeps the order of the lines
            subject_triples = triples[start:start + len(group)]
            start += len(group)
            self._turtle.add(subject_triples)
            self._jsonld.add(subject_triples)
            self.stats.add(subject_triples)

    def close(self) -> None:
        self._gz.close()
        self._raw.close()
        self._turtle.close()
        self._jsonld.close()
