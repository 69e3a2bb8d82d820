"""Project paths, the base IRI and the dataset's descriptive metadata."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BASE_IRI", "DATASET", "Dataset", "project_root", "project_path"]

BASE_IRI = os.environ.get("CWGRAPH_BASE_IRI", "https://w3id.org/cwgraph/")


@dataclass(frozen=True)
class Dataset:
    """Descriptive metadata written into the VoID/DCAT description."""

    slug: str = "sino-soviet-alliance"
    title: str = "Making of the Sino-Soviet Alliance, 1945-1950: correspondence and conversations"
    description: str = (
        "Documents of the Wilson Center Digital Archive collection 'Making of the Sino-Soviet "
        "Alliance, 1945-1950' as a CIDOC-CRM knowledge graph: who wrote to whom, through which "
        "intermediary, under which cover name, when, and about which events."
    )
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    publisher: str = "cwgraph"
    source_page: str = "https://digitalarchive.wilsoncenter.org/topics/making-sino-soviet-alliance-1945-1950"
    archive: str = "https://digitalarchive.wilsoncenter.org/"
    issued: str = "2026-11-28"  # the release date, set when a release is cut (never the build's clock)


DATASET = Dataset()


def project_root() -> Path:
    """The checkout holding ``source/``, ``shapes/`` and ``queries/``.

    ``CWGRAPH_HOME`` overrides; otherwise the current directory when it holds a
    ``source/`` folder, else the folder above the installed package's ``src/``.
    """
    env = os.environ.get("CWGRAPH_HOME")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd()
    if (cwd / "shapes").is_dir() and (cwd / "queries").is_dir():
        return cwd
    return Path(__file__).resolve().parents[3]


def project_path(*parts: str) -> Path:
    """A path inside the project checkout."""
    return project_root().joinpath(*parts)
