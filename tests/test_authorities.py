"""The authority files: well-formed, every QID with evidence, the known traps avoided,
every name of the collection resolvable; and name matching through variants."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cwgraph.resolving.authorities import Authorities, load_authorities, normalize_name

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "authorities"


def test_authority_files_load_without_problems(auth: Authorities) -> None:
    assert auth.problems == []
    assert {e.kind for e in auth.entities.values()} == {"person", "group", "place", "event", "cover"}


def test_every_qid_has_an_evidence_url(auth: Authorities) -> None:
    linked = [e for e in auth.entities.values() if e.qid]
    assert linked
    assert all(e.qid_evidence and e.qid_evidence.startswith("http") for e in linked)


@pytest.mark.skipif(not (SHARED / "wikidata-confirmed.tsv").exists(), reason="shared/ not beside the checkout")
def test_confirmed_qids_are_used_as_confirmed(auth: Authorities) -> None:
    with open(SHARED / "wikidata-confirmed.tsv", encoding="utf-8") as f:
        confirmed = {row["qid"]: row for row in csv.DictReader(f, delimiter="\t")}
    for entity in auth.entities.values():
        if entity.qid in confirmed:
            assert entity.qid_evidence == confirmed[entity.qid]["evidence_url"], entity.id


def test_known_traps_are_avoided(auth: Authorities) -> None:
    qids = {e.qid: e for e in auth.entities.values() if e.qid}
    assert "Q39464" not in qids  # not Kim Il Sung
    assert "Q45400" not in qids  # Port Arthur, Texas
    orlov = auth.get("andrei-orlov")
    assert orlov is not None and "Alexander" not in orlov.label
    kuznetsov = [e for e in auth.lookup("Kuznetsov")]
    assert [e.kind for e in kuznetsov] == ["cover"], "bare 'Kuznetsov' is Stalin's cover name"


@pytest.mark.parametrize("name,entity", [
    ("Vyshinsky", "andrei-vyshinsky"), ("Vyshinshy", "andrei-vyshinsky"), ("A.Y Vyshinsky", "andrei-vyshinsky"),
    ("Andrey Vyshinsky", "andrei-vyshinsky"), ("Joseph V. Stalin", "joseph-stalin"), ("I.V. Stalin", "joseph-stalin"),
    ("Mao", "mao-zedong"), ("CCP CC", "ccp-central-committee"), ("Lüshunkou", "port-arthur"),
    ("Filipov", "filippov"), ("Flilippov", "filippov"), ("Shtytkov", "terenty-shtykov"),
])
def test_variants_resolve(auth: Authorities, name: str, entity: str) -> None:
    assert auth.lookup(name)[0].id == entity


def test_cover_names_have_bearer_period_and_evidence(auth: Authorities) -> None:
    covers = auth.of_kind("cover")
    assert {c.id for c in covers} >= {"kuznetsov", "filippov", "feng-xi", "instantsiya", "terebin", "andreev", "melnikov"}
    for cover in covers:
        evidence = cover.extra.get("evidence_url", "")
        # a page on an accepted host, or a printed reference work by ISBN (tests/test_evidence.py)
        assert evidence.startswith(("https://", "urn:isbn:")), cover.id
        assert cover.extra.get("begin"), cover.id
        bearer = cover.extra.get("bearer")
        assert bearer is None or auth.get(bearer).kind == "person", cover.id  # type: ignore[union-attr]
    assert auth.get("melnikov").extra.get("bearer") is None  # type: ignore[union-attr]


def test_every_curated_mention_resolves(auth: Authorities) -> None:
    """Every name the curated records mention is in the authorities (none needs reconciliation)."""
    import re

    missing = set()
    for line in (ROOT / "source" / "records" / "sino-soviet-alliance.jsonl").open():
        record = json.loads(line)
        for name in (record.get("mentioned_people") or []) + (record.get("mentioned_places") or []):
            parts = [p.strip() for p in re.split(r"[\[\]()]", name) if p.strip()]
            if not any(auth.lookup(re.sub(r"^(Cde\.|Comrade|Doctor)\s+", "", p)) for p in parts):
                missing.add(name)
    assert missing == set()


def test_duplicate_ids_and_missing_evidence_are_reported(tmp_path: Path) -> None:
    (tmp_path / "persons.tsv").write_text(
        "id\tlabel\tvariants\tqid\tqid_evidence\tdescription\tnote\n"
        "a-b\tA B\t\tQ1\t\t\t\n"
        "a-b\tA C\t\t\t\t\t\n", encoding="utf-8")
    auth = load_authorities(tmp_path, tmp_path)
    messages = [p.render() for p in auth.problems]
    assert any("no evidence URL" in m and "persons.tsv:2" in m for m in messages)
    assert any("duplicate identifier 'a-b'" in m and "persons.tsv:3" in m for m in messages)
    assert auth.get("a-b").qid is None  # type: ignore[union-attr]


def test_normalisation() -> None:
    assert normalize_name("A. Y. Vyshinsky") == normalize_name("a.y vyshinsky")
    assert normalize_name("Yan'an") == normalize_name("Yan’an") == "yanan"
