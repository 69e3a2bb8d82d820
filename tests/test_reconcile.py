"""Reconciliation proposals: read the report, ask a Wikidata-shaped endpoint, score, never write QIDs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import oxigraph_server

from cwgraph.cli import main
from cwgraph.resolving.reconcile import Candidate, Entity, candidate_query, read_report, reconcile, score, write_proposals

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "wikidata"


def test_the_report_lists_what_wikidata_could_identify(built) -> None:  # type: ignore[no-untyped-def]
    entities = read_report(built[1] / "reports" / "reconciliation.tsv")
    kinds = {e.kind for e in entities}
    assert kinds <= {"person", "group", "place", "event", "actor"} and "person" in kinds
    gromyko = next(e for e in entities if e.id == "andrei-gromyko")
    assert gromyko.names[0] == "Andrei Gromyko" and "Gromyko" in gromyko.names
    fixture = read_report(FIXTURES / "reconciliation.tsv")
    assert "melnikov" not in {e.id for e in fixture}  # cover names are not Wikidata items


def test_the_candidate_query_escapes_names() -> None:
    q = candidate_query([Entity("person", "x", "iri", 'A "quoted" \\ name', ['A "quoted" \\ name'], [])])
    assert '"A \\"quoted\\" \\\\ name"@en' in q and '@mul' in q


def test_scores_prefer_the_right_kind_and_lifetime() -> None:
    person = Entity("person", "ivan-kovalev", "iri", "Ivan Kovalev", ["Ivan Kovalev"], [])
    envoy = Candidate("Q1", matched=["label: Ivan Kovalev"], instance_of=["http://www.wikidata.org/entity/Q5"],
                      born="1901-01-01T00:00:00Z")
    footballer = Candidate("Q2", matched=["label: Ivan Kovalev"], instance_of=["http://www.wikidata.org/entity/Q5"],
                           born="1986-03-06T00:00:00Z")
    surname = Candidate("Q3", matched=["alias: Kovalev"], instance_of=["http://www.wikidata.org/entity/Q101352"])
    for c in (envoy, footballer, surname):
        score(person, c, (1947, 1950), alone=False)
    assert envoy.score > footballer.score > surname.score


@pytest.mark.integration
def test_reconcile_against_a_local_wikidata_shaped_endpoint(tmp_path: Path) -> None:
    authorities = ROOT / "source" / "authorities"
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(authorities.glob("*.tsv"))}
    with oxigraph_server(tmp_path / "wikidata") as server:
        request = urllib.request.Request(f"{server.base}/store?default", method="PUT",
                                         data=(FIXTURES / "entities.ttl").read_bytes(),
                                         headers={"Content-Type": "text/turtle"})
        with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310 (local URL)
            assert resp.status in (200, 201, 204)
        proposals = reconcile(read_report(FIXTURES / "reconciliation.tsv"), server.query_url, period=(1947, 1950),
                              batch=3)
        best = {p.entity.id: (p.candidates[0].qid if p.candidates else None) for p in proposals}
        assert best == {"andrei-gromyko": "Q99000001", "ivan-kovalev": "Q99000003", "chen-yun": "Q99000005",
                        "karsky": None, "xibaipo": "Q99000006", "gru": "Q99000008",
                        "chinese-civil-war": "Q99000009"}
        kovalev = next(p for p in proposals if p.entity.id == "ivan-kovalev")
        assert [c.qid for c in kovalev.candidates] == ["Q99000003", "Q99000004"]
        assert "too young" in " ".join(kovalev.candidates[1].why)
        written = write_proposals(proposals, tmp_path / "out", endpoint=server.query_url)
        rows = list(csv.DictReader(io.StringIO(written[0].read_text()), delimiter="\t"))
        assert {r["id"] for r in rows} >= {"karsky", "andrei-gromyko"}
        assert next(r for r in rows if r["qid"] == "Q99000005")["wikidata_label"] == "Chen Yun"  # a mul label
        data = json.loads(written[1].read_text())
        assert data["entities"][0]["candidates"][0]["page"].startswith("https://www.wikidata.org/wiki/Q")

        result = CliRunner().invoke(main, ["reconcile", "--endpoint", server.query_url, "--report",
                                           str(FIXTURES / "reconciliation.tsv"), "--out", str(tmp_path / "cli"),
                                           "--delay", "0", "--kind", "person"])
        assert result.exit_code == 0, result.output
        assert "nothing was written into the authority files" in result.output
        cli_rows = list(csv.DictReader(io.StringIO((tmp_path / "cli" / "proposals.tsv").read_text()), delimiter="\t"))
        assert {r["kind"] for r in cli_rows} == {"person"}
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(authorities.glob("*.tsv"))}
    assert before == after


def test_an_unreachable_endpoint_is_a_clear_error(tmp_path: Path) -> None:
    from servers import free_port

    result = CliRunner().invoke(main, ["reconcile", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql",
                                       "--report", str(FIXTURES / "reconciliation.tsv"), "--out", str(tmp_path),
                                       "--delay", "0", "--timeout", "5"])
    assert result.exit_code == 2 and "cannot reach" in result.output
