"""Exports of the release for other communities, written beside the serialisations.

:func:`write_exports` reads the graph (the release's ``cwgraph.nt.gz``, another RDF
file, or a pyoxigraph store already holding it) and writes, into the release folder:

=============================  =============================================================
``cwgraph.cmif.xml``           CMIF 1.1 (TEI correspDesc) of every letter
``network.gexf``               the correspondence network, one edge per letter (Gephi)
``network.graphml``            the same network in GraphML
``network.svg``, ``.png``      a picture of who wrote to whom
``mixnmatch-persons.tsv``      our persons as a Mix'n'match catalogue
``beacon/wikidata-*.txt``      BEACON link files from Wikidata to our IRIs, per authority
=============================  =============================================================

Same graph, same bytes: everything is sorted, the layout is seeded, no file carries a
timestamp except CMIF's mandatory publication date, which comes from ``published``,
else the dataset's ``dcterms:issued``/``dcterms:modified`` in ``void.ttl``, else
``SOURCE_DATE_EPOCH``, else 1970-01-01.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyoxigraph as ox

from cwgraph.exports.letters import load_graph, read_entities, read_letters

__all__ = ["EXPORT_FILES", "write_exports"]

EXPORT_FILES = ("cwgraph.cmif.xml", "network.gexf", "network.graphml", "network.svg", "network.png",
                "mixnmatch-persons.tsv", "beacon/wikidata-persons.txt", "beacon/wikidata-groups.txt",
                "beacon/wikidata-places.txt", "beacon/wikidata-events.txt")


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


def write_exports(release: Path, graph: Path | ox.Store | None = None, *, published: str | None = None) -> list[Path]:
    """Write every export into ``release``; returns the files written (paths inside ``release``).

    ``graph``: a pyoxigraph store holding the published graph, or an RDF file; default the
    release's own ``cwgraph.nt.gz`` (so this runs after the main serialisations).
    """
    from cwgraph.exports.cmif import write_cmif
    from cwgraph.exports.linkback import write_beacons, write_mixnmatch
    from cwgraph.exports.network import correspondence_graph, write_gexf, write_graphml
    from cwgraph.exports.picture import write_picture

    store = load_graph(graph if graph is not None else release / "cwgraph.nt.gz")
    letters = read_letters(store)
    written = [write_cmif(letters, release / "cwgraph.cmif.xml", published=publication_date(release, published))]
    network = correspondence_graph(letters)
    written.append(write_gexf(network, release / "network.gexf"))
    written.append(write_graphml(network, release / "network.graphml"))
    written += write_picture(letters, release / "network.svg", release / "network.png")
    entities = {kind: read_entities(store, kind) for kind in ("person", "group", "place", "event")}
    written.append(write_mixnmatch(entities["person"], release / "mixnmatch-persons.tsv"))
    written += write_beacons(entities, release / "beacon")
    return written
