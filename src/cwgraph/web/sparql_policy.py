"""What a public SPARQL endpoint refuses before a query reaches the store: updates and federation.

The decision is taken on the query's *tokens*, not on its text: a SPARQL lexer
(strings, IRIs, comments, prefixed names, variables and language tags are
tokens of their own) finds the keywords, so ``# SERVICE`` in a comment,
``"SERVICE <x>"`` in a string, ``ex:service`` or ``?service`` never count and
``sErViCe`` does. SPARQL lets ``\\u0053`` stand for ``S`` anywhere in a query
(§19.2): the text is read both as given and with those escapes replaced, and
whatever either reading finds counts (refusing too much rather than too little).

>>> check("SELECT * WHERE { ?s ?p ?o }")
>>> check("SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }").status
403
>>> check("# SERVICE <http://x/>\\nSELECT ?service WHERE { ?s <http://x/SERVICE> 'SERVICE <y>' }")
>>> check("PREFIX x: <urn:x#> INSERT DATA { x:a x:b x:c }").status
403
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = ["Refusal", "Token", "check", "is_update", "services", "tokens", "unescape"]

# Keywords that only SPARQL Update has (SPARQL Query's grammar uses none of them).
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                             "WITH", "USING"})

_SERVICE = frozenset({"SERVICE"})
_SILENT = frozenset({"SILENT"})
_GLUED = ("SERVICE", "SILENT", *sorted(UPDATE_KEYWORDS))
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>(?:[\w\u00B7-\U0010FFFF\-:%]|\\[_~.\-!$&'()*+,;=/?\#@%])(?:[\w\u00B7-\U0010FFFF\-.:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*/+\-!=<>^|@])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, var, langtag, pname, keyword, punct, other
    text: str


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: an HTTP status and a message for the client."""

    status: int
    message: str


def unescape(text: str) -> str:
    r"""The query with SPARQL's ``\uXXXX`` and ``\UXXXXXXXX`` escapes replaced (§19.2)."""
    def one(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _ESCAPE.sub(one, text)


_LEADING = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(?i:true|false)")


def tokens(text: str) -> Iterator[Token]:
    """The query's tokens, without white space and comments.

    Words that are not prefixed names are upper-cased ``keyword`` tokens. pyoxigraph reads a
    keyword glued to a number, a boolean or a name (``1SERVICE``, ``trueSERVICE``, ``SERVICEex:q``)
    as separate tokens: checks look for keywords *inside* words, and a "prefixed name" that starts
    with a number (no prefix can) or with ``true``/``false`` and a keyword is split the same way,
    and one whose prefix holds ``SERVICE`` counts as a SERVICE call (so a prefix named
    ``…service…`` is refused: the price of never letting ``true.SERVICEex:q`` through).
    """
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group()
        if kind in ("space", "comment"):
            continue
        if kind == "name":
            if ":" in value and not value.startswith("_:"):
                lead = _LEADING.match(value)
                rest = value[lead.end():] if lead is not None else ""
                glued = [word for word in _GLUED if rest.upper().startswith(word)]
                if lead is not None and rest and (glued or not lead.group()[-1].isalpha()):
                    yield Token("keyword", lead.group().upper())
                    while glued:
                        yield Token("keyword", glued[0])
                        rest = rest[len(glued[0]):]
                        glued = [word for word in _GLUED if rest.upper().startswith(word)]
                    yield from tokens(rest)
                    continue
                prefix = value.split(":", 1)[0].upper()
                if "SERVICE" in prefix:
                    # pyoxigraph may read "SERVICEex:q", "true.SERVICEex:q" as … SERVICE ex:q
                    rest = value[prefix.index("SERVICE") + len("SERVICE"):]
                    yield Token("keyword", "SERVICE")
                    if rest.upper().startswith("SILENT"):
                        yield Token("keyword", "SILENT")
                        rest = rest[len("SILENT"):]
                    yield from tokens(rest)
                    continue
                yield Token("pname", value.rstrip("."))  # a prefixed name: never a keyword
                continue
            if ":" in value:  # a blank node label
                yield Token("pname", value)
                continue
            yield Token("keyword", value.upper())
            continue
        yield Token(kind or "other", value)


def _names(token: Token, words: frozenset[str]) -> bool:
    """Whether a word holds one of ``words`` (glued keywords count: ``1SERVICE``, ``1.E5SERVICE``)."""
    return token.kind == "keyword" and any(word in token.text for word in words)


def _readings(text: str) -> list[list[Token]]:
    escaped = unescape(text)
    readings = [list(tokens(text))]
    if escaped != text:
        readings.append(list(tokens(escaped)))
    return readings


def is_update(text: str) -> bool:
    """Whether a request text is (or holds) a SPARQL Update operation.

    >>> is_update("PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("SELECT * WHERE { ?s <urn:insert> 'DELETE' }")
    False
    """
    return any(_names(t, UPDATE_KEYWORDS) for reading in _readings(text) for t in reading)


def _prefixes(reading: list[Token]) -> dict[str, str | None]:
    """The query's PREFIX declarations (a prefix declared twice, differently, resolves to nothing)."""
    found: dict[str, str | None] = {}
    for i, t in enumerate(reading[:-2]):
        if t.kind == "keyword" and t.text == "PREFIX" and reading[i + 1].kind == "pname" \
                and reading[i + 2].kind == "iri":
            name, iri = reading[i + 1].text[:-1], reading[i + 2].text[1:-1]
            found[name] = iri if found.get(name, iri) == iri else None
    return found


def services(text: str, prefixes: Mapping[str, str] | None = None) -> list[str | None]:
    """The endpoints a query's ``SERVICE`` clauses name (None for one named by a variable or unreadable)."""
    found: list[str | None] = []
    for reading in _readings(text):
        declared: dict[str, str | None] = {**(prefixes or {}), **_prefixes(reading)}
        for i, t in enumerate(reading):
            if not _names(t, _SERVICE):
                continue
            j = i + 1
            if j < len(reading) and _names(reading[j], _SILENT):
                j += 1
            target = reading[j] if j < len(reading) else None
            if target is not None and target.kind == "iri":
                found.append(target.text[1:-1])
            elif target is not None and target.kind == "pname" and ":" in target.text:
                prefix, _, local = target.text.partition(":")
                resolved = declared.get(prefix)
                found.append(resolved + local if resolved is not None and "\\" not in local else None)
            else:
                found.append(None)
    return found


def check(text: str, allowed_services: frozenset[str] | tuple[str, ...] = (),
          prefixes: Mapping[str, str] | None = None) -> Refusal | None:
    """None when the query may run; otherwise the refusal (403) for an update or a federated query."""
    if is_update(text):
        return Refusal(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, …) "
                            "is not accepted")
    named = services(text, prefixes)
    if not named:
        return None
    allowed = frozenset(allowed_services)
    for endpoint in named:
        if endpoint is None:
            return Refusal(403, "SERVICE with a variable, or with an endpoint that cannot be read, is not allowed "
                                "here (a prefixed name whose prefix holds 'service' reads as the keyword "
                                "SERVICE: rename that prefix)")
        if endpoint not in allowed:
            hint = (f"this server allows SERVICE only to: {', '.join(sorted(allowed))}" if allowed else
                    "this server runs no federated queries (its operator can allow endpoints with "
                    "cwgraph serve --allow-service URL)")
            return Refusal(403, f"SERVICE <{endpoint}> is not allowed: {hint}")
    return None
