"""Authority files: persons, groups, places, events and cover names, and name matching.

Each file is a tab-separated table a curator can edit in a spreadsheet (see
``source/authorities/README.md``). Names match through their variants after
normalisation (case, diacritics, punctuation and the spacing of initials do
not matter), so ``A.Y Vyshinsky``, ``A. Y. Vyshinsky`` and ``a y vyshinsky``
are one key. A Wikidata QID is accepted only with an evidence URL beside it;
a row that breaks the rules is reported, never silently used.

>>> normalize_name("A.Y Vyshinsky") == normalize_name("A. Y. Vyshinsky")
True
>>> normalize_name("Lüshunkou")
'lushunkou'
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cwgraph.core.errors import AuthorityError, DateError, Location
from cwgraph.interpreting.dates import DateReading, parse_edtf
from cwgraph.interpreting.normalize import normalize_name
from cwgraph.resolving.evidence import coordinates, evidence_problem, geonames_id
from cwgraph.sources.discover import display_path
from cwgraph.sources.text import CONTROL

__all__ = ["Authorities", "Entity", "KINDS", "load_authorities", "normalize_name"]

# file name → entity kind; the order is the order of precedence when one name is in two files
KINDS: dict[str, str] = {
    "cover-names.tsv": "cover",
    "persons.tsv": "person",
    "groups.tsv": "group",
    "places.tsv": "place",
    "events.tsv": "event",
}
_REQUIRED = {
    "person": ["id", "label"],
    "group": ["id", "label"],
    "place": ["id", "label"],
    "event": ["id", "label", "kind"],
    "cover": ["id", "name"],
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_URL = re.compile(r"^https?://\S+$")


@dataclass
class Entity:
    """One authority row."""

    id: str
    kind: str
    label: str
    variants: list[str] = field(default_factory=list)
    qid: str | None = None
    qid_evidence: str | None = None
    description: str | None = None
    note: str | None = None
    qid_evidence_note: str | None = None
    # places: GeoNames id, (latitude, longitude) and the source that states them
    geonames: str | None = None
    coords: tuple[float, float] | None = None
    geo_evidence: str | None = None
    geo_evidence_note: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    location: Location | None = None
    shadowed: list[str] = field(default_factory=list)  # spellings not matched: another entity's names

    @property
    def names(self) -> list[str]:
        return [self.label, *self.variants]

    def span(self, begin_key: str = "begin", end_key: str = "end", open_end: bool = False) -> DateReading | None:
        """The period between two EDTF columns, or None.

        A missing end closes the period at the end of the begin value, unless
        ``open_end`` (a matching window) leaves it open.
        """
        begin, end = self.extra.get(begin_key) or "", self.extra.get(end_key) or ""
        if not begin and not end:
            return None
        try:
            lo = parse_edtf(begin) if begin else None
            hi = parse_edtf(end) if end else None
        except DateError:
            return None
        start = lo.begin if lo else _dt.datetime(1, 1, 1)
        if hi is not None:
            stop = hi.end
        elif open_end:
            stop = _dt.datetime(9999, 12, 31, 23, 59, 59)
        else:
            stop = lo.end if lo else None
        edtf_value = f"{begin or '..'}/{end or '..'}" if (end and end != begin) or open_end else begin
        return DateReading(printed=edtf_value, edtf=edtf_value, begin=start, end=stop,
                           precision="interval" if "/" in edtf_value else "day")


@dataclass
class Authorities:
    """All authority entities, indexed by id and by normalised name."""

    entities: dict[str, Entity] = field(default_factory=dict)
    index: dict[str, list[str]] = field(default_factory=dict)
    problems: list[AuthorityError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    first_words: set[str] = field(default_factory=set)
    max_words: int = 1

    def add(self, entity: Entity) -> None:
        self.entities[entity.id] = entity
        for name in entity.names:
            if name in entity.shadowed:
                continue
            key = normalize_name(name)
            if key and entity.id not in self.index.setdefault(key, []):
                self.index[key].append(entity.id)
                words = key.split(" ")
                self.first_words.add(words[0])
                self.max_words = max(self.max_words, len(words))

    def lookup(self, name: str) -> list[Entity]:
        """Entities whose label or variant matches ``name``, cover names first."""
        return [self.entities[i] for i in self.index.get(normalize_name(name), [])]

    def kind_of(self, name: str) -> str | None:
        found = self.lookup(name)
        return found[0].kind if found else None

    def of_kind(self, kind: str) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == kind), key=lambda e: e.id)

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)


MAX_ROW = 20_000  # characters an authority row may hold


def _read_bytes(path: Path, display: str) -> bytes:
    """A regular file's bytes, opened without blocking (a FIFO is refused, never waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise AuthorityError(f"cannot read the file: {exc.strerror}", location=Location(display, 1),
                             hint="check the file's permissions") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise AuthorityError("not a regular file (a FIFO, socket or device)", location=Location(display, 1),
                                 hint="put the authority table itself in the folder")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _read_table(path: Path, display: str) -> Iterable[tuple[int, dict[str, str] | AuthorityError]]:
    """(line, row) for each data row; a row that cannot be read (not UTF-8, too many cells,
    too long) comes as an error, the rest go on."""
    data = _read_bytes(path, display)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    if not raw or not raw[0].strip():
        raise AuthorityError("empty authority file", location=Location(display, 1),
                             hint="add a header row (see source/authorities/README.md)")
    try:
        header = [h.strip() for h in raw[0].rstrip(b"\r").decode("utf-8").split("\t")]
    except UnicodeDecodeError as exc:
        raise AuthorityError(f"the header row is not UTF-8 text ({exc.reason} at byte {exc.start})",
                             location=Location(display, 1), hint="save the file as UTF-8") from None
    for number, raw_line in enumerate(raw[1:], start=2):
        loc = Location(display, number)
        try:
            line = raw_line.rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, AuthorityError(
                f"not UTF-8 text: byte 0x{raw_line[exc.start]:02x} at column {exc.start + 1}; the row is not read",
                location=loc, hint="save the file as UTF-8 (convert with iconv -f LATIN1 -t UTF-8)")
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if len(line) > MAX_ROW:
            yield number, AuthorityError(f"the row is {len(line):,} characters long, more than {MAX_ROW:,}; "
                                         "it is not read", location=loc, hint="is more than one row in it?")
            continue
        line = CONTROL.sub(" ", line)  # never in a published name (tabs are not control characters here)
        cells = line.split("\t")
        if len(cells) > len(header):
            yield number, AuthorityError(
                f"{len(cells)} cells where the header has {len(header)}; the row is not read",
                location=loc,
                hint="remove the extra tab characters (a tab inside a name?)",
            )
            continue
        cells += [""] * (len(header) - len(cells))
        yield number, {h: c.strip() for h, c in zip(header, cells)}


# which row keeps an id used in two files: the first file in this order (then the first line)
ID_PRECEDENCE = ("persons.tsv", "groups.tsv", "places.tsv", "events.tsv", "cover-names.tsv")


def load_authorities(folder: Path, display_root: Path | None = None) -> Authorities:
    """Load every known authority file in ``folder``; problems are collected, not raised.

    Each row stands alone: a row that cannot be read, or that breaks a rule, is reported
    with its file and line and left out (or, for a missing reference, kept without it);
    the other rows load. An id used twice is kept by the first row in the order of
    :data:`ID_PRECEDENCE`, then of lines.
    """
    auth = Authorities()
    root = display_root or folder.parent.parent
    loaded: dict[str, list[Entity]] = {}
    for filename, kind in KINDS.items():
        path = folder / filename
        display = _display(path, root)
        loaded[filename] = []
        if not path.exists():
            auth.problems.append(AuthorityError(
                f"no {filename} in the authority folder: no {kind if kind != 'cover' else 'cover name'} is known",
                location=Location(display, 1), hint=f"add {filename} (a header row is enough; see "
                "source/authorities/README.md)"))
            continue
        auth.files.append(path)
        try:
            rows = list(_read_table(path, display))
        except AuthorityError as exc:
            auth.problems.append(exc)
            continue
        for number, row in rows:
            loc = Location(display, number)
            if isinstance(row, AuthorityError):
                auth.problems.append(row)
                continue
            try:
                entity = _entity(kind, row, loc)
            except _Partial as exc:
                auth.problems.append(exc)
                entity = exc.entity
            except AuthorityError as exc:
                auth.problems.append(exc)
                continue
            loaded[filename].append(entity)
    owner: dict[str, Entity] = {}
    for filename in ID_PRECEDENCE:
        for entity in loaded[filename]:
            first = owner.get(entity.id)
            if first is not None:
                auth.problems.append(AuthorityError(
                    f"duplicate identifier {entity.id!r} (first defined at {first.location}); the row is not read",
                    location=entity.location,
                    hint="give each entity its own id; merge the rows if they are one entity"))
                entity.id = ""
                continue
            owner[entity.id] = entity
    _check_covers(auth, [e for e in loaded["cover-names.tsv"] if e.id], owner)
    for filename in KINDS:  # cover names first: their index entries come first
        for entity in loaded[filename]:
            if entity.id and owner.get(entity.id) is entity:
                auth.add(entity)
    _check_references(auth)
    return auth


def _check_covers(auth: Authorities, covers: list[Entity], owner: dict[str, Entity]) -> None:
    """A cover name is borne by a person or group, never by itself, another cover name or a
    place; a spelling it shares with a person or group is that entity's, not the cover name's."""
    spellings: dict[str, Entity] = {}
    for entity in owner.values():
        if entity.kind in ("person", "group"):
            for name in entity.names:
                spellings.setdefault(normalize_name(name), entity)
    refused = []
    for cover in covers:
        bearer = cover.extra.get("bearer")
        target = owner.get(bearer) if bearer else None
        if target is not None and target.kind not in ("person", "group"):
            what = "itself" if target is cover else f"a {target.kind if target.kind != 'cover' else 'cover name'}"
            auth.problems.append(AuthorityError(
                f"cover name {cover.id!r} is borne by {bearer!r}, {what}; a cover name is borne by a person or "
                "a group, so the row is not read", location=cover.location,
                hint="set 'bearer' to the id of the person or group who used the name"))
            refused.append(cover)
    for cover in refused:  # after all are judged: in a cycle, every cover name is refused
        del owner[cover.id]
    for cover in covers:
        if any(cover is r for r in refused):
            continue
        shared = [(n, spellings[normalize_name(n)]) for n in cover.names if normalize_name(n) in spellings]
        for name, entity in shared:
            auth.problems.append(AuthorityError(
                f"cover name {cover.id!r}: the spelling {name!r} is also the name of {entity.kind} {entity.id!r} "
                f"({entity.location}); it is read as the {entity.kind}'s, never as the cover name",
                location=cover.location,
                hint=f"remove {name!r} from the cover name's row, or from {entity.id!r}'s if it was the cover name"))
            cover.shadowed.append(name)


def _display(path: Path, root: Path) -> str:
    """Relative to the project, else to the folder above the authority folder (never absolute)."""

    return display_path(path, root, path.parent)


def _entity(kind: str, row: dict[str, str], loc: Location) -> Entity:
    for col in _REQUIRED[kind]:
        if not row.get(col):
            raise AuthorityError(f"missing {col!r}", location=loc, hint=f"fill the {col!r} column")
    entity_id = row["id"]
    if not _ID.match(entity_id):
        raise AuthorityError(f"identifier {entity_id!r} is not a lowercase slug", location=loc,
                             hint="use lowercase letters, digits and hyphens, e.g. 'joseph-stalin'")
    label = row.get("label") or row.get("name") or ""
    variants = [v.strip() for v in (row.get("variants") or "").split(";") if v.strip() and v.strip() != label]
    qid = row.get("qid") or None
    evidence = row.get("qid_evidence") or None
    problems: list[str] = []
    if qid and not _QID.match(qid):
        raise AuthorityError(f"{qid!r} is not a Wikidata QID", location=loc, hint="write it as Q followed by digits")
    if qid and not (evidence and _URL.match(evidence)):
        # never publish an unsupported QID: drop it, report it
        problems.append(f"Wikidata QID {qid} has no evidence URL in 'qid_evidence'; it is not published")
        qid = None
    elif qid and evidence and (why := evidence_problem(evidence)):
        problems.append(f"Wikidata QID {qid} is not published: its evidence {why}")
        qid = None
    geonames, coords, geo_evidence = _geo(row, problems)
    if kind == "cover":
        # an attribution is published only with its evidence (shapes/names.ttl): without one the row is not read
        cover_evidence = row.get("evidence_url") or ""
        why = evidence_problem(cover_evidence) if cover_evidence else "is missing"
        if why:
            raise AuthorityError(f"cover name {label!r} is not loaded: its evidence_url {why}", location=loc,
                                 hint="give the URL of an archive page (or urn:isbn: of a book) that attests who "
                                      "used the name; see source/authorities/README.md, 'Evidence'")
    known = {"id", "label", "name", "variants", "qid", "qid_evidence", "description", "note", "qid_evidence_note",
             "geonames", "lat", "long", "geo_evidence_url", "geo_evidence_note"}
    extra = {k: v for k, v in row.items() if k not in known and v}
    entity = Entity(id=entity_id, kind=kind, label=label, variants=list(dict.fromkeys(variants)), qid=qid,
                    qid_evidence=evidence if qid else None, description=row.get("description") or None,
                    note=row.get("note") or None, extra=extra, location=loc,
                    qid_evidence_note=(row.get("qid_evidence_note") or None) if qid else None,
                    geonames=geonames, coords=coords, geo_evidence=geo_evidence,
                    geo_evidence_note=(row.get("geo_evidence_note") or None) if geo_evidence else None)
    for key in ("begin", "end", "match_from", "match_until", "active_from", "active_until"):
        if extra.get(key):
            try:
                parse_edtf(extra[key])
            except DateError as exc:
                raise AuthorityError(f"column {key!r}: {exc.message}", location=loc, hint=exc.hint) from None
    if problems:
        raise _Partial(entity, problems, loc)
    return entity


def _geo(row: dict[str, str], problems: list[str]) -> tuple[str | None, tuple[float, float] | None, str | None]:
    """GeoNames id, coordinates and their evidence URL; each dropped (and reported) when unsupported."""
    raw_id, lat, long = row.get("geonames") or "", row.get("lat") or "", row.get("long") or ""
    if not (raw_id or lat or long):
        return None, None, None
    evidence = row.get("geo_evidence_url") or ""
    why = evidence_problem(evidence) if evidence else "is missing (column 'geo_evidence_url')"
    if why:
        problems.append(f"GeoNames id and coordinates are not published: their evidence {why}")
        return None, None, None
    geonames = geonames_id(raw_id) if raw_id else None
    if raw_id and geonames is None:
        problems.append(f"{raw_id!r} is not a GeoNames id (digits only); it is not published")
    coords = coordinates(lat, long) if (lat or long) else None
    if (lat or long) and coords is None:
        problems.append(f"coordinates {lat!r}, {long!r} are not decimal degrees (lat -90..90, long -180..180); "
                        "they are not published")
    return geonames, coords, evidence if (geonames or coords) else None


class _Partial(AuthorityError):
    """A row that loads with a reported problem (e.g. a QID dropped for lack of evidence)."""

    def __init__(self, entity: Entity, problems: list[str], loc: Location):
        self.entity = entity
        super().__init__("; ".join(problems), location=loc,
                         hint="give each link the URL of a source that states it, on an accepted host "
                              "(see source/authorities/README.md, 'Evidence')")


def _check_references(auth: Authorities) -> None:
    refs = {"bearer": None, "within": "place", "place": "place", "part_of": "event"}
    for entity in list(auth.entities.values()):
        for col, kind in refs.items():
            value = entity.extra.get(col)
            if not value:
                continue
            target = auth.entities.get(value)
            if target is None or (kind and target.kind != kind):
                auth.problems.append(AuthorityError(
                    f"{entity.id}: {col} {value!r} is not a known {kind or 'entity'}",
                    location=entity.location, hint=f"add {value!r} to the authority files or correct the id"))
                entity.extra.pop(col)
        people = [p.strip() for p in entity.extra.get("participants", "").split(";") if p.strip()]
        unknown = [p for p in people if p not in auth.entities]
        if unknown:
            auth.problems.append(AuthorityError(
                f"{entity.id}: participants {', '.join(unknown)} not in the authority files",
                location=entity.location, hint="add them or correct the ids"))
            entity.extra["participants"] = "; ".join(p for p in people if p in auth.entities)
