"""``--out`` replaces only a release of ours (or an empty or absent folder), never sources or
the project; a build's scratch lives in one folder beside the release and is cleared."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cwgraph.cli import main
from cwgraph.publishing.outdir import ReleaseFolderError, check_out, is_release, scratch_dir

ROOT = Path(__file__).resolve().parents[1]
PAGE = ("Skip to content\n\n\n1 - 1 of 1\n\n\nDecember 16, 1947\n\n"
        "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]\n\nStalin invites Mao to Moscow.\n")


def _sources(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "page.txt").write_text(PAGE)
    return src


def _build(src: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--quiet", "--source", str(src), "--out", str(out), *extra])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_that_is_not_a_release_is_refused_and_kept(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    foreign = tmp_path / "work"
    (foreign / "src").mkdir(parents=True)
    (foreign / "src" / "a.py").write_text("print('mine')\n")
    before = _tree(foreign)
    code, output = _build(src, foreign)
    assert code == 2
    assert "not empty and holds no cwgraph release" in output and "fix:" in output
    assert _tree(foreign) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src", "work"]  # no scratch either


@pytest.mark.parametrize("where", ["source", "inside-source", "holds-source", "authorities"])
def test_out_may_not_be_hold_or_lie_inside_a_source(tmp_path: Path, where: str) -> None:
    src = _sources(tmp_path)
    auth = tmp_path / "auth"
    shutil.copytree(ROOT / "source" / "authorities", auth)
    before = _tree(tmp_path)
    out = {"source": src, "inside-source": src / "dist", "holds-source": tmp_path, "authorities": auth}[where]
    code, output = _build(src, out, "--authorities", str(auth))
    assert code == 2 and "would delete it" in output and "fix:" in output
    assert _tree(tmp_path) == before


def test_out_may_not_be_or_hold_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "project"
    for folder in ("shapes", "queries", "source"):
        shutil.copytree(ROOT / folder, home / folder)
    (home / "dist").mkdir(parents=True)
    with pytest.raises(ReleaseFolderError, match="is the project"):
        check_out(home, [], home=home)
    with pytest.raises(ReleaseFolderError, match="contains the project"):
        check_out(tmp_path, [], home=home)
    assert check_out(home / "dist", [], home=home) == (home / "dist").resolve()  # inside it: dist/
    monkeypatch.setenv("CWGRAPH_HOME", str(home))
    before = _tree(home)
    for out in (home, tmp_path):
        result = CliRunner().invoke(main, ["build", "--out", str(out)])
        assert result.exit_code == 2 and "the project" in result.output
    assert _tree(home) == before


def test_a_file_as_out_is_refused(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    target = tmp_path / "release"
    target.write_text("not a folder")
    code, output = _build(src, target)
    assert code == 2 and target.read_text() == "not a folder"


def test_an_empty_or_absent_folder_and_a_release_are_replaced(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _build(src, empty)[0] == 0 and is_release(empty)
    assert _build(src, tmp_path / "new" / "dist")[0] == 0 and is_release(tmp_path / "new" / "dist")
    (empty / "notes.txt").write_text("kept?")  # a release with a stray file is still a release
    assert _build(src, empty)[0] == 0 and not (empty / "notes.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "new", "src"]


def test_a_void_of_another_tool_is_not_a_release(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "void.ttl").write_text("@prefix prov: <http://www.w3.org/ns/prov#> .\n"
                                    "<a> prov:wasAssociatedWith <https://example.org/another-tool> .\n")
    assert not is_release(other)
    (other / "void.ttl").write_text("not turtle {{{")
    assert not is_release(other)
    assert is_release(ROOT / "dist")


def test_a_read_only_old_release_is_replaced_without_scratch(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    out = tmp_path / "dist"
    assert _build(src, out)[0] == 0
    for path in sorted(out.rglob("*"), reverse=True) + [out]:
        path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)
    (src / "page.txt").write_text(PAGE.replace("invites", "asks"))
    code, output = _build(src, out)
    assert code == 0, output
    assert b"asks" in (out / "cwgraph.ttl").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "src"]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_next_build_clears_what_dead_builds_left_and_keeps_a_live_ones(tmp_path: Path) -> None:
    src = _sources(tmp_path)
    out = tmp_path / "dist"
    dead = _dead_pid()
    scratch = scratch_dir(out)
    for name in (f"runs-{dead}-abc", f"tmp-{dead}-def", f"old-{dead}-ghi"):
        (scratch / name).mkdir(parents=True)
        (scratch / name / "big.blocks").write_bytes(b"x" * 1000)
    (scratch / "lock").write_text("")
    # what earlier versions left beside the release
    (tmp_path / ".dist.lock").write_text("")
    (tmp_path / ".dist.tmp-xyz").mkdir()
    (tmp_path / f".{tmp_path.name}.runs-{dead}-q").mkdir()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (scratch / f"runs-{live.pid}-zzz").mkdir()
        assert _build(src, out)[0] == 0
        # a running build's scratch is kept (and the lock, which that build removes when it ends)
        assert sorted(p.name for p in scratch.iterdir() if p.name != "lock") == [f"runs-{live.pid}-zzz"]
        assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.cwgraph", "dist", "src"]
    finally:
        live.kill()
        live.wait()
    assert _build(src, out)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "src"]


def test_no_lock_file_is_committed() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    assert not [name for name in tracked if name.endswith(".lock") or ".cwgraph/" in name]


def _as_unprivileged(work) -> int:  # type: ignore[no-untyped-def]
    """Run ``work()`` in a forked child without root's power to write anywhere; its exit code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            work()
            code = 0
        except BaseException as exc:  # noqa: BLE001 - reported through the exit code
            print(f"child failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_a_read_only_old_release_is_swapped_out_by_a_user_who_cannot_write_it(tmp_path: Path) -> None:
    """The swap and the removal of a read-only old release, as a user without root's override."""
    import tempfile

    from cwgraph.publishing.publish import atomic_release

    home = Path(tempfile.mkdtemp(prefix="cwgraph-ro-"))  # pytest's folders are root's alone
    home.chmod(0o755)
    if os.geteuid() == 0:
        os.chown(home, 65534, 65534)
    out = home / "dist"

    def publish(text: str, lock_it: bool) -> None:
        with atomic_release(out) as release:
            (release.folder / "sub").mkdir()
            (release.folder / "sub" / "file.txt").write_text(text)
            (release.folder / "void.ttl").write_text(text)
        if lock_it:
            for path in sorted(out.rglob("*"), reverse=True) + [out]:
                path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)

    assert _as_unprivileged(lambda: publish("old", True)) == 0
    assert _as_unprivileged(lambda: publish("new", False)) == 0
    try:
        assert (out / "sub" / "file.txt").read_text() == "new"
        assert sorted(p.name for p in home.iterdir()) == ["dist"]
    finally:
        shutil.rmtree(home)
