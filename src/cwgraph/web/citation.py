""""Cite this": a formatted citation, BibTeX and CSL-JSON for every page.

A document is cited in the archive's own form (the Wilson Center Digital Archive's
"Citation" block): title in quotes, the date as printed, the archive, the source
citation (archive, fond, translator), the archive's URL. Anything else (a person, a
place, an event) is cited as an entry of this dataset, by its permanent IRI.
BibTeX and CSL-JSON carry the same facts for reference managers (Zotero reads both).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

__all__ = ["ARCHIVE", "Citation", "bibtex", "csl_json"]

ARCHIVE = "Wilson Center Digital Archive"
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                   "_": r"\_", "$": r"\$", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


@dataclass
class Citation:
    """The facts a citation needs; its kind: a document (cited as the archive does), a dataset or an entry."""

    kind: str
    key: str
    title: str
    iri: str
    url: str | None = None  # the archive's page
    date_text: str | None = None  # as printed
    date_parts: list[int] = field(default_factory=list)
    source: str | None = None  # the archive's source citation
    authors: list[str] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)
    doc_type: str | None = None
    dataset: str = ""
    version: str = ""
    publisher: str = ""

    @property
    def text(self) -> str:
        """The formatted citation."""
        if self.kind == "document":
            parts = [f"“{self.title},”"]
            if self.date_text:
                parts.append(f"{self.date_text},")
            parts.append(f"{ARCHIVE},")
            source = (self.source or "").strip()
            if source:
                parts.append(source if source.endswith(".") else source + ".")
            elif self.translators:
                parts.append(f"Translated by {_and(self.translators)}.")
            parts.append(self.url or self.iri)
            return " ".join(parts)
        version = f", version {self.version}" if self.version else ""
        publisher = f" {self.publisher}." if self.publisher else ""
        if self.kind == "dataset":
            year = f" {self.date_parts[0]}." if self.date_parts else ""
            return f"{self.title}{version}.{publisher}{year} {self.iri}"
        return f"“{self.title}.” In {self.dataset}{version}.{publisher} {self.iri}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _bib(value: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in value)


def bibtex(c: Citation) -> str:
    """A BibTeX entry (``@misc``, with biblatex's ``date`` beside ``year``)."""
    key = re.sub(r"[^A-Za-z0-9:_-]", "-", f"cwgraph:{c.key}")
    fields: list[tuple[str, str]] = [("title", "{" + _bib(c.title) + "}")]
    if c.authors:
        fields.append(("author", " and ".join("{" + _bib(a) + "}" for a in c.authors)))
    if c.date_parts:
        fields.append(("year", str(c.date_parts[0])))
        fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(c.date_parts))))
    if c.kind == "document":
        fields.append(("howpublished", _bib(ARCHIVE)))
        if c.translators:
            fields.append(("translator", " and ".join("{" + _bib(t) + "}" for t in c.translators)))
        if c.source:
            fields.append(("note", _bib(c.source)))
        if c.doc_type:
            fields.append(("type", _bib(c.doc_type)))
    elif c.kind == "dataset":
        fields.append(("version", _bib(c.version)))
        if c.publisher:
            fields.append(("publisher", _bib(c.publisher)))
    else:
        fields.append(("howpublished", _bib(f"{c.dataset}{', version ' + c.version if c.version else ''}")))
        if c.publisher:
            fields.append(("publisher", _bib(c.publisher)))
    fields.append(("url", c.url or c.iri))
    if c.url:
        fields.append(("addendum", "Linked data: " + c.iri))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def csl_json(c: Citation) -> str:
    """One CSL-JSON item (a list of one, as Zotero and citeproc read it)."""
    item: dict[str, object] = {"id": f"cwgraph:{c.key}", "title": c.title}
    if c.kind == "document":
        item.update({"type": "manuscript", "archive": ARCHIVE, "URL": c.url or c.iri, "note": f"Linked data: {c.iri}"})
        if c.source:
            item["archive_location"] = c.source
        if c.doc_type:
            item["genre"] = c.doc_type
        if c.translators:
            item["translator"] = [{"literal": t} for t in c.translators]
    else:
        item.update({"type": "dataset" if c.kind == "dataset" else "entry", "URL": c.iri})
        if c.kind != "dataset":
            item["container-title"] = c.dataset
        if c.version:
            item["version"] = c.version
        if c.publisher:
            item["publisher"] = c.publisher
    if c.authors:
        item["author"] = [{"literal": a} for a in c.authors]
    if c.date_parts:
        item["issued"] = {"date-parts": [c.date_parts]}
    return json.dumps([item], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
