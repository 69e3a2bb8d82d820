"""CMIF 1.1 (TEI ``correspDesc``) of every letter, for correspSearch and other harvesters.

One ``correspDesc`` per letter (``@ref`` its IRI), a ``sent`` and a ``received``
action each with ``persName``/``orgName`` (``@ref``: the Wikidata entity where
the authority links one, then our IRI), the place of writing (``placeName``, ``@ref``: GeoNames
in the form correspSearch indexes, ``http://www.geonames.org/ID``, then Wikidata, then our IRI)
and, where the graph has it, the place of receipt, and the date:
``@when`` for a day, ``@notBefore``/``@notAfter`` (inclusive days) for anything
less precise (a month, a year, a range, an approximate date; ``cert="low"``
when the date is uncertain or approximate). CMIF has only sent and received:
intermediaries and cover names go into ``note`` elements. Validates against the
TEI Correspondence SIG's schema (``cmi-customization.rng``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from cwgraph.core.config import BASE_IRI, DATASET
from cwgraph.exports.letters import Letter, Party, Place

__all__ = ["TEI_NS", "CmifWriter", "cmif_document"]

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}")
    for key, value in attrs.items():
        el.set(key, value)
    if text is not None:
        el.text = text
    return el


def _refs(party: Party) -> str:
    return " ".join(r for r in (party.wikidata, party.iri) if r)


def _name(parent: etree._Element, party: Party) -> None:
    tag = "orgName" if party.kind == "group" else "persName"
    _el(parent, tag, party.label, ref=_refs(party))


def _date(parent: etree._Element, letter: Letter) -> None:
    edtf = letter.edtf or ""
    if not letter.begin:
        return
    uncertain = any(c in edtf for c in "?~%") or edtf.endswith("X")
    begin, end = letter.begin[:10], (letter.end or letter.begin)[:10]
    attrs: dict[str, str] = {}
    if begin == end and not uncertain:
        attrs["when"] = begin
    else:
        attrs["notBefore"], attrs["notAfter"] = begin, end
    if uncertain:
        attrs["cert"] = "low"
    _el(parent, "date", letter.date_label, **attrs)


def _action(parent: etree._Element, kind: str, parties: list[Party]) -> etree._Element:
    action = _el(parent, "correspAction", type=kind)
    if parties:
        for party in parties:
            _name(action, party)
    else:
        _el(action, "persName", "Unknown")  # CMIF's documented string for an unknown correspondent
    return action


def _note_for(letter: Letter) -> str | None:
    parts = []
    for party in letter.senders:
        if party.cover_label:
            parts.append(f"{party.label} wrote under the cover name “{party.cover_label}”.")
    for party in letter.recipients:
        if party.cover_label:
            parts.append(f"{party.label} was addressed under the cover name “{party.cover_label}”.")
    if letter.intermediaries:
        via = ", ".join(p.label + (f" (as “{p.cover_label}”)" if p.cover_label else "") for p in letter.intermediaries)
        parts.append(f"Transmitted through {via}.")
    parts.append(f"Title in the archive: {letter.title}")
    return " ".join(parts)


def _places(action: etree._Element, places: list[Place]) -> None:
    for place in places:
        _el(action, "placeName", place.label or place.iri.rsplit("/", 1)[-1], ref=" ".join(place.refs))


def _correspdesc(parent: etree._Element, letter: Letter, source: str) -> etree._Element:
    desc = _el(parent, "correspDesc", ref=letter.iri, source=source)
    sent = _action(desc, "sent", letter.senders)
    _places(sent, letter.places)
    _date(sent, letter)
    received = _action(desc, "received", letter.recipients)
    _places(received, letter.received_places)
    note = _note_for(letter)
    if note:
        _el(desc, "note", note)
    return desc


def cmif_document(letters: Iterable[Letter], *, published: str, url: str | None = None) -> etree._ElementTree:
    """The CMIF TEI document for ``letters`` (already in date order), in memory."""
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    header = _el(tei, "teiHeader")
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", f"{DATASET.title.split(':')[0]}: letters (CMIF)")
    _el(title_stmt, "editor", DATASET.publisher)
    pub = _el(file_desc, "publicationStmt")
    publisher = _el(pub, "publisher")
    _el(publisher, "ref", DATASET.publisher, target=BASE_IRI)
    _el(pub, "idno", url or f"{BASE_IRI}dist/cwgraph.cmif.xml", type="url")
    _el(pub, "date", when=published)
    availability = _el(pub, "availability")
    _el(availability, "licence", "This file is licensed under the terms of the Creative-Commons-License CC BY 4.0",
        target=DATASET.license)
    source_desc = _el(file_desc, "sourceDesc")
    bibl = _el(source_desc, "bibl", type="online")
    bibl.set(f"{{{XML_NS}}}id", _bibl_id())
    bibl.text = f"{DATASET.title}. Wilson Center Digital Archive, published as linked data by {DATASET.publisher}. "
    _el(bibl, "ref", f"{BASE_IRI}collection/{DATASET.slug}", target=f"{BASE_IRI}collection/{DATASET.slug}")
    profile = _el(header, "profileDesc")
    for letter in letters:
        _correspdesc(profile, letter, "#" + _bibl_id())
    text = _el(tei, "text")
    body = _el(text, "body")
    _el(body, "p")
    return etree.ElementTree(tei)


def _bibl_id() -> str:
    bibl_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE_IRI}collection/{DATASET.slug}"))
    return f"id-{bibl_id}" if bibl_id[0].isdigit() else bibl_id


def _serialise(tree: etree._ElementTree) -> bytes:
    etree.indent(tree, space="  ")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class CmifWriter:
    """Writes the CMIF file one letter at a time (in date order), the same bytes as :func:`cmif_document`
    indented and serialised whole: each ``correspDesc`` is indented at its depth and written on its own."""

    DEPTH = 3  # TEI > teiHeader > profileDesc > correspDesc
    EMPTY = b"<profileDesc/>"

    def __init__(self, path: Path, *, published: str, url: str | None = None) -> None:
        self.path = path
        self.head, self.tail = _serialise(cmif_document([], published=published, url=url)).split(self.EMPTY)
        self.source = "#" + _bibl_id()
        self.parent = etree.Element(f"{{{TEI_NS}}}profileDesc", nsmap={None: TEI_NS})
        self.declaration = f' xmlns="{TEI_NS}"'.encode()
        self.letters = 0
        self.file = open(path, "wb")
        self.file.write(self.head)

    def add(self, letter: Letter) -> None:
        if not self.letters:
            self.file.write(b"<profileDesc>\n")
        self.letters += 1
        desc = _correspdesc(self.parent, letter, self.source)
        etree.indent(desc, space="  ", level=self.DEPTH)
        # serialised alone, the element declares the namespace its ancestors declare in the whole file
        text = etree.tostring(desc, encoding="UTF-8", with_tail=False).replace(self.declaration, b"", 1)
        self.parent.remove(desc)
        self.file.write(b"  " * self.DEPTH + text + b"\n")

    def close(self) -> Path:
        self.file.write(b"  " * (self.DEPTH - 1) + b"</profileDesc>" if self.letters else self.EMPTY)
        self.file.write(self.tail)
        self.file.close()
        return self.path
