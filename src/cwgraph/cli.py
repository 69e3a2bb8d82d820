"""The command line: the ``cwgraph`` group, its error handling and exit codes. The commands live in
:mod:`cwgraph.commands`; each parses options, calls one library function, renders, exits.

Exit codes: 0 success; 1 data problems (the graph would not conform, violations);
2 usage or environment errors (a file that cannot load, a bad option).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from cwgraph import __version__
from cwgraph.commands import register
from cwgraph.core.errors import CwgraphError

__all__ = ["main"]


class _Group(click.Group):
    """Turns every error into a message and an exit code; no traceback reaches a user."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except CwgraphError as exc:
            click.echo(f"error: {exc.render()}", err=True)
            ctx.exit(2)
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            fix = ("check that the path exists and that you may read and write it" if exc.filename
                   else "check the address, the network and that nothing else holds the resource")
            click.echo(f"error: {exc.strerror or exc}{where} (fix: {fix})", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted; the previous release is untouched", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
            if os.environ.get("CWGRAPH_DEBUG"):
                raise
            click.echo(f"error: internal error: {type(exc).__name__}: {exc} (fix: please report it with the command "
                       "and input; rerun with CWGRAPH_DEBUG=1 to see the traceback)", err=True)
            ctx.exit(2)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Click's own usage errors (a bad option, a missing argument) in our form too: exit 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            command = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx else (prog_name or "cwgraph")
            click.echo(f"error: {exc.format_message()} (fix: see '{command} --help')", err=True)
            sys.exit(2)
        except click.exceptions.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cwgraph")
def main() -> None:
    """Publish Cold War archival correspondence as a validated CIDOC-CRM knowledge graph."""


register(main)

if __name__ == "__main__":
    main()
