"""Evidence for authority links: which sources count, and where a link's evidence is checked.

A Wikidata QID, a GeoNames id or a pair of coordinates goes into the graph only with the
URL of a source a curator can open and check (see ``source/authorities/README.md``). That
URL must be on a host we accept as evidence: Wikidata and GeoNames themselves, the Wilson
Center Digital Archive's canonical host, and the public repositories whose Wikidata- or
GeoNames-derived files we cite. Staging copies of the archive and sites that host pirated
books are refused by name, with the reason, so a curator knows what to replace them with.

>>> evidence_problem("https://digitalarchive.wilsoncenter.org/document/121773") is None
True
>>> evidence_problem("https://wilson-center-digital-archive.dvincitest.com/node/89884")[:40]
'host wilson-center-digital-archive.dvinc'
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

__all__ = ["EVIDENCE_COLUMNS", "EVIDENCE_HOSTS", "REFUSED_HOSTS", "coordinates", "evidence_problem",
           "geonames_id", "isbn_valid"]

# host → why it is evidence (shown in the README and the reports)
EVIDENCE_HOSTS: dict[str, str] = {
    "www.wikidata.org": "Wikidata: the item page (label, description, dates)",
    "wikidata.org": "Wikidata: the item page",
    "digitalarchive.wilsoncenter.org": "the Wilson Center Digital Archive (canonical host)",
    "www.geonames.org": "GeoNames: the feature page (name, coordinates)",
    "geonames.org": "GeoNames",
    "sws.geonames.org": "GeoNames semantic web service",
    "github.com": "a public repository file (commit-pinned) that states the id next to the label: "
                  "Wikidata-derived datasets, Natural Earth (wikidataid, geonameid, coordinates)",
}
# hosts that are not evidence, and what to do instead
REFUSED_HOSTS: dict[str, str] = {
    "dvincitest.com": "a vendor's staging copy of the archive: cite the same page on "
                      "https://digitalarchive.wilsoncenter.org/",
    "drivingcreative.com": "a vendor's staging copy of the archive: cite the same page on "
                           "https://digitalarchive.wilsoncenter.org/",
    "bibliboba.online": "a site that hosts pirated books: cite the book itself (author, title, edition, page) "
                        "in the evidence note",
}
# columns of the authority files that hold evidence URLs
EVIDENCE_COLUMNS = ("qid_evidence", "geo_evidence_url", "evidence_url")


def evidence_problem(url: str) -> str | None:
    """Why ``url`` cannot serve as evidence, or None when it can.

    Besides web pages on an accepted host, a printed reference work is cited by its ISBN
    (``urn:isbn:…``, checked digit included), with the page or passage in the evidence note.
    """
    if url.strip().lower().startswith("urn:isbn:"):
        return None if isbn_valid(url.strip()[9:]) else f"{url!r} is not a valid ISBN (check digit)"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url.strip():
        return f"{url!r} is not an http(s) URL"
    host = parts.hostname.lower()
    for bad, why in REFUSED_HOSTS.items():
        if host == bad or host.endswith("." + bad):
            return f"host {host} is not evidence: {why}"
    if host not in EVIDENCE_HOSTS:
        return (f"host {host} is not an accepted evidence source (accepted: {', '.join(sorted(EVIDENCE_HOSTS))}); "
                "add it to cwgraph.resolving.evidence.EVIDENCE_HOSTS only for a reference work a curator can check")
    return None


def isbn_valid(isbn: str) -> bool:
    """True for an ISBN-10 or ISBN-13 (hyphens and spaces ignored) whose check digit is right."""
    digits = isbn.replace("-", "").replace(" ", "").upper()
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9])) + (10 if digits[9] == "X" else int(digits[9]))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        return sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0
    return False


def geonames_id(value: str) -> str | None:
    """The GeoNames id as digits, or None when ``value`` is not one."""
    value = value.strip()
    return value if value.isdigit() and not value.startswith("0") else None


def coordinates(lat: str, long: str) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees, or None when either is missing or out of range."""
    try:
        la, lo = float(lat), float(long)
    except ValueError:
        return None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return la, lo
