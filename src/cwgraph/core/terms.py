"""RDF terms as plain tuples, and their canonical N-Triples text.

The mapping emits millions of triples; building a pyoxigraph object for each and
printing it again cost more than the mapping itself. Terms are therefore tuples —
``("I", iri)`` for an IRI, ``("L", lexical, datatype, language)`` for a literal
(``rdf:langString`` as the datatype when there is a language) — the same shape the
SHACL evaluator indexes (:mod:`cwgraph.validation.shacl`). :func:`nt_term` prints them exactly
as pyoxigraph does (tests compare every code point), so a line is canonical: one
triple, one spelling, whichever path wrote it.

IRIs minted under the base are safe by construction; any other IRI is checked once
with pyoxigraph's parser, so a malformed URL in a source record still fails loudly.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from cwgraph.core.config import BASE_IRI
from cwgraph.core.namespaces import PREFIXES

__all__ = ["RDF_LANGSTRING", "RDF_TYPE", "XSD_STRING", "Term", "Triple", "checked_iri", "from_ox", "iri",
           "literal", "nt_line", "nt_term", "parse_line", "parse_nt_lines", "to_ox"]

Term = tuple  # ("I", iri) | ("L", lexical, datatype, language)
Triple = tuple[str, str, Term]  # subject IRI, predicate IRI, object term

RDF_TYPE = PREFIXES["rdf"] + "type"
RDF_LANGSTRING = PREFIXES["rdf"] + "langString"
XSD_STRING = PREFIXES["xsd"] + "string"

_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
for _code in list(range(0x20)) + [0x7F, 0xFFFE, 0xFFFF]:
    _ESCAPES.setdefault(chr(_code), f"\\u{_code:04X}")
_TABLE = str.maketrans(_ESCAPES)
_NEEDS = frozenset(_ESCAPES)


def escape(text: str) -> str:
    """A string literal's body as N-Triples prints it (pyoxigraph's choice of escapes)."""
    if _NEEDS.isdisjoint(text):
        return text
    return text.translate(_TABLE)


@lru_cache(maxsize=65536)
def checked_iri(value: str) -> str:
    """``value`` if it is an absolute IRI; raises ValueError (with pyoxigraph's reason) if not."""
    return ox.NamedNode(value).value


@lru_cache(maxsize=256)
def _language(tag: str) -> str:
    return ox.Literal("", language=tag).language or tag


def iri(value: str) -> Term:
    """An IRI term; IRIs outside the base are checked."""
    return ("I", value if value.startswith(BASE_IRI) else checked_iri(value))


def literal(value: str, datatype: str = XSD_STRING, language: str = "") -> Term:
    if language:
        return ("L", value, RDF_LANGSTRING, language if language == "en" else _language(language))
    return ("L", value, datatype, "")


def nt_term(term: Term) -> str:
    """One term in N-Triples syntax."""
    if term[0] == "I":
        return f"<{term[1]}>"
    if term[0] == "B":
        return f"_:{term[1]}"
    body = escape(term[1])
    if term[3]:
        return f'"{body}"@{term[3]}'
    if term[2] == XSD_STRING:
        return f'"{body}"'
    return f'"{body}"^^<{term[2]}>'


def nt_line(triple: Triple) -> str:
    """``<s> <p> o .`` and a newline."""
    return f"<{triple[0]}> <{triple[1]}> {nt_term(triple[2])} .\n"


def from_ox(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> Term:
    if isinstance(term, ox.NamedNode):
        return ("I", term.value)
    if isinstance(term, ox.BlankNode):
        return ("B", term.value)
    if term.language:
        return ("L", term.value, RDF_LANGSTRING, term.language)
    return ("L", term.value, term.datatype.value, "")


def to_ox(term: Term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if term[0] == "I":
        return ox.NamedNode(term[1])
    if term[0] == "B":
        return ox.BlankNode(term[1])
    if term[3]:
        return ox.Literal(term[1], language=term[3])
    return ox.Literal(term[1], datatype=ox.NamedNode(term[2]))


def parse_line(line: str) -> Triple:
    """One N-Triples line back into a triple (see :func:`parse_nt_lines`)."""
    return parse_nt_lines([line])[0]


_BASE_REST = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/]*(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*)?\Z")  # after the base
_LANG = re.compile(r"[a-z]+(?:-[a-z0-9]+)*\Z")  # a tag as pyoxigraph prints it


def _iri_ok(value: str) -> bool:
    if value.startswith(BASE_IRI):
        return _BASE_REST.match(value, len(BASE_IRI)) is not None
    try:
        checked_iri(value)
    except ValueError:
        return False
    return True


def _fast(line: str) -> Triple | None:
    """A canonical line (as :func:`nt_line` prints it) read with string operations; None for any
    other line (escapes, other spellings, errors), which pyoxigraph's parser then reads."""
    parts = line.split(" ", 2)
    if len(parts) != 3:
        return None
    s, p, o = parts
    if s[:1] != "<" or s[-1:] != ">" or p[:1] != "<" or p[-1:] != ">" or o[-3:] != " .\n":
        return None
    s, p, o = s[1:-1], p[1:-1], o[:-3]
    if o[:1] == "<" and o[-1:] == ">":
        obj: Term = ("I", o[1:-1])
        if not _iri_ok(obj[1]):
            return None
    elif o[:1] == '"':
        end = o.rfind('"')
        lexical, tail = o[1:end], o[end + 1:]
        if not _NEEDS.isdisjoint(lexical):  # escapes, or a quote that ends the literal early
            return None
        if not tail:
            obj = ("L", lexical, XSD_STRING, "")
        elif tail[0] == "@" and _LANG.match(tail, 1):
            obj = ("L", lexical, RDF_LANGSTRING, tail[1:])
        elif tail[:3] == "^^<" and tail[-1] == ">" and tail[3:-1] != XSD_STRING and _iri_ok(tail[3:-1]):
            obj = ("L", lexical, tail[3:-1], "")
        else:
            return None
    else:
        return None
    if not (_iri_ok(s) and _iri_ok(p)):
        return None
    return (s, p, obj)


def parse_nt_lines(lines: list[str]) -> list[Triple]:
    """The triples of N-Triples lines (one triple each), in order. Canonical lines, as cwgraph
    writes them, are read with string operations (three times faster); every other line by
    pyoxigraph's parser, so a broken line raises its SyntaxError."""
    triples: list[Triple | None] = [_fast(line) for line in lines]
    slow = [i for i, t in enumerate(triples) if t is None]
    if slow:
        parsed = list(ox.parse("".join(lines[i] for i in slow).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        if len(parsed) != len(slow):
            raise SyntaxError(f"{len(slow)} lines hold {len(parsed)} triples: one triple a line")
        for i, t in zip(slow, parsed):
            triples[i] = (t.subject.value, t.predicate.value, from_ox(t.object))
    return triples  # type: ignore[return-value]
