"""Load a published dump into a running triple store, verify it, and never leave half a graph.

The steps, for a target graph G (a named graph, or the store's default graph):

1. count G. If it holds triples and ``replace`` was not asked, stop: nothing is written.
2. upload the dump (HTTP PUT, Graph Store Protocol) — into G itself when G is empty or when the
   store replaces a graph on PUT in one transaction (Oxigraph), else into a fresh temporary graph
   ``urn:x-cwgraph:load:…``;
3. count what arrived; it must be the dump's number of triples (a partial upload is caught here);
4. when a temporary graph was used, ``MOVE`` it onto G: one SPARQL Update request, which the
   stores run as one transaction, so G holds either the old or the new release;
5. count G again.

The dump is checked (N-Triples syntax, triple count) before anything is sent. Any failure drops
what this load wrote (the temporary graph, or G when it was empty before) and raises a
:class:`~cwgraph.core.errors.StoreError` that names the endpoint and what to check.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from cwgraph.core.dumps import open_binary, read_bytes
from cwgraph.core.errors import CwgraphError, StoreError
from cwgraph.stores.adapters import Adapter, adapter_for, default_graph_iri
from cwgraph.stores.embedded import existing_dump, rdf_format
from cwgraph.stores.gsp import REFUSED_UNREAD, GraphStore, Refused
from cwgraph.stores.transport import Credentials, Http

__all__ = ["Dump", "LoadReport", "TEMP_PREFIX", "load_dump", "read_dump"]

TEMP_PREFIX = "urn:x-cwgraph:load:"


@dataclass
class Dump:
    """An N-Triples dump ready to stream: where it is, how many triples, how many bytes uncompressed."""

    path: Path
    triples: int
    size: int
    _data: bytes | None = None  # a dump converted from another RDF format, held in memory

    def open(self) -> BinaryIO:
        import io

        if self._data is not None:
            return io.BytesIO(self._data)
        return open_binary(self.path)


def read_dump(path: Path) -> Dump:
    """Count the distinct triples of a release folder's dump or of an RDF file, without loading it.

    N-Triples (``.nt``, ``.nt.gz``) is streamed line by line; other formats are parsed by
    pyoxigraph and converted to N-Triples in memory.
    """
    path = existing_dump(path)
    fmt = rdf_format(path)
    if fmt != ox.RdfFormat.N_TRIPLES:
        raw = read_bytes(path)
        try:
            store = ox.Store()
            store.bulk_load(raw, format=fmt)
        except SyntaxError as exc:
            raise StoreError(f"cannot read {path}: {exc}", hint="check the file is valid RDF") from None
        if any(q.graph_name != ox.DefaultGraph() for q in store):
            raise StoreError(f"{path} holds named graphs", hint="load a triples file (.nt.gz, .ttl, .jsonld)")
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
        return Dump(path, len(store), len(data), data)
    triples = size = 0
    previous: bytes | None = None
    seen: set[bytes] | None = None
    chunk: list[bytes] = []
    chunk_size = first_line = 0
    number = 0
    try:
        with open_binary(path) as stream:
            for number, line in enumerate(stream, start=1):  # noqa: B007 (number is used after the loop)
                size += len(line)
                if not chunk:
                    first_line = number
                chunk.append(line)
                chunk_size += len(line)
                if chunk_size > _CHECK_CHUNK:
                    _check_syntax(path, chunk, first_line)
                    chunk, chunk_size = [], 0
                text = line.strip()
                if not text or text.startswith(b"#"):
                    continue
                if seen is None and previous is not None and text < previous:
                    seen = set()  # not sorted: count distinct lines by digest from here on
                if seen is not None:
                    digest = hashlib.blake2b(text, digest_size=12).digest()
                    if digest in seen:
                        continue
                    seen.add(digest)
                elif text == previous:
                    continue
                previous = text
                triples += 1
            if chunk:
                _check_syntax(path, chunk, first_line)
    except (OSError, EOFError, zlib.error) as exc:
        raise StoreError(f"cannot read {path} (after line {number}): {exc}",
                         hint="the file may be truncated; rebuild the release") from None
    return Dump(path, triples, size)


_CHECK_CHUNK = 4 << 20


def _check_syntax(path: Path, lines: list[bytes], first_line: int) -> None:
    """Parse a block of N-Triples lines with pyoxigraph; a syntax error names its line in the file."""
    try:
        for _triple in ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as exc:
        message = re.sub(r"line (\d+)", lambda m: f"line {first_line + int(m.group(1)) - 1}", str(exc))
        raise StoreError(f"{path} is not valid N-Triples: {message}",
                         hint="nothing was sent to the store; rebuild the release or fix the file") from None


@dataclass
class LoadReport:
    endpoint: str
    store: str
    graph: str | None
    dump: Path
    triples: int
    previous: int
    seconds: float
    query_url: str
    steps: list[str] = field(default_factory=list)

    def summary(self) -> str:
        target = "the default graph" if self.graph is None else f"<{self.graph}>"
        what = (f"replaced {self.previous} triples of {target} with {self.triples}" if self.previous else
                f"loaded {self.triples} triples into {target}")
        return (f"{what} from {self.dump} at {self.endpoint} ({self.store}) in {self.seconds:.1f} s; "
                f"verified: the graph holds {self.triples} triples")

    def next_step(self) -> str:
        graph = f" --graph {self.graph}" if self.graph is not None else ""
        return f"query it: cwgraph query letters --endpoint {self.query_url}{graph}"


def load_dump(data: Path, endpoint: str, *, store: str | None = None, graph: str | None = None,
              replace: bool = False, credentials: Credentials | None = None, timeout: float = 300.0,
              log: Callable[[str], None] | None = None) -> LoadReport:
    """Push the dump at ``data`` (a release folder or an RDF file) into the store at ``endpoint``.

    ``graph`` is the target graph IRI; ``None`` means the store's default graph, or for Virtuoso
    (which has none) :func:`default_graph_iri`. Raises StoreError on any failure, after undoing
    what this load wrote.

    Long: the load's steps (check, upload, count, swap, clean up) and the clean-up each failure
    needs are kept in one place.
    """
    say = log or (lambda _msg: None)
    started = time.monotonic()
    dump = read_dump(data)
    adapter = adapter_for(endpoint, store, credentials=credentials, timeout=min(timeout, 30.0))
    http = Http(credentials, timeout=min(timeout, 60.0), preemptive=adapter.kind != "virtuoso")
    target = _target_graph(adapter, graph)
    if adapter.needs_credentials and credentials is None:
        raise StoreError(f"{adapter.graph_url(target)} needs credentials",
                         hint=adapter.advice(401))
    gs = GraphStore(adapter, http)
    name = "the default graph" if target is None else f"<{target}>"
    say(f"{adapter.kind} at {adapter.base}: {name}")
    previous = gs.count(target)
    if previous and not replace:
        raise StoreError(f"{name} at {adapter.base} already holds {previous} triples; nothing was loaded",
                         hint="pass --replace to replace them (atomically), or --graph to load into another graph")
    in_place = previous == 0 or adapter.atomic_put
    staging = target if in_place else f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    http.prime(adapter.graph_url(staging))  # learn a Digest challenge before sending the body
    say(f"uploading {dump.triples} triples ({dump.size / 1e6:.1f} MB) from {dump.path}"
        + ("" if staging == target else " into a temporary graph")
        + (f" (replacing {previous} in one transaction)" if previous and in_place else ""))
    # until the store says it refused the upload before reading it; a transactional PUT over old
    # triples writes nothing when it fails, and must then not be undone
    written = not (previous and in_place)
    try:
        try:
            gs.put(staging, dump.open, dump.size, timeout=timeout,
                   progress=lambda sent: say(f"  {sent / 1e6:.0f} of {dump.size / 1e6:.0f} MB sent"))
        except Refused as exc:
            written = written and exc.status not in REFUSED_UNREAD
            raise
        written = previous == 0 or not in_place  # the new triples are in: undo only what was empty before
        arrived = gs.count(staging)
        if arrived != dump.triples:
            where = "the temporary graph" if staging != target else name
            kept = ("the store replaced the old triples in one transaction, so the graph holds what it read: "
                    "load again" if previous and in_place else "nothing of this load was kept")
            raise StoreError(
                f"partial upload: {where} at {adapter.base} holds {arrived} of the dump's {dump.triples} triples",
                hint=f"check the store's log; {kept} (a dump that spells one triple in two ways also counts it "
                     "twice: use a canonical N-Triples dump such as the release's)")
        if staging != target:
            say(f"verified {arrived} triples; swapping them into {name}")
            gs.move(staging, target)
            written = False  # the temporary graph is gone; the target holds the new release
        final = gs.count(target)
        if final != dump.triples:
            raise StoreError(f"after the swap {name} at {adapter.base} holds {final} triples, not {dump.triples}",
                             hint="another client may have written to it meanwhile; run the load again")
    except BaseException:
        if written:
            _undo(gs, staging, name if staging == target else "the temporary graph", say)
        raise
    return LoadReport(adapter.base, adapter.kind, target, dump.path, dump.triples, previous,
                      time.monotonic() - started, adapter.query_url)


def _target_graph(adapter: Adapter, graph: str | None) -> str | None:
    if graph is None or graph == "default":
        if graph == "default" and not adapter.has_default_graph:
            raise StoreError("Virtuoso has no separate default graph (it queries the union of all graphs)",
                             hint=f"load into a named graph: --graph {default_graph_iri()} (the default)")
        return None if adapter.has_default_graph else default_graph_iri()
    try:
        iri = ox.NamedNode(graph.strip()).value
    except ValueError as exc:
        raise StoreError(f"--graph {graph[:80]!r} is not an IRI ({exc})",
                         hint=f"e.g. --graph {default_graph_iri()}") from None
    if iri.startswith(TEMP_PREFIX):
        raise StoreError(f"--graph {iri}: that name is kept for cwgraph's temporary graphs", hint="choose another IRI")
    return iri


def _undo(gs: GraphStore, graph: str | None, name: str, say: Callable[[str], None]) -> None:
    """Drop what the failed load wrote; a failure here is reported, never hidden."""
    for how in (gs.drop, gs.delete):  # SPARQL Update first; the Graph Store Protocol if updates fail
        with suppress(CwgraphError):
            how(graph)
            say(f"dropped {name} this load wrote")
            return
    say(f"could not drop {name} this load wrote" + (f" (<{graph}>)" if graph else "") + "; drop it by hand")
