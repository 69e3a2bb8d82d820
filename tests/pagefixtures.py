"""Saved pages of every layout the archive prints, written from invented records.

Each writer prints the records in one layout, as the archive's saved copies do (see
``source/README.md``); :func:`cut` reproduces a saved copy cut off at 2,000 UTF-8 bytes at a
chosen point. The records are invented for the tests (not the archive's text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rec:
    new_date: str | None  # as the new site prints it (None: undated)
    old_date: str | None  # as the old site prints it (zero-padded days)
    title: str
    summary: str | None


RECORDS = [
    Rec("March 3, 1952", "March 03, 1952", "Letter from Ivan Petrov to the Ministry of Fisheries",
        "Petrov asks the ministry for two more trawlers for the northern coast. He lists the crews available."),
    Rec("April 1952", "April 1952", "Memorandum of Conversation between Anna Kovacs and Tomas Berger", None),
    Rec("October, 1955", "October, 1955", "Report on the Harvest in the Northern Provinces, 'Grain and Weather'",
        "A report on grain yields in three provinces and the weather that spoiled the late harvest."),
    Rec("1953", "1953", "Statement by the Joint Fisheries Commission, 12 May 1953",
        "The commission sets the season's quotas and the ports where catches are counted."),
    Rec("May 9, 1954", "May 09, 1954", "Cable, Olga Sokolova to Ivan Petrov",
        "Sokolova tells Petrov that\nthe trawlers will arrive in June."),
    Rec("Date unknown", "Date unknown", "Note on the Repair of the Harbour Cranes",
        "Engineers list the cranes to be repaired before winter."),
]
UNDATED = Rec(None, None, "Survey of Coastal Villages for the Year 1956 (undated)",
              "A survey of the villages along the coast: boats, families and schools.")

FILLER = "The delegates discussed the quotas at length and agreed to meet again. "


def blocks_new(records: list[Rec]) -> str:
    parts = []
    for r in records:
        block = "" if r.new_date is None else f"{r.new_date}\n\n"
        block += r.title + (f"\n\n{r.summary}" if r.summary else "")
        parts.append(block)
    out = ""
    for r, block in zip(records, parts):
        out += ("\n\n\n" if r.new_date is None and out else "\n\n" if out else "") + block
    return out


def bullets(records: list[Rec]) -> str:
    return "\n\n".join(f"  • {r.old_date or ''}\n\n    {r.title}" + (f"\n\n    {r.summary}" if r.summary else "")
                       for r in records)


def dashes(records: list[Rec]) -> str:
    return "\n".join("-\n" + (f"{r.old_date}\n" if r.old_date else "") + r.title
                     + (f"\n{r.summary}" if r.summary else "") for r in records)


def _popular(records: list[Rec]) -> str:
    placeholder = "Placeholder image for when a portrait image is not available"
    return (f"Skip to content\n{placeholder}\n\nFisheries Commission. Northern Section\n\n{placeholder}\n\n"
            "Popular Documents\n\n" + blocks_new(records))


LAYOUTS: dict[str, Callable[[list[Rec]], str]] = {
    "new-results": lambda rs: "Skip to content\n\nResults:\n\n11 - 16 of 40\n\nDocuments\n\n" + blocks_new(rs),
    "new-range": lambda rs: "Skip to content\n\n\n11 - 16 of 40\n\n\n" + blocks_new(rs) + "\n\nPagination",
    "new-popular": _popular,
    "new-people-bare": lambda rs: "Petrov, Ivan\n\n" + blocks_new(rs),
    "new-topic-bare": lambda rs: ("Fishing boats in the harbour of a northern port, 1953.\n\nFishing Disputes\n\n"
                                  "Documents on the fishing disputes of the 1950s. On March 3, 1952 the first "
                                  "complaint was filed.\n\n" + blocks_new(rs)),
    "old-bullet": lambda rs: "Search in\n\nDigital Archive International History Declassified\n\n\n" + bullets(rs),
    "old-bullet-filter": lambda rs: ("Search in\nADD SEARCH FILTER CANCEL SEARCH FILTER\n\nDigital Archive "
                                     "International History Declassified\n\nSEARCH RESULTS\n\n" + bullets(rs)),
    "old-bullet-collection": lambda rs: ("Search in\n\nDigital Archive International History Declassified\n\n"
                                         "No image found.\n\nFishing Disputes, 1952\n\nRecords of the disputes "
                                         "of 1952.\n1953\n\n" + bullets(rs)),
    "old-bullet-bare": bullets,
    "old-dash": lambda rs: "SEARCH RESULTS\nDocuments\n" + dashes(rs) + "\n",
    "old-dash-bare": dashes,
    "collection-dash": lambda rs: "\nFishing Disputes\nDocuments on the fishing disputes, 1952-1956.\n" + dashes(rs),
}
BLANK_LINE = {"new-results", "new-range", "new-popular", "new-people-bare", "new-topic-bare"}


def date_of(layout: str, r: Rec) -> str:
    """The date the record is published with on a page of this layout."""
    printed = r.new_date if layout in BLANK_LINE else r.old_date
    return printed or "[undated]"


def cut(text: str, at: str, keep: int, pad_after: str, size: int = 2000) -> bytes:
    """``text`` cut at ``size`` bytes, ``keep`` characters into the last ``at``: a filler sentence run is
    put after the first ``pad_after`` (a summary ahead of the cut) so the cut lands there."""
    head = text[: text.rindex(at) + keep]
    room = size - len(head.encode("utf-8"))
    assert room > 1, "the fixture is already longer than a saved copy"
    filler = (" " + FILLER * (room // len(FILLER) + 1))[: room]
    spot = text.index(pad_after) + len(pad_after)
    data = (text[:spot] + filler + text[spot:]).encode("utf-8")[:size]
    assert len(data) == size and data.decode("utf-8").endswith(at[:keep])
    return data
