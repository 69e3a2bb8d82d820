"""A step of the build run in a forked process beside the main one, and dying with it.

The exports (CMIF, networks, pictures, link-back files) need nothing the dumps write, and
the dumps nothing the exports write, so on two cores they can be written at once. The
step runs in a child forked from the build (it sees the build's data without copying it
through a pipe) that the kernel kills if the build dies (``PR_SET_PDEATHSIG``), so a
killed build never leaves a writer behind in a release folder the next build cleans.
Where ``fork`` is missing the step simply runs in the calling process when waited for.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any

from cwgraph.core.errors import CwgraphError

__all__ = ["Background"]


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no prctl: the daemon flag still ends it on a normal exit
        pass


def _child(send: Any, fn: Callable[..., object], args: tuple) -> None:
    _die_with_parent()
    try:
        fn(*args)
        send.send(None)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the build
        try:
            send.send(exc)
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text then
            send.send(CwgraphError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        send.close()


class Background:
    """``fn(*args)`` started now; :meth:`wait` returns when it is done, or raises what it raised;
    :meth:`cancel` stops it."""

    def __init__(self, fn: Callable[..., object], *args: object) -> None:
        self._fn, self._args = fn, args
        self._process = None
        if "fork" not in multiprocessing.get_all_start_methods() or os.environ.get("CWGRAPH_NO_FORK"):
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(send, fn, args), daemon=True)
        self._process.start()
        send.close()

    def cancel(self) -> None:
        """Stop the step (the build failed): kill the process and wait for it."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()
            self._receive.close()
        self._process = None
        self._fn = lambda *args: None

    def wait(self) -> None:
        if self._process is None:
            self._fn(*self._args)
            return
        try:
            outcome = self._receive.recv()
        except EOFError:
            outcome = None
            self._process.join()
            if self._process.exitcode:
                raise CwgraphError(f"the exports process ended with exit code {self._process.exitcode}",
                                   hint="out of memory? see the system log; run with CWGRAPH_NO_FORK=1 to write "
                                        "the exports in the build's own process") from None
        finally:
            self._receive.close()
        self._process.join()
        if isinstance(outcome, BaseException):
            raise outcome
