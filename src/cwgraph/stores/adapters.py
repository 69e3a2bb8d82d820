"""Where each triple store keeps its endpoints, how it authenticates, and what to check when it refuses.

=========  ==============================  ==========================  ==========================
store      query                           update                      Graph Store Protocol
=========  ==============================  ==========================  ==========================
oxigraph   ``/query``                      ``/update``                 ``/store?graph=…|default``
fuseki     ``/{dataset}/query``            ``/{dataset}/update``       ``/{dataset}/data?graph=…``
virtuoso   ``/sparql`` (``/sparql-auth``)  ``/sparql-auth`` (Digest)   ``/sparql-graph-crud-auth``
=========  ==============================  ==========================  ==========================

A user may give a store's root URL or any of its endpoint URLs; :func:`adapter_for` strips the
endpoint part and, when the store is not named, tells it from the ``Server`` header.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from cwgraph.core.config import BASE_IRI, DATASET
from cwgraph.core.errors import StoreError
from cwgraph.stores.transport import Credentials, Http

__all__ = ["KINDS", "Adapter", "adapter_for", "default_graph_iri", "detect_kind"]

KINDS = ("oxigraph", "fuseki", "virtuoso")

_SUFFIXES = {
    "oxigraph": ("/query", "/update", "/store"),
    "fuseki": ("/query", "/sparql", "/update", "/data", "/get", "/upload"),
    "virtuoso": ("/sparql-graph-crud-auth", "/sparql-graph-crud", "/sparql-auth", "/sparql"),
}


def default_graph_iri() -> str:
    """The named graph a release goes into when a store has no default graph of its own (Virtuoso)."""
    return f"{BASE_IRI}collection/{DATASET.slug}"


@dataclass(frozen=True)
class Adapter:
    """One store's URL layout and advice."""

    kind: str
    base: str

    @property
    def query_url(self) -> str:
        return {"oxigraph": f"{self.base}/query", "fuseki": f"{self.base}/query",
                "virtuoso": f"{self.base}/sparql"}[self.kind]

    def count_url(self, authenticated: bool) -> str:
        """Where to ask how many triples a graph holds (Virtuoso: the Digest endpoint when we have credentials)."""
        if self.kind == "virtuoso" and authenticated:
            return f"{self.base}/sparql-auth"
        return self.query_url

    @property
    def update_url(self) -> str:
        return {"oxigraph": f"{self.base}/update", "fuseki": f"{self.base}/update",
                "virtuoso": f"{self.base}/sparql-auth"}[self.kind]

    @property
    def gsp_url(self) -> str:
        return {"oxigraph": f"{self.base}/store", "fuseki": f"{self.base}/data",
                "virtuoso": f"{self.base}/sparql-graph-crud-auth"}[self.kind]

    @property
    def has_default_graph(self) -> bool:
        """Virtuoso's default graph is the union of all graphs: a load must name a graph."""
        return self.kind != "virtuoso"

    @property
    def atomic_put(self) -> bool:
        """A Graph Store PUT replaces the graph in one transaction: a failed or broken upload changes nothing.

        Checked for Oxigraph (``test_integration_stores.py``: a rejected body and a connection cut
        half-way both leave the old graph whole), where PUT is also three times faster than loading
        beside the graph and ``MOVE``-ing it. Virtuoso keeps what it parsed before an error.
        """
        return self.kind == "oxigraph"

    @property
    def needs_credentials(self) -> bool:
        return self.kind == "virtuoso"

    def graph_url(self, graph: str | None) -> str:
        """The Graph Store Protocol URL of a named graph, or of the default graph (``None``)."""
        if graph is None:
            return f"{self.gsp_url}?default"
        return f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"

    def advice(self, status: int) -> str:
        """What to check when the store answers ``status``."""
        if status == 401:
            return {"virtuoso": "give the credentials of an account allowed to write (--user/--password or "
                                "CWGRAPH_STORE_USER/CWGRAPH_STORE_PASSWORD; a fresh install has dba/dba)",
                    "fuseki": "give the credentials Fuseki's shiro.ini or --passwd file defines "
                              "(--user/--password or CWGRAPH_STORE_USER/CWGRAPH_STORE_PASSWORD)",
                    }.get(self.kind, "this server wants credentials: --user/--password (a proxy in front of it?)")
        if status == 403:
            return {"oxigraph": "the server refuses writes: was it started with 'oxigraph serve-read-only'? "
                                "Start it with 'oxigraph serve'",
                    "virtuoso": "the account may not write: grant it SPARQL_UPDATE "
                                "(isql: GRANT SPARQL_UPDATE TO \"user\";) or use dba",
                    "fuseki": "the account may not write this dataset: check the [urls] section of shiro.ini",
                    }[self.kind]
        if status == 404:
            return {"oxigraph": "no such endpoint: Oxigraph serves /store, /query and /update at its root; "
                                "give its root URL, e.g. --endpoint http://127.0.0.1:7878",
                    "fuseki": "no such dataset or endpoint: the URL must name the dataset, "
                              "http://HOST:3030/DATASET (see the Fuseki UI's dataset list)",
                    "virtuoso": "no such endpoint: Virtuoso serves /sparql and /sparql-graph-crud-auth at "
                                "http://HOST:8890; check the port is the HTTP one, not the isql one (1111)",
                    }[self.kind]
        if status == 405:
            return {"oxigraph": "this URL does not take that method: give the server's root URL "
                                "(e.g. --endpoint http://127.0.0.1:7878)",
                    "fuseki": "Fuseki answers 405 for an unknown or read-only dataset: check the dataset name in "
                              "the URL and that it was created with update enabled (fuseki --update, or the UI)",
                    "virtuoso": "this Virtuoso endpoint refuses the method: use /sparql-graph-crud-auth "
                                "(the --endpoint root URL is enough)",
                    }[self.kind]
        if status == 413:
            return "the store limits request sizes: raise its limit" + (
                ", or load with --bulk-script" if self.kind == "virtuoso" else "")
        if status == 415:
            return "the store does not accept this content type: check --store names the right store"
        if status >= 500:
            return "the store failed: check its log (memory, disk space, a malformed dump)"
        return "check the endpoint URL and --store"


def _strip(url: str, kind: str | None) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"--endpoint {url!r} is not an http(s) URL",
                         hint="e.g. http://127.0.0.1:7878 (Oxigraph), http://HOST:3030/DATASET (Fuseki), "
                              "http://HOST:8890 (Virtuoso)")
    path = parts.path.rstrip("/")
    suffixes = _SUFFIXES[kind] if kind else tuple(s for k in KINDS for s in _SUFFIXES[k])
    for suffix in sorted(suffixes, key=len, reverse=True):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def detect_kind(base: str, http: Http) -> str | None:
    """Which store answers at ``base``, from its ``Server`` header (``None`` when it does not say)."""
    response = http.request("GET", base + "/", headers={"Accept": "*/*"})
    server = response.headers.get("server", "").lower()
    if "oxigraph" in server:
        return "oxigraph"
    if "virtuoso" in server:
        return "virtuoso"
    if "fuseki" in server or "fuseki-request-id" in response.headers:
        return "fuseki"
    return None


def adapter_for(endpoint: str, kind: str | None, *, credentials: Credentials | None = None,
                timeout: float = 30.0) -> Adapter:
    """The adapter for ``endpoint``; ``kind`` (oxigraph, fuseki, virtuoso) or asked of the server."""
    if kind is not None and kind not in KINDS:
        raise StoreError(f"unknown store {kind!r}", hint=f"one of {', '.join(KINDS)}")
    base = _strip(endpoint, kind)
    if kind is None:
        kind = detect_kind(base, Http(credentials, timeout=timeout))
        if kind is None:
            raise StoreError(f"cannot tell which triple store answers at {base}",
                             hint="name it: --store oxigraph, --store fuseki or --store virtuoso")
    if kind == "fuseki" and urllib.parse.urlsplit(base).path in ("", "/"):
        raise StoreError(f"{endpoint}: a Fuseki URL names its dataset",
                         hint="e.g. --endpoint http://127.0.0.1:3030/cwgraph")
    return Adapter(kind, base)
