"""Shared helpers for the web, export and reconciliation tests: one published release per session.

``published(built_out)`` copies the session's built release into a temporary folder, writes the
exports into it (as the build will) and the static site beside it, once per test process.
``render_page(renderer, path)`` renders the page of one IRI under the base.
``chromium(...)`` runs Debian's headless Chromium with the flags the project uses.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from cwgraph.exports import write_exports
from cwgraph.web.graph import ReleaseGraph, vocabulary_file
from cwgraph.web.pages import PageRenderer
from cwgraph.web.site import write_site

BASE = "https://w3id.org/cwgraph/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--disable-dev-shm-usage"]


@cache
def published(built_out: Path) -> Path:
    """A copy of the built release with the exports written into it (cached for the session)."""
    # thousands of small files: on a memory file system when there is one (much faster than a disk)
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="cwgraph-web-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    atexit.register(shutil.rmtree, folder, True)
    release = folder / "dist"
    shutil.copytree(built_out, release)
    write_exports(release)
    return release


@cache
def graph(release: Path) -> ReleaseGraph:
    return ReleaseGraph(release, vocabulary=vocabulary_file())


def render_page(renderer: PageRenderer, path: str) -> str:
    """The HTML page of ``BASE + path`` (a path such as ``document/110296``)."""
    resource = renderer.g.resource(BASE + path)
    assert resource is not None, path
    return renderer.render(resource)


@cache
def site(release: Path) -> Path:
    out = release.parent / "site"
    write_site(release, out, vocabulary=vocabulary_file(), graph=graph(release))
    return out


def chromium(*args: str, profile: Path, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium once (a fresh profile folder each time); raises when it is missing."""
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (the CI script installs it)")
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_published_release_has_the_exports(built) -> None:  # type: ignore[no-untyped-def]
    release = published(built[1])
    for name in ("cwgraph.cmif.xml", "network.gexf", "network.graphml", "network.svg", "network.png",
                 "mixnmatch-persons.tsv", "beacon/wikidata-persons.txt"):
        assert (release / name).is_file(), name
