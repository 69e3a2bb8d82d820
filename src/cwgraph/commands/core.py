"""The core commands: build, validate, query and queries."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cwgraph.commands.options import credentials_options, data_option, quiet_option, workers_option

if TYPE_CHECKING:
    from cwgraph.building.pipeline import ProgressEvent


class _ProgressLine:
    """Renders a build's progress events on one terminal line (stderr), overwritten as it goes."""

    WORDS = {"mapping": "{done} records read, {count} mapped", "writing": "writing the dumps: {done} subjects",
             "exports": "waiting for the exports"}

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, event: ProgressEvent) -> None:
        text = self.WORDS.get(event.stage, event.stage).format(done=event.done, count=event.count)
        click.echo(f"\r\x1b[K{text}", nl=False, err=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo(err=True)

@click.command()
@click.option("--source", "sources", multiple=True, type=click.Path(path_type=Path),
              help="A listing page, a curated record file, or a folder of them (repeat to add more). Default: source/.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Release folder to write, replaced atomically: absent, empty or holding a cwgraph release; never a "
                   "source folder or the project. Default: dist/.")
@click.option("--authorities", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder of authority files. Default: source/authorities/.")
@workers_option(None, "Worker processes (default: the number of cores, at most 4). Output is identical for any value.")
@quiet_option
def build(sources: tuple[Path, ...], out: Path | None, authorities: Path | None, workers: int | None,
          quiet: bool) -> None:
    """Read the sources, validate the graph, and publish it into the release folder."""
    from cwgraph.building.pipeline import build as run_build

    for path in sources:
        if not path.exists():
            raise click.UsageError(f"--source {path}: no such file or folder")
    workers = workers or min(4, os.cpu_count() or 1)
    progress = _ProgressLine() if not quiet and sys.stderr.isatty() else None
    try:
        result = run_build(list(sources) or None, out, authorities, workers=workers, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if not result.conforms:
        assert result.report is not None
        click.echo(result.report.render(), err=True)
        click.echo("the graph does not conform to the shapes; nothing was published", err=True)
        sys.exit(1)
    if not quiet:
        for reject in result.rejects:
            if reject.severity == "error":
                file = reject.location.file
                if not file.isprintable():  # a newline in a file name must not start a false line
                    file = repr(file)
                click.echo(f"rejected: {file}:{reject.location.line}: {reject.reason}", err=True)
        click.echo(result.summary(), err=True)


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path), default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report for people (text) or machines (json).")
@click.option("--engine", type=click.Choice(["auto", "native", "pyshacl"]), default="auto", show_default=True,
              help="auto: stream a sorted N-Triples dump through the compiled engine, a chunk of documents at a "
                   "time; load anything else whole into pyshacl (the reference).")
@workers_option(1, "Processes for the native engine.")
def validate(path: Path | None, fmt: str, engine: str, workers: int) -> None:
    """Validate a release folder or an RDF file against the shapes and CIDOC-CRM.

    Exits 0 when the data conforms, 1 on violations, 2 when it cannot be loaded.
    """
    import json

    from cwgraph.core.config import project_path
    from cwgraph.validation.release import validate_path

    report = validate_path(path or project_path("dist"), engine=engine, workers=workers)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms,
                               "findings": [f.__dict__ for f in sorted(report.findings)]}, indent=2))
    else:
        click.echo(report.render())
    sys.exit(0 if report.conforms else 1)


@click.command()
@click.argument("name")
@data_option("Release folder or RDF file to query. Default: dist/.", files=True)
@click.option("--endpoint", default=None, metavar="URL",
              help="Query a SPARQL endpoint instead of the local data (a store's root URL works too).")
@click.option("--graph", "graphs", multiple=True, metavar="IRI",
              help="With --endpoint: query this graph as the default graph (the graph 'cwgraph load' used; repeatable).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a query parameter (repeatable); see 'cwgraph queries'.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default=None,
              help="Output format; 'table' on a terminal, 'csv' otherwise.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many rows.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds before a remote query is abandoned.")
@credentials_options
def query(name: str, data: Path | None, endpoint: str | None, graphs: tuple[str, ...], params: tuple[str, ...],
          fmt: str | None, limit: int | None, timeout: float, user: str | None, password: str | None) -> None:
    """Run a canned query (see 'cwgraph queries') over the release or an endpoint."""
    from cwgraph.querying.queries import parse_params, render, run_query

    bindings = parse_params(params)
    result = run_query(name, bindings, data=data, endpoint=endpoint, limit=limit, timeout=timeout,
                       graphs=graphs, user=user if endpoint else None, password=password)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    click.echo(render(result, fmt), nl=False)


@click.command("queries")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="A listing for people (text) or machines (json).")
def list_queries(fmt: str) -> None:
    """List the canned queries with their parameters."""
    import json
    import shlex

    from cwgraph.querying.queries import load_queries

    queries = load_queries()
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "description": q.description,
                                "parameters": [{"name": p.name, "kind": p.kind, "required": p.required,
                                                "choices": list(p.choices), "default": p.default,
                                                "description": p.description} for p in q.params],
                                "examples": list(q.examples)}
                               for q in queries.values()], indent=2, ensure_ascii=False))
        return
    for q in queries.values():
        click.echo(f"{q.name}\t{q.description}")
        for p in q.params:
            status = "required" if p.required else (f"default {p.default}" if p.default is not None else "optional")
            click.echo(f"    {p.usage():<40} {status}; {p.description}")
        for example in q.examples:
            args = " ".join(f"--param {shlex.quote(f'{k}={v}')}" for k, v in example.items())
            click.echo(f"    e.g. cwgraph query {q.name} {args}")


COMMANDS = [build, validate, query, list_queries]
