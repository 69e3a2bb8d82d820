"""The name gate: a part of a title becomes an actor only if the lexicon knows it or it has
the shape of a personal or an organisation name. Precision first: a name we invent is worse
than a name we miss, so whatever else (a quoted subject, a place, a date, a role without a
name, ``et al.``, a noun such as ``Meeting``) is refused with the reason, for the warnings."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from importlib import resources

from cwgraph.interpreting.titles.reading import Lexicon, NameRef
from cwgraph.interpreting.titles.tokens import tokenise
from cwgraph.interpreting.titles.words import words_of

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


def _in(word: str, words: frozenset[str]) -> bool:
    """``word`` (or its singular: ``Organizations``, ``Resolutions``) is one of ``words``."""
    low = _low(word)
    return low in words or (low.endswith("s") and low[:-1] in words) or \
        (low.endswith("ies") and low[:-3] + "y" in words)


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
        if _in(w, stop) or w.lower() in stop or ("-" in w and all(
                _in(x, words_of("nationality", "country") | stop) for x in w.split("-") if x)):
            return False  # "Soviet-Chinese", "General-Secretary" are no names
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


_MEMBERS = frozenset({"members", "representatives", "delegates", "leaders", "officials", "delegation", "delegations"})
_MISSIONS = frozenset({"delegation", "mission", "embassy", "representation", "legation", "commission"})
_BODIES = frozenset({"politburo", "presidium", "secretariat", "stasi", "kremlin", "comintern", "cominform"})


def org_shaped(name: str) -> bool:
    """An organisation's name: an organisation word (``Embassy``, ``Ministry``, ``CC``,
    ``Politburo`` …) in a run of capitalised words and ``of``/``the``/``in``/``for``/``and``,
    not headed by a role (``Head of the Delegation`` is a role)."""
    words = _words(name)
    if not words or len(words) > 14 or re.sub(r"^the\s+", "", name.lower()) in words_of("country"):
        return False
    org = words_of("org")
    for i, w in enumerate(words[:-1]):  # "the Embassy's Inquiry": a thing of the embassy's
        if "to" in (x.lower() for x in words[:i]):
            break  # "Delegation to Ho Chi Minh's Funeral"
        if re.search(r"[’']s$", w) and not any(_in(x, org) for x in words[i + 1:]):
            return False
    roles = (words_of("title-role") | _ROLE_NOUNS) - org
    if words[0].lower() == "the":
        words = words[1:]
    if len(words) > 1 and re.fullmatch(r"\d+(?:st|nd|rd|th)|first|second|third", words[0].lower()) and \
            _low(words[1]) in roles:
        return False  # "1st Secretary of the Embassy": a role
    general = len(words) > 1 and _low(words[0]) == "general" and _low(words[1]) not in roles | {"of"}
    if not words or (_low(words[0]) in roles and not general) or _low(words[0]) in words_of("honorific"):
        return False  # "Head of the Delegation" is a role; "General Military Intelligence Directorate" a body
    if _low(words[-1]) in roles and _low(words[-1]) not in org:
        return False  # "International Olympic Committee President": a role
    has_org = after_to = False
    for i, w in enumerate(words):
        low = _low(w)
        if after_to and (w[0].isupper() or low in ("of", "the", "and")):
            continue  # "Delegation to Ho Chi Minh's Funeral": where it was sent
        if _in(w, org) or w.lower() in org:
            has_org = True
        elif low in ("of", "the", "in", "for", "and", "on", "at", "&") or re.fullmatch(r"\d+(?:st|nd|rd|th)", low):
            continue  # "the 20th Field Army"
        elif low == "to" and i and _low(words[i - 1]) in _MISSIONS:
            after_to = True  # "Delegation to the Funeral", "Mission to the UN"
        elif _in(w, words_of("not-name") - org) or low in words_of("honorific"):
            return False
        elif not (w[0].isupper() or w[0] in "([\"'"):
            return False
    if len(words) == 1 and not (words[0].isupper() or _low(words[0]) in _BODIES):
        return False  # "Committee" alone names nothing; "Politburo", "KGB" do
    # "KGB Chief Serov", "… Organizations Emilio Aragonés": a person after the organisation
    tail: list[str] = []
    for w in reversed(words):
        if _in(w, org) or _in(w, roles) or _low(w) in ("of", "the", "in", "for", "and", "on", "at", "to"):
            break
        tail.insert(0, w)
    if tail and len(tail) < len(words) and person_shaped(" ".join(tail)):
        before = words[len(words) - len(tail) - 1]
        if _in(before, roles) or (len(tail) >= 2 and _in(before, org)):
            return False
    return has_org


def _role_only(ref: NameRef) -> bool:
    words = _words(ref.name)
    roles = words_of("role", "title-role", "honorific", "nationality", "function", "country")
    return bool(words) and all(_in(w, roles) for w in words)


_LEADING_FUNCTION = re.compile(r"^(?:with|and|to|from)\s+", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?:\d+(?:st|nd|rd|th)\s+)?", re.I)


def admit(ref: NameRef, lexicon: Lexicon, *, city_is_group: bool = False) -> tuple[NameRef | None, str]:
    """The ref as an actor (with ``kind`` when the title tells), or None and why not.

    Long: the name gate's rules in the order they are tried, each a few lines; the order is the
    rule."""
    name = ref.name.strip(" ,.;:")
    if name.endswith(("'s", "’s")):
        name = name[:-2].strip()
    if not name:
        return None, "empty"
    if re.search(r"[\"“”‘]", name) or re.match(r"^['’]", name) or re.search(r"[^sS]['’]$", name):
        return None, "quoted text"
    if re.search(r"\d", name) and not (re.fullmatch(r"(?:the\s+)?\d+(?:st|nd|rd|th)\s+\D+", name) and org_shaped(
            re.sub(r"\d+(?:st|nd|rd|th)\s+", "", name))):
        return None, "a number or a date"  # but "the 20th Field Army" is a body
    if _MONTH.search(name):
        return None, "a date"
    if name.lower().rstrip(".") in ("et al", "and others", "others", "et al.,"):
        return None, "et al."
    whole = _bare(ref.written)
    whole = _LEADING_FUNCTION.sub("", whole)
    head = _words(_LEADING_ARTICLE.sub("", whole))
    if len(head) > 2 and _low(head[0]) in _ROLE_NOUNS | words_of("title-role") and \
            re.search(r"\bof\b", whole) and lexicon.kind_of(whole) not in _ACTOR_KINDS:
        # "the Chief of the International Organizations Division": a role, named or not
        if run := person_run(whole, lexicon):
            return replace(ref, name=run, role=ref.written, kind="person"), ""
        body = re.split(r"\bof\s+(?:an?\s+|the\s+)?", whole, maxsplit=1)[-1]
        if _low(head[0]) in _MEMBERS and org_shaped(body):  # "Members of an Albanian Women's Delegation"
            return replace(ref, name=_expand(body, lexicon), role=ref.written, kind="group"), ""
        return None, "a role without a name"
    kind = lexicon.kind_of(name)
    if kind in _ACTOR_KINDS:
        return replace(ref, name=name, kind=ref.kind or ("group" if kind == "group" else None)), ""
    if ref.bracket and lexicon.kind_of(ref.bracket) in _ACTOR_KINDS:
        if _role_only(ref):  # "the Secretary [George Marshall]"
            return replace(ref, name=ref.bracket, bracket=None, role=ref.name), ""
        return replace(ref, name=name), ""
    whole = _bare(ref.written)
    if city_is_group and whole.lower() in _cities():  # "Telegram from Pyongyang to Bucharest"
        return replace(ref, name=whole, kind="group"), ""
    if re.sub(r"^the\s+", "", whole.lower()) in words_of("country"):
        return None, "a place"
    if whole != name and org_shaped(whole) and not person_run(whole, lexicon):
        return replace(ref, name=_expand(re.sub(r"^the\s+", "", whole, flags=re.I), lexicon), bracket=None,
                       kind="group"), ""
    if city_is_group and name.lower() in _cities():
        return replace(ref, name=name, kind="group"), ""
    if kind in ("place", "event") or name.lower() in words_of("country"):
        if run := person_run(whole, lexicon):  # "President Kim Il Sung of North Korea"
            return replace(ref, name=run, role=ref.written), ""
        return None, "a place" if kind != "event" else "an event"
    if org_shaped(name):
        return replace(ref, name=_expand(re.sub(r"^the\s+", "", name, flags=re.I), lexicon), kind="group"), ""
    if _role_only(ref):
        if ref.bracket and person_shaped(ref.bracket):  # "the Secretary [Dean Rusk]"
            return replace(ref, name=ref.bracket, bracket=None, role=ref.name, kind="person"), ""
        return None, "a role without a name"
    if person_shaped(name):
        words = name.split()
        if len(words) >= 3 and whole.endswith(name) and re.search(r"\b(?:in|at)\s+$", whole[: -len(name)]):
            name = " ".join(words[1:])  # "Consul General in Changchun Jeong Bong-gyu"
        return replace(ref, name=name), ""
    if ref.bracket and person_shaped(ref.bracket) and lexicon.kind_of(name) is None \
            and all(_low(w) in words_of("role", "title-role", "honorific") for w in _words(name)):
        return replace(ref, name=ref.bracket, bracket=None, role=ref.name), ""
    if run := person_run(_bare(ref.written), lexicon):  # "Prime Minister of Great Britain Margaret Thatcher"
        return replace(ref, name=run, role=ref.written), ""
    return None, "not the shape of a name"


def _expand(name: str, lexicon: Lexicon) -> str:
    """``CPSU CC Presidium`` → ``CPSU Central Committee Presidium``, ``Political Bureau`` → ``Politburo``,
    for a name the authorities do not know as printed (the printed form stays in ``written``)."""
    if lexicon.kind_of(name) is not None:
        return name
    out = re.sub(r"\bCC\s+([A-Z]{2,6}(?:\([a-z]\))?)(?=\s|$)", r"\1 CC", name)  # "CC CPSU" → "CPSU CC"
    if (m := re.match(r"^(?P<org>.*\b(?:Embassy|Legation))\s+in\s+(?P<city>[A-Z][\w .'-]+)$", out)) and \
            (country := capitals().get(m.group("city").lower())):
        out = f"{m.group('org')} in {country}"  # an embassy is accredited to a country, seated in its capital
    out = re.sub(r"\bCC\b", "Central Committee", out)
    return re.sub(r"\bPolitical\s+Bureau\b", "Politburo", out)


_BRACKET = re.compile(r"\[[^\[\]]*\]|\([^()]*\)")


def _bare(written: str) -> str:
    """The written text without its brackets and possessive."""
    text = _BRACKET.sub(" ", written) if ("[" in written or "(" in written) else written
    text = " ".join(text.split()).strip(" ,")
    return text[:-2] if text.endswith(("'s", "’s")) else text


def person_run(text: str, lexicon: Lexicon) -> str | None:
    """The personal name inside a role phrase: runs of capitalised words that are not roles,
    organisation words, nationalities or (lexicon or word-list) places; the longest of the last
    runs with at least two words (``Pham Van Dong of the Democratic Republic of Vietnam``)."""
    if len(_words(text)) > 24:
        return None
    runs: list[list[str]] = [[]]
    after: list[str] = [""]  # the word before each run
    for token in tokenise(text, lexicon):
        if token.kind in ("word", "particle"):
            runs[-1].append(token.text)
        else:
            runs.append([])
            after.append(token.text)
    # "Consul General in Changchun Jeong Bong-gyu": after "in", the first word is the place
    runs = [r[1:] if a.lower() in ("in", "at") and len(r) >= 3 else r for r, a in zip(runs, after)]
    candidates = [" ".join(r) for r in runs if r and person_shaped(" ".join(r))]
    known = [c for c in candidates if lexicon.kind_of(c) in _ACTOR_KINDS]
    if known:
        return known[-1]
    longer = [c for c in candidates if len(c.split()) >= 2]
    if longer:
        return longer[-1]
    # "Soviet Ambassador to the US Menshikov": a surname last, after the role
    last, before = runs[-1], after[-1]
    role_before = before.lower() not in words_of("function") | {"in", "at", "the", "on"} and (
        _in(before, words_of("role", "title-role", "nationality", "honorific")) or
        before.lower() in words_of("country") or lexicon.kind_of(before) == "place")
    return " ".join(last) if last and role_before and person_shaped(" ".join(last)) else None


@cache
def capitals() -> dict[str, str]:
    """Capital (lower case) → its country, from ``data/capitals.tsv``."""
    text = resources.files("cwgraph").joinpath("data/capitals.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {city.strip().lower(): country.strip() for city, country, *_ in rows[1:]}


def _cities() -> frozenset[str]:
    """Capitals that stand for their governments in telegram titles (``from Pyongyang to Bucharest``)."""
    return frozenset({"moscow", "beijing", "peking", "pyongyang", "seoul", "bucharest", "budapest", "warsaw",
                      "prague", "sofia", "tirana", "belgrade", "havana", "washington", "london", "paris", "tokyo",
                      "hanoi", "saigon", "vienna", "bonn", "berlin", "east berlin", "ulaanbaatar", "ulan bator",
                      "new delhi", "delhi", "rome", "cairo", "baghdad", "tehran", "kabul"})
