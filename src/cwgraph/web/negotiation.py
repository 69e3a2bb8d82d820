"""Content negotiation: the formats a resource is published in, chosen by Accept or by extension.

>>> negotiate("text/turtle").extension
'ttl'
>>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").extension
'html'
>>> negotiate("application/ld+json;q=0.9, text/turtle;q=0.5").extension
'jsonld'
>>> negotiate("image/png") is None
True
>>> by_extension("document/110296.nt")
('document/110296', Format(extension='nt', media_type='application/n-triples', ...))

The same preferences drive the static site's rewrite rules (``RULES``): an
Accept header that names an RDF type and not HTML gets that type, anything
else (browsers, ``*/*``, no header) gets HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from cwgraph.namespaces import PREFIXES, converter

__all__ = ["FORMATS", "RDF_FORMATS", "RULES", "Format", "by_extension", "negotiate", "serialize"]


@dataclass(frozen=True)
class Format:
    extension: str
    media_type: str
    label: str
    aliases: tuple[str, ...] = field(default=(), repr=False)

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"

    @property
    def is_rdf(self) -> bool:
        return self.extension != "html"


HTML = Format("html", "text/html", "HTML", ("application/xhtml+xml",))
TURTLE = Format("ttl", "text/turtle", "Turtle", ("application/x-turtle",))
JSONLD = Format("jsonld", "application/ld+json", "JSON-LD", ("application/json",))
NTRIPLES = Format("nt", "application/n-triples", "N-Triples")
RDFXML = Format("rdf", "application/rdf+xml", "RDF/XML")

# Order is the server's preference when a client likes several equally (``*/*`` → HTML).
FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)
RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.is_rdf)
_BY_EXT = {f.extension: f for f in FORMATS}


def negotiate(accept: str | None, formats: tuple[Format, ...] = FORMATS) -> Format | None:
    """The format to send for an ``Accept`` header; HTML when there is none; None when nothing fits."""
    if not accept or not accept.strip():
        return formats[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    by_media = {m: f for f in formats for m in (f.media_type, *f.aliases)}
    best = parsed.best_match(list(by_media))
    return by_media[best] if best else None


def by_extension(path: str) -> tuple[str, Format] | None:
    """Split ``document/110296.ttl`` into the resource path and its format."""
    stem, dot, ext = path.rpartition(".")
    if not dot or "/" in ext or ext not in _BY_EXT:
        return None
    return stem, _BY_EXT[ext]


def format_for(extension: str) -> Format:
    return _BY_EXT[extension]


# (regular expression over the Accept header, extension) in the order the rewrite rules test them.
# A header that names an RDF type but not text/html gets the first RDF type it names in this order.
RULES: tuple[tuple[str, str], ...] = (
    (r"text/html|application/xhtml\+xml", "html"),
    (r"text/turtle|application/x-turtle", "ttl"),
    (r"application/ld\+json|application/json", "jsonld"),
    (r"application/n-triples", "nt"),
    (r"application/rdf\+xml", "rdf"),
)


# --- serialisation -------------------------------------------------------------------------------

_TURTLE_PREFIXES = {p: iri for p, iri in PREFIXES.items() if p not in ("cwd", "sh")}
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"


def serialize(triples: list[ox.Triple], fmt: Format, base: str) -> bytes:
    """Triples in an RDF format: Turtle with our prefixes and ``@base``, compacted JSON-LD, …"""
    if fmt is TURTLE:
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES, base_iri=base)
    if fmt is NTRIPLES:
        return "".join(f"{t} .\n" for t in triples).encode("utf-8")
    if fmt is RDFXML:
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=_TURTLE_PREFIXES)
    if fmt is JSONLD:
        return (json.dumps(jsonld_document(triples, base), ensure_ascii=False, indent=1, sort_keys=True)
                + "\n").encode("utf-8")
    raise ValueError(f"not an RDF format: {fmt.extension}")


def jsonld_context(base: str) -> dict[str, object]:
    """The release's JSON-LD context: the prefix table, with the data base as ``@base``."""
    context: dict[str, object] = {"@base": base}
    context.update({p: iri for p, iri in PREFIXES.items() if p != "sh"})
    return context


def jsonld_document(triples: list[ox.Triple], base: str) -> dict[str, object]:
    """Compacted JSON-LD with the release's context inline (nothing to fetch): one node per subject."""
    nodes: dict[str, dict[str, object]] = {}
    for t in triples:
        s = t.subject.value
        node = nodes.setdefault(s, {"@id": _compact(s, base)})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(t.object.value, base, relative=False))  # type: ignore[union-attr]
            continue
        key = _compact(t.predicate.value, base, relative=False)
        node.setdefault(key, []).append(_value(t.object, base))  # type: ignore[union-attr]
    return {"@context": jsonld_context(base), "@graph": [nodes[k] for k in sorted(nodes)]}


@lru_cache(maxsize=65536)
def _compact(iri: str, base: str, *, relative: bool = True) -> str:
    """A relative IRI (``@id`` values only: they resolve against ``@base``), a CURIE, or the IRI."""
    rest = iri[len(base):] if iri.startswith(base) else None
    if relative and rest and ":" not in rest.split("/", 1)[0] and "#" not in rest:
        return rest  # relative to @base
    curie = converter.compress(iri)
    if curie and not curie.split(":", 1)[1].startswith("//") and curie.split(":", 1)[1]:
        return curie
    return iri


def _value(obj: object, base: str) -> object:
    if isinstance(obj, ox.NamedNode):
        return {"@id": _compact(obj.value, base)}
    assert isinstance(obj, ox.Literal)
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    if obj.datatype.value == XSD_STRING:
        return obj.value
    return {"@value": obj.value, "@type": _compact(obj.datatype.value, base, relative=False)}
