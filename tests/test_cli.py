"""The command line through click's CliRunner: help, versions, exit codes, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cwgraph import __version__
from cwgraph.cli import main

DATA = Path(__file__).parent / "data"
COMMANDS = sorted(main.commands)


def test_every_command_has_help_and_the_group_has_the_version() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.strip().endswith(__version__)
    for name in COMMANDS:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert main.commands[name].help, f"{name} has no help text"
        assert "--version" not in result.output, f"{name}: --version is the group's, not each command's"


def test_commands_do_not_import_the_cli() -> None:
    """The group imports the commands, never the other way round (no import cycle)."""
    import ast

    for path in sorted((Path(__file__).parents[1] / "src" / "cwgraph" / "commands").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "cwgraph.cli", f"{path.name} imports cwgraph.cli"


def test_every_command_is_in_the_readme(root: Path) -> None:
    readme = (root / "README.md").read_text()
    for name in COMMANDS:
        assert f"cwgraph {name}" in readme, f"README does not document 'cwgraph {name}'"


@pytest.fixture(scope="module")
def korea(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """An unseen listing page of another collection, with one bad record and a cut-off end."""
    out = tmp_path_factory.mktemp("korea") / "dist"
    result = CliRunner().invoke(main, ["build", "--source", str(DATA / "listings" / "korea-page-00.txt"),
                                       "--out", str(out)])
    return out, result


def test_build_other_collection_publishes_good_records(korea: tuple[Path, object]) -> None:
    out, result = korea
    assert result.exit_code == 0, result.output
    assert "4 published, 2 rejected" in result.output
    assert "Traceback" not in result.output
    rejects = [json.loads(line) for line in (out / "reports" / "rejects.jsonl").read_text().splitlines()]
    errors = [r for r in rejects if r["severity"] == "error"]
    assert {r["line"] for r in errors} == {30, 36}
    assert any("Febtember" in r["reason"] for r in errors)
    assert all(r["file"].endswith("korea-page-00.txt") for r in rejects)


def test_query_letters_on_other_collection(korea: tuple[Path, object]) -> None:
    out, _ = korea
    result = CliRunner().invoke(main, ["query", "letters", "--data", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["title"]: r for r in json.loads(result.output)}
    fyn = rows["Ciphered Telegram, Fyn Si [Stalin] to Mao Zedong (via Roshchin)"]
    assert (fyn["senders"], fyn["recipients"], fyn["intermediaries"], fyn["signed_as"]) == (
        "Joseph Stalin", "Mao Zedong", "Nikolai Roshchin", "Fyn Si")
    feng = rows["Cable, Feng Xi (Stalin) to Kim Il Sung (via Shtykov)"]
    assert (feng["senders"], feng["recipients"], feng["intermediaries"], feng["signed_as"]) == (
        "Joseph Stalin", "Kim Il Sung", "Terenty Shtykov", "Feng Xi")
    letter = rows["Letter from Kim Il Sung and Pak Heon-yeong to Stalin"]
    assert letter["senders"] == "Kim Il Sung | Pak Heon-yeong"
    assert (letter["date_begin"], letter["date_end"]) == ("1950-01-01T00:00:00", "1950-12-31T23:59:59")
    talk = rows["Memorandum of Conversation between Stalin and Kim Il Sung, Moscow, 30 March 1950"]
    assert talk["participants"] == "Joseph Stalin | Kim Il Sung" and talk["type"] == "Memorandum of Conversation"


def test_unknown_name_is_listed_for_reconciliation(korea: tuple[Path, object]) -> None:
    out, _ = korea
    report = (out / "reports" / "reconciliation.tsv").read_text()
    assert "unknown-name\tactor\tpak-heon-yeong" in report


def test_query_formats_keep_columns(korea: tuple[Path, object]) -> None:
    out, _ = korea
    runner = CliRunner()
    csv_out = runner.invoke(main, ["query", "letters", "--data", str(out), "--format", "csv"]).output
    tsv_out = runner.invoke(main, ["query", "letters", "--data", str(out), "--format", "tsv"]).output
    table = runner.invoke(main, ["query", "letters", "--data", str(out), "--format", "table"]).output
    header = tsv_out.splitlines()[0].split("\t")
    assert all(len(line.split("\t")) == len(header) for line in tsv_out.splitlines())
    assert csv_out.splitlines()[0].split(",") == header
    assert "(4 rows)" in table


def test_validate_exit_codes(korea: tuple[Path, object], tmp_path: Path) -> None:
    out, _ = korea
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(out)]).exit_code == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text((Path(__file__).parents[1] / "shapes" / "examples" / "invalid-missing-title.ttl").read_text())
    result = runner.invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1 and "title" in result.output
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is <not turtle")
    result = runner.invoke(main, ["validate", str(garbage)])
    assert result.exit_code == 2 and "cannot load" in result.output
    assert runner.invoke(main, ["validate", str(tmp_path / "missing")]).exit_code == 2


def test_validate_json_report_names_the_source_record(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text((Path(__file__).parents[1] / "shapes" / "examples" / "invalid-end-before-begin.ttl").read_text())
    result = CliRunner().invoke(main, ["validate", str(broken), "--format", "json"])
    report = json.loads(result.output)
    assert result.exit_code == 1 and not report["conforms"]
    assert all(f["source"].startswith("source/") for f in report["findings"])


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--source", str(tmp_path / "nope")]).exit_code == 2
    assert runner.invoke(main, ["query", "no-such-query"]).exit_code == 2
    assert runner.invoke(main, ["query", "letters", "--param", "nokeyvalue"]).exit_code == 2
    assert runner.invoke(main, ["query", "letters", "--data", str(tmp_path)]).exit_code == 2


def test_queries_lists_every_canned_query() -> None:
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    for name in ("letters", "cover-names", "network", "treaty"):
        assert name in result.output
