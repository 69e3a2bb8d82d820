"""The embedded store: a pyoxigraph in-memory store loaded with a release or an RDF file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from cwgraph.core.dumps import DUMP, dump_name, dump_of, read_bytes
from cwgraph.core.errors import StoreError

__all__ = ["cached_store", "open_store", "rdf_format"]

_FORMATS = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
}


def rdf_format(path: Path) -> ox.RdfFormat:
    suffix = Path(dump_name(path)).suffix.lower()
    if suffix not in _FORMATS:
        raise StoreError(f"unknown RDF file type {path.name}", hint="use .nt(.gz), .ttl, .jsonld, .nq or .rdf")
    return _FORMATS[suffix]


def existing_dump(path: Path) -> Path:
    """The release folder's ``cwgraph.nt.gz`` or the RDF file given; an error says what is missing."""
    if path.is_dir():
        if not dump_of(path).exists():
            raise StoreError(f"no {DUMP} in {path}", hint="build the release first: cwgraph build")
        return dump_of(path)
    if not path.exists():
        raise StoreError(f"no such file or folder: {path}", hint="pass --data with a release folder or an RDF file")
    return path


def open_store(path: Path) -> ox.Store:
    """An in-memory store holding the release folder's N-Triples dump, or one RDF file."""
    path = existing_dump(path)
    fmt = rdf_format(path)
    data = read_bytes(path)
    store = ox.Store()
    try:
        store.bulk_load(data, format=fmt)
    except SyntaxError as exc:
        raise StoreError(f"cannot load {path}: {exc}", hint="check the file is valid RDF") from None
    return store


_CACHE: dict[tuple[str, int, int], ox.Store] = {}


def cached_store(path: Path) -> ox.Store:
    """Like :func:`open_store`, but kept while the file is unchanged (size and mtime): for read-only queries."""
    target = dump_of(path)
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
