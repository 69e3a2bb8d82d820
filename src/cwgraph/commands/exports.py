"""``cwgraph export`` and ``cwgraph reconcile``: formats other communities use, Wikidata proposals."""

from __future__ import annotations

from pathlib import Path

import click

from cwgraph.commands.options import data_option, quiet_option

__all__ = ["COMMANDS", "export", "reconcile"]


@click.command()
@data_option("Release folder to read (its cwgraph.nt.gz) and write into. Default: dist/.")
@click.option("--published", metavar="YYYY-MM-DD", default=None,
              help="Publication date for the CMIF header. Default: the VoID's dcterms:issued, else "
                   "SOURCE_DATE_EPOCH, else 1970-01-01 (so the bytes never depend on the day).")
@quiet_option
def export(data: Path | None, published: str | None, quiet: bool) -> None:
    """Write CMIF, GEXF, GraphML, the network picture, the map, Mix'n'match, QuickStatements and BEACON files.

    Reads the release's N-Triples dump; same graph, same bytes. The build runs this too.
    """
    from cwgraph.core.config import project_path
    from cwgraph.exports import write_exports

    release = data or project_path("dist")
    if not (release / "cwgraph.nt.gz").is_file():
        raise click.UsageError(f"no cwgraph.nt.gz in {release}: build the release first (cwgraph build)")
    written = write_exports(release, published=published)
    if not quiet:
        for path in written:
            click.echo(f"wrote {path}", err=True)


@click.command()
@click.option("--endpoint", metavar="URL", default=None,
              help="A Wikidata-style SPARQL endpoint. Default: the Wikidata Query Service.")
@data_option("Release folder whose reports/reconciliation.tsv lists what to look for. Default: dist/.")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The reconciliation report to read instead.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("reconciliation"),
              show_default=True, help="Folder for proposals.tsv and proposals.json.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["person", "group", "place", "event", "actor"]),
              help="Only these kinds (repeatable). Default: all.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out candidates scoring below this.")
@click.option("--batch", type=click.IntRange(min=1), default=20, show_default=True,
              help="Entities per query.")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between queries (be kind to a public endpoint).")
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Seconds before a query is abandoned.")
def reconcile(endpoint: str | None, data: Path | None, report: Path | None, out: Path, kinds: tuple[str, ...],
              min_score: float, batch: int, delay: float, timeout: float) -> None:
    """Propose Wikidata links for entities that have none, for a curator to accept.

    Writes OUT/proposals.tsv and OUT/proposals.json with scored candidates; never writes QIDs
    into the authority files. Exits 0 when the proposals are written, 2 when the endpoint
    cannot be reached or the report cannot be read.
    """
    from cwgraph.core.config import project_path
    from cwgraph.resolving.reconcile import KINDS, WIKIDATA_SPARQL, collection_period, read_report, write_proposals
    from cwgraph.resolving.reconcile import reconcile as run

    release = data or project_path("dist")
    entities = read_report(report or release / "reports" / "reconciliation.tsv", tuple(kinds) or KINDS)
    endpoint = endpoint or WIKIDATA_SPARQL
    proposals = run(entities, endpoint, period=collection_period(release), batch=batch, timeout=timeout,
                    delay=delay, minimum=min_score)
    written = write_proposals(proposals, out, endpoint=endpoint)
    found = sum(1 for p in proposals if p.candidates)
    click.echo(f"{len(entities)} entities looked up, {found} with candidates — see {written[0]} "
               f"(nothing was written into the authority files)", err=True)


COMMANDS = [export, reconcile]
