"""The house: the package is laid out as the pipeline's stages, imports run one way (the
import-linter layers contract in pyproject.toml), there is no import cycle, nothing is left
outside the layers, imports inside functions are only the CLI's lazy ones, and a function
over 60 lines says why in its docstring."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "cwgraph"


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [contract] = [c for c in config["contracts"] if c["type"] == "layers"]
    return [name.strip() for layer in contract["layers"] for name in layer.split("|")]


def test_the_layers_contract_is_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_every_top_level_module_and_package_is_in_a_layer() -> None:
    named = set(_layers())
    present = {f"cwgraph.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    present |= {f"cwgraph.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert present - named == set(), f"not in the layers of pyproject.toml: {sorted(present - named)}"
    assert named - present == set(), f"layers naming nothing: {sorted(named - present)}"


def test_there_is_no_import_cycle() -> None:
    graph = grimp.build_graph("cwgraph")
    edges = nx.DiGraph((m, d) for m in graph.modules for d in graph.find_modules_directly_imported_by(m))
    cycles = list(nx.simple_cycles(edges))
    assert cycles == [], cycles


def _functions() -> list[tuple[Path, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((path, node))
    return found


def test_imports_inside_functions_are_only_the_clis_lazy_ones() -> None:
    hidden = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, fn in _functions()
              if "commands" not in path.parts
              for node in ast.walk(fn) if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cwgraph")]
    assert hidden == [], f"imports of cwgraph inside functions (hoist them; the layers keep them acyclic): {hidden}"


def test_a_function_over_60_lines_says_why() -> None:
    long = [f"{path.relative_to(ROOT)}:{fn.lineno} {fn.name} ({fn.end_lineno - fn.lineno + 1} lines)"
            for path, fn in _functions()
            if fn.end_lineno - fn.lineno + 1 > 60 and "Long:" not in (ast.get_docstring(fn) or "")]
    assert long == [], f"split these, or say why in the docstring ('Long: …'): {long}"
