"""The release folder: whether ``--out`` may be replaced, and the one scratch folder beside it.

A build replaces its release folder whole, so it must never be given a folder that is not
a release: ``--out`` is accepted only when it is absent, empty, or holds a cwgraph release
(recognised by its ``void.ttl``, whose PROV names this software as the build's agent), and
never when it is, holds or lies inside a source folder or the project.

Everything a build writes besides the release — its run files, the release being written,
the old release being removed, the lock that serialises publishing — lives in one hidden
folder beside the release, ``.NAME.cwgraph/``, in entries named with the writing process's
id. Any build clears the entries of processes that are gone (a build killed with
``kill -9`` leaves its own), and the last one out removes the folder.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cwgraph.core.errors import CwgraphError

__all__ = ["ReleaseFolderError", "SOFTWARE_IRI", "check_out", "clear_stale", "is_release", "new_scratch",
           "publish_lock", "remove_tree", "scratch_dir", "tidy_scratch"]

SOFTWARE_IRI = "https://w3id.org/cwgraph/software/cwgraph"  # the agent of every build in a release's VoID
_PROV_AGENT = "http://www.w3.org/ns/prov#wasAssociatedWith"
_ENTRY = re.compile(r"^(?:runs|tmp|old)-(\d+)-")


class ReleaseFolderError(CwgraphError):
    """An ``--out`` folder that a build must not replace."""


def is_release(folder: Path) -> bool:
    """True when ``folder`` holds a cwgraph release: its VoID says this software built it."""
    void = folder / "void.ttl"
    try:
        if not void.is_file() or void.stat().st_size > 64 << 20:
            return False
        import pyoxigraph as ox

        with open(void, "rb") as f:
            for quad in ox.parse(f, format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/cwgraph/"):
                if quad.predicate.value == _PROV_AGENT and quad.object.value == SOFTWARE_IRI:
                    return True
    except (OSError, SyntaxError, ValueError):
        return False
    return False


def check_out(out: Path, protected: Iterable[tuple[str, Path]], home: Path | None = None) -> Path:
    """The resolved release folder, or :class:`ReleaseFolderError` when a build may not replace it.

    ``protected`` names the folders (and files) the release may neither be, hold nor lie
    inside (the sources, the authorities); ``home`` (the project) it may lie inside
    (``dist/``), but neither be nor hold.
    """
    target = out.resolve()
    fix = "give --out a new or empty folder, or a folder that holds a cwgraph release (default: dist/)"
    if home is not None and (target == home.resolve() or target in home.resolve().parents):
        raise ReleaseFolderError(f"--out {out} {'is' if target == home.resolve() else 'contains'} the project "
                                 f"({home}); a build replaces its release folder whole and would delete it", hint=fix)
    for what, path in protected:
        p = path.resolve()
        if target == p or target in p.parents or p in target.parents:
            relation = "is" if target == p else ("is inside" if p in target.parents else "contains")
            raise ReleaseFolderError(f"--out {out} {relation} the {what} ({path}); a build replaces its release "
                                     "folder whole and would delete it", hint=fix)
    if target.exists() and not target.is_dir():
        raise ReleaseFolderError(f"--out {out} is a file, not a folder", hint=fix)
    if target.is_dir():
        try:
            empty = not any(target.iterdir())
        except OSError as exc:
            raise ReleaseFolderError(f"--out {out} cannot be listed: {exc.strerror}", hint=fix) from None
        if not empty and not is_release(target):
            raise ReleaseFolderError(
                f"--out {out} is not empty and holds no cwgraph release (no void.ttl naming cwgraph as its "
                "builder); a build replaces its release folder whole and would delete what is there", hint=fix)
    return target


# -- the scratch folder ------------------------------------------------------------------------

def scratch_dir(target: Path) -> Path:
    """The one scratch folder of the release folder ``target`` (on its file system, beside it)."""
    return target.parent / f".{target.name}.cwgraph"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_tree(path: Path) -> bool:
    """Remove a folder even where its owner made it read-only; False if some of it stays."""
    def writable_again(func, name, exc_info):  # type: ignore[no-untyped-def]
        parent = os.path.dirname(name)
        try:
            os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
            if os.path.isdir(name) and not os.path.islink(name):
                os.chmod(name, os.stat(name).st_mode | stat.S_IWUSR | stat.S_IXUSR | stat.S_IRUSR)
            func(name)
        except OSError:
            pass

    if not os.path.lexists(path):
        return True
    try:
        os.chmod(path, os.stat(path).st_mode | stat.S_IWUSR | stat.S_IXUSR | stat.S_IRUSR)
    except OSError:
        pass
    shutil.rmtree(path, onerror=writable_again)
    if os.path.lexists(path):  # a first pass may only have opened up the folders
        shutil.rmtree(path, ignore_errors=True)
    return not os.path.lexists(path)


def clear_stale(target: Path) -> None:
    """Remove the scratch of builds whose process is gone, and what older versions left beside ``target``."""
    scratch = scratch_dir(target)
    if scratch.is_dir():
        for entry in scratch.iterdir():
            m = _ENTRY.match(entry.name)
            if m and not _alive(int(m.group(1))):
                remove_tree(entry)
    # the layout of earlier versions: .NAME.tmp-*, .NAME.old-PID, .PARENT.runs-PID-* beside the release
    for entry in target.parent.glob(f".{target.name}.old-*"):
        pid = entry.name.rpartition("-")[2]
        if pid.isdigit() and pid.isascii() and not _alive(int(pid)):
            remove_tree(entry)
    for entry in target.parent.glob(f".{target.parent.name}.runs-*"):
        pid = entry.name.split(".runs-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and pid.isascii() and not _alive(int(pid)):
            remove_tree(entry)


def new_scratch(target: Path, kind: str) -> Path:
    """A new entry ``KIND-PID-*`` in the scratch folder of ``target`` (created as needed)."""
    for _ in range(10):
        scratch = scratch_dir(target)
        scratch.mkdir(parents=True, exist_ok=True)
        try:
            return Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=scratch))
        except FileNotFoundError:  # another build removed the folder as it finished: make it again
            continue
    raise ReleaseFolderError(f"cannot make a scratch folder in {scratch_dir(target)}",
                             hint="check that the folder above --out is writable")


def _lock_file(scratch: Path) -> int:
    """An open, locked descriptor of ``scratch/lock`` that is still the file at that path."""
    while True:
        scratch.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(scratch / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        except FileNotFoundError:
            continue
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(scratch / "lock").st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # the last build removed it while we waited: lock the new one


@contextmanager
def publish_lock(target: Path) -> Iterator[None]:
    """Serialise the builds publishing into ``target``; stale scratch is cleared once it is held."""
    scratch = scratch_dir(target)
    fd = _lock_file(scratch)
    try:
        clear_stale(target)
        for entry in list(target.parent.glob(f".{target.name}.tmp-*")):  # earlier versions' releases in writing
            remove_tree(entry)
        yield
    finally:
        os.close(fd)


def tidy_scratch(target: Path) -> None:
    """Clear stale scratch and remove the scratch folder when no running build uses it."""
    clear_stale(target)
    scratch = scratch_dir(target)
    if not scratch.is_dir():
        return
    lock = scratch / "lock"
    if lock.exists():
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another build is publishing: it tidies after itself
            os.close(fd)
            return
        try:
            if {e.name for e in scratch.iterdir()} <= {"lock"}:
                lock.unlink()
        except OSError:
            pass
        finally:
            os.close(fd)
    legacy = target.parent / f".{target.name}.lock"
    if legacy.is_file():
        try:
            legacy.unlink()
        except OSError:
            pass
    try:
        scratch.rmdir()
    except OSError:  # another build's entries are in it
        pass
