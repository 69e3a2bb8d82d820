"""Letters on a map (SVG and PNG): where they were written and received, and the places the documents name.

An equirectangular projection (longitude and latitude drawn as they are) over a graticule
and the land of Natural Earth's 1:110m countries (public domain; vendored as
``cwgraph/data/natural-earth-110m-land.json``, made by ``tests/tools/natural_earth_land.py``),
filled in one colour without borders: today's borders do not belong on a map of the 1940s. Places of writing are dark red
discs sized by the letters written there; places of receipt are rings; a line joins the
place of writing of a letter to its place of receipt where both are known. Beneath them,
in grey, every place that documents refer to (sized by their documents), so the map
shows the collection's geography even where no letter says where it was written. Only
places with coordinates (from the authority files, with their evidence) are drawn; the
others are named in a footnote. In the SVG each place links to its page.

Same determinism as the network picture (:mod:`cwgraph.exports.picture`): bundled DejaVu
fonts drawn as paths, a fixed SVG hash salt, no date, no software version.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from cwgraph.core.config import DATASET  # noqa: E402
from cwgraph.exports.letters import Letter, Place  # noqa: E402
from cwgraph.exports.picture import INK, MUTED, NODE, _font, _page, save_figure  # noqa: E402

__all__ = ["LetterMap", "draw_map", "write_map"]

GRID = "#d3d6dc"
SEA = "#eef2f6"
LAND = "#e3e1d8"
LAND_FILE = Path(__file__).resolve().parents[1] / "data" / "natural-earth-110m-land.json"
MENTIONED = "#4f6a88"
RECEIVED = "#b5832a"
MIN_SPAN = (60.0, 30.0)  # degrees of longitude and latitude the map shows at least
MARGIN = 8.0  # degrees around the outermost place
MAX_LABELS = 40  # grey places labelled (the ones with most documents); the rest are dots


class LetterMap:
    """What the map shows, gathered one letter at a time (:meth:`add`) plus the places (:meth:`set_places`)."""

    def __init__(self) -> None:
        self.written: Counter[str] = Counter()
        self.received: Counter[str] = Counter()
        self.routes: Counter[tuple[str, str]] = Counter()
        self.places: dict[str, Place] = {}
        self.documents: dict[str, int] = {}  # place IRI → documents referring to it
        self.letters = 0
        self.placed = 0  # letters with a place of writing or of receipt

    def add(self, letter: Letter) -> None:
        self.letters += 1
        for place in (*letter.places, *letter.received_places):
            self.places.setdefault(place.iri, place)
        for place in letter.places:
            self.written[place.iri] += 1
        for place in letter.received_places:
            self.received[place.iri] += 1
        for a in letter.places:
            for b in letter.received_places:
                if a.iri != b.iri:
                    self.routes[(a.iri, b.iri)] += 1
        if letter.places or letter.received_places:
            self.placed += 1

    def set_places(self, places: Iterable[Place], documents: dict[str, int]) -> None:
        """The places documents refer to (see :func:`cwgraph.exports.letters.read_places`) and their counts."""
        for place in places:
            self.places.setdefault(place.iri, place)
        self.documents = {iri: documents.get(iri, 0) for iri in self.places}

    @property
    def located(self) -> list[Place]:
        return [p for _, p in sorted(self.places.items()) if p.located]

    @property
    def unlocated_letter_places(self) -> list[Place]:
        """Places of writing or receipt that cannot be drawn (no coordinates)."""
        return [p for iri, p in sorted(self.places.items())
                if not p.located and (self.written[iri] or self.received[iri])]


def _extent(places: list[Place]) -> tuple[float, float, float, float]:
    if not places:
        return 20.0, 150.0, 10.0, 70.0  # the collection's part of the world, when nothing is located yet
    longs = [p.long for p in places if p.long is not None]
    lats = [p.lat for p in places if p.lat is not None]
    west, east = min(longs) - MARGIN, max(longs) + 2 * MARGIN  # room for the labels, written to the right
    south, north = min(lats) - MARGIN, max(lats) + MARGIN
    if east - west < MIN_SPAN[0]:
        middle = (east + west) / 2
        west, east = middle - MIN_SPAN[0] / 2, middle + MIN_SPAN[0] / 2
    if north - south < MIN_SPAN[1]:
        middle = (north + south) / 2
        south, north = middle - MIN_SPAN[1] / 2, middle + MIN_SPAN[1] / 2
    return max(west, -180.0), min(east, 180.0), max(south, -90.0), min(north, 90.0)


def _land() -> list[list[list[float]]]:
    """The land's polygon rings (longitude, latitude), or none when the file is missing."""
    if not LAND_FILE.is_file():
        return []
    return json.loads(LAND_FILE.read_text(encoding="utf-8"))["rings"]


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):g}°{positive if value > 0 else negative if value < 0 else ''}"


def draw_map(chart: LetterMap, *, link: bool = True) -> plt.Figure:
    """The figure (callers save it; see :func:`write_map`).

    Long: one matplotlib figure drawn layer by layer (land, graticule, places, lines, labels); the
    layers share the axes and the label bookkeeping."""
    located = chart.located
    west, east, south, north = _extent(located)
    # the figure's height follows the extent's shape, so the plot fills it (a degree is a degree both ways)
    width, top, bottom = 14.0, 1.05, 0.95  # inches: the figure, the title above the plot, the legend below
    height = round(min(max(width * 0.93 * (north - south) / (east - west) + top + bottom, 6.0), 12.0), 2)
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor("white")
    ax.set_facecolor(SEA)
    land = [ring for ring in _land()  # the rings whose bounding box meets the extent
            if max(x for x, _ in ring) >= west and min(x for x, _ in ring) <= east
            and max(y for _, y in ring) >= south and min(y for _, y in ring) <= north]
    ax.add_collection(PolyCollection(land, facecolors=LAND, edgecolors=LAND, linewidths=0.4, zorder=0))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal")  # equirectangular: a degree is a degree both ways
    regular, italic, bold = _font(), _font("italic"), _font("normal", "bold")
    step = 30 if east - west > 150 else 10 if east - west > 40 else 5
    for x in range(math.ceil(west / step) * step, math.floor(east / step) * step + 1, step):
        ax.axvline(x, color=GRID, linewidth=0.6, zorder=1)
    for y in range(math.ceil(south / step) * step, math.floor(north / step) * step + 1, step):
        ax.axhline(y, color=GRID, linewidth=0.6, zorder=1)
    ax.set_xticks(range(math.ceil(west / step) * step, math.floor(east / step) * step + 1, step))
    ax.set_yticks(range(math.ceil(south / step) * step, math.floor(north / step) * step + 1, step))
    ax.set_xticklabels([_degrees(x, "E", "W") for x in ax.get_xticks()], fontproperties=regular, fontsize=8.5,
                       color=MUTED)
    ax.set_yticklabels([_degrees(y, "N", "S") for y in ax.get_yticks()], fontproperties=regular, fontsize=8.5,
                       color=MUTED)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_color(GRID)
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    biggest_docs = max((chart.documents.get(p.iri, 0) for p in located), default=1) or 1
    biggest_letters = max((chart.written[p.iri] + chart.received[p.iri] for p in located), default=1) or 1

    # the places documents refer to, in grey, beneath the letters
    grey = [p for p in located if chart.documents.get(p.iri, 0)]
    if grey:
        sizes = [18 + 260 * math.sqrt(chart.documents[p.iri] / biggest_docs) for p in grey]
        dots = ax.scatter([p.long for p in grey], [p.lat for p in grey], s=sizes, c=MENTIONED, alpha=0.6,
                          edgecolors="white", linewidths=0.8, zorder=2)
        if link:
            dots.set_urls([_page(p.iri) for p in grey])
    labelled = {p.iri for p in sorted(grey, key=lambda p: (-chart.documents[p.iri], p.iri))[:MAX_LABELS]}
    # routes, then places of writing (discs) and of receipt (rings)
    places = {p.iri: p for p in located}
    for (a, b), n in sorted(chart.routes.items()):
        if a in places and b in places:
            ax.add_patch(FancyArrowPatch((places[a].long, places[a].lat), (places[b].long, places[b].lat),  # type: ignore[arg-type]
                                         connectionstyle="arc3,rad=0.15", arrowstyle="-|>,head_length=5,head_width=3",
                                         linewidth=0.8 + 1.2 * math.sqrt(n), color=NODE, alpha=0.7, zorder=3))
    for counter, marker, colour in ((chart.written, "o", NODE), (chart.received, "o", RECEIVED)):
        shown = [p for p in located if counter[p.iri]]
        if not shown:
            continue
        sizes = [60 + 500 * math.sqrt(counter[p.iri] / biggest_letters) for p in shown]
        ring = counter is chart.received
        points = ax.scatter([p.long for p in shown], [p.lat for p in shown], s=sizes, marker=marker,
                            c="none" if ring else colour, edgecolors=colour if ring else "white",
                            linewidths=2.2 if ring else 1.2, zorder=4)
        if link:
            points.set_urls([_page(p.iri) for p in shown])
    # labels, most important first; each takes the first of four positions around its place that overlaps
    # no label already placed, else it is left out (the place keeps its disc and, in the SVG, its link)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    placed: list[Any] = []
    ranked = sorted(located, key=lambda p: (-(chart.written[p.iri] + chart.received[p.iri]),
                                            -chart.documents.get(p.iri, 0), p.iri))
    for p in ranked:
        letters = chart.written[p.iri] + chart.received[p.iri]
        if not letters and p.iri not in labelled:
            continue
        parts = []
        if chart.written[p.iri]:
            parts.append(f"{chart.written[p.iri]} written")
        if chart.received[p.iri]:
            parts.append(f"{chart.received[p.iri]} received")
        text = p.label + (f" ({', '.join(parts)})" if parts else "")
        for dx, dy, ha, va in ((6, 4, "left", "bottom"), (6, -4, "left", "top"), (-6, 4, "right", "bottom"),
                               (-6, -4, "right", "top")):
            label = ax.annotate(text, (p.long, p.lat), xytext=(dx, dy), textcoords="offset points", ha=ha,  # type: ignore[arg-type]
                                va=va, fontproperties=bold if letters else regular, fontsize=10 if letters else 8.5,
                                color=INK if letters else MUTED, zorder=5, path_effects=halo)
            box = label.get_window_extent(renderer)
            if letters or not any(box.overlaps(other) for other in placed):
                placed.append(box)
                if link:
                    label.set_url(_page(p.iri))
                break
            label.remove()
    if not located:
        ax.text(0.5, 0.5, "no place of the collection has coordinates yet", ha="center", va="center",
                fontproperties=regular, fontsize=12, color=MUTED, transform=ax.transAxes)
    name = DATASET.title.split(":")[0]
    fig.text(0.03, 1 - 0.2 / height, "The letters on a map", fontproperties=bold, fontsize=18, color=INK,
             va="top")
    fig.text(0.03, 1 - 0.58 / height, f"{name} · {chart.placed} of {chart.letters} letters say where they were "
             f"written or received · {len(grey)} places the documents name, with coordinates",
             fontproperties=regular, fontsize=11, color=MUTED, va="top")
    legend = [(NODE, False, "place of writing (larger: more letters)"), (RECEIVED, True, "place of receipt"),
              (MENTIONED, False, "place the documents name (larger: more documents)")]
    for i, (colour, ring, text) in enumerate(legend):
        x = 0.03 + i * 0.31
        fig.add_artist(plt.Line2D([x + 0.008], [0.5 / height], marker="o", markersize=9, linestyle="",
                                  markerfacecolor="none" if ring else colour, markeredgecolor=colour,
                                  markeredgewidth=2 if ring else 0.5, transform=fig.transFigure))
        fig.text(x + 0.02, 0.5 / height, text, fontproperties=regular, fontsize=10, color=MUTED, va="center")
    missing = chart.unlocated_letter_places
    note = (f"Equirectangular projection; graticule every {step}°; land: Natural Earth (public domain), without "
            "present-day borders; coordinates WGS84 from the authority files.")
    if missing:
        note += " Without coordinates: " + ", ".join(p.label or p.iri.rsplit("/", 1)[-1] for p in missing) + "."
    fig.text(0.03, 0.12 / height, note, fontproperties=italic, fontsize=8.5, color=MUTED, va="bottom")
    fig.subplots_adjust(left=0.05, right=0.98, top=1 - top / height, bottom=bottom / height)
    return fig


def write_map(chart: LetterMap, svg: Path, png: Path) -> list[Path]:
    """Write the map as SVG (places link to their pages) and PNG, without timestamps."""
    return save_figure(lambda: draw_map(chart), svg, png, title="The letters on a map", salt="cwgraph-map")
