"""``cwgraph load``: push the release into a running triple store, or write Virtuoso's bulk-load script."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cwgraph.commands.options import credentials_options, data_option, quiet_option

__all__ = ["COMMANDS", "load"]


@click.command()
@click.option("--endpoint", metavar="URL", default=None,
              help="The store: its root URL (http://127.0.0.1:7878, http://HOST:8890) or, for Fuseki, the "
                   "dataset URL (http://HOST:3030/DATASET); an endpoint URL such as …/query works too.")
@click.option("--store", "kind", type=click.Choice(["oxigraph", "fuseki", "virtuoso"]), default=None,
              help="Which store answers at --endpoint. Default: asked of the server (its Server header).")
@click.option("--graph", metavar="IRI", default=None,
              help="Target graph. Default: the default graph (Oxigraph, Fuseki); "
                   "https://w3id.org/cwgraph/collection/sino-soviet-alliance on Virtuoso.")
@click.option("--replace", is_flag=True,
              help="Replace the graph's triples (loaded beside them first, verified, then swapped in one "
                   "transaction). Without it a graph that holds triples is left alone.")
@data_option("Release folder or RDF file to load. Default: dist/ (its cwgraph.nt.gz).", files=True)
@credentials_options
@click.option("--timeout", type=click.FloatRange(min=1), default=300.0, show_default=True,
              help="Seconds to wait for the store to take the upload.")
@click.option("--bulk-script", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), default=None,
              metavar="FILE",
              help="Virtuoso: write the isql bulk-load script for the dump to FILE ('-' for stdout) instead "
                   "of loading over HTTP; run it on the server with isql-vt.")
@quiet_option
def load(endpoint: str | None, kind: str | None, graph: str | None, replace: bool, data: Path | None,
         user: str | None, password: str | None, timeout: float, bulk_script: Path | None, quiet: bool) -> None:
    """Load the release into a triple store over the Graph Store Protocol and verify it.

    Counts the triples afterwards and fails unless the store holds exactly the dump's. A graph
    that already holds triples is replaced only with --replace, and never left half-replaced.
    Exits 0 when loaded and verified, 2 when the store cannot be reached or refuses.
    """
    from cwgraph.core.config import project_path
    from cwgraph.stores import Credentials, bulk_load_script, default_graph_iri, load_dump, read_dump

    source = data or project_path("dist")

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    if bulk_script is not None:
        if kind not in (None, "virtuoso"):
            raise click.UsageError("--bulk-script writes a Virtuoso isql script; it does not apply to --store " + kind)
        dump = read_dump(source)
        script = bulk_load_script(dump.path, graph or default_graph_iri(), dump.triples, replace=replace)
        if str(bulk_script) == "-":
            click.echo(script, nl=False)
        else:
            bulk_script.write_text(script, "utf-8")
        say(f"wrote the Virtuoso bulk-load script for {dump.triples} triples of {dump.path} into "
            f"<{graph or default_graph_iri()}>" + ("" if str(bulk_script) == "-" else f" to {bulk_script}")
            + "; run it on the Virtuoso machine: isql-vt 1111 dba PASSWORD < SCRIPT")
        return
    if not endpoint:
        raise click.UsageError("give --endpoint URL (or --bulk-script FILE for Virtuoso's bulk loader)")
    if user is not None and password is None:
        if not sys.stdin.isatty():
            raise click.UsageError("--user needs --password (or CWGRAPH_STORE_PASSWORD)")
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    credentials = Credentials(user, password or "") if user is not None else None
    report = load_dump(source, endpoint, store=kind, graph=graph, replace=replace, credentials=credentials,
                       timeout=timeout, log=say)
    say(report.summary())
    say(report.next_step())


COMMANDS = [load]
