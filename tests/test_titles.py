"""The title grammar against an independent hand reading of every title in the collection
and of invented titles that exercise the conventions (tests/data/title_readings.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cwgraph.resolving.authorities import Authorities
from cwgraph.core.records import Record
from cwgraph.resolving.resolve import Resolver, slugify
from cwgraph.interpreting.titles import parse_title, strip_role
from cwgraph.core.errors import Location

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "title_readings.jsonl").read_text().splitlines()
         if line.strip()]


def _expected_id(auth: Authorities, name: str) -> str:
    for entity in auth.lookup(name):
        if entity.kind in ("person", "group"):
            return entity.id
        if entity.kind == "cover":
            return entity.extra.get("bearer") or f"cover-{entity.id}"
    return slugify(name)


def _cover_id(auth: Authorities, written: str) -> str:
    covers = [e for e in auth.lookup(written) if e.kind == "cover"]
    assert covers, f"hand reading names a cover name the authorities do not know: {written}"
    return covers[0].id


@pytest.mark.parametrize("case", CASES, ids=[c["title"][:70] for c in CASES])
def test_title_reading_matches_hand_reading(case: dict, auth: Authorities) -> None:
    resolver = Resolver(auth)
    record = Record(title=case["title"], printed_date="1950", key="test", sources=[Location("test", 1)])
    res = resolver.resolve(record)
    assert (res.doc_type.label if res.doc_type else None) == case["type"]
    assert res.reading.classification == case["classification"]
    assert res.reading.numbers == case["numbers"]
    for role, key in (("sender", "senders"), ("recipient", "recipients"), ("intermediary", "intermediaries"),
                      ("participant", "participants"), ("author", "authors")):
        got = sorted(a.entity_id for a in res.by_role(role))
        want = sorted({_expected_id(auth, n) for n in case[key]})
        assert got == want, f"{role}s"
    conveyed = [{"from": [x.name for x in c.senders], "to": [x.name for x in c.recipients]} for c in res.reading.conveyed]
    assert conveyed == case.get("conveyed", [])
    got_covers = sorted({(cover, a.role) for a in res.agents for cover, _ in a.covers})
    want_covers = sorted({(_cover_id(auth, c["written"]), c["role"]) for c in case["cover_names"]})
    assert got_covers == want_covers
    want_place = None
    if case["place"]:
        places = [e.id for e in auth.lookup(case["place"]) if e.kind == "place"]
        want_place = places[0] if places else slugify(case["place"])
    assert res.place_id == want_place
    assert (res.event_date.edtf if res.event_date else None) == case["date"]
    # a name the hand reading found unknown may since have entered the authority files
    unknown = sorted(slugify(n) for n in case["unknown"] if not auth.lookup(n))
    minted = sorted(e.id for e in resolver.local.entities.values() if e.kind == "actor" and "mention" not in e.contexts)
    assert minted == unknown


def test_every_collection_title_has_a_hand_reading(root: Path) -> None:
    titles = {json.loads(line)["title"] for line in (root / "source" / "records" / "sino-soviet-alliance.jsonl").open()}
    assert titles <= {c["title"] for c in CASES}


@pytest.mark.parametrize("text,name,role", [
    ("Soviet Ambassador to China Nikolai Roshchin", "Nikolai Roshchin", "Soviet Ambassador to China"),
    ("Chinese Prime Minister Zhou Enlai", "Zhou Enlai", "Chinese Prime Minister"),
    ("Cde. G.M. Malenkov", "G.M. Malenkov", "Cde."),
    ("Comrade Joseph V. Stalin", "Joseph V. Stalin", "Comrade"),
    ("the President of the Chinese Republic Chiang Kai-shek", "Chiang Kai-shek", "the President of the Chinese Republic"),
])
def test_roles_and_honorifics_are_stripped_without_authorities(text: str, name: str, role: str) -> None:
    assert strip_role(text) == (name, role)


def test_brackets_are_kept_as_written() -> None:
    reading = parse_title("Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]")
    assert [r.written for r in reading.senders] == ["Stalin [Kuznetsov]"]
    assert reading.senders[0].bracket == "Kuznetsov"
    assert [r.name for r in reading.intermediaries] == ["Terebin"]


def test_unbalanced_brackets_are_noted_not_fatal() -> None:
    reading = parse_title("Cable, Stalin [Kuznetsov to Mao Zedong")
    assert "unbalanced brackets" in reading.notes[0]
    assert [r.name for r in reading.recipients] == ["Mao Zedong"]


def test_title_without_correspondents() -> None:
    reading = parse_title("Sino-Soviet Agreement Protocol")
    assert reading.doc_type == "Protocol"
    assert not reading.is_correspondence and not reading.participants


@pytest.mark.parametrize("title,roles,place", [
    ("Cable, Kovalev to Stalin, containing a message from Chinese Ambassador to the USSR Zheng Fengyi",
     {"sender": ["ivan-kovalev"], "recipient": ["joseph-stalin"]}, None),
    ("Telegram from Mao Zedong to Soviet Ambassador to China Roshchin via Pan Songjin",
     {"sender": ["mao-zedong"], "recipient": ["nikolai-roshchin"], "intermediary": ["pan-songjin"]}, None),
    ("Cablegram, Stalin to VKP(b) CC", {"sender": ["joseph-stalin"], "recipient": ["vkp-b-central-committee"]}, None),
    ("The Official Statement on the Situation in Korea (TASS news agency)", {}, None),
    ("Speech by Mao Zedong at the Plenum of the Central Committee", {"author": ["mao-zedong"]}, None),
    ("Telegram from Kovalev to Stalin Transmitting Mao Zedong's Questions",
     {"sender": ["ivan-kovalev"], "recipient": ["joseph-stalin"]}, None),
    # a body's report is sent by it (organisations are correspondents, persons authors)
    ("Report by the Ministry of Foreign Affairs on the Situation in Korea", {"sender": ["ministry-of-foreign-affairs"]}, None),
    ("Cable No. 4581 from Filippov [Stalin] to Zhou Enlai, via Roshchin",
     {"sender": ["joseph-stalin"], "recipient": ["zhou-enlai"], "intermediary": ["nikolai-roshchin"]}, None),
    ("Telegram from Mao Zedong to Filippov [Stalin], Relayed by Roshchin",
     {"sender": ["mao-zedong"], "recipient": ["joseph-stalin"], "intermediary": ["nikolai-roshchin"]}, None),
    ("Telegram from Roshchin in Beijing to Filippov [Stalin]",
     {"sender": ["nikolai-roshchin"], "recipient": ["joseph-stalin"]}, None),
    ("Message from Stalin to Mao Zedong Congratulating the Founding of the PRC",
     {"sender": ["joseph-stalin"], "recipient": ["mao-zedong"]}, None),
    ("Notes of Meeting between Stalin and Zhou Enlai", {"participant": ["joseph-stalin", "zhou-enlai"]}, None),
    ("Mao Zedong's Telegram to Stalin", {"sender": ["mao-zedong"], "recipient": ["joseph-stalin"]}, None),
    ("Letter to Mao Zedong from Stalin, via Kovalev",
     {"sender": ["joseph-stalin"], "recipient": ["mao-zedong"], "intermediary": ["ivan-kovalev"]}, None),
    ("Telegram from Kovalev to Filippov [Stalin] (Relaying a Message from Mao Zedong)",
     {"sender": ["ivan-kovalev"], "recipient": ["joseph-stalin"]}, None),
])
def test_titles_found_in_generated_corpora(title: str, roles: dict, place: str | None, auth: Authorities) -> None:
    res = Resolver(auth).resolve(Record(title=title, printed_date="1950", key="t", sources=[Location("t", 1)]))
    got: dict[str, list[str]] = {}
    for agent in res.agents:
        got.setdefault(agent.role, []).append(agent.entity_id)
    assert got == roles
    assert res.place_id == place
