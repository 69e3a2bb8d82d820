"""The forms a title takes: an ordered table, each row a name, real-shaped examples and a reader.

A title is first prepared (:mod:`cwgraph.interpreting.titles.tokens`: notes, the quoted part, furniture and
dates set aside); then the forms are tried in order and the first reader that returns a reading
wins; then every name passes the name gate (:mod:`cwgraph.interpreting.titles.gate`) and what the gate refuses
is kept as a warning ("title part not read: …"). Readers build their own reading and mutate nothing
else. Adding a form is one row here and one line in ``tests/test_title_forms.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cwgraph.interpreting.dates import find_date_in_text
from cwgraph.interpreting.titles import names as n
from cwgraph.interpreting.titles.gate import admit, person_shaped
from cwgraph.interpreting.titles.letters import (
    _author_comma,
    _by,
    _name_to_type,
    _org_type,
    _possessive,
    _reply,
    _type_suffix,
    _typed,
    _untyped,
)
from cwgraph.interpreting.titles.meetings import (
    _about_conversation,
    _body_discussion,
    _conversation,
    _journal,
    _names_verb,
    _ordinal_conversation,
    _parties,
    _possessive_conversation,
    _session,
    _visit,
)
from cwgraph.interpreting.titles.reader import Reader, Title
from cwgraph.interpreting.titles.reading import Conveyed, Lexicon, NameRef, NoLexicon, TitleReading
from cwgraph.interpreting.titles.tokens import QUOTE_TRANSLATION, prepare
from cwgraph.interpreting.titles.words import words_of

__all__ = ["FORMS", "Form", "MAX_READ", "parse_title", "read_forms"]

# characters; the archive's titles are at most a few hundred and the sources reject more than 1000.
# A longer text is not read (reading costs time in proportion to its length): the reading says so.
MAX_READ = 20_000
MAX_BRACKET_DEPTH = 8  # real titles nest one level; deeper nesting is read without brackets


@dataclass(frozen=True)
class Form:
    name: str
    examples: tuple[str, ...]
    read: Reader


FORMS: tuple[Form, ...] = (
    Form("journal", ("From the Journal of Vyacheslav Molotov: Memorandum of Conversation between A and B",
                     "Journal of Soviet Ambassador to the DPRK A.M. Puzanov for 16 August 1957"), _journal),
    Form("session", ("Working Notes from the Session of the CPSU CC Presidium on 3 November 1956, with Participation by "
                     "J. Kadar, F. Munnich", "Protocol No. 129, Meeting of the Polish Politburo"), _session),
    Form("visit", ("Visit to the United Kingdom of Bulganin and Khrushchev, 19-27 April 1956",), _visit),
    Form("possessive-conversation", ("Minutes, Zhou Enlai's Conversation with S.F. Antonov",
                                     "[Mao Zedong's] Conversation with [Richard] Dixon and [Lance] Sharkey"),
         _possessive_conversation),
    Form("ordinal-conversation", ("Record of the Third Conversation between Zhou Enlai and Ri Ju-yeon",
                                  "Discussion between Mao Zedong and Pham Van Dong"), _ordinal_conversation),
    Form("conversation", ("Memorandum of Conversation between A and B", "Conversation, A and B with C, Moscow"),
         _conversation),
    Form("about-conversation", ("Report on Conversation between Song Renqiong and Kim Il Sung",
                                "Report of the Conversation by A with B, with the Presence of C"), _about_conversation),
    Form("parties", ("Agreement on Cooperation between the Stasi and the KGB",), _parties),
    Form("body-discussion", ("CPSU Politburo Discussion of the Memorandum of Six Politburo Members",
                             "Committee on Radio Broadcasting Policy Discussion"), _body_discussion),
    Form("names-verb", ("Saddam Hussein and Military Officials Discussing the Iraqi Army",
                        "Zhou Enlai, Kang Sheng and Pham Hung address the COSVN delegation"), _names_verb),
    Form("by", ("Statement by President Syngman Rhee", "Draft Report, 'On the Trip', by M. Suslov to CC CPSU Presidium"),
         _by),
    Form("reply", ("Draft Reply to Mao Zedong's Telegram from Stalin via Molotov",), _reply),
    Form("possessive", ("Walter Ulbricht's Speech at the Moscow Conference", "Mao Zedong's Telegram to Stalin",
                        "Excerpts from Khrushchev's Comments at Conference of First Secretaries"), _possessive),
    Form("org-type", ("CPSU CC Directive to Soviet Ambassadors", "Bulgarian Communist Party Politburo Decision on …",
                      "State Department Telegram 5701 to U.S. Embassy United Kingdom"), _org_type),
    Form("name-to-type", ("Roger du Gardier to Maurice Couve de Murville, Telegram number 538-540",), _name_to_type),
    Form("typed", ("Cable, Gromyko to Razuvaev", "Letter from A to B", "Letter to B from A",
                   "Telegram from Pyongyang to Bucharest", "Cable from the Chinese Embassy in Hungary, 'Subject'"),
         _typed),
    Form("author-comma", ("Mao Zedong, Outline for a Speech", "Col. Mieczysław Białek, 'Record of Conversation …'"),
         _author_comma),
    Form("type-suffix", ("Sino-Soviet Agreement Protocol",), _type_suffix),
    Form("untyped", ("Karsky to Cde. Miklashevsky",), _untyped),
)


def read_forms(t: Title) -> TitleReading:
    """The reading of the first form that reads the title (the last form always does)."""
    for form in FORMS:
        if form.name == "journal" and t.nested:
            continue
        reading = form.read(t)
        if reading is not None:
            reading.form = reading.form or form.name
            return reading
    raise AssertionError("the last form reads every title")  # pragma: no cover


def _gate(reading: TitleReading, lex: Lexicon) -> None:
    """Every name through the name gate; what it refuses becomes a warning."""
    city = reading.doc_type is not None and not reading.is_conversation
    def keep(refs: list[NameRef], *, cities: bool = False) -> list[NameRef]:
        out: list[NameRef] = []
        for ref in refs:
            admitted, why = admit(ref, lex, city_is_group=cities)
            if admitted is None:
                reading.unread.append(f"title part not read: {ref.written!r} ({why})")
            elif not any(a.name == admitted.name and a.bracket == admitted.bracket for a in out):
                out.append(admitted)
                if admitted.kind == "group" and ref.bracket and person_shaped(ref.bracket):
                    # "Swiss Embassy in Havana (Stadelhofer)": the embassy and its signatory
                    out.append(NameRef(ref.bracket, ref.bracket, kind="person", attached_to=ref.written))
        return out
    reading.senders = keep(reading.senders, cities=city and len(reading.senders) == 1)
    reading.recipients = keep(reading.recipients, cities=city and len(reading.recipients) == 1)
    reading.intermediaries = keep(reading.intermediaries)
    reading.participants = keep(reading.participants)
    reading.authors = keep(reading.authors)
    conveyed = []
    for c in reading.conveyed:
        senders, recipients = keep(list(c.senders)), keep(list(c.recipients))
        if senders or recipients:
            conveyed.append(Conveyed(tuple(senders), tuple(recipients), c.via_outer))
    reading.conveyed = conveyed


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.9 * len(letters)


def _title_case(text: str) -> str:
    """A title printed in capitals, in the case the grammar reads: function words lower case,
    acronyms the word lists know (``CPSU``, ``DPRK``) kept, other words capitalised."""

    keep = {w for w in words_of("org", "nationality", "country") if w.isalpha() and len(w) <= 5 and
            not any(v in w for v in "aeiou")} | {"ussr", "dprk", "prc", "gdr", "frg", "us", "uk", "un", "cia", "kgb",
                                                   "cpsu", "hswp", "pupw", "sed", "kwp", "vwp", "drv", "rok", "nato",
                                                   "oas", "mfa", "ccp", "cc", "rcp", "bcp", "pla", "wpk", "vkp"}
    small = words_of("function") | {"the", "a", "an", "in", "on", "at", "of", "via", "et", "al."}

    def case(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in keep:
            return word
        if low in small and m.start() > 0:
            return low
        return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))
    return re.sub(r"[^\W\d_][\w'’.-]*", case, text)


class _Memo:
    """The lexicon's answers, remembered for one title (the forms and the gate ask the same phrases)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._kinds: dict[str, str | None] = {}
        self.first_words = getattr(lexicon, "first_words", None)
        if self.first_words is None:
            del self.first_words

    def kind_of(self, name: str) -> str | None:
        try:
            return self._kinds[name]
        except KeyError:
            kind = self._kinds[name] = self._lexicon.kind_of(name)
            return kind


def parse_title(title: str, lexicon: Lexicon | None = None) -> TitleReading:
    """Read a title into type, correspondents, participants, authors, conveyed messages, place, date."""
    lexicon = _Memo(lexicon or NoLexicon())
    text = " ".join(title.split())
    if not text:
        reading = TitleReading(title=title)
        reading.notes.append("empty title")
        return reading
    if len(text) > MAX_READ:
        reading = TitleReading(title=title)
        reading.notes.append(f"title of {len(text)} characters not read (more than {MAX_READ}): "
                             "is a summary or a whole page in it?")
        return reading
    notes: list[str] = []
    if not n.brackets_balanced(text):
        notes.append("unbalanced brackets: read without them")
        text = " ".join(re.sub(r"[\[\]()]", " ", text).split())
    elif n._bracket_depth(text) > MAX_BRACKET_DEPTH:
        notes.append("brackets nested too deep: read without them")
        text = " ".join(re.sub(r"[\[\]()]", " ", text).split())
    norm = text.translate(QUOTE_TRANSLATION)
    norm = re.sub(r"\bWashington,?\s+D\.?\s?C\.?(?=[\s,]|$)", "Washington", norm)
    if _shouting(norm):
        norm = _title_case(norm)  # "CRYPTOGRAM NO 10456 FROM POLISH EMBASSY …": read as a title is printed
    date = None
    if found := find_date_in_text(norm):
        d, start, end = found
        if not norm[end:].strip(" .,"):
            date = d
            norm = norm[:start].rstrip(" ,")
    prepared = prepare(norm)
    reading = read_forms(Title(prepared.text, prepared.quoted, lexicon, title, read_all=read_forms))
    reading.title = title
    reading.date = reading.date or date
    reading.notes[:0] = notes
    if prepared.quoted:
        reading.subject = reading.subject or prepared.quoted
        reading.mentions.extend(n._scan_mentions(prepared.quoted, lexicon))
    _gate(reading, lexicon)
    return reading
