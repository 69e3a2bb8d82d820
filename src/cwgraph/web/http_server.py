"""``cwgraph serve``'s HTTP server: waitress, with bounds on connections, threads, bodies and slow clients.

Why waitress: it is pure Python (no compiler, runs wherever cwgraph runs), and its
design is the one a public server needs. One event loop reads every request whole
(headers and body, bodies past 512 KiB into a temporary file, never into memory)
before a bounded pool of threads runs the application, so a slow client holds a
socket, never a thread; a flood of connections waits in the kernel's backlog past
``connection_limit`` instead of becoming threads; a request whose client has gone
is skipped, not rendered; a body larger than the limit is refused from its
``Content-Length``, or while it streams (chunked), with ``413``. gunicorn's sync
workers would give a slow client a whole process (its documentation asks for a
buffering proxy in front) and need a second command; waitress keeps ``cwgraph
serve`` the one command.

What waitress lacks is added here: a deadline for a whole request (waitress only
times out *idle* connections, so a client that sends a byte every few seconds —
slowloris — would hold its connection forever); ``SIGTERM`` handled like Ctrl-C;
a busy port reported as ``error: … (fix: …)``.
"""

from __future__ import annotations

import errno
import logging
import resource
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer

from cwgraph.core.errors import CwgraphError
from cwgraph.web.server import MAX_BODY_BYTES, create_app

__all__ = ["Limits", "make_server", "run"]


@dataclass(frozen=True)
class Limits:
    """What one server process allows its clients."""

    threads: int = 8  # requests run at once (SPARQL queries wait for a worker within their timeout)
    connection_limit: int = 500  # open connections; more wait in the backlog
    request_timeout: float = 10.0  # seconds to send a whole request (headers and body)
    idle_timeout: float = 30.0  # seconds a kept-alive connection may stay idle
    max_body: int = MAX_BODY_BYTES
    backlog: int = 2048


class _TimedParser(HTTPRequestParser):
    """A request parser that remembers when its first byte arrived."""

    def __init__(self, adj: Any):
        super().__init__(adj)
        self.started = time.monotonic()


class _Channel(HTTPChannel):
    parser_class = _TimedParser


class _Server(TcpWSGIServer):
    """waitress's TCP server with a deadline for each request being received."""

    channel_class = _Channel
    request_timeout = 10.0

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        cutoff = time.monotonic() - self.request_timeout
        for channel in list(self.active_channels.values()):
            partial = channel.request
            if partial is not None and not partial.completed and partial.started < cutoff:
                channel.will_close = True  # closed by the event loop on its next pass


class _Deferred:
    """The WSGI application, set once the release is loaded (the socket is bound before)."""

    app: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.app(environ, start_response)


def _raise_file_limit(wanted: int) -> None:
    """Let the process hold ``wanted`` sockets (the soft limit is often 1,024)."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):
        pass


def make_server(app: Any, host: str, port: int, limits: Limits = Limits()) -> _Server:
    """A bound, listening server for a WSGI application; a busy port is a :class:`CwgraphError`."""
    _raise_file_limit(limits.connection_limit + 256)
    try:
        server = _Server(
            app, host=host, port=port, threads=limits.threads, connection_limit=limits.connection_limit,
            channel_timeout=max(1, int(limits.idle_timeout)), cleanup_interval=1,
            max_request_body_size=limits.max_body, backlog=limits.backlog, asyncore_use_poll=True,
            expose_tracebacks=False, clear_untrusted_proxy_headers=True, ident="cwgraph")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CwgraphError(f"cannot listen on {host}:{port}: the port is already in use",
                               hint="stop the program that uses it, or choose another with --port "
                                    "(--port 0 picks a free one)") from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
            raise CwgraphError(f"cannot listen on {host}:{port}: {exc.strerror}",
                               hint="use an address of this machine with --host, and a port above 1023 "
                                    "unless you run as root") from None
        raise CwgraphError(f"cannot listen on {host}:{port}: {exc}", hint="check --host and --port") from None
    except socket.gaierror as exc:
        raise CwgraphError(f"cannot listen on {host}: {exc}", hint="check --host") from None
    server.request_timeout = limits.request_timeout
    return server


def _quiet_waitress() -> None:
    # "Task queue depth is N" is waitress doing its job under a flood; keep real errors
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    for name in ("waitress", "cwgraph.sparql"):
        logger = logging.getLogger(name)
        if not logger.handlers and not logging.getLogger().handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)


def run(folder: Path, host: str = "127.0.0.1", port: int = 8000, *, limits: Limits = Limits(),
        on_ready: Callable[[str, str], None] | None = None, **app_options: Any) -> None:
    """Serve a release until Ctrl-C or SIGTERM, then stop the query workers and return.

    ``on_ready(url, base)`` is called once the release is loaded and the port bound: the URL
    it listens at and the base of the IRIs it serves (the CLI tells the user)."""
    _quiet_waitress()
    deferred = _Deferred()
    server = make_server(deferred, host, port, limits)  # a busy port fails before the release loads
    try:
        app = deferred.app = create_app(folder, **app_options)
    except BaseException:
        server.close()
        raise
    bound_port = server.effective_port
    if app.public_url is None:
        shown = f"[{host}]" if ":" in host else host
        if host in ("0.0.0.0", "::", ""):
            shown = socket.getfqdn()
        app.public_url = f"http://{shown}:{bound_port}/"
    if app.sparql is not None:
        app.sparql.start()

    def stop(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise SystemExit(0)  # waitress's loop catches it and shuts its threads down

    previous = signal.signal(signal.SIGTERM, stop)
    if on_ready is not None:
        on_ready(f"http://[{host}]:{bound_port}/" if ":" in host else f"http://{host}:{bound_port}/", app.base)
    try:
        server.run()  # returns after SystemExit or KeyboardInterrupt
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            server.close()  # again, when the loop ended otherwise
        except OSError:
            pass
        if app.sparql is not None:
            app.sparql.close()
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)
