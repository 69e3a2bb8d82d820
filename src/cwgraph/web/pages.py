"""HTML pages for people: one Jinja2 template per kind of resource, data embedded as JSON-LD.

Links between pages are relative (``../person/joseph-stalin.html``), so the same
pages work from ``cwgraph serve``, from a static site under any path, and from
disk. Every page names its permanent IRI and links its RDF descriptions. A link
to anything but an http(s) URL or a relative path (``javascript:``, ``data:`` …,
from a source record or an IRI in the data) is never a link: every rendered page
passes through :func:`defuse_links`, whatever its template.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape

from cwgraph import __version__
from cwgraph.core.config import BASE_IRI, DATASET
from cwgraph.core.ids import COLLECTION
from cwgraph.core.namespaces import PREFIXES, sparql_prologue
from cwgraph.querying.queries import QueryError, load_queries
from cwgraph.web.citation import bibtex, csl_json
from cwgraph.web.graph import ReleaseGraph, Resource
from cwgraph.web.negotiation import RDF_FORMATS, jsonld_document
from cwgraph.web.views import Views
from cwgraph.web.when import humane_edtf, when

__all__ = ["Download", "PageRenderer", "defuse_links", "page_path"]

TEMPLATES = {
    "document": "document.html", "person": "actor.html", "group": "actor.html", "actor": "actor.html",
    "name": "cover_name.html", "place": "place.html", "event": "event.html", "type": "concept.html",
    "language": "concept.html", "collection": "collection.html", "vocab": "vocabulary.html",
}


@dataclass(frozen=True)
class Download:
    """A release file offered on the home page: its path below the base and a label."""

    path: str
    label: str


def page_path(resource_path: str) -> str:
    """The HTML page of a resource: ``document/110296`` → ``document/110296.html``."""
    return f"{resource_path}.html" if resource_path else "index.html"


_URL_ATTRIBUTE = re.compile(r'\s(?:href|src|action|formaction|xlink:href|poster|cite)="([^"]*)"')
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
SAFE_SCHEMES = frozenset({"http", "https"})


def _is_safe_url(value: str) -> bool:
    # as a browser reads it: entities decoded, tabs and newlines dropped, control characters trimmed
    url = re.sub(r"[\t\n\r]", "", html.unescape(value)).strip("\x00- ")
    scheme = _SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def defuse_links(page: str) -> str:
    """The page with every URL attribute that is not http(s) or relative removed (the text stays).

    >>> defuse_links('<a href="javascript:alert(1)">x</a> <a href="../a.html">y</a>')
    '<a>x</a> <a href="../a.html">y</a>'
    >>> defuse_links('<a href="JaVa&#9;script&#58;alert(1)">x</a>')
    '<a>x</a>'
    """
    return _URL_ATTRIBUTE.sub(lambda m: m.group(0) if _is_safe_url(m.group(1)) else "", page)


class _SafeLinksTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        return defuse_links(super().render(*args, **kwargs))


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("cwgraph.web", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.template_class = _SafeLinksTemplate
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.filters["humane"] = humane_edtf
    env.filters["when"] = when
    env.globals["canned_queries"] = canned_queries
    return env


class PageRenderer:
    """Renders the page of any resource of a release; ``page`` is the page's own path (for relative links)."""

    def __init__(self, graph: ReleaseGraph, *, downloads: list[Download] | None = None, sparql: bool = True,
                 picture: str | None = None):
        self.g = graph
        self.views = Views(graph)
        self.env = _environment()
        self.downloads = downloads or []
        self.sparql = sparql
        self.picture = picture
        graph.announce_endpoint(f"{graph.base}sparql" if sparql else None)

    # --- links ---------------------------------------------------------------------------

    def target(self, iri: str) -> str:
        """Where a link to ``iri`` goes, as a path below the base (with a fragment for parts)."""
        base = self.g.base
        if iri == base or iri == base.rstrip("/"):
            return "index.html"
        if not iri.startswith(base):
            return iri
        if iri in self.g:
            owner = self.g.owner_of(iri)
            anchor = iri[len(owner) + 1:].split("/", 1)[0] if owner != iri else ""
            return page_path(self.g.path_of(owner)) + (f"#{anchor}" if anchor else "")
        doc, _, fragment = iri.partition("#")
        if doc in self.g:
            return page_path(self.g.path_of(doc)) + (f"#{fragment}" if fragment else "")
        return self.g.path_of(iri)

    def href(self, iri: str, page: str) -> str:
        target = self.target(iri)
        if "://" in target:
            return target
        return relative(target, page)

    # --- rendering -------------------------------------------------------------------------

    def _context(self, page: str, *, iri: str | None, title: str, description: str | None = None,
                 jsonld: object = None, wide: bool = False) -> dict[str, Any]:
        formats = []
        if iri is not None:
            stem = posixpath.basename(page)[: -len(".html")] if page.endswith(".html") else posixpath.basename(page)
            formats = [{"href": f"{stem}.{f.extension}", "media_type": f.media_type, "label": f.label}
                       for f in RDF_FORMATS]
        return {
            "href": lambda target: self.href(target, page), "title": title, "description": description,
            "site_title": DATASET.title.split(":")[0], "iri": iri, "formats": formats, "jsonld": jsonld,
            "home": relative("index.html", page), "sparql": relative("sparql", page) if self.sparql else None,
            "version": __version__, "wide": wide, "cite": self.cite(iri) if iri is not None else None,
            "cite_iri": iri,
        }

    def cite(self, iri: str) -> dict[str, str]:
        """The "Cite this" block of a page: a formatted citation, BibTeX and CSL-JSON."""
        citation = self.views.citation(self.g.owner_of(iri) if iri in self.g else iri)
        return {"text": citation.text, "bibtex": bibtex(citation), "csl": csl_json(citation)}

    def render(self, resource: Resource) -> str:
        """The page of a resource (a part gets a short page that forwards to its owner's section)."""
        page = page_path(resource.path)
        if resource.is_part:
            owner = self.views.link(resource.owner)
            ctx = self._context(page, iri=resource.iri, title=self.g.label(resource.iri),
                                jsonld=jsonld_document(self.g.description(resource.iri), self.g.base))
            ctx.update(owner=owner, target=self.href(resource.iri, page))
            return self.env.get_template("part.html").render(ctx)
        kind = resource.kind
        template = TEMPLATES.get(kind, "generic.html")
        if resource.iri in self.g.dataset_iris or resource.iri == COLLECTION:
            template = "collection.html"
        data = self._data(template, resource.iri)
        title = data.get("title") or data.get("label") or self.g.label(resource.iri)
        description = data.get("note") or data.get("description")
        ctx = self._context(page, iri=resource.iri, title=title, description=description,
                            jsonld=jsonld_document(self.g.description(resource.iri), self.g.base))
        ctx["d"] = data
        if template == "collection.html":
            ctx.update(self._home_extras(page))
        return self.env.get_template(template).render(ctx)

    def _data(self, template: str, iri: str) -> dict[str, Any]:
        v = self.views
        if template == "document.html":
            return v.document(iri)
        if template == "actor.html":
            return v.actor(iri)
        if template == "cover_name.html":
            return v.cover_name(iri)
        if template == "place.html":
            return v.place(iri)
        if template == "event.html":
            return v.event(iri)
        if template == "concept.html":
            return v.concept(iri)
        if template == "collection.html":
            return v.collection(iri)
        if template == "vocabulary.html":
            return v.vocabulary(iri)
        return v.generic(iri)

    def _home_extras(self, page: str) -> dict[str, Any]:
        letter_map = next((d.path for d in self.downloads if d.path == "dist/map.svg"), None)  # when the release has it
        return {"downloads": [{"href": relative(d.path, page), "label": d.label} for d in self.downloads],
                "picture": relative(self.picture, page) if self.picture else None,
                "letter_map": relative(letter_map, page) if letter_map else None}

    def render_home(self, page: str = "index.html") -> str:
        """The home page: the collection (the dataset the release describes)."""
        iri = COLLECTION if COLLECTION in self.g else next(iter(sorted(self.g.dataset_iris)), COLLECTION)
        data = self.views.collection(iri)
        ctx = self._context(page, iri=None, title=data["label"], description=data["description"],
                            jsonld=jsonld_document(self.g.description(iri), self.g.base) if iri in self.g else None)
        ctx.update(d=data, cite=self.cite(iri), cite_iri=iri)
        ctx.update(self._home_extras(page))
        return self.env.get_template("collection.html").render(ctx)

    def render_error(self, status: int, title: str, message: str, page: str = "index.html") -> str:
        ctx = self._context(page, iri=None, title=title, wide=True)
        ctx.update(status=status, message=message)
        return self.env.get_template("error.html").render(ctx)

    def render_template(self, name: str, page: str, **extra: Any) -> str:
        ctx = self._context(page, iri=None, title=extra.pop("title", ""), wide=True)
        ctx.update(extra)
        return self.env.get_template(name).render(ctx)


def canned_queries() -> list[dict[str, Any]]:
    """Every canned query with its parameters, for the SPARQL form (empty without the checkout's queries/)."""

    try:
        queries = load_queries()
    except (QueryError, OSError):
        return []
    out = []
    for q in queries.values():
        example = q.examples[0] if q.examples else {}
        out.append({"name": q.name, "description": q.description, "text": sparql_prologue() + q.text,
                    "params": [{"name": p.name, "kind": p.kind, "required": p.required, "optional": p.optional,
                                "default": p.default, "choices": list(p.choices), "description": p.description,
                                "namespace": BASE_IRI + (p.namespace or "person/"), "bound": p.bound or (
                                    "end" if p.name.endswith(("to", "end", "until")) else "begin"),
                                "example": example.get(p.name, "")} for p in q.params]})
    return [{**q, "prefixes": PREFIXES, "base": BASE_IRI} for q in out]


def relative(target: str, page: str) -> str:
    """``target`` (a path below the base, maybe with ``#fragment``) as seen from ``page``.

    >>> relative("person/joseph-stalin.html", "document/110296.html")
    '../person/joseph-stalin.html'
    >>> relative("index.html#people", "index.html")
    'index.html#people'
    """
    path, hash_, fragment = target.partition("#")
    here = posixpath.dirname(page) or "."
    rel = posixpath.relpath(path or page, here)
    return rel + (f"#{fragment}" if hash_ else "")
