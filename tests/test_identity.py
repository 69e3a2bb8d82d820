"""Identity of names: spelling-independent keys for names no authority knows, organisations as
groups (never persons), the surname-alone period rule, conveyed messages in the resolution,
and IRIs that do not depend on how the build is chunked."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cwgraph.building import pipeline

from cwgraph.resolving import resolve
from cwgraph.resolving.authorities import Authorities
from cwgraph.core.errors import Location
from cwgraph.resolving.identity import looks_like_group, name_key, strip_titles
from cwgraph.building.pipeline import build
from cwgraph.core.records import Record
from cwgraph.resolving.resolve import Resolved, Resolver
from cwgraph.interpreting.titles import Conveyed, NameRef, TitleReading


@pytest.mark.parametrize("a,b", [
    ("Khrushchev", "Khrushchov"), ("Alekseev", "Alekseyev"), ("Poskrebyshevu", "Poskrebyshev"),
    ("Vyshinskii", "Vyshinsky"), ("Vasiliy Kuznetsov", "Vasily Kuznetsov"), ("Nikolay Fedorenko", "Nikolai Fedorenko"),
    ("Yevgeny Kovalev", "Evgeny Kovalev"), ("Viacheslav Molotov", "Vyacheslav Molotov"), ("Molotovym", "Molotov"),
    ("Mirovitskaya", "Mirovitskaia"), ("Ceaușescu", "Ceausescu"), ("N. V. Roshchin", "N.V. Roshchin"),
])
def test_spelling_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a,b", [
    ("Furtseva", "Furtsev"),          # a woman's surname is another name
    ("Kovalev", "Kovalenko"), ("Zhou", "Zhu"), ("Nikolai Roshchin", "Alexey Roshchin"),
    ("Xiao Jinguang", "Ksiao Jinguang"),  # pinyin is not folded
    ("Pyongyang", "Pyongiang"), ("Li Zhiyi", "Li Zhiy"), ("Pak Heon-yeong", "Pak Heon-eong"),  # nor Korean
])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_honorifics_and_roles_come_off_before_the_key() -> None:
    assert strip_titles("Cde. Filippov") == "Filippov"
    assert strip_titles("Comrade Soviet Ambassador Fedoseev", {"soviet", "ambassador"}) == "Fedoseev"
    assert strip_titles("Ambassador", {"ambassador"}) == "Ambassador"  # never stripped to nothing


@pytest.mark.parametrize("name,group", [
    ("Chinese Embassy in Hungary", True), ("CPSU CC", True), ("Ministry of Foreign Affairs", True),
    ("Korean People's Army", True), ("Soviet Union", False), ("Soviet Ambassador Yudin", False),
    ("Liu Shaoqi", False), ("the Secretary", False),
])
def test_organisation_shape(name: str, group: bool) -> None:
    assert looks_like_group(name) is group


def _resolve(resolver: Resolver, reading: TitleReading, date: str, monkeypatch: pytest.MonkeyPatch,
             key: str = "t") -> Resolved:
    """Resolve a record whose title the grammar is taken to read as ``reading``."""
    monkeypatch.setattr(resolve, "parse_title", lambda title, lexicon=None: reading)
    record = Record(title=reading.title, printed_date=date, key=key, sources=[Location("test.txt", 3)])
    return resolver.resolve(record)


def _ref(name: str, kind: str | None = None) -> NameRef:
    return NameRef(written=name, name=name, kind=kind)


def _ids(res: Resolved, role: str) -> list[tuple[str, str]]:
    return [(a.entity_kind, a.entity_id) for a in res.by_role(role)]


def test_an_unknown_name_is_one_entity_however_spelled(auth: Authorities, monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = Resolver(auth)
    got = set()
    for i, written in enumerate(["Fedoseyev", "Fedoseev", "Cde. Fedoseev", "Fedoseevu"]):
        res = _resolve(resolver, TitleReading(title=f"Letter, {written} to Mao", senders=[_ref(written)],
                                              recipients=[_ref("Mao")]), "1956", monkeypatch, key=f"k{i}")
        got.update(_ids(res, "sender"))
    assert got == {("actor", "fedoseev")}
    entity = resolver.local.entities["actor:fedoseev"]
    assert entity.label == "Fedoseev" and entity.written == {"Fedoseyev", "Fedoseev", "Fedoseevu"}


def test_a_romanisation_variant_of_an_authority_name_is_that_person(auth: Authorities,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    res = _resolve(Resolver(auth), TitleReading(title="x", senders=[_ref("Khrushchyov")], recipients=[_ref("Mao")]),
                   "1958", monkeypatch)
    assert _ids(res, "sender") == [("person", "nikita-khrushchev")]


def test_organisations_are_groups_never_persons(auth: Authorities, monkeypatch: pytest.MonkeyPatch) -> None:
    reading = TitleReading(title="Telegram from Pyongyang to Bucharest",
                           senders=[_ref("Pyongyang", "group")], recipients=[_ref("Bulgarian Embassy in Hanoi")],
                           participants=[_ref("Beijing")],
                           intermediaries=[_ref("Stalin", "group")])
    res = _resolve(Resolver(auth), reading, "1960", monkeypatch)
    assert _ids(res, "sender") == [("local-group", "pyongyang")]          # a city standing for its government
    assert _ids(res, "recipient") == [("local-group", "bulgarian-embassy-in-hanoi")]  # organisation-shaped
    assert _ids(res, "intermediary") == [("local-group", "stalin")]       # the grammar said: not the person
    assert _ids(res, "participant") == [("local-group", "beijing")]       # a known place as a party: its government
    known = _resolve(Resolver(auth), TitleReading(title="y", senders=[_ref("CPSU CC Presidium", "group")]), "1956",
                     monkeypatch)
    assert _ids(known, "sender") == [("group", "cpsu-central-committee-presidium")]


@pytest.mark.parametrize("written,date,expected", [
    ("Roshchin", "October 12, 1950", ("person", "nikolai-roshchin")),    # outside Alexey's period
    ("Roshchin", "March 5, 1963", ("person", "alexey-roshchin")),        # within Alexey's period
    ("Roshchin", "[undated]", ("actor", "roshchin")),                              # undated: neither
    ("N.V. Roshchin", "March 5, 1963", ("person", "nikolai-roshchin")),  # initials decide
    ("A. Roshchin", "October 12, 1950", ("actor", "a-roshchin")),        # an initial contradicts Nikolai
])
def test_a_surname_alone_needs_the_persons_period(auth: Authorities, monkeypatch: pytest.MonkeyPatch,
                                                  written: str, date: str, expected: tuple[str, str]) -> None:
    res = _resolve(Resolver(auth), TitleReading(title="z", senders=[_ref(written)], recipients=[_ref("Stalin")]),
                   date, monkeypatch)
    assert _ids(res, "sender") == [expected]


@pytest.mark.parametrize("date,expected", [("March 5, 1981", "cpsu-central-committee"),
                                           ("June 1, 1950", "vkp-b-central-committee")])
def test_a_renamed_body_is_named_by_its_period(auth: Authorities, monkeypatch: pytest.MonkeyPatch, date: str,
                                              expected: str) -> None:
    """Two rows spell "CPSU Central Committee": the body renamed in October 1952 and its earlier name."""
    reading = TitleReading(title="v", senders=[_ref("Andropov")], recipients=[_ref("CPSU Central Committee", "group")])
    assert _ids(_resolve(Resolver(auth), reading, date, monkeypatch), "recipient") == [("group", expected)]


def test_the_editors_bracket_names_the_person_meant(auth: Authorities, monkeypatch: pytest.MonkeyPatch) -> None:
    """``Semenov [Stalin]``: Semenov is also a real person of the period; the bracket decides."""
    ref = NameRef(written="Semenov [Stalin]", name="Semenov", bracket="Stalin")
    res = _resolve(Resolver(auth), TitleReading(title="w", senders=[_ref("Mao Zedong")], recipients=[ref]), "1950",
                   monkeypatch)
    assert _ids(res, "recipient") == [("person", "joseph-stalin")]
    assert res.by_role("recipient")[0].written == ["Semenov [Stalin]"]


def test_a_conveyed_message_keeps_the_outer_correspondents(auth: Authorities, monkeypatch: pytest.MonkeyPatch) -> None:
    reading = TitleReading(title="Telegram, Kovalev to Stalin, containing a message from Mao Zedong",
                           senders=[_ref("Kovalev")], recipients=[_ref("Stalin")],
                           conveyed=[Conveyed((_ref("Mao Zedong"),), (_ref("Filippov"),)),
                                     Conveyed((), ())])
    res = _resolve(Resolver(auth), reading, "1949", monkeypatch)
    assert _ids(res, "sender") == [("person", "ivan-kovalev")]
    assert _ids(res, "recipient") == [("person", "joseph-stalin")]
    [message] = res.conveyed  # the empty one is a note, not a message
    assert message.number == 1
    assert [(a.role, a.entity_id) for a in message.agents] == [
        ("sender", "mao-zedong"), ("recipient", "joseph-stalin"), ("transmitter", "ivan-kovalev")]
    assert message.recipients[0].covers == [("filippov", "Filippov")]
    assert any("conveyed message 2" in n for n in res.notes)


LISTING = """1 - 6 of 6

{rows}"""


def test_minted_iris_do_not_depend_on_the_chunking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same spellings met in other orders and chunks give the same IRIs and labels."""
    titles = ["Letter, Fedoseyev to Mao Zedong", "Letter, Mao Zedong to Fedoseev",
              "Letter, Poskrebyshevu to Stalin", "Letter, Stalin to Poskrebyshev",
              "Letter, Fedoseev to Stalin", "Letter, Poskrebyshev to Mao Zedong"]
    outputs = []
    for n, (order, chunk) in enumerate(((titles, 500), (titles[::-1], 1), (titles[1::2] + titles[::2], 2))):
        src = tmp_path / f"src{n}"
        src.mkdir()
        rows = "\n".join(f"March {i + 1}, 1951\n\n{t}\n" for i, t in enumerate(order))
        (src / "listing.txt").write_text(LISTING.format(rows=rows))
        monkeypatch.setattr(pipeline, "CHUNK", chunk)
        result = build([src / "listing.txt"], tmp_path / f"dist{n}", workers=1)
        assert result.conforms and result.published == 6
        nt = gzip.decompress((tmp_path / f"dist{n}" / "cwgraph.nt.gz").read_bytes()).decode()
        outputs.append(sorted(line for line in nt.splitlines() if line.startswith("<https://w3id.org/cwgraph/actor/")
                              and "sourceRecord" not in line))
    assert outputs[0] == outputs[1] == outputs[2]
    actors = {line.split(">", 1)[0].rsplit("/", 1)[1] for line in outputs[0]} - {"cover-melnikov"}
    assert actors == {"fedoseev", "poskrebyshev"}
    assert '<https://w3id.org/cwgraph/actor/poskrebyshev> <http://www.w3.org/2004/02/skos/core#altLabel> ' \
           '"Poskrebyshevu" .' in outputs[0]
