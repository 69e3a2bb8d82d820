"""Query worker processes: the release loaded once, workers forked from it, each with a memory cap.

pyoxigraph can neither stop a query nor bound its memory, so every query runs in a
process of its own that can be killed. One *loader* process (started fresh, by
``spawn``) reads the release into a store once; each *worker* is ``fork``-ed from
it and so starts with the whole store in memory at no cost (its pages are shared
copy-on-write). A worker whose query runs past the time limit is killed and a
new one forked in milliseconds: the release is never read again for it.

Each worker caps its own address space (``RLIMIT_AS``) at what it had when it was
forked plus ``max_memory``: a query that needs more fails to allocate, the worker
dies, and the caller answers ``503``, before the process grew past the cap. When
no SPARQL ``SERVICE`` endpoint is allowed, the loader first moves into a network
namespace of its own (Linux, where the kernel allows it), so its workers could not
reach any host even if a federated query were ever let through.

Ctrl-C and SIGTERM are for the server process: the loader and the workers ignore
SIGINT, die quietly on SIGTERM, and die with their parent (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import resource
import signal
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import reduction
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["LoaderFailed", "Worker", "WorkerPool", "isolate_network"]

_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


class LoaderFailed(RuntimeError):
    """The loader process could not read the release."""


def _libc() -> Any:
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass


def isolate_network() -> bool:
    """Move this (single-threaded) process into an empty network namespace; False where not allowed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = _libc()
        return bool(libc.unshare(_CLONE_NEWNET) == 0 or libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0)
    except (OSError, AttributeError):
        return False


def _address_space() -> int:
    """This process's virtual memory size in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


# --- inside the loader and the workers ----------------------------------------------------------

Handler = Callable[[Any, Any], Any]  # (state, request) -> answer, run in a worker


def _loader_main(ctrl: Connection, load: Callable[[], Any], handle: Handler, max_memory: int,
                 isolate: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the forked workers
    # no PR_SET_PDEATHSIG here: it fires when the *thread* that started us ends; the loader
    # notices the server's end by the end of its control connection instead
    isolated = isolate_network() if isolate else False
    try:
        state = load()
    except Exception as exc:  # noqa: BLE001 - reported to the server, which says how to fix it
        ctrl.send(("failed", f"{exc}"))
        return
    ctrl.send(("ready", isolated))
    while True:
        try:
            message = ctrl.recv()
            if message != "fork":
                return
            fd = reduction.recv_handle(ctrl)
        except (EOFError, OSError):
            return
        pid = os.fork()
        if pid == 0:
            ctrl.close()
            _worker_main(fd, state, handle, max_memory)
        os.close(fd)
        try:
            ctrl.send(("forked", pid))
        except OSError:
            return


def _worker_main(fd: int, state: Any, handle: Handler, max_memory: int) -> None:
    """A forked worker: answer requests until the server closes the connection (never returns)."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent()
        # a query that hits the cap makes the Rust allocator abort with a message and a backtrace
        # header on stderr; the server logs one line for it instead
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        base = _address_space()
        if max_memory > 0 and base > 0:  # Linux; elsewhere the address space cannot be read (nor capped)
            cap = base + max_memory
            try:
                _, hard = resource.getrlimit(resource.RLIMIT_AS)
                resource.setrlimit(resource.RLIMIT_AS,
                                   (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
            except (ValueError, OSError):
                pass
        conn = Connection(fd)
        while True:
            request = conn.recv()
            if request is None:
                break
            try:
                answer = handle(state, request)
            except MemoryError:
                answer = MemoryError()
            conn.send(answer)
    except (EOFError, OSError, KeyboardInterrupt):
        pass
    except BaseException:  # noqa: BLE001 - a worker never prints a traceback into the server's log
        code = 1
    finally:
        os._exit(code)


# --- in the server process ----------------------------------------------------------------------

@dataclass(eq=False)
class Worker:
    """The server's handle on one forked worker."""

    pid: int
    conn: Connection

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.conn.close()


class WorkerPool:
    """One loader process and the workers forked from it."""

    def __init__(self, load: Callable[[], Any], handle: Handler, *, max_memory: int = 0, isolate: bool = False,
                 load_timeout: float = 300.0):
        self._args = (load, handle, max_memory, isolate)
        self.load_timeout = load_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._loader: Any = None
        self._ctrl: Connection | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.isolated = False

    def _start_loader(self) -> None:
        ctrl, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_loader_main, args=(child, *self._args), daemon=True,
                                    name="cwgraph-sparql-loader")
        # the loader (and every worker forked from it) never sees Ctrl-C: the server stops them
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()
        if not ctrl.poll(self.load_timeout):
            process.kill()
            raise LoaderFailed(f"the release did not load within {self.load_timeout:g} s")
        try:
            status, detail = ctrl.recv()
        except (EOFError, OSError):
            status, detail = "failed", f"the loader process stopped (exit code {process.exitcode})"
        if status != "ready":
            process.join(5)
            raise LoaderFailed(str(detail))
        self._loader, self._ctrl, self.isolated = process, ctrl, bool(detail)

    def fork(self) -> Worker:
        """A new worker, forked from the loader (started, or restarted, on demand)."""
        with self._lock:
            for attempt in (1, 2):
                if self._closed:
                    raise LoaderFailed("the query workers are shut down")
                if self._ctrl is None:
                    self._start_loader()
                assert self._ctrl is not None
                ours, theirs = socket.socketpair()
                try:
                    self._ctrl.send("fork")
                    reduction.send_handle(self._ctrl, theirs.fileno(), self._loader.pid)
                    status, pid = self._ctrl.recv()
                except (EOFError, OSError):
                    ours.close()
                    self._drop_loader()
                    if attempt == 2:
                        raise LoaderFailed("the loader process stopped") from None
                    continue
                finally:
                    theirs.close()
                return Worker(int(pid), Connection(ours.detach()))
        raise LoaderFailed("unreachable")

    def _drop_loader(self) -> None:
        if self._ctrl is not None:
            self._ctrl.close()
        if self._loader is not None and self._loader.is_alive():
            self._loader.kill()
            self._loader.join(5)
        self._loader = self._ctrl = None

    @property
    def alive(self) -> bool:
        return self._loader is not None and self._loader.is_alive()

    @property
    def loader_pid(self) -> int | None:
        return self._loader.pid if self._loader is not None else None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._ctrl is not None:
                try:
                    self._ctrl.send(None)
                except OSError:
                    pass
            if self._loader is not None:
                self._loader.join(5)
            self._drop_loader()

