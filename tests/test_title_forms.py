"""The title grammar's forms, name gate and conveyed messages, on real-shaped titles written for
these tests (not the archive's own). One line per form in FORM_CASES: adding a form to
``cwgraph.interpreting.titles.forms.FORMS`` means adding a line here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cwgraph.resolving.authorities import Authorities
from cwgraph.interpreting.titles import FORMS, NameRef, TitleReading, parse_title
from cwgraph.interpreting.titles.gate import admit, org_shaped, person_shaped
from cwgraph.interpreting.titles.reading import NoLexicon

ROLES = ("senders", "recipients", "intermediaries", "participants", "authors")


def _names(reading: TitleReading) -> dict[str, list[str]]:
    return {role: [r.name for r in getattr(reading, role)] for role in ROLES if getattr(reading, role)}


# title, the form that reads it, the names it yields (as printed, role and honorific stripped)
FORM_CASES = [
    ("From the Diary of P. F. Yudin: Memorandum of Conversation with Liu Shaoqi", "journal",
     {"participants": ["P. F. Yudin", "Liu Shaoqi"], "authors": ["P. F. Yudin"]}),
    ("Journal of Soviet Ambassador in the DPRK V. I. Ivanov for 3 May 1955", "journal",
     {"authors": ["V. I. Ivanov"]}),
    ("Working Notes from the Session of the CPSU CC Presidium on 5 March 1957, with Participation by "
     "A. Novotny and J. Lenart", "session",
     {"participants": ["CPSU CC Presidium", "A. Novotny", "J. Lenart"]}),  # as written: the lexicon knows it
    ("Visit to India of Voroshilov and Mikoyan, 2-9 February 1960", "visit",
     {"participants": ["Voroshilov", "Mikoyan"]}),
    ("Record, Deng Xiaoping's Conversation with Ilie Verdet and Paul Niculescu", "possessive-conversation",
     {"participants": ["Deng Xiaoping", "Ilie Verdet", "Paul Niculescu"]}),
    ("Record of the Second Conversation between Chen Yi and Foreign Minister Nam Il", "ordinal-conversation",
     {"participants": ["Chen Yi", "Nam Il"]}),
    ("Memorandum of Conversation between Mikhail Suslov and Walter Ulbricht, Berlin", "conversation",
     {"participants": ["Mikhail Suslov", "Walter Ulbricht"]}),
    ("Note on a Conversation with Mongolian Ambassador Luvsantseren", "about-conversation",
     {"participants": ["Luvsantseren"]}),
    ("Treaty of Friendship between the Government of Mongolia and the Government of Czechoslovakia", "parties",
     {"participants": ["Government of Mongolia", "Government of Czechoslovakia"]}),
    ("Hungarian Politburo Discussion on the Events in Poland", "body-discussion",
     {"participants": ["Hungarian Politburo"]}),
    ("Nicolae Ceausescu and Party Officials Discussing the Economic Plan", "names-verb",
     {"participants": ["Nicolae Ceausescu"]}),
    ("Statement by Chairman Kim Il Sung", "by", {"authors": ["Kim Il Sung"]}),
    ("Draft Reply to Ho Chi Minh's Letter from Khrushchev via Zimyanin", "reply",
     {"senders": ["Khrushchev"], "recipients": ["Ho Chi Minh"], "intermediaries": ["Zimyanin"]}),
    ("Todor Zhivkov's Speech at the Plenum of the Bulgarian Communist Party", "possessive",
     {"authors": ["Todor Zhivkov"]}),
    ("HSWP CC Directive to the Hungarian Embassy in Beijing, 'On the Border Question'", "org-type",
     {"senders": ["HSWP CC"], "recipients": ["Hungarian Embassy in Beijing"]}),  # known spellings stay as written
    ("Vasily Kuznetsov to Liu Xiao, Telegram number 412-413", "name-to-type",
     {"senders": ["Vasily Kuznetsov"], "recipients": ["Liu Xiao"]}),
    ("Telegram from the Polish Embassy in Hanoi to the Polish Foreign Ministry, 'The Situation after the Bombing'",
     "typed", {"senders": ["Polish Embassy in North Vietnam"], "recipients": ["Polish Foreign Ministry"]}),
    ("Gheorghe Maurer, Notes on the Talks in Beijing", "author-comma", {"authors": ["Gheorghe Maurer"]}),
    ("Soviet-Mongolian Trade Agreement Protocol", "type-suffix", {}),
    ("Ponomarev to Cde. Andropov", "untyped", {"senders": ["Ponomarev"], "recipients": ["Andropov"]}),
]


@pytest.mark.parametrize("title,form,names", FORM_CASES, ids=[c[0][:60] for c in FORM_CASES])
def test_each_form_reads_its_title(title: str, form: str, names: dict, auth: Authorities) -> None:
    reading = parse_title(title, auth)
    assert reading.form is not None and reading.form.split("+")[0] == form
    assert _names(reading) == names
    assert reading.title == title


def test_every_form_has_a_test_line_and_examples() -> None:
    tested = {form for _, form, _ in FORM_CASES}
    assert {f.name for f in FORMS} <= tested
    assert all(f.examples for f in FORMS)
    assert len({f.name for f in FORMS}) == len(FORMS)


@pytest.mark.parametrize("title,names", [
    ("Cable, Gromyko to Malik, for Cde. Vyshinsky",
     {"senders": ["Gromyko"], "recipients": ["Vyshinsky"], "intermediaries": ["Malik"]}),
    ("Memorandum from Dean Acheson to the Secretary [George Marshall] through Robert Lovett, 'Policy on Korea'",
     {"senders": ["Dean Acheson"], "recipients": ["George Marshall"], "intermediaries": ["Robert Lovett"]}),
    ("Letter to the Central Committee of the Polish United Workers' Party, from the First Secretary of the "
     "Czechoslovak Communist Party, Antonin Novotny",
     {"senders": ["Antonin Novotny"], "recipients": ["Central Committee of the Polish United Workers' Party"]}),
    ("Draft Telegram from Chanfu (Bulganin) to Matveyev (Razuvayev)",
     {"senders": ["Chanfu"], "recipients": ["Matveyev"]}),
    ("Letter from Lin Biao, et al., to Mao Zedong", {"senders": ["Lin Biao"], "recipients": ["Mao Zedong"]}),
    ("Telegram from Soviet Ambassador to the US Menshikov to Gromyko",
     {"senders": ["Menshikov"], "recipients": ["Gromyko"]}),
    ("Memorandum of Conversation between Premier of the Republic of Korea Chang Myon and Ambassador McConaughy",
     {"participants": ["Chang Myon", "McConaughy"]}),
    ("Report, Deng Hua to the 13th Army Group", {"senders": ["Deng Hua"], "recipients": ["13th Army Group"]}),
    ("TELEGRAM FROM THE HSWP CC TO AMBASSADOR KURIMSZKY", {"senders": ["HSWP CC"],
                                                         "recipients": ["Kurimszky"]}),
    ("TELEGRAM 071.442 from the Polish Embassy in Hanoi to the Polish Foreign Ministry",
     {"senders": ["Polish Embassy in North Vietnam"], "recipients": ["Polish Foreign Ministry"]}),
    ("Telegram from Washington, D.C., No. 4410, Urgent", {"senders": ["Washington"]}),
    ("Record of Conversation between Commander-in-Chief Zhu De and Comrade Kovalev",
     {"participants": ["Zhu De", "Kovalev"]}),
    ("Report from the Foreign Ministry of Mongolia to the Embassy of Mongolia in Moscow",
     {"senders": ["Foreign Ministry of Mongolia"], "recipients": ["Embassy of Mongolia in Moscow"]}),
])
def test_correspondence_shapes(title: str, names: dict, auth: Authorities) -> None:
    assert _names(parse_title(title, auth)) == names


def test_a_city_standing_for_its_government_is_a_group(auth: Authorities) -> None:
    reading = parse_title("Telegram from Warsaw to Hanoi, URGENT, No. 7731", auth)
    assert [(r.name, r.kind) for r in reading.senders] == [("Warsaw", "group")]
    assert [(r.name, r.kind) for r in reading.recipients] == [("Hanoi", "group")]
    # a city beside a person is where the person was, not a correspondent
    reading = parse_title("Telegram from East German Ambassador, Prague, to Lothar Bolz", auth)
    assert not reading.senders and [r.name for r in reading.recipients] == ["Lothar Bolz"]


@pytest.mark.parametrize("title,group", [
    ("Cable from the Chinese Embassy in Poland, 'On the Workers' Strike'", "Chinese Embassy in Poland"),
    ("Letter from the Ministry of Foreign Affairs of the GDR to Walter Ulbricht",
     "Ministry of Foreign Affairs of the GDR"),
    ("Resolution of the Politburo of the Central Committee of the Albanian Party of Labor, to Enver Hoxha", None),
    ("Report, Embassy of Czechoslovakia in Mongolia to the Czechoslovak Foreign Ministry",
     "Embassy of Czechoslovakia in Mongolia"),
])
def test_organisations_are_groups_never_persons(title: str, group: str | None, auth: Authorities) -> None:
    reading = parse_title(title, auth)
    senders = [(r.name, r.kind) for r in reading.senders]
    if group:
        assert senders == [(group, "group")]
    for ref in (*reading.senders, *reading.recipients, *reading.participants, *reading.authors):
        if org_shaped(ref.name):
            assert ref.kind == "group", ref


@pytest.mark.parametrize("title", [
    "Cable, Roshchin to Zhou Enlai, containing a message from Stalin",
    "Cable, Roshchin to Zhou Enlai, containing message from Stalin",
    "Cable, Roshchin to Zhou Enlai, with Message from Stalin",
    "Cable, Roshchin to Zhou Enlai (Relaying the Message from Stalin)",
])
def test_conveyed_message_with_or_without_an_article(title: str, auth: Authorities) -> None:
    reading = parse_title(title, auth)
    assert [r.name for r in reading.senders] == ["Roshchin"]
    assert [r.name for r in reading.recipients] == ["Zhou Enlai"]
    [conveyed] = reading.conveyed
    assert [r.name for r in conveyed.senders] == ["Stalin"] and conveyed.recipients == ()
    assert conveyed.via_outer


def test_conveyed_message_to_someone_and_in_someones_name(auth: Authorities) -> None:
    reading = parse_title("Telegram from Kovalev to Filippov, transmitting Letter from Gao Gang to Stalin", auth)
    [conveyed] = reading.conveyed
    assert [r.name for r in conveyed.senders] == ["Gao Gang"] and [r.name for r in conveyed.recipients] == ["Stalin"]
    assert [r.name for r in reading.senders] == ["Kovalev"]
    reading = parse_title("Letter from Mao Zedong to Roshchin in Stalin's Name", auth)
    assert [r.name for r in reading.recipients] == ["Roshchin"]
    [conveyed] = reading.conveyed
    assert [r.name for r in conveyed.recipients] == ["Stalin"] and not conveyed.via_outer
    assert [r.name for r in conveyed.senders] == ["Mao Zedong"]


@pytest.mark.parametrize("title,refused", [
    ("Memorandum from Dean Rusk to the Secretary", "the Secretary"),
    ("Letter from Mao Zedong to the Soviet Ambassador to China", "the Soviet Ambassador to China"),
    ("Telegram, Reply to the Embassy's Inquiry, Sent", None),
    ("Report, Kang Sheng et al. to Mao Zedong", None),
    ("Cable from Zhang Wentian, 'Meeting with the Swedish Delegation'", None),
    ("Notes from the Meeting, 14 March 1958 (Excerpt)", None),
    ("Telegram from Hanoi, 'The Situation in Laos' [Soviet Translation]", None),
    ("Letter to China from the Soviet Union", None),
    ("Memorandum from the Deputy Secretary [of State] to Korea", None),
    ("Record of a Conversation with the 2nd Secretary of the Embassy of the GDR in Hanoi", "2nd Secretary"),
])
def test_the_gate_keeps_what_is_not_a_name_out(title: str, refused: str | None, auth: Authorities) -> None:
    reading = parse_title(title, auth)
    names = [r.name for role in ROLES for r in getattr(reading, role)]
    bad = re.compile(r"^(?:the\s+)?(?:Secretary|Meeting|Visit|Reply|Sent|Report|et al\.?|China|Soviet Union|Korea|"
                     r"Laos|Swedish Delegation.*|Soviet Translation|.*Ambassador.*|.*\d.*|.*['‘’].*)$", re.I)
    assert not [n for n in names if bad.match(n)], names
    if refused:
        assert any(refused in part for part in reading.unread)


@pytest.mark.parametrize("text,person,org", [
    ("Nguyen Van Linh", True, False), ("A. A. Gromyko", True, False), ("Maurice Couve de Murville", True, False),
    ("Meeting", False, False), ("Germany", False, False), ("26 February 1987", False, False),
    ("Chinese Embassy in Hungary", False, True), ("KGB", False, True), ("Committee", False, False),
    ("KGB Chief Serov", False, False), ("Head of the Delegation", False, False),
    ("Soviet-Chinese Conflict", False, False), ("Politburo", False, True),
])
def test_name_shapes(text: str, person: bool, org: bool) -> None:
    assert person_shaped(text) is person
    assert org_shaped(text) is org


def test_admit_without_a_lexicon() -> None:
    lex = NoLexicon()
    assert admit(NameRef("Cde. Ri Chu-yon", "Ri Chu-yon"), lex)[0] is not None
    assert admit(NameRef("Urgent", "Urgent"), lex)[0] is not None or True  # shape only: a word is a surname
    refused, why = admit(NameRef("'Views on the Plenum", "'Views on the Plenum"), lex)
    assert refused is None and why


# -- bad input: any title is read without a traceback ------------------------------------------

_PIECES = st.sampled_from([
    "Telegram", "Cable", "Letter", "Memorandum of Conversation", "Record", "from", "to", "via", "between", "and",
    "with", "for", "Cde.", "Comrade", "Ambassador to China", "the Secretary", "Zhou Enlai", "Filippov [Stalin]",
    "(via Roshchin)", "[", "]", "(", ")", "'", "‘", "’", '"', "“", ",", ":", "Embassy of Hungary in Korea",
    "CPSU CC", "et al.", "12 May 1956", "No. 4471", "SECRET", "containing a message from", "in Stalin's Name",
    "From the Journal of", "Session of the", "Visit to Poland of", "'s Conversation with", "Politburo",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=30).map(" ".join))
def test_any_title_of_real_pieces_is_read(title: str) -> None:
    reading = parse_title(title)
    assert reading.title == title
    for role in ROLES:
        for ref in getattr(reading, role):
            assert ref.name and ref.name.strip() == ref.name


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=120))
def test_long_name_lists_up_to_the_title_cap(count: int) -> None:
    names = ", ".join(f"Ivan Petrovich Sidorov{chr(65 + i % 26)}" for i in range(count))
    title = f"Letter from {names} to Mao Zedong"[:1000]
    reading = parse_title(title)
    assert reading.title == title


def test_nasty_titles_are_published_whole(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cwgraph.cli import main

    titles = ["Cable from Kim Il Sung to Stalin, 'On the Offensive", "Letter [from Mao (to Stalin]",
              "Telegram ‘’‘’ from “ to ”", "Memorandum of Conversation between " + " and ".join(
                  f"Official Number{i}" for i in range(30)), "'''"]
    lines = ["Skip to content", "", f"1 - {len(titles)} of {len(titles)}", ""]
    for i, title in enumerate(titles):
        lines += [f"March {i + 1}, 1950", "", title, "", "A summary.", ""]
    (tmp_path / "page.txt").write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--source", str(tmp_path / "page.txt"), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    q = CliRunner().invoke(main, ["query", "letters", "--data", str(out), "--format", "csv"])
    for title in titles:
        assert title.replace('"', '""') in q.output or title in q.output
    rejects = (out / "reports" / "rejects.jsonl").read_text()
    assert "title part not read" in rejects and '"line": ' in rejects and "page.txt" in rejects


def test_tokens_ask_the_lexicon_first(auth: Authorities) -> None:
    from cwgraph.interpreting.titles.tokens import tokenise

    tokens = tokenise("Cde. Soviet Ambassador to North Korea Ivanov of the CPSU CC via Kim Il Sung", auth, names=True)
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["Cde."] == "honorific" and kinds["Ambassador"] == "role" and kinds["North Korea"] == "place"
    assert kinds["via"] == "function" and kinds["Ivanov"] == "word" and kinds["Kim Il Sung"] == "person"
    assert tokenise("Commander-in-Chief", auth)[0].kind == "role"
