"""The correspondence network as GEXF 1.3 and GraphML, one edge per letter, written as a stream.

Nodes are the actors of the letters (senders, recipients, intermediaries), keyed
by IRI, with their label, kind, Wikidata entity, counts and the cover names they
used. Edges run from sender to recipient, one per letter (a multigraph), with the
document, its date (also as GEXF ``start``/``end`` for Gephi's timeline), the cover
name each side used as written, and the intermediaries with theirs. GEXF has no
modification date.

Each edge's id is the letter's key (with the pair when a letter has several senders or
recipients). In GEXF it is also the edge's ``kind``, and the title its ``label``: Gephi
merges parallel edges of one kind on import (summing weights, keeping one edge's
attributes), so a kind per letter is what keeps every letter, its title and its date.
The GEXF is valid against the official 1.3 schema (gexf.net/1.3); the GraphML is byte
for byte what networkx writes (``write_graphml`` with lxml, ``named_key_ids``) for a
``MultiDiGraph`` with the nodes added in IRI order and the edges in letter order.

Neither file holds the graph in memory: a first pass over the letters gathers the nodes
(:meth:`Network.add_nodes`), a second the edges (:meth:`Network.add_edges`), which go
through run files into the order networkx iterates them: by sender, then by recipient in
the order each pair first occurred, then in letter order.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from cwgraph import __version__
from cwgraph.core.runs import RunSorter
from cwgraph.exports.letters import Letter, Party

__all__ = ["Network"]

NAME = "correspondence"
DESCRIPTION = ("Who wrote to whom: one edge per letter, from sender to recipient (edge id and kind: the letter's "
               "key; label: its title), dated for the timeline.")
NODE_ATTRS = (("kind", "string"), ("iri", "string"), ("wikidata", "string"), ("letters_sent", "long"),
              ("letters_received", "long"), ("letters_relayed", "long"), ("cover_names", "string"))
EDGE_ATTRS = (("document", "string"), ("title", "string"), ("document_type", "string"), ("date", "string"),
              ("date_label", "string"), ("sender_as_written", "string"), ("sender_cover_name", "string"),
              ("recipient_as_written", "string"), ("recipient_cover_name", "string"),
              ("cover_name_used", "boolean"), ("intermediaries", "string"), ("intermediary_iris", "string"),
              ("intermediary_cover_names", "string"))
GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _indent(elem: ET.Element, level: int = 0) -> None:
    """networkx's GEXF pretty-printer (it sets the whitespace the whole document would have)."""
    i = "\n" + "  " * level
    if len(elem):
        if not elem.text or not elem.text.strip():
            elem.text = i + "  "
        if not elem.tail or not elem.tail.strip():
            elem.tail = i
        for child in elem:
            _indent(child, level + 1)
        if not child.tail or not child.tail.strip():
            child.tail = i
    elif level and (not elem.tail or not elem.tail.strip()):
        elem.tail = i


def _lines(text: str) -> str:
    # one element a line, as networkx's GEXF writer lays them out (str.splitlines() also breaks at \x0b,
    # \x1c, …, characters XML 1.0 cannot hold anyway)
    return "".join(line + "\n" for line in text.splitlines())


def _attr(value: str) -> str:
    # ElementTree's own escaping, then its us-ascii output (character references), as networkx writes GEXF
    return ET._escape_attrib(value).encode("ascii", "xmlcharrefreplace").decode("ascii")  # type: ignore[attr-defined]


def _token(value: str) -> str:
    """A value as an XML Schema token (GEXF's edge label): no line breaks or runs of spaces."""
    return " ".join(value.split())


def _gexf_element(tag: str, attrs: str, values: list[str], first: int) -> str:
    """An element with its attvalues, indented as a child of ``nodes`` or ``edges``."""
    rows = "".join(f'          <attvalue for="{i}" value="{_attr(v)}" />\n' for i, v in enumerate(values, first))
    return _lines(f"      <{tag} {attrs}>\n        <attvalues>\n{rows}        </attvalues>\n      </{tag}>\n")


class Network:
    """The network of the letters: :meth:`add_nodes` for every letter, then :meth:`add_edges` for
    every letter in the same order, then :meth:`write`. ``folder`` receives the edge runs, each
    about ``memory`` characters of edges."""

    def __init__(self, folder: Path, memory: int = 32 * 1024 * 1024) -> None:
        self.parties: dict[str, Party] = {}
        self.counts: dict[str, list[int]] = {}  # sent, received, relayed
        self.covers: dict[str, set[str]] = {}
        self.dynamic = False  # some edge has a date: GEXF's timeline
        self.index: dict[str, int] = {}
        self.first: dict[int, int] = {}  # sender × recipient → the edge that first joined them
        self.edges = 0
        self.sorter = RunSorter(folder, "edges", memory)

    def add_nodes(self, letter: Letter) -> None:
        for role, group in enumerate((letter.senders, letter.recipients, letter.intermediaries)):
            for party in group:
                if party.iri not in self.parties:
                    self.parties[party.iri] = party
                    self.counts[party.iri] = [0, 0, 0]
                    self.covers[party.iri] = set()
                self.counts[party.iri][role] += 1
                if party.cover_label:
                    self.covers[party.iri].add(party.cover_label)
        if letter.begin and letter.senders and letter.recipients:
            self.dynamic = True

    def add_edges(self, letter: Letter) -> None:
        if not self.index:
            self.index = {iri: i for i, iri in enumerate(sorted(self.parties))}
        via = letter.intermediaries
        single = len(letter.senders) * len(letter.recipients) == 1
        for sender in letter.senders:
            for recipient in letter.recipients:
                # edge ids are unique in GEXF and GraphML: the document key, with the pair when it has several
                key = letter.key if single else (f"{letter.key}--{sender.iri.rsplit('/', 1)[-1]}--"
                                                 f"{recipient.iri.rsplit('/', 1)[-1]}")
                u, v = self.index[sender.iri], self.index[recipient.iri]
                first = self.first.setdefault(u * len(self.index) + v, self.edges)
                row = [u, v, key, letter.iri, letter.title, letter.type_label or "", letter.edtf or "",
                       letter.date_label or "", sender.as_written or "", sender.cover_label or "",
                       recipient.as_written or "", recipient.cover_label or "",
                       bool(sender.cover_label or recipient.cover_label), "; ".join(p.label for p in via),
                       " ".join(p.iri for p in via), "; ".join(p.cover_label or "" for p in via if p.cover_label),
                       letter.begin[:10] if letter.begin else None,
                       (letter.end or letter.begin)[:10] if letter.begin else None]
                self.sorter.add(f"{u:010d}{first:012d}{self.edges:012d}\t"
                                f"{json.dumps(row, ensure_ascii=False, separators=(',', ':'))}\n")
                self.edges += 1

    def _nodes(self) -> Iterator[tuple[str, str, list[str]]]:
        for iri in sorted(self.parties):
            party, counts = self.parties[iri], self.counts[iri]
            yield iri, party.label, [party.kind, iri, party.wikidata or "", *map(str, counts),
                                     "; ".join(sorted(self.covers[iri]))]

    def _edges(self) -> Iterator[list]:
        for line in self.sorter.sorted():
            yield json.loads(line.split("\t", 1)[1])

    def write(self, gexf: Path, graphml: Path) -> list[Path]:
        """Write both files (one pass over the sorted edges); returns their paths."""
        nodes = sorted(self.parties)
        with open(gexf, "w", encoding="utf-8") as g, open(graphml, "wb") as m, \
                etree.xmlfile(m, encoding="utf-8") as xf:
            head, middle, tail = self._gexf_frame()
            g.write(head)
            xf.write_declaration()
            with xf.element("graphml", {"xmlns": GRAPHML_NS, "xmlns:xsi": XSI_NS,
                                        "xsi:schemaLocation": f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"}):
                for key in reversed(self._graphml_keys()):
                    xf.write(key, pretty_print=True)
                with xf.element("graph", edgedefault="directed"):
                    data = etree.Element("data", key="name")
                    data.text = NAME
                    xf.write(data, pretty_print=True)
                    for iri, label, values in self._nodes():
                        g.write(self._gexf_node(iri, label, values))
                        xf.write(self._graphml_node(iri, label, values), pretty_print=True)
                    g.write(middle)
                    escaped = [_attr(iri) for iri in nodes]
                    for row in self._edges():
                        g.write(self._gexf_edge(escaped, row))
                        xf.write(self._graphml_edge(nodes, row), pretty_print=True)
            g.write(tail)
        return [gexf, graphml]

    def _gexf_frame(self) -> tuple[str, str, str]:
        """The GEXF file around its nodes and edges: before the nodes, between nodes and edges, after."""
        root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:xsi": XSI_NS,
                                   "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd", "version": "1.3"})
        meta = ET.SubElement(root, "meta")
        ET.SubElement(meta, "creator").text = f"cwgraph {__version__}"
        ET.SubElement(meta, "description").text = DESCRIPTION
        graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="static")
        if self.dynamic:
            graph.set("timeformat", "date")
            graph.set("timerepresentation", "interval")
            graph.set("mode", "dynamic")
        declared = [("edge", EDGE_ATTRS, len(NODE_ATTRS))] if self.edges else []
        declared += [("node", NODE_ATTRS, 0)] if self.parties else []
        for cls, attrs, first in declared:
            attributes = ET.SubElement(graph, "attributes", mode="static", **{"class": cls})
            for i, (title, kind) in enumerate(attrs, first):
                ET.SubElement(attributes, "attribute", id=str(i), title=title, type=kind)
        ET.SubElement(graph, "nodes")
        ET.SubElement(graph, "edges")
        _indent(root)
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + _lines(ET.tostring(root).decode("ascii"))
        head, rest = text.split("    <nodes />\n")
        middle, tail = rest.split("    <edges />\n")
        if self.parties:
            head, middle = head + "    <nodes>\n", "    </nodes>\n" + middle
        else:
            head += "    <nodes />\n"
        if self.edges:
            middle, tail = middle + "    <edges>\n", "    </edges>\n" + tail
        else:
            middle += "    <edges />\n"
        return head, middle, tail

    def _gexf_node(self, iri: str, label: str, values: list[str]) -> str:
        return _gexf_element("node", f'id="{_attr(iri)}" label="{_attr(label)}"', values, 0)

    def _gexf_edge(self, nodes: list[str], row: list) -> str:
        key = _attr(row[2])
        attrs = (f'id="{key}" source="{nodes[row[0]]}" target="{nodes[row[1]]}" label="{_attr(_token(row[4]))}" '
                 f'kind="{key}" weight="1.0"')
        if row[16] is not None:
            attrs += f' start="{_attr(row[16])}" end="{_attr(row[17])}"'
        values = [str(v).lower() if isinstance(v, bool) else v for v in row[3:16]]
        return _gexf_element("edge", attrs, values, len(NODE_ATTRS))

    def _graphml_keys(self) -> list[etree._Element]:
        """The key elements in the order networkx creates them (it writes them in reverse)."""
        declared = [("graph", "name", "string")]
        if self.parties:
            declared += [("node", "label", "string")] + [("node", name, kind) for name, kind in NODE_ATTRS]
        if self.edges:
            declared += [("edge", name, kind) for name, kind in EDGE_ATTRS] + [("edge", "weight", "double")]
            declared += [("edge", "start", "string"), ("edge", "end", "string")] if self.dynamic else []
        return [etree.Element("key", attrib={"id": name, "for": scope, "attr.name": name, "attr.type": kind})
                for scope, name, kind in declared]

    def _graphml_node(self, iri: str, label: str, values: list[str]) -> etree._Element:
        node = etree.Element("node", id=iri)
        for name, value in zip(["label"] + [name for name, _ in NODE_ATTRS], [label] + values):
            etree.SubElement(node, "data", key=name).text = value
        return node

    def _graphml_edge(self, nodes: list[str], row: list) -> etree._Element:
        edge = etree.Element("edge", source=nodes[row[0]], target=nodes[row[1]], id=row[2])
        data = list(zip([name for name, _ in EDGE_ATTRS], [str(v) for v in row[3:16]])) + [("weight", "1.0")]
        if row[16] is not None:
            data += [("start", row[16]), ("end", row[17])]
        for name, value in data:
            etree.SubElement(edge, "data", key=name).text = value
        return edge
