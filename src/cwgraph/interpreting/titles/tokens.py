"""The first pass over a title: what its brackets, quotes, notes, numbers and dates are.

Brackets and quotes are masked (a placeholder stands for each group) so that the forms split
only at the top level; a quoted part is a subject, never a name list; a bracket that is an
editorial note (``[Declassified July 15, 2011]``, ``(excerpt)``, ``[then President of …]``) is
set aside; trailing furniture (``No. 061072``, ``SECRET``, ``Urgent``, ``10:30 a.m.``,
``Tuesday``) and dates (``19-27 April 1956``) are cut off the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cwgraph.interpreting.titles.reading import Lexicon
from cwgraph.interpreting.titles.words import word_class, words_of

__all__ = ["PLACEHOLDER", "Prepared", "Token", "cut_dates", "find_quote", "mask_brackets", "prepare", "tokenise",
           "unmask"]

PLACEHOLDER = "\u0000"
_OPEN = {"[": "]", "(": ")"}
QUOTE_TRANSLATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "„": '"'})


def mask_brackets(text: str) -> tuple[str, list[str]]:
    """Replace each top-level bracket group by a placeholder so that splits ignore it."""
    text = text.replace(PLACEHOLDER, " ")  # a NUL in the text must not read as a placeholder
    if "[" not in text and "(" not in text:
        return text, []
    out: list[str] = []
    groups: list[str] = []
    depth = 0
    start = 0
    closer: list[str] = []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
            closer.append(_OPEN[ch])
        elif closer and ch == closer[-1]:
            closer.pop()
            depth -= 1
            if depth == 0:
                groups.append(text[start : i + 1])
                out.append(f"{PLACEHOLDER}{len(groups) - 1}{PLACEHOLDER}")
            continue
        if depth == 0:
            out.append(ch)
    return "".join(out), groups


_SLOT = re.compile(f"{PLACEHOLDER}(\\d+){PLACEHOLDER}")


def unmask(text: str, groups: list[str]) -> str:
    if not groups or PLACEHOLDER not in text:
        return text
    return _SLOT.sub(lambda m: groups[int(m.group(1))], text)


def find_quote(masked: str) -> tuple[int, int] | None:
    """The span of the quoted part of a (bracket-masked, quote-normalised) title: from the first
    opening quote to the last closing quote of the same kind, or to the end when it never closes.
    ``Workers' Party`` and ``Stalin's`` hold no opening quote; an opening quote starts a word."""
    for i, ch in enumerate(masked):
        if ch not in "'\"":
            continue
        if (i == 0 or masked[i - 1] in " ([,:;") and i + 1 < len(masked) and (masked[i + 1].isalnum()
                                                                             or masked[i + 1] in "[(" + PLACEHOLDER):
            end = None
            for j in range(len(masked) - 1, i, -1):
                if masked[j] == ch and masked[j - 1] != " " and (j + 1 == len(masked) or masked[j + 1] in " ,.;:)]"):
                    end = j + 1
                    break
            return i, end if end is not None else len(masked)
    return None


_NOTE_PHRASE = re.compile(r"declassified|approved for release|translation|excerpts?|fragment|abridged|attachment|"
                          r"enclosure|undated|untitled|partial|continued|handwritten|\boriginal\b", re.I)
_DAY_OR_TIME = (r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s*m\.?)?|\d{1,2}\s*[ap]\.m\.|Monday|Tuesday|Wednesday|Thursday|Friday|"
                r"Saturday|Sunday|Morning|Evening|Afternoon|Night)")
_FURNITURE = re.compile(
    r"[,;]?\s*(?<![\w-])(?:(?:No|Nos|Number|#)\.?\s*[\d][\w./-]*|(?:Top\s+|Strictly\s+)?Secret|Urgent|Confidential|Immediate|"
    r"Flash|Priority|Eyes\s+Only|Personal|" + _DAY_OR_TIME + r")\s*\.?$", re.I)
_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
           r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (rf"(?:\d{{1,2}}(?:\s*-\s*\d{{1,2}})?\s+{_MONTHS}(?:\s*-\s*\d{{1,2}}\s+{_MONTHS})?,?(?:\s+\d{{4}})?"
         rf"|{_MONTHS}\s+\d{{1,2}}(?:\s*-\s*\d{{1,2}})?(?:,?\s+\d{{4}})?|{_MONTHS},?\s+\d{{4}}|\d{{4}}(?:\s*-\s*\d{{2,4}})?)")
_TRAILING_DATE = re.compile(rf"[,;]?\s*(?:(?:on|at|of|from|in|during|dated)\s+)?(?:the\s+)?{_DATE}\s*\.?$", re.I)
_INNER_DATE = re.compile(rf"(?<![\w-])(?:on\s+|of\s+)?{_DATE}(?![\w-])", re.I)


def cut_dates(text: str) -> str:
    """``Visit …, 19-27 April 1956`` → ``Visit …``; dates inside are removed too (they are never names)."""
    if not any(c.isdigit() for c in text):
        return text.strip(" ,;")  # every date the archive prints has a number in it
    text = _TRAILING_DATE.sub("", text)
    return " ".join(_INNER_DATE.sub(" ", text).split()).strip(" ,;")


@dataclass
class Prepared:
    """A title after the first pass: the text the forms read, and what was set aside."""

    text: str
    quoted: str | None = None  # the quoted part (subject, or the inner title of a journal)
    quote_at: int = -1  # where the quote stood in ``text`` (-1: none)
    notes: list[str] = field(default_factory=list)  # editorial notes in brackets
    furniture: list[str] = field(default_factory=list)


def _is_note(group: str) -> bool:
    content = group[1:-1].strip()
    if not content:
        return True
    if re.match(r"(?:via|of|the|from|to|for)\b", content, re.I):
        return False
    if _NOTE_PHRASE.search(content) or (content[0].islower() and " " in content):
        return True
    letters = re.sub(r"[^A-Za-z]", "", re.sub(_MONTHS, "", content))
    return bool(re.search(r"\d", content)) and (len(letters) < 4 or bool(re.search(r"\bNo\.|Issue", content)))


_INSERTION = re.compile(r"\[([A-Z][a-z]+)\]\s+(?=[A-Z][a-z])")
_SPACE_PUNCT = re.compile(r"\s+([,.;:])")
_PUNCT_RUN = re.compile(r"([,;:])(?:\s*[,;:])+")


def prepare(text: str) -> Prepared:
    """Set aside notes, the quoted part and trailing furniture of a (normalised) title."""
    if "[" in text:
        text = _INSERTION.sub(r"\1 ", text)  # "[North] Korean Consul": an insertion
    masked, groups = mask_brackets(text)
    notes: list[str] = []
    def drop_note(m: re.Match[str]) -> str:
        group = groups[int(m.group(1))]
        if _is_note(group):
            notes.append(group[1:-1].strip())
            return ""
        return m.group(0)
    if groups:
        masked = _SLOT.sub(drop_note, masked)
    quoted = None
    quote_at = -1
    if ("'" in masked or '"' in masked) and (span := find_quote(masked)):
        start, end = span
        quoted = unmask(masked[start:end], groups).strip("'\" ,")
        masked = masked[:start] + " " + masked[end:]
        quote_at = start
    masked = " ".join(masked.split())
    masked = _SPACE_PUNCT.sub(r"\1", masked)
    masked = _PUNCT_RUN.sub(r"\1", masked).strip(" ,;:")
    furniture: list[str] = []
    while (m := _FURNITURE.search(masked, max(0, len(masked) - 48))) and m.start() > 0:
        furniture.insert(0, masked[m.start():].strip(" ,;"))
        masked = masked[: m.start()].rstrip(" ,;")
    return Prepared(unmask(masked, groups), quoted, quote_at, notes, furniture)


def function_words() -> frozenset[str]:
    return words_of("function")


@dataclass(frozen=True)
class Token:
    """A word or phrase of a title part and what the lexicon says it is: ``place`` (a country, a
    capital or a place the authorities know, up to four words), ``person``/``group``/``cover``
    (a name the authorities know), or a word class (:func:`cwgraph.interpreting.titles.words.word_class`)."""

    text: str
    kind: str


def tokenise(text: str, lexicon: Lexicon, *, names: bool = False) -> list[Token]:
    """The words of a title part, longest known phrase first (places always; known names when
    ``names``)."""
    words = [w for w in re.split(r"[\s,]+", text.strip()) if w]
    out: list[Token] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 4), i, -1):
            phrase = " ".join(words[i:j])
            kind = lexicon.kind_of(phrase)
            if phrase.lower() in words_of("country") or kind in ("place", "event"):
                out.append(Token(phrase, "place"))
                i = j
                break
            if names and kind in ("person", "group", "cover"):
                out.append(Token(phrase, kind))
                i = j
                break
        else:
            out.append(Token(words[i], word_class(words[i])))
            i += 1
    return out
