"""Exports of the release for other communities, written beside the serialisations.

================================  =============================================================
``cwgraph.cmif.xml``              CMIF 1.1 (TEI correspDesc) of every letter
``network.gexf``                  the correspondence network, one edge per letter (Gephi)
``network.graphml``               the same network in GraphML
``network.svg``, ``.png``         a picture of who wrote to whom
``map.svg``, ``.png``             letters on a map: places of writing and receipt, places named
``mixnmatch-persons.tsv``         our persons as a Mix'n'match catalogue
``wikidata-quickstatements.txt``  QuickStatements (V1) adding our IRIs to the linked Wikidata items
``beacon/wikidata-*.txt``         BEACON link files from Wikidata to our IRIs, per authority
================================  =============================================================

A build streams them: each record's letter row and counts come from
:func:`cwgraph.mapping.record.map_record`, each worker writes its chunk's letters to a run
(:func:`write_letter_run`), and the main process calls :func:`write_exports_from_runs` with
the runs, the lines outside the documents and the summed counts. :func:`write_exports`
writes them for a published release (its ``cwgraph.nt.gz``, another RDF file, or a
pyoxigraph store) the same way, reading the rows a chunk of documents at a time
(:func:`chunk_exports`, through the same :func:`cwgraph.mapping.rows.document_rows`).

Same graph, same bytes, however the documents were chunked: everything is sorted, the
layout is seeded, no file carries a timestamp except CMIF's mandatory publication date,
which comes from ``published``, else the dataset's ``dcterms:issued``/``dcterms:modified``
in ``void.ttl``, else ``SOURCE_DATE_EPOCH``, else 1970-01-01.
"""

from __future__ import annotations

from cwgraph.exports.chunks import ChunkExports, chunk_exports, merge_letter_runs, read_letter_run, write_letter_run
from cwgraph.exports.release import EXPORT_FILES, publication_date, write_exports, write_exports_from_runs

__all__ = ["EXPORT_FILES", "ChunkExports", "chunk_exports", "merge_letter_runs", "publication_date",
           "read_letter_run", "write_exports", "write_exports_from_runs", "write_letter_run"]
