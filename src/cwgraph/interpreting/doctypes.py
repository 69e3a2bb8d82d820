"""Document types: one table (``data/document-types.tsv``), matched against titles.

A type is recognised at the start of a title (``Ciphered Telegrams No. 50450,
50470, and 50490, …``) after an optional classification (``Top Secret``) and an
optional adjective the archive uses (``The Official …``); or at the end of a
title with no correspondents (``Sino-Soviet Agreement Protocol``).

>>> match_type_prefix("Top Secret Memorandum from Andrey Vyshinsky to Joseph Stalin")[:3]
('Memorandum', 'Top Secret', [])
>>> match_type_prefix("Ciphered Telegrams No. 50450, 50470, and 50490, Terebin to Kuznetsov")[:3]
('Ciphered Telegram', None, ['50450', '50470', '50490'])
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "DocType",
    "document_types",
    "is_conversation_type",
    "match_type_prefix",
    "match_type_suffix",
    "type_by_label",
]


@dataclass(frozen=True)
class DocType:
    slug: str
    label: str
    printed_forms: tuple[str, ...]
    kind: str  # correspondence | conversation | exchange | other
    broader: str | None


@cache
def document_types() -> tuple[DocType, ...]:
    """The document types, in table order."""
    text = resources.files("cwgraph").joinpath("data/document-types.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return tuple(
        DocType(
            slug=r["slug"],
            label=r["label"],
            printed_forms=tuple(f.strip() for f in r["printed_forms"].split(";") if f.strip()),
            kind=r["kind"],
            broader=r["broader"] or None,
        )
        for r in rows
    )


@cache
def type_by_label() -> dict[str, DocType]:
    return {t.label: t for t in document_types()}


def is_conversation_type(label: str) -> bool:
    t = type_by_label().get(label)
    return t is not None and t.kind in ("conversation", "exchange")


_CLASSIFICATION = r"(?P<cls>(?:Top|Strictly|Most)\s+Secret|Secret|Confidential|Personal|Urgent|Special)\s+"


@cache
def _prefix_re() -> re.Pattern[str]:
    forms = sorted(
        ((form, t.label) for t in document_types() for form in t.printed_forms), key=lambda x: -len(x[0])
    )
    alternatives = "|".join(re.escape(f) for f, _ in forms)
    return re.compile(
        rf"^(?:The\s+|An?\s+)?(?:{_CLASSIFICATION})?(?:Excerpts?\s+from\s+(?:the\s+)?)?"
        rf"(?P<type>{alternatives})(?![\w-])"
        r"(?P<num>\s*,?\s*(?:No|Nos|no|nos|Number|n|N|#|№)\.?\s*(?:\d[\d/-]*)"
        r"(?:\s*(?:,\s*and|,|and|&)\s*\d[\d/-]*)*)?",
        re.I,
    )


@cache
def _form_to_label() -> dict[str, str]:
    return {form.lower(): t.label for t in document_types() for form in t.printed_forms}


def match_type_prefix(title: str) -> tuple[str, str | None, list[str], int] | None:
    """(type label, classification, telegram numbers, characters consumed) or None."""
    m = _prefix_re().match(title)
    if not m:
        return None
    end = m.end()
    after = title[end:end + 1]
    # a type word must be followed by a separator, not by more of a name ("Notes" in "Notesworthy")
    if after and not re.match(r"[\s,:;.]", after):
        return None
    label = _form_to_label()[" ".join(m.group("type").split()).lower()]
    cls = m.group("cls")
    classification = " ".join(w.capitalize() for w in cls.split()) if cls else None
    numbers = re.findall(r"\d[\d/-]*", m.group("num") or "")
    return label, classification, numbers, end


def match_type_suffix(title: str) -> tuple[str, int] | None:
    """A type word ending a title with no correspondents: (type label, where it starts)."""
    m = re.search(r"\b(Protocol|Agreement|Treaty|Communiqu[ée]|Statement|Declaration|Resolution)$", title)
    if not m or " to " in title or title.lower().startswith(("from ", "to ")):
        return None
    return _form_to_label()[m.group(1).lower()], m.start()
