"""A SPARQL 1.1 Graph Store Protocol client, with the few queries and updates a load needs.

Graph IRIs are checked by pyoxigraph and written into SPARQL by it, never pasted as text.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import pyoxigraph as ox

from cwgraph.core.errors import StoreError
from cwgraph.stores.adapters import Adapter
from cwgraph.stores.transport import Http, Response

__all__ = ["GraphStore", "Refused", "graph_term"]

N_TRIPLES = "application/n-triples"
# answers given before a request body is read: nothing of an upload refused so was written
REFUSED_UNREAD = frozenset({401, 403, 404, 405, 411, 413, 415})


class Refused(StoreError):
    """The store answered with an HTTP error status."""

    def __init__(self, message: str, *, status: int, hint: str | None = None):
        self.status = status
        super().__init__(message, hint=hint)


def graph_term(graph: str | None) -> str:
    """``GRAPH <iri>`` or ``DEFAULT`` for SPARQL Update, the IRI serialised by pyoxigraph.

    >>> graph_term("urn:x:g")
    'GRAPH <urn:x:g>'
    >>> graph_term(None)
    'DEFAULT'
    """
    if graph is None:
        return "DEFAULT"
    return f"GRAPH {ox.NamedNode(graph)}"


@dataclass
class GraphStore:
    adapter: Adapter
    http: Http

    @property
    def endpoint(self) -> str:
        return self.adapter.base

    def _fail(self, response: Response, action: str, url: str) -> Refused:
        body = response.text()
        detail = f": {body}" if body else ""
        hint = self.adapter.advice(response.status)
        if response.status == 401 and self.http.credentials is not None:
            detail = f" (the store refused the credentials of {self.http.credentials.user!r}){detail}"
            hint = "check the user name and password; " + hint
        return Refused(f"{action} at {url} was refused: HTTP {response.status} {response.reason}{detail}",
                       status=response.status, hint=hint)

    # --- SPARQL ----------------------------------------------------------------------------------

    def select(self, query: str, *, action: str) -> list[dict[str, str]]:
        url = self.adapter.count_url(self.http.credentials is not None)
        body = urllib.parse.urlencode({"query": query}).encode()
        response = self.http.request("POST", url, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",  # no charset: some stores refuse one
            "Accept": "application/sparql-results+json"})
        if not response.ok:
            raise self._fail(response, action, url)
        try:
            data = json.loads(response.body)
            return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
        except (ValueError, KeyError, TypeError):
            raise StoreError(f"{action} at {url}: the answer is not SPARQL JSON results ({response.text(120)!r})",
                             hint="check --endpoint and --store name this store") from None

    def count(self, graph: str | None) -> int:
        """How many triples ``graph`` (``None``: the default graph) holds."""
        where = "?s ?p ?o" if graph is None else f"GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }}"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}",
                           action=f"counting the triples of {'the default graph' if graph is None else f'<{graph}>'}")
        try:
            return int(float(rows[0]["n"]))
        except (IndexError, KeyError, ValueError):
            raise StoreError(f"{self.adapter.query_url} did not say how many triples it holds",
                             hint="check --endpoint and --store name this store") from None

    def update(self, text: str, *, action: str) -> None:
        url = self.adapter.update_url
        # exactly 'application/sparql-update': Fuseki has refused the type with a charset parameter
        response = self.http.request("POST", url, body=text.encode("utf-8"),
                                     headers={"Content-Type": "application/sparql-update"})
        if not response.ok:
            raise self._fail(response, action, url)

    def drop(self, graph: str | None) -> None:
        """Empty ``graph`` (the default graph when ``None``); a missing graph is not an error."""
        statement = "DROP SILENT DEFAULT" if graph is None else f"DROP SILENT {graph_term(graph)}"
        self.update(statement, action=f"dropping {'the default graph' if graph is None else f'<{graph}>'}")

    def delete(self, graph: str | None) -> None:
        """Graph Store Protocol DELETE of ``graph``; a missing graph (404) is not an error."""
        url = self.adapter.graph_url(graph)
        response = self.http.request("DELETE", url)
        if not response.ok and response.status != 404:
            raise self._fail(response, "deleting a graph", url)

    def move(self, source: str, target: str | None) -> None:
        """Replace ``target`` by ``source`` and drop ``source``: one update request, one transaction."""
        self.update(f"MOVE {graph_term(source)} TO {graph_term(target)}",
                    action=f"moving the loaded triples into {'the default graph' if target is None else f'<{target}>'}")

    # --- Graph Store Protocol -----------------------------------------------------------------------

    def put(self, graph: str | None, body: bytes | Callable[[], BinaryIO], length: int, *,
            timeout: float | None = None, progress: Callable[[int], None] | None = None) -> Response:
        """Replace ``graph`` with the N-Triples ``body`` (HTTP PUT)."""
        url = self.adapter.graph_url(graph)
        response = self.http.request("PUT", url, body=body, length=length, timeout=timeout, progress=progress,
                                     headers={"Content-Type": N_TRIPLES})
        if not response.ok:
            raise self._fail(response, "uploading the dump", url)
        return response
