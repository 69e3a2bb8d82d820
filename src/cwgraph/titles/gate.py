"""The name gate: a part of a title becomes an actor only if the lexicon knows it or it has
the shape of a personal or an organisation name. Precision first: a name we invent is worse
than a name we miss, so whatever else (a quoted subject, a place, a date, a role without a
name, ``et al.``, a noun such as ``Meeting``) is refused with the reason, for the warnings."""

from __future__ import annotations

import re
from dataclasses import replace

from cwgraph.titles.reading import Lexicon, NameRef
from cwgraph.titles.words import words_of

__all__ = ["admit", "org_shaped", "person_shaped"]

_ACTOR_KINDS = ("person", "group", "cover")
_MONTH = re.compile(r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
                    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d|\d+\s+(?:Jan|Feb|Mar|Apr|"
                    r"May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", re.I)
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}(?:[A-Z]\.?)?|[A-Z]|(?:[A-Z]\.-?){1,2}[A-Z][a-z]\.")
_WORD = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|(?:[A-Z]\.)+")


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", text.strip()) if w]


def _low(word: str) -> str:
    return re.sub(r"[’']s$", "", word.lower().strip(".,;:")).replace("’", "'")


def person_shaped(name: str) -> bool:
    """One to five capitalised words or initials, with lower-case particles (``de``, ``van``);
    no role, organisation, country, nationality or other word of a title among them."""
    words = _words(name)
    if not 1 <= len(words) <= 5:
        return False
    stop = words_of("role", "title-role", "org", "nationality", "country", "not-name", "function", "honorific")
    particles = words_of("particle")
    letters = 0
    for w in words:
        low = _low(w)
        if low in particles:
            continue
        if low in stop or w.lower() in stop:
            return False
        if _INITIALS.fullmatch(w):
            continue
        if not _WORD.fullmatch(w) or not w[0].isupper():
            return False
        if w.isupper() and len(w) > 1 and not re.search(r"[.-]", w):
            return False  # an acronym is not a personal name
        letters += 1
    if letters == 0:
        return False
    if " ".join(words).lower() in words_of("country", "not-name"):
        return False
    return True


_ROLE_NOUNS = frozenset({"president", "chairman", "premier", "ambassador", "minister", "secretary", "director", "chief",
                         "head", "leader", "commander", "envoy", "representative", "consul", "member", "adviser",
                         "advisor", "officer", "general", "marshal", "deputy", "counselor", "counsellor", "attaché",
                         "attache", "chargé", "charge", "plenipotentiary", "vice", "first", "prime", "acting"})


def org_shaped(name: str) -> bool:
    """An organisation's name: an organisation word (``Embassy``, ``Ministry``, ``CC``,
    ``Politburo`` …) in a run of capitalised words and ``of``/``the``/``in``/``for``/``and``,
    not headed by a role (``Head of the Delegation`` is a role)."""
    words = _words(name)
    if not words or len(words) > 14:
        return False
    org = words_of("org")
    roles = (words_of("title-role") | _ROLE_NOUNS) - org
    if words[0].lower() == "the":
        words = words[1:]
    if not words or _low(words[0]) in roles:
        return False
    if _low(words[-1]) in roles and _low(words[-1]) not in org:
        return False  # "International Olympic Committee President": a role
    has_org = False
    for w in words:
        low = _low(w)
        if low in org or w.lower() in org:
            has_org = True
        elif low in ("of", "the", "in", "for", "and", "on", "at", "&"):
            continue
        elif low in words_of("not-name") - org:
            return False
        elif not (w[0].isupper() or w[0] in "([\"'"):
            return False
    return has_org


def _role_only(ref: NameRef) -> bool:
    words = [_low(w) for w in _words(ref.name)]
    roles = words_of("role", "title-role", "honorific", "nationality", "function", "country")
    return bool(words) and all(w in roles for w in words)


def admit(ref: NameRef, lexicon: Lexicon, *, city_is_group: bool = False) -> tuple[NameRef | None, str]:
    """The ref as an actor (with ``kind`` when the title tells), or None and why not."""
    name = ref.name.strip(" ,.;:")
    name = re.sub(r"[’']s$", "", name).strip()
    if not name:
        return None, "empty"
    if re.search(r"[\"“”‘]", name) or re.match(r"^['’]", name) or re.search(r"[^sS]['’]$", name):
        return None, "quoted text"
    if re.search(r"\d", name):
        return None, "a number or a date"
    if _MONTH.search(name):
        return None, "a date"
    if name.lower().rstrip(".") in ("et al", "and others", "others", "et al.,"):
        return None, "et al."
    kind = lexicon.kind_of(name)
    if kind in _ACTOR_KINDS:
        return replace(ref, name=name, kind=ref.kind or ("group" if kind == "group" else None)), ""
    if ref.bracket and lexicon.kind_of(ref.bracket) in _ACTOR_KINDS:
        return replace(ref, name=name), ""
    if city_is_group and name.lower() in _cities():
        return replace(ref, name=name, kind="group"), ""
    if kind in ("place", "event") or name.lower() in words_of("country"):
        return None, "a place" if kind != "event" else "an event"
    if org_shaped(name):
        return replace(ref, name=re.sub(r"^the\s+", "", name, flags=re.I), kind="group"), ""
    if _role_only(ref):
        if ref.bracket and person_shaped(ref.bracket):  # "the Secretary [Dean Rusk]"
            return replace(ref, name=ref.bracket, bracket=None, role=ref.name, kind="person"), ""
        return None, "a role without a name"
    if org_shaped(name):
        return replace(ref, name=re.sub(r"^the\s+", "", name, flags=re.I), kind="group"), ""
    if person_shaped(name):
        return replace(ref, name=name), ""
    if ref.bracket and person_shaped(ref.bracket) and lexicon.kind_of(name) is None \
            and all(_low(w) in words_of("role", "title-role", "honorific") for w in _words(name)):
        return replace(ref, name=ref.bracket, bracket=None, role=ref.name), ""
    return None, "not the shape of a name"


def _cities() -> frozenset[str]:
    """Capitals that stand for their governments in telegram titles (``from Pyongyang to Bucharest``)."""
    return frozenset({"moscow", "beijing", "peking", "pyongyang", "seoul", "bucharest", "budapest", "warsaw",
                      "prague", "sofia", "tirana", "belgrade", "havana", "washington", "london", "paris", "tokyo",
                      "hanoi", "saigon", "vienna", "bonn", "berlin", "east berlin", "ulaanbaatar", "ulan bator",
                      "new delhi", "delhi", "rome", "cairo", "baghdad", "tehran", "kabul"})
