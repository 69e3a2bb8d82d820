"""cwgraph: Cold War archival correspondence as a validated CIDOC-CRM knowledge graph."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cwgraph")
except PackageNotFoundError:  # running from a checkout without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
