"""A picture of who wrote to whom (SVG and PNG), drawn with matplotlib, byte-reproducible.

People are circles sized by the letters they sent and received; arrows run
from sender to recipient, thicker for more letters, in ochre where a cover name
was used; dotted lines lead through the intermediaries who carried letters.
Each person is labelled with their name and, in italics, the cover names they
used. In the SVG every person links to their page. The layout is a seeded
force-directed layout (rounded), the fonts are matplotlib's bundled DejaVu Sans
(drawn as paths), and no date or software version is written into the files.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib import font_manager, patheffects  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from cwgraph.core.config import DATASET  # noqa: E402
from cwgraph.exports.letters import Letter  # noqa: E402

__all__ = ["MAX_PEOPLE", "Picture", "busiest", "count_parties", "draw_network", "write_picture"]

INK = "#1d1d1f"
MUTED = "#6b6b75"
PLAIN = "#7f93a8"
COVER = "#b5832a"
NODE = "#8a1c1c"
RELAY = "#9a9aa3"
SEED = 20_250_214
MAX_PEOPLE = 40  # a picture of thousands of nodes is a hairball (and a force layout is quadratic): the busiest


def _font(style: str = "normal", weight: str = "normal") -> font_manager.FontProperties:
    """Matplotlib's own DejaVu Sans files (never a system font, so the glyphs are the same everywhere)."""
    name = {("normal", "normal"): "DejaVuSans.ttf", ("normal", "bold"): "DejaVuSans-Bold.ttf",
            ("italic", "normal"): "DejaVuSans-Oblique.ttf"}[(style, weight)]
    return font_manager.FontProperties(fname=str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name))


class Picture:
    """What the picture shows, gathered one letter at a time: who wrote to whom how often, under which names.

    ``keep``: the correspondents to show (see :func:`busiest`); a letter is shown when one of them
    sent it to another of them, with only them as its parties. Default: every letter, as it is.
    """

    def __init__(self, keep: set[str] | None = None) -> None:
        self.keep = keep
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.cover_pairs: Counter[tuple[str, str]] = Counter()
        self.relays: Counter[tuple[str, str]] = Counter()
        self.info: dict[str, dict] = {}
        self.letters = 0
        self.years: tuple[str, str] | None = None

    @classmethod
    def of(cls, letters: Sequence[Letter], limit: int = MAX_PEOPLE) -> Picture:
        """The picture of ``letters`` (in memory), showing the ``limit`` busiest correspondents."""
        counts: Counter[str] = Counter()
        for letter in letters:
            count_parties(counts, letter)
        picture = cls(busiest(counts, limit))
        for letter in letters:
            picture.add(letter)
        return picture

    def add(self, letter: Letter) -> None:
        if self.keep is not None:
            senders = [p for p in letter.senders if p.iri in self.keep]
            recipients = [p for p in letter.recipients if p.iri in self.keep]
            if not (senders and recipients):
                return
            letter = replace(letter, senders=senders, recipients=recipients,
                             intermediaries=[p for p in letter.intermediaries if p.iri in self.keep])
        pairs, cover_pairs, relays, info = self.pairs, self.cover_pairs, self.relays, self.info
        for group in (letter.senders, letter.recipients, letter.intermediaries):
            for p in group:
                entry = info.setdefault(p.iri, {"label": p.label, "letters": 0, "covers": set(), "kind": p.kind})
                if p.cover_label:
                    entry["covers"].add(p.cover_label)
        for s in letter.senders:
            info[s.iri]["letters"] += 1
            for r in letter.recipients:
                pairs[(s.iri, r.iri)] += 1
                if s.cover_label or r.cover_label:
                    cover_pairs[(s.iri, r.iri)] += 1
                for via in letter.intermediaries:
                    relays[(s.iri, via.iri)] += 1
                    relays[(via.iri, r.iri)] += 1
        for r in letter.recipients:
            info[r.iri]["letters"] += 1
        self.letters += 1
        if letter.begin:
            year = letter.begin[:4]
            self.years = (min(self.years[0], year), max(self.years[1], year)) if self.years else (year, year)


def _layout(picture: Picture) -> dict[str, tuple[float, float]]:
    pairs, relays, info = picture.pairs, picture.relays, picture.info
    graph = nx.Graph()
    graph.add_nodes_from(sorted(info))
    for (a, b), n in sorted({**relays, **pairs}.items()):
        if a != b:
            w = graph.get_edge_data(a, b, {}).get("weight", 0)
            graph.add_edge(a, b, weight=w + 1 + math.log1p(n))
    # each connected part laid out on its own; the largest fills the picture, the others stack at the right
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    pos: dict[str, tuple[float, float]] = {}
    for i, component in enumerate(components):
        # a new graph in sorted order (a subgraph *view* iterates a set: its order would follow the hash seed)
        sub = nx.Graph()
        sub.add_nodes_from(component)
        sub.add_edges_from((u, v, graph.edges[u, v]) for u in component for v in sorted(graph[u]) if u < v)
        if len(component) == 1:
            raw = {component[0]: (0.0, 0.0)}
        else:
            raw = nx.spring_layout(sub, seed=SEED, k=3.2 / math.sqrt(len(component)), iterations=500,
                                   weight=None)
        xs = [float(v[0]) for v in raw.values()]
        ys = [float(v[1]) for v in raw.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        if i == 0:
            box, ox_, oy_ = 1.0, 0.0, 0.0
        else:
            box, ox_, oy_ = 0.18, 1.18, 0.85 - 0.3 * (i - 1)
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        for node, (x, y) in raw.items():
            scale = box / span if len(component) > 1 else 0
            pos[node] = (round(ox_ + 0.5 * box + (float(x) - cx) * scale, 3),
                         round(oy_ + 0.5 * box + (float(y) - cy) * scale, 3))
    return dict(sorted(pos.items()))


def draw_network(picture: Picture, *, link: bool = True) -> plt.Figure:
    """The figure (callers save it; see :func:`write_picture`).

    Long: one matplotlib figure drawn layer by layer (edges, nodes, labels, legend) on shared axes."""
    pos = _layout(picture)
    info, pairs, cover_pairs, relays = picture.info, picture.pairs, picture.cover_pairs, picture.relays
    fig, ax = plt.subplots(figsize=(14, 10), dpi=100)
    fig.patch.set_facecolor("white")
    ax.set_axis_off()
    biggest = max((e["letters"] for e in info.values()), default=1) or 1

    def radius(iri: str) -> float:
        return 10 + 26 * math.sqrt(info[iri]["letters"] / biggest)

    for (a, b), n in sorted(relays.items()):
        if (a, b) in pairs or (b, a) in pairs:
            continue
        ax.add_patch(FancyArrowPatch(pos[a], pos[b], arrowstyle="-", linestyle=(0, (1.5, 2.5)), linewidth=1.2,
                                     color=RELAY, shrinkA=radius(a) * 0.9, shrinkB=radius(b) * 0.9, zorder=1))
    for (a, b), n in sorted(pairs.items()):
        if a == b:
            continue
        colour = COVER if cover_pairs[(a, b)] * 2 >= n else PLAIN
        bend = 0.18 if (b, a) in pairs else 0.06
        ax.add_patch(FancyArrowPatch(pos[a], pos[b], connectionstyle=f"arc3,rad={bend}",
                                     arrowstyle=f"-|>,head_length={4 + n ** 0.5:.2f},head_width={2.2 + n ** 0.4:.2f}",
                                     linewidth=0.8 + 1.6 * math.sqrt(n), color=colour, alpha=0.9,
                                     shrinkA=radius(a) * 0.85, shrinkB=radius(b) * 0.85, zorder=2))
    nodes = sorted(info)
    xs = [pos[n][0] for n in nodes]
    ys = [pos[n][1] for n in nodes]
    sizes = [math.pi * radius(n) ** 2 * 0.55 for n in nodes]
    colours = [NODE if info[n]["letters"] else RELAY for n in nodes]
    scatter = ax.scatter(xs, ys, s=sizes, c=colours, edgecolors="white", linewidths=1.5, zorder=3)
    if link:
        scatter.set_urls([_page(n) for n in nodes])
    regular, italic, bold = _font(), _font("italic"), _font("normal", "bold")
    halo = [patheffects.withStroke(linewidth=3.5, foreground="white")]
    for n in nodes:
        x, y = pos[n]
        label = ax.annotate(info[n]["label"], (x, y), xytext=(0, -radius(n) * 0.62 - 9), textcoords="offset points",
                            ha="center", va="top", fontproperties=bold if info[n]["letters"] >= biggest / 3 else regular,
                            fontsize=10.5, color=INK, zorder=5, path_effects=halo)
        if link:
            label.set_url(_page(n))
        if info[n]["covers"]:
            ax.annotate("as " + ", ".join(f"“{c}”" for c in sorted(info[n]["covers"])), (x, y),
                        xytext=(0, -radius(n) * 0.62 - 23), textcoords="offset points", ha="center", va="top",
                        fontproperties=italic, fontsize=9.5, color=COVER, zorder=5, path_effects=halo)
    xmin, xmax = min(xs, default=0.0), max(xs, default=1.0)
    ymin, ymax = min(ys, default=0.0), max(ys, default=1.0)
    if not nodes:  # a release without correspondence still gets its (empty) picture
        ax.text(0.5, 0.5, "no letters between known correspondents", ha="center", va="center",
                fontproperties=regular, fontsize=12, color=MUTED, transform=ax.transAxes)
    ax.set_xlim(xmin - 0.12, xmax + 0.12)
    ax.set_ylim(ymin - 0.12, ymax + 0.06)
    span = f"{picture.years[0]}–{picture.years[1]}" if picture.years else ""
    fig.text(0.03, 0.965, "Who wrote to whom", fontproperties=bold, fontsize=18, color=INK, va="top")
    fig.text(0.03, 0.925, f"{DATASET.title.split(':')[0]} · {picture.letters} letters {span}",
             fontproperties=regular, fontsize=11, color=MUTED, va="top")
    legend = [(PLAIN, "-", "letters (thicker: more)"), (COVER, "-", "letters under a cover name"),
              (RELAY, ":", "carried through an intermediary")]
    for i, (colour, style, text) in enumerate(legend):
        y = 0.06 - i * 0.022
        fig.add_artist(plt.Line2D([0.03, 0.06], [y, y], color=colour, linewidth=2.4, linestyle=style,
                                  transform=fig.transFigure))
        fig.text(0.068, y, text, fontproperties=regular, fontsize=10, color=MUTED, va="center")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.08)
    return fig


def _page(iri: str) -> str:
    return iri + ".html" if "/" in iri else iri


def count_parties(counts: Counter[str], letter: Letter) -> None:
    """Count the letters each correspondent sent or received (for :func:`busiest`)."""
    for party in (*letter.senders, *letter.recipients):
        counts[party.iri] += 1


def busiest(counts: Counter[str], limit: int = MAX_PEOPLE) -> set[str] | None:
    """The ``limit`` correspondents who sent or received the most letters (ties broken by IRI, so the
    choice is deterministic; the rest are in the GEXF and GraphML exports); None when there are no more."""
    if len(counts) <= limit:
        return None
    return {iri for iri, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]}


def write_picture(picture: Picture, svg: Path, png: Path) -> list[Path]:
    """Write the picture as SVG (links to the person pages) and PNG, without timestamps."""
    return save_figure(lambda: draw_network(picture), svg, png, title="Who wrote to whom", salt="cwgraph")


def save_figure(draw: Callable[[], Figure], svg: Path, png: Path, *, title: str, salt: str) -> list[Path]:
    """Draw a figure and write it as SVG and PNG with the same bytes every time: a fixed hash salt
    for SVG ids, text as paths (no font on the reader's side), no dates or software in the metadata."""
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path", "path.simplify": True}):
        fig = draw()
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None, "Title": title})
        fig.savefig(png, format="png", dpi=110, metadata={"Software": None})
        plt.close(fig)
    return [svg, png]
