"""A small HTTP client for triple stores: streamed uploads, Basic and Digest authentication.

Only the standard library (``http.client``): SPARQLWrapper speaks query and update, not the
Graph Store Protocol, and ``urllib`` cannot stream a request body of known length while
reporting how much of it was sent when the connection breaks.

Every failure becomes a :class:`~cwgraph.core.errors.StoreError` naming the URL and what to check.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import socket
import ssl
import time
import urllib.parse
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import BinaryIO

from cwgraph.core.errors import StoreError

__all__ = ["Credentials", "Http", "Response", "UploadBroken", "digest_authorization", "parse_challenge"]

CHUNK = 1 << 20


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never print a password
        return f"Credentials(user={self.user!r}, password=***)"


@dataclass
class Response:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self, limit: int = 300) -> str:
        """The body as one line of at most ``limit`` characters (for error messages)."""
        text = self.body.decode("utf-8", errors="replace")
        text = re.sub(r"<[^>]+>", " ", text) if "<html" in text[:200].lower() else text
        text = " ".join(text.split())
        return text if len(text) <= limit else text[:limit] + "…"


class UploadBroken(StoreError):
    """The connection broke while a request body was being sent."""

    def __init__(self, message: str, *, sent: int, total: int, hint: str | None = None):
        self.sent = sent
        self.total = total
        super().__init__(message, hint=hint)


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """The scheme and parameters of a ``WWW-Authenticate`` header.

    >>> parse_challenge('Digest realm="SPARQL", nonce="abc", qop="auth", algorithm="MD5"')
    ('digest', {'realm': 'SPARQL', 'nonce': 'abc', 'qop': 'auth', 'algorithm': 'MD5'})
    """
    scheme, _, rest = header.strip().partition(" ")
    params = {k.lower(): v if v is not None else "" for k, v in
              ((m.group(1), m.group(2) if m.group(2) is not None else m.group(3))
               for m in re.finditer(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', rest))}
    return scheme.lower(), params


def _hash(algorithm: str, text: str) -> str:
    name = algorithm.upper().removesuffix("-SESS")
    fn = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512-256": None}.get(name, hashlib.md5)
    if fn is None:
        return hashlib.new("sha512_256", text.encode()).hexdigest()
    return fn(text.encode("utf-8")).hexdigest()


def digest_authorization(credentials: Credentials, challenge: dict[str, str], method: str, uri: str,
                         nc: int, cnonce: str) -> str:
    """The ``Authorization`` header answering a Digest challenge (RFC 7616; MD5 and SHA-256, qop=auth).

    >>> c = {"realm": "testrealm@host.com", "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093", "qop": "auth",
    ...      "opaque": "5ccc069c403ebaf9f0171e9517f40e41"}
    >>> h = digest_authorization(Credentials("Mufasa", "Circle Of Life"), c, "GET", "/dir/index.html", 1, "0a4f113b")
    >>> 'response="6629fae49393a05397450978507c4ef1"' in h
    True
    """
    algorithm = challenge.get("algorithm", "MD5")
    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    ha1 = _hash(algorithm, f"{credentials.user}:{realm}:{credentials.password}")
    if algorithm.lower().endswith("-sess"):
        ha1 = _hash(algorithm, f"{ha1}:{nonce}:{cnonce}")
    ha2 = _hash(algorithm, f"{method}:{uri}")
    qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    nc_text = f"{nc:08x}"
    if "auth" in qops:
        response = _hash(algorithm, f"{ha1}:{nonce}:{nc_text}:{cnonce}:auth:{ha2}")
    else:
        response = _hash(algorithm, f"{ha1}:{nonce}:{ha2}")
    parts = [f'username="{credentials.user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"',
             f'response="{response}"', f"algorithm={algorithm}"]
    if "opaque" in challenge:
        parts.append(f'opaque="{challenge["opaque"]}"')
    if "auth" in qops:
        parts += ["qop=auth", f"nc={nc_text}", f'cnonce="{cnonce}"']
    return "Digest " + ", ".join(parts)


Body = bytes | Callable[[], BinaryIO] | None


@dataclass
class Http:
    """HTTP with credentials kept across requests (Digest nonce and counter included)."""

    credentials: Credentials | None = None
    timeout: float = 60.0
    scheme: str | None = None  # "basic" | "digest" once known
    preemptive: bool = True  # send Basic credentials before being asked (not to a Digest-only server)
    _challenge: dict[str, str] = field(default_factory=dict)
    _nc: int = 0

    def _authorization(self, method: str, url: str) -> str | None:
        if self.credentials is None:
            return None
        if self.scheme == "digest" and self._challenge:
            self._nc += 1
            parts = urllib.parse.urlsplit(url)
            uri = parts.path + (f"?{parts.query}" if parts.query else "")
            return digest_authorization(self.credentials, self._challenge, method, uri, self._nc,
                                        os.urandom(8).hex())
        if self.scheme == "basic" or (self.scheme is None and self.preemptive):
            token = base64.b64encode(f"{self.credentials.user}:{self.credentials.password}".encode()).decode()
            return f"Basic {token}"
        return None

    def prime(self, url: str) -> None:
        """Learn the authentication scheme with a body-less request before a large upload."""
        if self.credentials is None or (self.scheme == "digest" and self._challenge):
            return
        with suppress(StoreError):  # best effort: the upload itself reports what is wrong
            self.request("HEAD", url)

    def request(self, method: str, url: str, *, body: Body = None, length: int | None = None,
                headers: dict[str, str] | None = None, timeout: float | None = None,
                progress: Callable[[int], None] | None = None) -> Response:
        """Send one request; answer a 401 challenge once (twice for a stale Digest nonce)."""
        response = self._send(method, url, body, length, headers, timeout, progress)
        for _attempt in range(3):
            if response.status != 401 or self.credentials is None:
                break
            challenge = response.headers.get("www-authenticate", "")
            if not challenge and self.scheme is None and self.preemptive:
                # refused our unasked-for Basic credentials without saying what it wants: ask again bare
                self.preemptive = False
                response = self._send(method, url, body, length, headers, timeout, progress)
                continue
            scheme, params = parse_challenge(challenge)
            if scheme == "digest":
                retry = self.scheme != "digest" or params.get("stale", "").lower() == "true" or \
                    params.get("nonce") != self._challenge.get("nonce")
                self.scheme, self._challenge, self._nc = "digest", params, 0
            elif scheme == "basic":
                retry = self.scheme != "basic"
                self.scheme = "basic"
            else:
                break
            if not retry:
                break
            response = self._send(method, url, body, length, headers, timeout, progress)
        return response

    def _send(self, method: str, url: str, body: Body, length: int | None, headers: dict[str, str] | None,
              timeout: float | None, progress: Callable[[int], None] | None) -> Response:
        """Long: one HTTP exchange with its redirects, authentication challenge and every error turned
        into a message; split, the error paths would scatter.
        """
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"{url!r} is not an http(s) URL", hint="e.g. --endpoint http://127.0.0.1:7878")
        wait = self.timeout if timeout is None else timeout
        conn_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_type(parts.hostname, parts.port, timeout=wait)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        all_headers = dict(headers or {})
        auth = self._authorization(method, url)
        if auth:
            all_headers["Authorization"] = auth
        if isinstance(body, bytes):
            length = len(body)
        if body is not None:
            all_headers["Content-Length"] = str(length or 0)
        sent = 0
        try:
            try:
                conn.putrequest(method, target, skip_accept_encoding=True)
                for key, value in all_headers.items():
                    conn.putheader(key, value)
                conn.endheaders()
                if isinstance(body, bytes):
                    conn.send(body)
                    sent = len(body)
                elif body is not None:
                    last = time.monotonic()
                    with body() as stream:
                        while chunk := stream.read(CHUNK):
                            conn.send(chunk)
                            sent += len(chunk)
                            if progress and time.monotonic() - last > 1:
                                progress(sent)
                                last = time.monotonic()
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout, TimeoutError) as exc:
                # The store may have answered (401, 413, 400) and closed before reading everything.
                early = self._read_early(conn)
                if early is not None:
                    return early
                total = length or 0
                if isinstance(exc, (socket.timeout, TimeoutError)):
                    raise UploadBroken(
                        f"{method} {url}: the store stopped reading the upload after {sent} of {total} bytes "
                        f"and did not answer within {wait:g} s", sent=sent, total=total,
                        hint="raise --timeout for large dumps, check the store's log and free memory/disk") from None
                raise UploadBroken(
                    f"{method} {url}: the connection broke after {sent} of {total} bytes were sent ({exc})",
                    sent=sent, total=total,
                    hint="check the store's log (it may have run out of memory or disk, or limits request sizes)"
                ) from None
            try:
                raw = conn.getresponse()
                data = raw.read() if method != "HEAD" else b""
            except (socket.timeout, TimeoutError):
                raise StoreError(f"{method} {url}: no answer within {wait:g} s",
                                 hint="the store may be busy or stuck: raise --timeout, or check its log") from None
            except (http.client.RemoteDisconnected, ConnectionResetError) as exc:
                total = length or 0
                if body is not None:
                    raise UploadBroken(f"{method} {url}: the store closed the connection without an answer after "
                                       f"{sent} of {total} bytes ({exc})", sent=sent, total=total,
                                       hint="check the store's log; it may have crashed or limit request sizes"
                                       ) from None
                raise StoreError(f"{method} {url}: the store closed the connection without an answer",
                                 hint="check that this URL is the store and not another service") from None
            return Response(raw.status, raw.reason, {k.lower(): v for k, v in raw.getheaders()}, data)
        except ConnectionRefusedError:
            raise StoreError(f"cannot connect to {url}: connection refused",
                             hint="is the store running? check the host and port in --endpoint") from None
        except socket.gaierror as exc:
            raise StoreError(f"cannot connect to {url}: unknown host {parts.hostname!r} ({exc.strerror})",
                             hint="check the host name in --endpoint") from None
        except ssl.SSLError as exc:
            raise StoreError(f"cannot connect to {url}: TLS error ({exc.reason})",
                             hint="check the certificate, or use http:// for a local store") from None
        except (socket.timeout, TimeoutError):
            raise StoreError(f"cannot connect to {url}: no answer within {wait:g} s",
                             hint="check the host and port, and any firewall between here and the store") from None
        except http.client.HTTPException as exc:
            raise StoreError(f"{method} {url}: the answer is not HTTP ({type(exc).__name__})",
                             hint="check that this URL is a triple store") from None
        except OSError as exc:
            raise StoreError(f"cannot talk to {url}: {exc.strerror or exc}",
                             hint="check the host and port in --endpoint and that the store is up") from None
        finally:
            conn.close()

    @staticmethod
    def _read_early(conn: http.client.HTTPConnection) -> Response | None:
        try:
            conn.sock and conn.sock.settimeout(2)
            raw = conn.getresponse()
            return Response(raw.status, raw.reason, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
        except Exception:  # noqa: BLE001 — no answer is the usual case; the caller reports the broken upload
            return None
