"""Identity of names: one key for every spelling of a name, organisation-shaped names, and
which authority person a bare surname may stand for.

A name no authority knows is minted once per build under a key that is a pure function
of the name (never of the order in which names were met), so every worker and every
chunking of the build mints the same IRI. The key folds the spelling variants of
Russian romanisation and a few case endings that the archive prints, and nothing else (no
rule touches pinyin or Korean romanisation: ``x``, ``yi``, ``ya`` after a vowel stay):

>>> name_key("Khrushchov") == name_key("Khrushchev")
True
>>> name_key("Alekseyev") == name_key("Alekseev")
True
>>> name_key("Poskrebyshevu") == name_key("Poskrebyshev")
True
>>> name_key("Vasiliy Kuznetsov") == name_key("Vasilii Kuznetsov") == name_key("Vasily Kuznetsov")
True
>>> name_key("Furtseva") == name_key("Furtsev")   # a woman's surname is another name
False

A phonetic code was not used: Soundex gives Suslov and Sokolov, Semenov and Simonov,
Mikoyan and Mukhin the same code (S241, S551, M250), and a similarity between pairs of
names (jellyfish's Jaro-Winkler, say) cannot give the same IRI whatever the order in which
the names are met. Diacritics are taken off by :func:`~cwgraph.resolving.authorities.normalize_name`;
the titles are English, so no transliteration library (unidecode is GPL) is needed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cwgraph.resolving.authorities import normalize_name

__all__ = ["GROUP_WORDS", "is_initial", "looks_like_group", "name_key", "strip_titles"]

# Words that make a name an organisation (an embassy, a ministry, a central committee …).
GROUP_WORDS = frozenset({
    "embassy", "embassies", "ministry", "ministries", "committee", "committees", "politburo", "presidium",
    "department", "government", "council", "party", "secretariat", "commission", "bureau", "command",
    "headquarters", "legation", "consulate", "office", "agency", "directorate", "delegation", "cabinet",
    "secretariat", "mission", "academy", "institute", "staff", "army", "navy", "front", "congress",
    "parliament", "assembly", "court", "federation", "league", "association", "section", "cc",
    "kgb", "cia", "mfa", "mid", "nkvd", "mgb", "mvd", "stasi", "mfs", "gru", "fbi", "nsc", "plenum",
    "polituro", "sejm", "volkskammer", "bundestag", "kremlin", "administration", "board", "service",
    "services", "corps", "forces", "station", "residency", "rezidentura", "group", "organization",
    "organisation", "trust", "intelligence",
})
# "the Soviet Embassy in Beijing", "CPSU CC", "Foreign Ministry of the GDR": one of these words
# anywhere in the name ("Union" is left out: "Soviet Union" is a country)
_WEAK = frozenset({"front", "army", "navy", "station", "group", "service", "court", "board",
                   "office", "staff", "mission", "trust", "congress", "assembly", "league", "section"})

_HONORIFIC = re.compile(
    r"^(?:(?:cde|cdes|comrade|comrades|com|tov|mr|mrs|ms|messrs|dr|doctor|sir|mister|the|citizen|gospodin|"
    r"herr|monsieur|m)\.?\s+)+", re.I)


def strip_titles(name: str, droppable: frozenset[str] | set[str] = frozenset()) -> str:
    """``Cde. Filippov`` → ``Filippov``; words in ``droppable`` (roles) are taken off the front
    too, but never the last word: a name is never stripped to nothing."""
    text = _HONORIFIC.sub("", " ".join(name.split())).strip()
    words = text.split()
    while len(words) > 1 and words[0].lower().strip(",.") in droppable:
        words.pop(0)
    return " ".join(words) or name.strip()


def is_initial(word: str) -> bool:
    """``N.``, ``N.V.``, ``A`` (a lone capital)."""
    return bool(re.fullmatch(r"(?:[A-Z]\.?){1,3}|(?:[A-Z][a-z]?\.){1,3}", word))


def looks_like_group(name: str) -> bool:
    """True for an organisation-shaped name: ``Chinese Embassy in Hungary``, ``CPSU CC``,
    ``Ministry of Foreign Affairs``; not ``Soviet Ambassador Yudin`` (a role, then a person)."""
    words = [w.lower().strip(",.()[]'’") for w in name.split()]
    strong = [w for w in words if w in GROUP_WORDS and w not in _WEAK]
    if strong:
        return True
    # a weak word needs a qualifier before it: "Korean People's Army", "Young Communist League"
    weak = [i for i, w in enumerate(words) if w in _WEAK]
    return any(i > 0 and words[i - 1][:1].isalpha() and words[i - 1] not in ("the", "of", "a") for i in weak)


# Romanisation variants: (pattern, replacement), applied in order to each word of four letters or more.
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^ye(?!o)", "e"),                    # Yevgeny / Evgeny (not Korean Yeong, Yeon)
    (r"(?<=[aeiou])ye(?!o)", "e"),         # Alekseyev / Alekseev, Dmitriyevich
    (r"(?<=[vmtdlnrskz])ya", "ia"),        # Vyacheslav / Viacheslav (not Pyongyang)
    (r"(?<=a)ya$", "ia"),                  # Mirovitskaya / Mirovitskaia
    (r"(?<=zh|ch|sh)y?o(?=v)", "e"),       # Khrushchov / Khrushchyov / Khrushchev, Gorbachov
    (r"(?<=sk)(?:ii|iy|i)$", "y"),         # Vyshinskii, Vyshinskiy, Vyshinski → Vyshinsky
    (r"i[iy]$", "y"),                      # Vasilii, Vasiliy → Vasily
    (r"(?<=[aeo])y$", "i"),                # Nikolay / Nikolai, Sergey / Sergei
    (r"(?<=[oe]v|in|yn)(?:u|ym|im)$", ""),  # Russian dative / instrumental: Poskrebyshevu, Molotovym
    (r"(?<=[^aeiou])ff$", "v"),            # Rachmaninoff / Rachmaninov
))


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """A key that is the same for the romanisation variants of one name (see the module)."""
    words = []
    for word in normalize_name(name).split():
        if len(word) >= 4 and word.isalpha():
            for pattern, replacement in _FOLDS:
                word = pattern.sub(replacement, word)
        words.append(word)
    return " ".join(words)
