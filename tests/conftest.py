"""Shared fixtures: the project's authorities, a resolver, and one real build of the collection."""

from __future__ import annotations

from pathlib import Path

import pytest

from cwgraph.resolving.authorities import Authorities, load_authorities
from cwgraph.building.pipeline import BuildResult, build
from cwgraph.resolving.resolve import Resolver

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def auth() -> Authorities:
    return load_authorities(ROOT / "source" / "authorities", ROOT)


@pytest.fixture()
def resolver(auth: Authorities) -> Resolver:
    return Resolver(auth)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """The real collection built once into a temporary release folder."""
    out = tmp_path_factory.mktemp("release") / "dist"
    result = build(out=out)
    assert result.conforms, result.report.render() if result.report else ""
    return result, out
