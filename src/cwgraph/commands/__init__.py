"""Command groups that live beside the core CLI, each in its own module.

Each module defines click commands and a ``COMMANDS`` list; ``register`` adds them to
the main group (``cli.py``). Options several commands share are bundles in ``options.py``;
``--version`` is the group's (``cwgraph --version``). Commands import the library inside
their functions, and only there: ``cwgraph --help`` and a failing option must answer at
once, without loading rdflib, pyoxigraph and the rest.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["register"]

# one module name a line; each defines COMMANDS: list[click.Command]
MODULES: list[str] = [
    "core",
    "stores",
    "web",
    "exports",
]


def register(group: click.Group) -> None:
    for name in MODULES:
        module = importlib.import_module(f"cwgraph.commands.{name}")
        for command in module.COMMANDS:
            group.add_command(command)
