"""Real triple-store processes for integration tests: Oxigraph and Virtuoso servers on 127.0.0.1.

Used by ``tests/test_integration_oxigraph.py`` and ``tests/test_integration_stores.py``; kept
apart so other integration tests can start the same servers. Only the standard library talks to
the servers here (urllib, subprocess), so these helpers test the stores, not our own client code.
Every server listens on 127.0.0.1 on a free port, in a private temporary folder, and is stopped
by its process id.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "OxigraphServer",
    "VirtuosoLauncher",
    "VirtuosoServer",
    "find_oxigraph",
    "find_virtuoso",
    "free_port",
    "gsp_put_default",
    "in_ci",
    "oxigraph_server",
    "sparql_count",
    "virtuoso_server",
]

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def find_oxigraph() -> str | None:
    """The ``oxigraph`` binary: beside this interpreter (the venv's bin) first, else on PATH."""
    beside = Path(sys.executable).parent / ("oxigraph.exe" if sys.platform == "win32" else "oxigraph")
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


@dataclass
class OxigraphServer:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def log_text(self) -> str:
        try:
            return self.log.read_text("utf-8", errors="replace")[-4000:]
        except OSError:
            return ""


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/", timeout=1) as resp:  # noqa: S310 (local URL)
            return 200 <= resp.status < 500
    except urllib.error.HTTPError as exc:  # the server is up, it just does not like GET /
        return exc.code < 500
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def oxigraph_server(location: Path, *, startup_deadline: float = 20.0,
                    read_only: bool = False) -> Iterator[OxigraphServer]:
    """Start ``oxigraph serve`` (or ``serve-read-only``) on a free 127.0.0.1 port, wait until it answers, stop it after.

    Raises ``RuntimeError`` (never skips) when the binary is missing or the server does not
    come up within ``startup_deadline`` seconds; the server's log is in the message.
    """
    binary = find_oxigraph()
    if binary is None:
        raise RuntimeError(
            "the 'oxigraph' server binary was not found beside "
            f"{sys.executable} nor on PATH; install the test extra: pip install -e '.[test]'")
    location.mkdir(parents=True, exist_ok=True)
    log = location.parent / f"{location.name}-oxigraph.log"
    last_error = ""
    # A port picked by free_port() can be taken by someone else before the server binds it;
    # try a few ports before giving up.
    for _attempt in range(3):
        port = free_port()
        base = f"http://{HOST}:{port}"
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                [binary, "serve-read-only" if read_only else "serve", "--location", str(location),
                 "--bind", f"{HOST}:{port}"],
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
        server = OxigraphServer(base, process, log)
        deadline = time.monotonic() + startup_deadline
        up = False
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if _answers(base):
                up = True
                break
            time.sleep(0.05)
        if up:
            try:
                yield server
            finally:
                _stop(process)
            return
        exited = process.poll()
        _stop(process)
        last_error = (f"oxigraph serve on {base} exited with code {exited}" if exited is not None else
                      f"oxigraph serve on {base} did not answer within {startup_deadline:.0f} s")
        last_error += f"; its log:\n{server.log_text()}"
    raise RuntimeError(last_error)


def _stop(process: subprocess.Popen[bytes], grace: float = 5) -> None:
    """Terminate the process we started (by its handle), then kill it if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def gsp_put_default(base: str, ntriples: bytes, *, timeout: float = 30.0) -> int:
    """Replace the default graph with N-Triples over the Graph Store Protocol; the HTTP status."""
    request = urllib.request.Request(f"{base}/store?default", data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (local URL)
        return int(resp.status)


def sparql_count(base: str, where: str = "?s ?p ?o", *, timeout: float = 30.0) -> int:
    """``SELECT (COUNT(*) AS ?n) WHERE { … }`` over ``POST /query``, read from SPARQL JSON."""
    import json

    request = urllib.request.Request(
        f"{base}/query", data=f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}".encode(), method="POST",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (local URL)
        data = json.load(resp)
    return int(data["results"]["bindings"][0]["n"]["value"])


# --- Virtuoso 7 (Debian's virtuoso-opensource) ------------------------------------------------------

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def in_ci() -> bool:
    """True under CI (the CI variable set and not '0'/'false'): missing stores fail there, never skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_virtuoso() -> tuple[str, str] | None:
    """``(virtuoso-t, isql-vt)`` when Virtuoso 7 and its configuration template are installed."""
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if server and isql and VIRTUOSO_INI.is_file():
        return server, isql
    return None


@dataclass
class VirtuosoServer:
    base: str  # http://127.0.0.1:PORT
    sql_port: int
    folder: Path
    process: subprocess.Popen[bytes]
    isql_binary: str
    user: str = "dba"
    password: str = "dba"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    def log_text(self) -> str:
        try:
            return (self.folder / "virtuoso.log").read_text("utf-8", errors="replace")[-4000:]
        except OSError:
            return ""

    def isql(self, script: str, *, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        """Run an isql script (on stdin) as dba; stdout and stderr together in ``stdout``."""
        return subprocess.run([self.isql_binary, f"{HOST}:{self.sql_port}", self.user, self.password],
                              input=script, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, check=False)


def _virtuoso_ini(template: str, folder: Path, sql_port: int, http_port: int, dirs: list[Path],
                  cost_estimate_limit: bool = False) -> str:
    """The packaged virtuoso.ini with every file in ``folder``, both ports on 127.0.0.1, ``dirs`` allowed."""
    files = {"DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"}
    out, section = [], ""
    for line in template.splitlines():
        header = re.match(r"^\s*\[([^\]]+)\]", line)
        if header:
            section = header.group(1)
        setting = re.match(r"^(\s*)(\w+)(\s*=\s*)(.*?)\s*(;.*)?$", line)
        if setting and not line.lstrip().startswith(";"):
            key, value = setting.group(2), setting.group(4)
            if section in ("Database", "TempDatabase") and key in files:
                line = f"{key} = {folder / Path(value).name}"
            elif section == "Parameters" and key == "ServerPort":
                line = f"ServerPort = {HOST}:{sql_port}"
            elif section == "HTTPServer" and key == "ServerPort":
                line = f"ServerPort = {HOST}:{http_port}"
            elif section == "Parameters" and key == "DirsAllowed":
                line = "DirsAllowed = " + ", ".join([".", str(folder), *map(str, dirs), value.split(",")[-1].strip()])
            elif section == "Parameters" and key == "VADInstallDir":
                line = f"VADInstallDir = {folder}"  # no packages there: a fresh database skips the Conductor
            elif section == "SPARQL" and key == "MaxQueryCostEstimationTime" and not cost_estimate_limit:
                # OpenLink: a debugging setting; its estimates are far off on small graphs and it refuses
                # canned queries that run in milliseconds (openlink/virtuoso-opensource#130, #229, #1395)
                line = f";{line.lstrip()}"
            elif section == "URIQA" and key == "DefaultHost":
                line = f"DefaultHost = {HOST}:{http_port}"
        out.append(line)
    return "\n".join(out) + "\n"


def _virtuoso_answers(base: str) -> bool:
    try:
        url = f"{base}/sparql?query=ASK%7B%7D"
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (local URL)
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


class VirtuosoLauncher:
    """A private Virtuoso instance being started: :meth:`wait` until it answers, :meth:`stop` it after.

    Starting takes seconds (a fresh database is created); launching early and waiting later lets
    other work overlap with it. Ports are free ports on 127.0.0.1; a start that fails (a port taken
    meanwhile) is retried twice.
    """

    def __init__(self, folder: Path, *, dirs_allowed: tuple[Path, ...] = (), cost_estimate_limit: bool = False,
                 startup_deadline: float = 90.0):
        found = find_virtuoso()
        if found is None:
            raise RuntimeError("Virtuoso 7 is not installed (virtuoso-t, isql-vt, /etc/virtuoso-opensource-7/"
                               "virtuoso.ini): DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource")
        self.binary, self.isql = found
        self.folder = folder
        self.dirs_allowed = dirs_allowed
        self.cost_estimate_limit = cost_estimate_limit
        self.startup_deadline = startup_deadline
        self.template = VIRTUOSO_INI.read_text("utf-8", errors="replace")
        folder.mkdir(parents=True, exist_ok=True)
        self.server = self._launch()
        self.started = time.monotonic()

    def _launch(self) -> VirtuosoServer:
        for stale in self.folder.glob("virtuoso*"):
            stale.unlink()
        sql_port, http_port = free_port(), free_port()
        while http_port == sql_port:
            http_port = free_port()
        ini = self.folder / "virtuoso.ini"
        ini.write_text(_virtuoso_ini(self.template, self.folder, sql_port, http_port, list(self.dirs_allowed),
                                     self.cost_estimate_limit), "utf-8")
        with (self.folder / "stdout.log").open("wb") as out:
            process = subprocess.Popen([self.binary, "+foreground", "+configfile", str(ini)], cwd=self.folder,
                                       stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        return VirtuosoServer(f"http://{HOST}:{http_port}", sql_port, self.folder, process, self.isql)

    def wait(self) -> VirtuosoServer:
        """The running server; raises ``RuntimeError`` with its log when it does not come up."""
        last_error = ""
        for attempt in range(3):
            if attempt:
                self.server = self._launch()
                self.started = time.monotonic()
            server, process = self.server, self.server.process
            deadline = self.started + self.startup_deadline
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    break
                if _virtuoso_answers(server.base):
                    return server
                time.sleep(0.2)
            exited = process.poll()
            _stop(process, grace=10)
            last_error = (f"virtuoso-t on {server.base} exited with code {exited}" if exited is not None else
                          f"virtuoso-t on {server.base} did not answer within {self.startup_deadline:.0f} s")
            last_error += f"; its log:\n{server.log_text()}"
        raise RuntimeError(last_error)

    def stop(self) -> None:
        _stop(self.server.process, grace=30)


@contextmanager
def virtuoso_server(folder: Path, *, dirs_allowed: tuple[Path, ...] = (), cost_estimate_limit: bool = False,
                    startup_deadline: float = 90.0) -> Iterator[VirtuosoServer]:
    """A private Virtuoso 7 instance in ``folder`` (fresh database: account dba/dba), stopped after.

    Both ports (SQL and HTTP) are free ports on 127.0.0.1; ``dirs_allowed`` are added to
    DirsAllowed for the bulk loader. The packaged configuration is kept except that
    MaxQueryCostEstimationTime is commented out unless ``cost_estimate_limit`` (see README).
    Raises ``RuntimeError`` when Virtuoso is missing or does not come up; the log is in the message.
    """
    launcher = VirtuosoLauncher(folder, dirs_allowed=dirs_allowed, cost_estimate_limit=cost_estimate_limit,
                                startup_deadline=startup_deadline)
    try:
        yield launcher.wait()
    finally:
        launcher.stop()
