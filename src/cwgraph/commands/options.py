"""Options that several commands share, as bundles (one decorator each), so they are spelled,
typed and explained the same way everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["credentials_options", "data_option", "quiet_option", "workers_option"]

F = TypeVar("F", bound=Callable[..., Any])


def _bundle(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(f: F) -> F:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f
    return apply


def data_option(help: str = "Release folder to read. Default: dist/.", files: bool = False) -> Callable[[F], F]:
    """``--data``: the release folder (or, with ``files``, an RDF file too)."""
    return click.option("--data", type=click.Path(path_type=Path, file_okay=files), default=None, help=help)


def quiet_option(f: F) -> F:
    """``--quiet``: print nothing but errors."""
    return click.option("--quiet", is_flag=True, help="Print nothing but errors.")(f)


def workers_option(default: int | None, help: str) -> Callable[[F], F]:
    """``--workers``: a number of processes."""
    return click.option("--workers", type=click.IntRange(min=1), default=default, show_default=default is not None,
                        help=help)


credentials_options = _bundle(
    click.option("--user", envvar="CWGRAPH_STORE_USER", default=None, show_envvar=True,
                 help="Account for a store or endpoint that wants one."),
    click.option("--password", envvar="CWGRAPH_STORE_PASSWORD", default=None, show_envvar=True,
                 help="Its password."),
)
"""``--user`` and ``--password`` (or ``CWGRAPH_STORE_USER`` / ``CWGRAPH_STORE_PASSWORD``)."""
