"""The embedded store: a pyoxigraph in-memory store loaded with a release or an RDF file."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox

from cwgraph.errors import StoreError

__all__ = ["cached_store", "open_store", "rdf_format"]

_FORMATS = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
}


def rdf_format(path: Path) -> ox.RdfFormat:
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    suffix = Path(name).suffix.lower()
    if suffix not in _FORMATS:
        raise StoreError(f"unknown RDF file type {path.name}", hint="use .nt(.gz), .ttl, .jsonld, .nq or .rdf")
    return _FORMATS[suffix]


def open_store(path: Path) -> ox.Store:
    """An in-memory store holding the release folder's N-Triples dump, or one RDF file."""
    if path.is_dir():
        dump = path / "cwgraph.nt.gz"
        if not dump.exists():
            raise StoreError(f"no cwgraph.nt.gz in {path}", hint="build the release first: cwgraph build")
        path = dump
    if not path.exists():
        raise StoreError(f"no such file or folder: {path}", hint="pass --data with a release folder or RDF file")
    fmt = rdf_format(path)
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    store = ox.Store()
    try:
        store.bulk_load(data, format=fmt)
    except SyntaxError as exc:
        raise StoreError(f"cannot load {path}: {exc}", hint="check the file is valid RDF") from None
    return store


_CACHE: dict[tuple[str, int, int], ox.Store] = {}


def cached_store(path: Path) -> ox.Store:
    """Like :func:`open_store`, but kept while the file is unchanged (size and mtime): for read-only queries."""
    target = path / "cwgraph.nt.gz" if path.is_dir() else path
    try:
        stat = target.stat()
    except OSError:
        return open_store(path)
    key = (str(target.resolve()), stat.st_mtime_ns, stat.st_size)
    store = _CACHE.get(key)
    if store is None:
        store = open_store(path)
        _CACHE.clear()  # one release at a time: memory grows with the data, not with the calls
        _CACHE[key] = store
    return store
