"""The W3C Reconciliation Service API (version 0.2, the one OpenRefine 3.x speaks) over a release.

``cwgraph serve`` offers it at ``/reconcile`` (:func:`reconcile_response`):

- ``GET /reconcile``: the service manifest (JSONP with ``callback``);
- ``POST /reconcile`` (form ``queries=``) or ``GET /reconcile?queries=``: a batch of queries by
  name, optionally with types (``person``, ``group``, ``place``, ``event``, ``cover-name``,
  ``actor`` — an unidentified correspondent) and properties (``active``: a year or date the
  entity is active in; ``wikidata``: a QID);
- ``/reconcile/preview?id=``: an HTML preview; ``/reconcile/view/{id}``: 303 to the entity's page;
- ``/reconcile/suggest/{entity,type,property}?prefix=&cursor=``: the suggest services;
- ``/reconcile/properties?type=`` and ``extend=``: data extension.

Identifiers are our IRIs below the base (``person/joseph-stalin``; the identifier space is the
base). Candidates come from the names and variants of the release graph (labels, ``skos:altLabel``),
compared after folding case, accents and punctuation: the preferred name scores 100, a variant
95, the same words in another order 90, a name that contains every word of the query less (by
the share of its words matched), a spelling a letter or two off (similarity 0.8 or more) at most 80. A cover name
reconciles to itself, its description naming its bearer. ``match`` is true for a single
candidate at 95 or more whose properties agree. Ordering: score, then documents, then id.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.wrappers import Request, Response

from cwgraph.web.reconcile_entities import TYPES, normalise
from cwgraph.web.reconcile_service import MAX_BATCH, Candidate, ReconcileError, ReconcileService

__all__ = ["MAX_BATCH", "TYPES", "Candidate", "ReconcileError", "ReconcileService", "normalise",
           "reconcile_response"]

MAX_BODY = 1_000_000
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,4}$")

# --- HTTP ---------------------------------------------------------------------------------------

CORS = {"Access-Control-Allow-Origin": "*"}
_SERVICES: weakref.WeakKeyDictionary[Any, ReconcileService] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _service(app: Any) -> ReconcileService:
    """The service of an application (its ``graph.store``), built once."""
    with _LOCK:
        service = _SERVICES.get(app)
        if service is None:
            service = _SERVICES[app] = ReconcileService.from_store(app.graph.store)
        return service


def _json(request: Request, body: Any, status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    callback = request.args.get("callback")
    if callback is not None:
        if not _CALLBACK.match(callback):
            body, status, callback = {"error": "callback must be a JavaScript identifier"}, 400, None
            text = json.dumps(body)
        else:
            response = Response(f"/**/{callback}({text});", status=status,
                                content_type="application/javascript; charset=utf-8")
            response.headers.update(CORS)
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response
    response = Response(text, status=status, content_type="application/json; charset=utf-8")
    response.headers.update(CORS)
    return response


def _param(request: Request, name: str) -> str | None:
    if request.method == "POST" and name in request.form:
        return request.form.get(name)
    return request.args.get(name)


def _parse(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReconcileError(f"{what} is not JSON: {exc.msg} at character {exc.pos}") from None


def _int(value: str | None, name: str) -> int:
    try:
        number = int(value or 0)
    except ValueError:
        raise ReconcileError(f"{name} must be a whole number") from None
    if number < 0:
        raise ReconcileError(f"{name} must not be negative")
    return number


def reconcile_response(app: Any, request: Request, path: str) -> Response:
    """Answer a request under ``/reconcile`` for the application ``app`` (a LinkedDataApp)."""
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers.update(CORS)
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        return response
    if request.method not in ("GET", "HEAD", "POST"):
        raise MethodNotAllowed(valid_methods=["GET", "HEAD", "POST", "OPTIONS"])
    if (request.content_length or 0) > MAX_BODY:
        return _json(request, {"error": f"request larger than {MAX_BODY} bytes"}, 413)
    service = _service(app)
    root = request.url_root.rstrip("/") + "/reconcile"
    sub = path[len("reconcile"):].strip("/")
    try:
        if sub == "":
            queries, extend = _param(request, "queries"), _param(request, "extend")
            if queries is not None:
                return _json(request, service.reconcile(_parse(queries, "queries")))
            if extend is not None:
                return _json(request, service.extend(_parse(extend, "extend")))
            single = _param(request, "query")  # the single query of older clients: text or a query object
            if single is not None:
                query = _parse(single, "query") if single.lstrip().startswith("{") else {"query": single}
                return _json(request, service.reconcile({"q": query})["q"])
            return _json(request, service.manifest(root))
        if sub.startswith("suggest/"):
            prefix, cursor = request.args.get("prefix", ""), _int(request.args.get("cursor"), "cursor")
            kind = sub[len("suggest/"):]
            if kind == "entity":
                types = [t for t in request.args.getlist("type") if t]
                return _json(request, service.suggest_entity(prefix, cursor, types or None))
            if kind == "type":
                return _json(request, service.suggest_type(prefix, cursor))
            if kind == "property":
                return _json(request, service.suggest_property(prefix, cursor))
        if sub == "properties":
            limit = _int(request.args.get("limit"), "limit") or None
            return _json(request, service.propose_properties(request.args.get("type", ""), limit))
        if sub == "preview":
            entity_id = request.args.get("id", "")
            response = Response(service.preview(entity_id), content_type="text/html; charset=utf-8")
            response.headers.update(CORS)
            response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
            return response
        if sub.startswith("view/"):
            entity_id = sub[len("view/"):]
            if entity_id not in service.entries:
                raise ReconcileError(f"no entity {entity_id!r} in this release", 404)
            response = Response(status=303)
            response.headers["Location"] = f"{request.script_root}/{entity_id}"
            response.headers.update(CORS)
            return response
    except ReconcileError as exc:
        if exc.status == 404 and sub == "preview":
            raise NotFound(str(exc)) from None
        return _json(request, {"error": str(exc)}, exc.status)
    raise NotFound(f"No reconciliation service at /reconcile/{sub}: see /reconcile for the manifest.")
