"""Serialisations, the dataset description, checksums and reports, written atomically.

Every file is produced from the same sorted list of triples, so the bytes
depend only on the source: N-Triples as sorted lines (gzip without a
timestamp), Turtle by pyoxigraph, JSON-LD by a small subject-grouped writer
(compact IRIs through ``context.jsonld``; rdflib's JSON-LD writer does not
scale). The release folder is built beside the target and swapped in with one
``renameat2(RENAME_EXCHANGE)`` where the kernel offers it, so readers see the
old release or the new one, never a mix.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cwgraph.namespaces import PREFIXES, converter

__all__ = [
    "DUMP_FILES",
    "Release",
    "atomic_release",
    "jsonld_context",
    "nquads_sorted",
    "write_jsonld",
    "write_ntriples_gz",
    "write_turtle",
]

DUMP_FILES = {
    "cwgraph.nt.gz": "application/n-triples",
    "cwgraph.ttl": "text/turtle",
    "cwgraph.jsonld": "application/ld+json",
}
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"
_TURTLE_PREFIXES = {p: iri for p, iri in PREFIXES.items() if p not in ("cwd", "sh", "owl")}


def sort_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Triples in a total order independent of hashing: subject, predicate, object text."""
    return sorted(triples, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))


def nquads_sorted(triples: Iterable[ox.Triple]) -> list[str]:
    """N-Triples lines, sorted bytewise (the ``LC_ALL=C sort`` order)."""
    return sorted(f"{t} .\n" for t in triples)


def write_ntriples_gz(lines: list[str], path: Path) -> None:
    """Gzip with no file name and mtime 0, so the bytes are reproducible."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        for i, line in enumerate(lines):
            gz.write(line.encode("utf-8"))
            if i == len(lines) // 2:
                _test_pause("mid-write")


def write_turtle(triples: list[ox.Triple], path: Path, base: str) -> None:
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES, base_iri=base)
    path.write_bytes(data)


def jsonld_context(base: str) -> dict[str, object]:
    """The JSON-LD context: our prefixes, with the data base as ``@base``."""
    context: dict[str, object] = {"@base": base}
    context.update({p: iri for p, iri in PREFIXES.items() if p not in ("sh",)})
    return {"@context": context}


def _compact(iri: str, base: str) -> str:
    if iri.startswith(base) and "/" in iri[len(base):] and ":" not in iri[len(base):]:
        return iri[len(base):]  # relative to @base
    curie = converter.compress(iri)
    return curie if curie and not curie.split(":", 1)[1].startswith("//") else iri


def _value(obj: ox.NamedNode | ox.Literal, base: str) -> object:
    if isinstance(obj, ox.NamedNode):
        return {"@id": _compact(obj.value, base)}
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    if obj.datatype.value == XSD_STRING:
        return obj.value
    return {"@value": obj.value, "@type": _compact(obj.datatype.value, base)}


def _nodes(triples: list[ox.Triple], base: str) -> Iterator[dict[str, object]]:
    current: str | None = None
    node: dict[str, object] = {}
    for t in triples:
        s = t.subject.value
        if s != current:
            if current is not None:
                yield node
            current, node = s, {"@id": _compact(s, base)}
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(t.object.value, base))  # type: ignore[union-attr]
            continue
        key = _compact(t.predicate.value, base)
        node.setdefault(key, []).append(_value(t.object, base))  # type: ignore[arg-type]
    if current is not None:
        yield node


def write_jsonld(triples: list[ox.Triple], path: Path, base: str) -> None:
    """Compacted JSON-LD, one node object per subject, streamed in subject order."""
    context = jsonld_context(base)["@context"]
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write('{\n"@context": ')
        out.write(json.dumps(context, ensure_ascii=False, sort_keys=True))
        out.write(',\n"@graph": [\n')
        first = True
        for node in _nodes(triples, base):
            if not first:
                out.write(",\n")
            first = False
            out.write(json.dumps(node, ensure_ascii=False, sort_keys=True))
        out.write("\n]\n}\n")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_checksums(folder: Path) -> None:
    """``SHA256SUMS`` in the coreutils format (``sha256sum -c`` checks it)."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        lines.append(f"{sha256_file(path)}  {path.relative_to(folder).as_posix()}\n")
    (folder / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


@dataclass
class Release:
    """A release being written: a temporary folder beside the target."""

    target: Path
    folder: Path


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def atomic_release(target: Path) -> Iterator[Release]:
    """Write into a temporary folder, then swap it with ``target``.

    A lock file beside the target serialises concurrent builds; an exception
    (or a kill) before the swap leaves the previous release untouched.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    with open(lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # holding the lock, anything left by a killed build is garbage
        for stale in list(target.parent.glob(f".{target.name}.tmp-*")) + list(target.parent.glob(f".{target.name}.old-*")):
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            yield Release(target=target, folder=tmp)
            _test_pause("before-swap")
            for path in tmp.rglob("*"):
                if path.is_file():
                    with open(path, "rb") as f:
                        os.fsync(f.fileno())
            os.chmod(tmp, 0o755)
            if target.exists() and _exchange(tmp, target):
                shutil.rmtree(tmp)  # tmp now holds the old release
            else:
                old = None
                if target.exists():
                    old = target.parent / f".{target.name}.old-{os.getpid()}"
                    os.rename(target, old)
                os.rename(tmp, target)
                if old is not None:
                    shutil.rmtree(old)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


def _test_pause(point: str) -> None:
    """Sleep at a named point when ``CWGRAPH_TEST_PAUSE=point:seconds`` (tests kill builds there)."""
    spec = os.environ.get("CWGRAPH_TEST_PAUSE", "")
    name, _, seconds = spec.partition(":")
    if name == point:
        import time

        time.sleep(float(seconds or 1))


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with io.open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
