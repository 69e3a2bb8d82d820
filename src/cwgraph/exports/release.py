"""Writing every export of a release from letter runs, the lines outside the documents and counts.

:func:`write_exports_from_runs` is what a build calls once its chunks are mapped: it merges
the chunks' letter runs into date order (twice), fills in the names from the lines outside
the documents, and writes every file of :data:`EXPORT_FILES`. Memory holds the entities,
the network's nodes and one letter at a time, never all the letters. :func:`write_exports`
does the same for a published release, cutting its N-Triples dump into chunks first.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from cwgraph.core.dumps import UnsortedLines, document_chunks, dump_of, is_nt, read_lines
from cwgraph.core.runs import reduce_runs
from cwgraph.exports.chunks import chunk_exports, merge_letter_runs
from cwgraph.exports.cmif import CmifWriter
from cwgraph.exports.letter_map import LetterMap, write_map
from cwgraph.exports.letters import Letter, Names, load_graph, read_entities, read_places
from cwgraph.exports.linkback import write_beacons, write_mixnmatch, write_quickstatements
from cwgraph.exports.network import Network
from cwgraph.exports.picture import Picture, busiest, count_parties, write_picture

__all__ = ["CHUNK", "EXPORT_FILES", "publication_date", "write_exports", "write_exports_from_runs"]

EXPORT_FILES = ("cwgraph.cmif.xml", "network.gexf", "network.graphml", "network.svg", "network.png",
                "map.svg", "map.png", "mixnmatch-persons.tsv", "wikidata-quickstatements.txt",
                "beacon/wikidata-persons.txt", "beacon/wikidata-groups.txt",
                "beacon/wikidata-places.txt", "beacon/wikidata-events.txt")
CHUNK = 500  # documents a chunk when a release's dump is cut (as many as a build maps at once)


def publication_date(release: Path, published: str | None = None) -> str:
    """The date CMIF needs (YYYY-MM-DD): given, else from the VoID, else SOURCE_DATE_EPOCH, else 1970-01-01."""
    if published:
        return dt.date.fromisoformat(published[:10]).isoformat()
    void = release / "void.ttl"
    if void.is_file():
        store = ox.Store()
        store.load(path=void, format=ox.RdfFormat.TURTLE)
        for prop in ("issued", "modified"):
            for q in store.quads_for_pattern(None, ox.NamedNode(f"http://purl.org/dc/terms/{prop}"), None):
                return q.object.value[:10]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return "1970-01-01"


def _scratch(release: Path, workdir: Path | None) -> tempfile.TemporaryDirectory:
    """A scratch folder in ``workdir``, else beside the release (same file system, room for big runs)."""
    near = workdir or release.parent
    near.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=f".{release.name}.exports-", dir=near)


def write_exports_from_runs(release: Path, letter_runs: list[Path], global_lines: list[str],
                            counts: Mapping[str, int], *, published: str | None = None,
                            workdir: Path | None = None) -> list[Path]:
    """Write every export into ``release``; returns the files written (paths inside ``release``).

    ``letter_runs``: the chunks' letter runs (:meth:`ChunkExports.write_letters`), in any order;
    ``global_lines``: the N-Triples lines outside the documents (entities, names, types, …);
    ``counts``: the chunks' :attr:`ChunkExports.counts` summed; ``published``: CMIF's date (see
    :func:`publication_date`); ``workdir``: where to keep run files meanwhile (default: beside
    ``release``). The letter runs are read, never changed.
    """

    outside = ox.Store()
    if global_lines:
        outside.bulk_load("".join(global_lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    names = Names.from_store(outside)
    release.mkdir(parents=True, exist_ok=True)
    with _scratch(release, workdir) as scratch:
        runs = reduce_runs(list(letter_runs), Path(scratch), "letters")

        def letters() -> Iterator[Letter]:
            return (names.letter(skeleton) for skeleton in merge_letter_runs(runs))

        # first pass: CMIF, the network's nodes, who the busiest correspondents are
        cmif = CmifWriter(release / "cwgraph.cmif.xml", published=publication_date(release, published))
        network = Network(Path(scratch))
        correspondents: Counter[str] = Counter()
        chart = LetterMap()
        try:
            for letter in letters():
                cmif.add(letter)
                network.add_nodes(letter)
                count_parties(correspondents, letter)
                chart.add(letter)
        finally:
            written = [cmif.close()]
        # second pass: the network's edges, the picture's letters
        picture = Picture(busiest(correspondents))
        for letter in letters():
            network.add_edges(letter)
            picture.add(letter)
        written += network.write(release / "network.gexf", release / "network.graphml")
    written += write_picture(picture, release / "network.svg", release / "network.png")
    chart.set_places(read_places(names, counts), dict(counts))
    written += write_map(chart, release / "map.svg", release / "map.png")
    entities = {kind: read_entities(outside, kind, counts) for kind in ("person", "group", "place", "event")}
    written.append(write_mixnmatch(entities["person"], release / "mixnmatch-persons.tsv"))
    written.append(write_quickstatements(entities, release / "wikidata-quickstatements.txt"))
    written += write_beacons(entities, release / "beacon")
    return written


def _store_lines(store: ox.Store) -> list[str]:
    return sorted(f"{q.subject} {q.predicate} {q.object} .\n"
                  for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def _write_chunks(lines: Iterable[str], folder: Path, outside: list[str], counts: Counter[str]) -> list[Path]:
    runs = []
    for index, chunk in enumerate(document_chunks(lines, CHUNK, outside)):
        exports = chunk_exports(chunk)
        runs.append(exports.write_letters(folder / f"letters-{index:06d}.jsonl"))
        counts.update(exports.counts)
    return runs


def write_exports(release: Path, graph: Path | ox.Store | None = None, *, published: str | None = None) -> list[Path]:
    """Write every export into ``release``; returns the files written (paths inside ``release``).

    ``graph``: a pyoxigraph store holding the published graph, or an RDF file; default the
    release's own ``cwgraph.nt.gz`` (so this runs after the main serialisations). A sorted
    N-Triples dump is read as a stream, a chunk of documents at a time; anything else is
    loaded into a store first.
    """
    source = graph if graph is not None else dump_of(release)
    if isinstance(source, Path):
        source = dump_of(source)
    with _scratch(release, None) as scratch:
        folder = Path(scratch)
        outside: list[str] = []
        counts: Counter[str] = Counter()
        runs: list[Path] = []
        if isinstance(source, Path) and is_nt(source):
            try:
                runs = _write_chunks(read_lines(source), folder, outside, counts)
            except UnsortedLines:  # not sorted (not a dump of a build): read again and sorted in memory
                outside, counts = [], Counter()
                runs = _write_chunks(sorted(read_lines(source)), folder, outside, counts)
        else:
            runs = _write_chunks(_store_lines(load_graph(source)), folder, outside, counts)
        return write_exports_from_runs(release, runs, outside, counts, published=published, workdir=folder)
