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

import csv
import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cwgraph.dates import DateReading, parse_edtf
from cwgraph.errors import AuthorityError, DateError, Location

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


_POSSESSIVE = re.compile(r"[’']s\b")
_PUNCTUATION = str.maketrans({**{c: " " for c in ".-‐–—_,;:\"“”()[]"}, "’": None, "'": None, "`": None})


@lru_cache(maxsize=1 << 18)
def normalize_name(name: str) -> str:
    """A matching key: casefolded, without diacritics, punctuation or doubled spaces."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    if "s" in name and ("'" in name or "’" in name):
        name = _POSSESSIVE.sub("", name)  # "Acheson's speech" matches "Acheson’s speech" and "Acheson speech"
    return " ".join(name.casefold().translate(_PUNCTUATION).split())


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
    extra: dict[str, str] = field(default_factory=dict)
    location: Location | None = None

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


def _read_table(path: Path, display: str) -> Iterable[tuple[int, dict[str, str] | AuthorityError]]:
    """(line, row) for each data row; a row that cannot be read comes as an error, the rest go on."""
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AuthorityError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            location=Location(display, 1),
            hint="save the file as UTF-8",
        ) from None
    lines = text.splitlines()
    if not lines:
        raise AuthorityError("empty authority file", location=Location(display, 1),
                             hint="add a header row (see source/authorities/README.md)")
    header = [h.strip() for h in lines[0].split("\t")]
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > len(header):
            yield number, AuthorityError(
                f"{len(cells)} cells where the header has {len(header)}; the row is not read",
                location=Location(display, number),
                hint="remove the extra tab characters (a tab inside a name?)",
            )
            continue
        cells += [""] * (len(header) - len(cells))
        yield number, {h: c.strip() for h, c in zip(header, cells)}


def load_authorities(folder: Path, display_root: Path | None = None) -> Authorities:
    """Load every known authority file in ``folder``; problems are collected, not raised."""
    auth = Authorities()
    root = display_root or folder.parent.parent
    for filename, kind in KINDS.items():
        path = folder / filename
        if not path.exists():
            continue
        auth.files.append(path)
        display = _display(path, root)
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
            if entity.id in auth.entities:
                first = auth.entities[entity.id].location
                auth.problems.append(AuthorityError(
                    f"duplicate identifier {entity.id!r} (first defined at {first})",
                    location=loc, hint="give each entity its own id; merge the rows if they are one entity"))
                continue
            auth.add(entity)
    _check_references(auth)
    return auth


def _display(path: Path, root: Path) -> str:
    """Relative to the project, else to the folder above the authority folder (never absolute)."""
    from cwgraph.sources.discover import display_path

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
        problems.append(f"Wikidata QID {qid} has no evidence URL; it is not published")
        qid = None
    known = {"id", "label", "name", "variants", "qid", "qid_evidence", "description", "note"}
    extra = {k: v for k, v in row.items() if k not in known and v}
    entity = Entity(id=entity_id, kind=kind, label=label, variants=list(dict.fromkeys(variants)), qid=qid,
                    qid_evidence=evidence if qid else None, description=row.get("description") or None,
                    note=row.get("note") or None, extra=extra, location=loc)
    for key in ("begin", "end", "match_from", "match_until", "active_from", "active_until"):
        if extra.get(key):
            try:
                parse_edtf(extra[key])
            except DateError as exc:
                raise AuthorityError(f"column {key!r}: {exc.message}", location=loc, hint=exc.hint) from None
    if problems:
        raise _Partial(entity, problems, loc)
    return entity


class _Partial(AuthorityError):
    """A row that loads with a reported problem (e.g. a QID dropped for lack of evidence)."""

    def __init__(self, entity: Entity, problems: list[str], loc: Location):
        self.entity = entity
        super().__init__("; ".join(problems), location=loc, hint="add the evidence URL in 'qid_evidence'")


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
