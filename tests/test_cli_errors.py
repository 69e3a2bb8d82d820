"""Every failure of the command line in one form: ``error: … (fix: …)`` and exit 2; no lock files left."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cwgraph.cli import main
from cwgraph.querying.queries import suggest


def _fails_in_our_words(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, (args, result.output)
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("error: ") and "(fix: " in last and last.endswith(")"), (args, result.output)
    assert "Traceback" not in result.output and "Usage:" not in result.output
    return last


@pytest.mark.parametrize("args", [
    ["query", "letters", "--no-such-option"],
    ["--no-such-option"],
    ["no-such-command"],
    ["query"],  # a missing argument
    ["query", "letters", "--format", "xls"],  # a bad choice
    ["serve", "--port", "99999"],
    ["build", "--source", "/nonexistent/listing.txt"],
])
def test_click_usage_errors_in_our_form(args: list[str]) -> None:
    _fails_in_our_words(args)


@pytest.fixture(scope="module")
def release(built, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("cli-errors") / "dist"
    shutil.copytree(built[1], out)
    return out


def test_an_unknown_id_says_so_and_suggests_the_nearest(release: Path) -> None:
    line = _fails_in_our_words(["query", "person-timeline", "--data", str(release), "--param", "person=stalin"])
    assert "no person `stalin`; did you mean `joseph-stalin`?" in line
    line = _fails_in_our_words(["query", "mentions", "--data", str(release), "--param", "event=mao-zedong-visit-moscow"])
    assert "no event `mao-zedong-visit-moscow`; did you mean `mao-zedong-visit-moscow-1949`" in line
    line = _fails_in_our_words(["query", "person-timeline", "--data", str(release),
                                "--param", "person=https://w3id.org/cwgraph/person/nobody-at-all"])
    assert "no person" in line and "did you mean" not in line
    ok = CliRunner().invoke(main, ["query", "person-timeline", "--data", str(release),
                                   "--param", "person=joseph-stalin", "--format", "csv"])
    assert ok.exit_code == 0 and "yalta-conference" in ok.output


def test_an_outside_iri_is_not_checked(release: Path) -> None:
    result = CliRunner().invoke(main, ["query", "person-timeline", "--data", str(release),
                                       "--param", "person=http://www.wikidata.org/entity/Q855", "--format", "csv"])
    assert result.exit_code == 0, result.output


def test_suggestions() -> None:
    ids = ["joseph-stalin", "mao-zedong", "zhou-enlai", "andrei-vyshinsky"]
    assert suggest("stalin", ids) == ["joseph-stalin"]
    assert suggest("vyshinski", ids) == ["andrei-vyshinsky"]
    assert suggest("zhou-en-lai", ids) == ["zhou-enlai"]
    assert suggest("churchill", ids) == []
    assert suggest("no-such-person", ["dean-acheson", *ids]) == []  # nothing alike: no suggestion


@pytest.fixture()
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_serve_on_a_busy_port(busy_port: int, release: Path) -> None:
    line = _fails_in_our_words(["serve", "--data", str(release), "--port", str(busy_port), "--no-sparql"])
    assert f"port {busy_port}" in line and "in use" in line


def test_reading_commands_leave_no_lock_or_scratch_files(release: Path, tmp_path: Path) -> None:
    before = sorted(p.relative_to(release) for p in release.rglob("*"))
    parent_before = sorted(p.name for p in release.parent.iterdir())
    runner = CliRunner()
    for args in (["query", "letters", "--data", str(release), "--format", "csv"],
                 ["query", "person-timeline", "--data", str(release), "--param", "person=nobody"],
                 ["validate", str(release)],
                 ["queries"],
                 ["site", "--data", str(release), "--out", str(tmp_path / "site"), "--quiet"]):
        runner.invoke(main, args)
    assert sorted(p.relative_to(release) for p in release.rglob("*")) == before
    assert sorted(p.name for p in release.parent.iterdir()) == parent_before
    assert not [p for p in tmp_path.rglob("*.lock")]
