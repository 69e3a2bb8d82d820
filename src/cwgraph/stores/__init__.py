"""Real triple stores: a Graph Store Protocol client, per-server adapters, loading and bulk scripts.

- :mod:`~cwgraph.stores.transport` — HTTP with streamed uploads, Basic and Digest authentication;
- :mod:`~cwgraph.stores.adapters` — Oxigraph, Fuseki and Virtuoso URL layouts and advice;
- :mod:`~cwgraph.stores.gsp` — Graph Store Protocol PUT, counts, DROP and MOVE;
- :mod:`~cwgraph.stores.load` — the verified, all-or-nothing load of a release;
- :mod:`~cwgraph.stores.virtuoso` — the isql bulk-load script for large dumps.

The embedded store (pyoxigraph in memory) is :mod:`cwgraph.stores.embedded`.
"""

from __future__ import annotations

from cwgraph.stores.adapters import KINDS, Adapter, adapter_for, default_graph_iri
from cwgraph.stores.gsp import GraphStore
from cwgraph.stores.load import TEMP_PREFIX, Dump, LoadReport, load_dump, read_dump
from cwgraph.stores.transport import Credentials, Http
from cwgraph.stores.virtuoso import bulk_load_script

__all__ = [
    "KINDS",
    "TEMP_PREFIX",
    "Adapter",
    "Credentials",
    "Dump",
    "GraphStore",
    "Http",
    "LoadReport",
    "adapter_for",
    "bulk_load_script",
    "default_graph_iri",
    "load_dump",
    "read_dump",
]
