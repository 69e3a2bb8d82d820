"""Content negotiation: the formats a resource is published in, chosen by Accept or by extension.

>>> negotiate("text/turtle").extension
'ttl'
>>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").extension
'html'
>>> negotiate("application/ld+json;q=0.9, text/turtle;q=0.5").extension
'jsonld'
>>> negotiate("image/png") is None
True
>>> negotiate("text/turtle;charset=utf-8").extension
'ttl'
>>> negotiate("application/*").extension
'jsonld'
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

from cwgraph.core.namespaces import PREFIXES, TURTLE_PREFIXES, curie, jsonld_context

__all__ = ["FORMATS", "RDF_FORMATS", "RULES", "Format", "by_extension", "negotiate", "negotiate_exact",
           "parse_accept", "serialize"]


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
    """The format to send for an ``Accept`` header; the first format when there is none; None when nothing fits.

    Media-type parameters other than ``q`` (``charset``, ``profile``) do not stop a match. Each
    format takes the quality of the most specific range that matches it (RFC 9110 §12.5.1);
    wildcards (``*/*``, ``application/*``) match a format's own media type, never its aliases,
    so ``application/*`` does not pick HTML through ``application/xhtml+xml``. Ties go to the
    earlier format of ``formats``.
    """
    ranges = parse_accept(accept)
    if not ranges:
        return formats[0]
    return _best(formats, ranges)


def negotiate_exact(accept: str | None, formats: tuple[Format, ...]) -> Format | None:
    """Like :func:`negotiate`, counting only ranges that name a media type (no wildcards)."""
    return _best(formats, [r for r in parse_accept(accept) if "*" not in r[0]])


def _best(formats: tuple[Format, ...], ranges: list[tuple[str, float]]) -> Format | None:
    """The format of highest quality (the first of equals); None when every quality is 0."""
    best: Format | None = None
    best_q = 0.0
    for fmt in formats:
        q = _quality(fmt, ranges)
        if q > best_q:
            best, best_q = fmt, q
    return best


def parse_accept(accept: str | None) -> list[tuple[str, float]]:
    """``Accept`` as (media range, quality) pairs, lower-cased, parameters other than ``q`` dropped.

    >>> parse_accept("text/turtle;charset=utf-8, application/*;q=0.5")
    [('text/turtle', 1.0), ('application/*', 0.5)]
    """
    out: list[tuple[str, float]] = []
    for item in (accept or "").split(","):
        media, *params = [p.strip() for p in item.split(";")]
        media = media.lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value.strip().strip('"'))))
                except ValueError:
                    q = 0.0
        out.append((media, q))
    return out


def _quality(fmt: Format, ranges: list[tuple[str, float]]) -> float:
    """The quality the client gives ``fmt``: from the most specific matching range (0 when none)."""
    major = fmt.media_type.split("/", 1)[0]
    exact = [q for media, q in ranges if media == fmt.media_type or media in fmt.aliases]
    if exact:
        return max(exact)
    partial = [q for media, q in ranges if media == f"{major}/*"]
    if partial:
        return max(partial)
    return max((q for media, q in ranges if media == "*/*"), default=0.0)


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

RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"


def serialize(triples: list[ox.Triple], fmt: Format, base: str) -> bytes:
    """Triples in an RDF format: Turtle with our prefixes and ``@base``, compacted JSON-LD, …"""
    if fmt is TURTLE:
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES, base_iri=base)
    if fmt is NTRIPLES:
        return "".join(f"{t} .\n" for t in triples).encode("utf-8")
    if fmt is RDFXML:
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=TURTLE_PREFIXES)
    if fmt is JSONLD:
        return (json.dumps(jsonld_document(triples, base), ensure_ascii=False, indent=1, sort_keys=True)
                + "\n").encode("utf-8")
    raise ValueError(f"not an RDF format: {fmt.extension}")


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
    return curie(iri, jsonld=True) or iri


def _value(obj: object, base: str) -> object:
    if isinstance(obj, ox.NamedNode):
        return {"@id": _compact(obj.value, base)}
    assert isinstance(obj, ox.Literal)
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    if obj.datatype.value == XSD_STRING:
        return obj.value
    return {"@value": obj.value, "@type": _compact(obj.datatype.value, base, relative=False)}
