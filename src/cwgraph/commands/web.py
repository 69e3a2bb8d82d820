"""``cwgraph serve`` and ``cwgraph site``: the release as resolvable linked data."""

from __future__ import annotations

from pathlib import Path

import click

from cwgraph.commands.options import data_option, quiet_option

__all__ = ["COMMANDS", "serve", "site"]


def _vocabulary(path: Path | None) -> Path | None:
    from cwgraph.web.graph import vocabulary_file

    return path if path is not None else vocabulary_file()


def _check_port(host: str, port: int) -> None:
    """Fail early, in our words, when the address cannot be listened on (before the graph loads)."""
    import errno
    import socket

    from cwgraph.core.errors import CwgraphError

    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CwgraphError(f"--host {host}: cannot resolve it ({exc.strerror})",
                           hint="give an address such as 127.0.0.1, ::1 or 0.0.0.0") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug does: TIME_WAIT is no obstacle
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CwgraphError(f"port {port} on {host} is in use by another program",
                                   hint=f"stop that program, or choose another port: --port {port + 1} "
                                        "(--port 0 picks a free one)") from None
            raise CwgraphError(f"cannot listen on {host}:{port}: {exc.strerror}",
                               hint="choose another --host or --port (ports below 1024 need root)") from None


@click.command()
@data_option("Release folder to serve. Default: dist/.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--vocabulary", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Our vocabulary, served at /vocab. Default: ontology/cwgraph.ttl of the checkout.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a SPARQL query may run before it is stopped (503).")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) a SPARQL answer holds; an answer that was cut says so (X-SPARQL-MaxRows).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="SPARQL worker processes (forked from one process that holds the release).")
@click.option("--max-memory", type=click.IntRange(min=0), default=512, show_default=True, metavar="MIB",
              help="Memory (MiB) one SPARQL query may use on top of the release; a query that needs more "
                   "is stopped (503). 0: no cap.")
@click.option("--allow-service", multiple=True, metavar="URL",
              help="A SPARQL endpoint that federated queries (SERVICE) may call; repeat for more. "
                   "Default: none (SERVICE is refused with 403).")
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True,
              help="Requests handled at once; more wait in a queue.")
@click.option("--connection-limit", type=click.IntRange(min=1), default=500, show_default=True,
              help="Open connections at once; more wait in the kernel's backlog.")
@click.option("--client-timeout", type=click.FloatRange(min=1), default=10.0, show_default=True,
              help="Seconds a client may take to send a whole request (slow clients are disconnected).")
@click.option("--public-url", default=None, metavar="URL",
              help="Where clients reach this server (behind a proxy), e.g. https://example.org/cwgraph/; "
                   "names the endpoint in the SPARQL service description. Default: the address it listens on.")
@click.option("--no-sparql", is_flag=True, help="Serve the pages and descriptions only.")
def serve(data: Path | None, host: str, port: int, vocabulary: Path | None, timeout: float, max_rows: int,
          workers: int, max_memory: int, allow_service: tuple[str, ...], threads: int, connection_limit: int,
          client_timeout: float, public_url: str | None, no_sparql: bool) -> None:
    """Serve the release: every IRI resolves by content negotiation, with a SPARQL endpoint.

    GET /document/110296 answers 303 See Other to /document/110296.html for a browser, .ttl,
    .jsonld, .nt or .rdf for Accept text/turtle, application/ld+json, application/n-triples,
    application/rdf+xml. /.well-known/void leads to the dataset description, /sparql is a
    read-only SPARQL 1.1 endpoint (no updates, no SERVICE unless --allow-service), /dist/ holds
    the release files. Runs in waitress with bounded threads and connections. Stop with Ctrl-C
    or SIGTERM.
    """
    from cwgraph.core.config import project_path
    from cwgraph.core.errors import CwgraphError
    from cwgraph.web.http_server import Limits, run

    for url in allow_service:
        if not url.lower().startswith(("http://", "https://")):
            raise CwgraphError(f"--allow-service {url}: not an http(s) URL",
                               hint="name the endpoint's full URL, e.g. https://query.wikidata.org/sparql")
    if public_url is not None and not public_url.lower().startswith(("http://", "https://")):
        raise CwgraphError(f"--public-url {public_url}: not an http(s) URL", hint="e.g. https://example.org/cwgraph/")
    _check_port(host, port)
    folder = data or project_path("dist")

    def ready(url: str, base: str) -> None:
        sparql = "" if no_sparql else " (SPARQL at /sparql)"
        click.echo(f"serving {folder} at {url} — IRIs under {base}{sparql}; Ctrl-C to stop", err=True)

    run(folder, host, port, vocabulary=_vocabulary(vocabulary), sparql=not no_sparql,
        timeout=timeout, max_rows=max_rows, workers=workers, max_memory=max_memory * 2**20,
        allow_service=allow_service, public_url=public_url, on_ready=ready,
        limits=Limits(threads=threads, connection_limit=connection_limit, request_timeout=client_timeout))
    click.echo("stopped", err=True)


@click.command()
@data_option("Release folder to publish. Default: dist/.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder to write the site into (replaced). Default: dist/site/.")
@click.option("--vocabulary", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Our vocabulary, published at /vocab. Default: ontology/cwgraph.ttl of the checkout.")
@quiet_option
def site(data: Path | None, out: Path | None, vocabulary: Path | None, quiet: bool) -> None:
    """Write the pages and descriptions as a static site, with Apache and nginx rewrite rules.

    Every resource gets {path}.html, .ttl, .jsonld, .nt and .rdf; .htaccess and nginx.conf make a
    plain web server answer a resource IRI with 303 See Other to the format the client asks for,
    as 'cwgraph serve' does. The release files are copied into dist/ inside the site.
    """
    from cwgraph.core.config import project_path
    from cwgraph.web.site import write_site

    release = data or project_path("dist")
    result = write_site(release, out or release / "site", vocabulary=_vocabulary(vocabulary))
    if not quiet:
        click.echo(f"{result.pages} pages and {result.files} files written to {result.folder}", err=True)


COMMANDS = [serve, site]
