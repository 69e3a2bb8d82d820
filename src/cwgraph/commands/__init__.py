"""Command groups that live beside the core CLI, each in its own module.

Each module defines click commands and a ``COMMANDS`` list; ``register`` adds them to
the main group. The core commands (build, validate, query, queries) are in ``cli.py``.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["register"]

# one module name a line; each defines COMMANDS: list[click.Command]
MODULES: list[str] = [
    "stores",
    "web",
    "exports",
]


def register(group: click.Group) -> None:
    for name in MODULES:
        module = importlib.import_module(f"cwgraph.commands.{name}")
        for command in module.COMMANDS:
            group.add_command(command)
