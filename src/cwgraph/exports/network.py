"""The correspondence network as GEXF and GraphML (networkx), one edge per letter.

Nodes are the actors of the letters (senders, recipients, intermediaries), keyed
by IRI, with their label, kind, Wikidata entity, counts and the cover names they
used. Edges run from sender to recipient, one per letter (a multigraph: Gephi
sums parallel edges into weights), with the document, its date (also as GEXF
``start``/``end`` for Gephi's timeline), the cover name each side used as
written, and the intermediaries with theirs. Everything is inserted in sorted
order and GEXF's modification date is removed, so the files are reproducible.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx

from cwgraph import __version__
from cwgraph.exports.letters import Letter, Party

__all__ = ["correspondence_graph", "write_gexf", "write_graphml"]


def correspondence_graph(letters: list[Letter]) -> nx.MultiDiGraph:
    """Actors as nodes, one directed edge per letter and sender-recipient pair."""
    graph = nx.MultiDiGraph(name="correspondence")
    parties: dict[str, Party] = {}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    covers: dict[str, set[str]] = defaultdict(set)
    for letter in letters:
        for role, group in (("sent", letter.senders), ("received", letter.recipients),
                            ("relayed", letter.intermediaries)):
            for party in group:
                parties.setdefault(party.iri, party)
                counts[party.iri][role] += 1
                if party.cover_label:
                    covers[party.iri].add(party.cover_label)
    for iri in sorted(parties):
        party = parties[iri]
        graph.add_node(iri, label=party.label, kind=party.kind, iri=iri, wikidata=party.wikidata or "",
                       letters_sent=counts[iri]["sent"], letters_received=counts[iri]["received"],
                       letters_relayed=counts[iri]["relayed"], cover_names="; ".join(sorted(covers[iri])))
    for letter in letters:
        via = letter.intermediaries
        single = len(letter.senders) * len(letter.recipients) == 1
        for sender in letter.senders:
            for recipient in letter.recipients:
                # edge ids are unique in GEXF and GraphML: the document key, with the pair when it has several
                key = letter.key if single else (f"{letter.key}--{sender.iri.rsplit('/', 1)[-1]}--"
                                                 f"{recipient.iri.rsplit('/', 1)[-1]}")
                attrs = {
                    "document": letter.iri, "title": letter.title, "document_type": letter.type_label or "",
                    "date": letter.edtf or "", "date_label": letter.date_label or "",
                    "sender_as_written": sender.as_written or "", "sender_cover_name": sender.cover_label or "",
                    "recipient_as_written": recipient.as_written or "",
                    "recipient_cover_name": recipient.cover_label or "",
                    "cover_name_used": bool(sender.cover_label or recipient.cover_label),
                    "intermediaries": "; ".join(p.label for p in via),
                    "intermediary_iris": " ".join(p.iri for p in via),
                    "intermediary_cover_names": "; ".join(p.cover_label or "" for p in via if p.cover_label),
                    "weight": 1.0,
                }
                if letter.begin:
                    attrs["start"] = letter.begin[:10]
                    attrs["end"] = (letter.end or letter.begin)[:10]
                graph.add_edge(sender.iri, recipient.iri, key=key, **attrs)
    return graph


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> Path:
    """GEXF 1.2 without a modification date, ``cwgraph`` as the creator."""
    text = "\n".join(nx.generate_gexf(graph, version="1.2draft"))
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    text = re.sub(r"<creator>[^<]*</creator>", f"<creator>cwgraph {__version__}</creator>", text, count=1)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", encoding="utf-8")
    return path


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> Path:
    """GraphML (networkx's writer), edges keyed by document."""
    nx.write_graphml(graph, path, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return path
