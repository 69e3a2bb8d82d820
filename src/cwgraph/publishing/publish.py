"""Writing a release safely: checksums, and the atomic swap of the release folder.

The release folder is built beside the target and swapped in with one
``renameat2(RENAME_EXCHANGE)`` where the kernel offers it, so readers see the
old release or the new one, never a mix; a lock serialises concurrent builds. Whether
a folder may be replaced, and the scratch folder, are :mod:`cwgraph.publishing.outdir`'s.
The serialisations themselves are in :mod:`cwgraph.publishing.serialize`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cwgraph.publishing.outdir import new_scratch, publish_lock, remove_tree, scratch_dir, tidy_scratch

__all__ = ["DUMP_FILES", "Release", "atomic_release", "sha256_file", "write_checksums", "write_text"]

DUMP_FILES = {
    "cwgraph.nt.gz": "application/n-triples",
    "cwgraph.ttl": "text/turtle",
    "cwgraph.jsonld": "application/ld+json",
}


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
    """Write into a folder in the scratch folder beside ``target``, then swap it with ``target``.

    A lock in the scratch folder serialises concurrent builds; an exception (or a kill)
    before the swap leaves the previous release untouched, and the next build clears what
    a killed one left (:mod:`cwgraph.publishing.outdir`).
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with publish_lock(target):
        tmp = new_scratch(target, "tmp")
        try:
            yield Release(target=target, folder=tmp)
            for path in tmp.rglob("*"):
                if path.is_file():
                    with open(path, "rb") as f:
                        os.fsync(f.fileno())
            os.chmod(tmp, 0o755)
            _movable(target)
            if target.exists() and _exchange(tmp, target):
                remove_tree(tmp)  # tmp now holds the old release (perhaps read-only: made writable first)
            else:
                old = None
                if target.exists():
                    old = scratch_dir(target) / f"old-{os.getpid()}-{tmp.name}"
                    os.rename(target, old)
                os.rename(tmp, target)
                if old is not None:
                    remove_tree(old)
        finally:
            if tmp.exists():
                remove_tree(tmp)
    tidy_scratch(target)


def _movable(target: Path) -> None:
    """Let a read-only old release move into the scratch folder (a folder moving to another
    parent needs write permission on itself, for its ``..``)."""
    try:
        mode = os.stat(target).st_mode
        if not mode & 0o200:
            os.chmod(target, mode | 0o700)
    except OSError:
        pass  # absent, or not ours: the rename says why


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with io.open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
