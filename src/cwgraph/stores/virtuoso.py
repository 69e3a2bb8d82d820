"""Virtuoso's bulk loader: the isql script that loads a large dump and swaps it in safely.

Over HTTP a Virtuoso load goes through the Graph Store Protocol like any other store (see
:mod:`cwgraph.stores.load`). For dumps of millions of triples Virtuoso's own bulk loader
(``ld_dir`` / ``rdf_loader_run``) is much faster; it reads files on the server's disk, so
cwgraph writes the script and the administrator runs it there::

    cwgraph load --store virtuoso --bulk-script load.isql
    isql-vt 1111 dba PASSWORD < load.isql

The script loads into a temporary graph, then a stored procedure checks that the loader
reported no error and that the temporary graph holds the dump's number of triples, and only
then replaces the target graph with it (``MOVE``, one transaction). Otherwise it drops the
temporary graph and signals ``CWG01``: the target graph is never left half-replaced.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pyoxigraph as ox

from cwgraph import __version__
from cwgraph.core.errors import StoreError

__all__ = ["bulk_load_script"]


def _sql(text: str) -> str:
    """A SQL string literal.

    >>> _sql("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def bulk_load_script(dump: Path, graph: str, triples: int, *, replace: bool = False, tag: str | None = None) -> str:
    """The isql script that bulk-loads ``dump`` (N-Triples, gzipped or not) into ``graph``.

    Long: the isql script, statement by statement."""
    path = dump.resolve()
    if not (path.name.endswith(".nt") or path.name.endswith(".nt.gz")):
        raise StoreError(f"the Virtuoso bulk loader script takes an N-Triples dump, not {path.name}",
                         hint="use the release's cwgraph.nt.gz")
    if any(ch in str(path) for ch in "\n\r\0*?$\\"):
        raise StoreError(f"{path}: the path holds characters the bulk loader script cannot take",
                         hint="move the dump to a plain folder")
    try:
        target = ox.NamedNode(graph)  # validated: no '>', quotes, backslashes or spaces
    except ValueError as exc:
        raise StoreError(f"--graph {graph[:80]!r} is not an IRI ({exc})", hint="e.g. --graph https://example.org/g") from None
    if "$" in graph or "'" in graph:
        raise StoreError(f"--graph {graph}: isql would read '$' or a quote in it", hint="choose another graph IRI")
    tag = tag or uuid.uuid4().hex[:12]
    temp = ox.NamedNode(f"urn:x-cwgraph:bulk:{tag}")
    proc = f"DB.DBA.CWGRAPH_BULK_SWAP_{tag.upper()}"
    folder, file = _sql(str(path.parent)), _sql(path.name)
    full = _sql(str(path))
    mode = "replace the target graph" if replace else "load only if the target graph is empty"
    return f"""\
-- cwgraph {__version__}: bulk load for Virtuoso 7 (isql)
--   dump:    {path} ({triples} triples)
--   graph:   {target}
--   mode:    {mode}
-- Run it on the Virtuoso machine, as an account allowed to load (dba):
--   isql-vt 1111 dba PASSWORD < THIS-FILE
-- The folder {path.parent} must be listed in DirsAllowed ([Parameters] in virtuoso.ini), and
-- must hold no global.graph or {path.name}.graph file (they would override the graph IRI).
-- rdf_loader_run() also loads any other file still waiting in DB.DBA.load_list.
-- The dump goes into the temporary graph {temp}; only when the loader reports no error and that
-- graph holds {triples} triples is it moved onto the target graph, in one transaction. Otherwise the
-- temporary graph is dropped, the target graph is untouched, and the script stops with error CWG01.

SPARQL DROP SILENT GRAPH {temp};
DELETE FROM DB.DBA.load_list WHERE ll_file = {full};
ld_dir({folder}, {file}, {_sql(temp.value)});
rdf_loader_run();
checkpoint;

CREATE PROCEDURE {proc} ()
{{
  DECLARE problems, loaded, existing INTEGER;
  DECLARE outcome VARCHAR;
  problems := (SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_file = {full} AND (ll_error IS NOT NULL OR ll_state <> 2));
  loaded := (SELECT COUNT(*) FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id({_sql(temp.value)}, 0));
  existing := (SELECT COUNT(*) FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id({_sql(target.value)}, 0));
  IF (problems > 0 OR loaded <> {triples} OR ({'0' if replace else '1'} = 1 AND existing > 0))
  {{
    SPARQL DROP SILENT GRAPH {temp};
    COMMIT WORK;
    signal ('CWG01', sprintf ('cwgraph: bulk load refused, %s untouched: %d loader errors (see DB.DBA.load_list), %d of {triples} triples loaded, %d triples already in the graph{"" if replace else " (use --replace)"}',
                              {_sql(str(target))}, problems, loaded, existing));
  }}
  SPARQL MOVE GRAPH {temp} TO GRAPH {target};
  outcome := sprintf ('cwgraph: %s now holds %d triples (replaced %d)', {_sql(str(target))}, loaded, existing);
  result_names (outcome);
  result (outcome);
}}
;

{proc} ();
checkpoint;
DROP PROCEDURE {proc};
SPARQL SELECT COUNT(*) AS ?triples FROM {target} WHERE {{ ?s ?p ?o }};
"""
