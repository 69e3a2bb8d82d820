"""The same pages as ``cwgraph serve``, written as files for a plain web server, with rewrite rules.

Layout of the site folder (its root is the base IRI's path):

- ``index.html`` — the collection;
- ``{path}.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf`` — every resource, in every format;
- ``.well-known/void`` — the dataset description (Turtle);
- ``dist/`` — the release files;
- ``.htaccess`` (Apache) and ``nginx.conf`` (an nginx ``server`` block) — rules that answer a
  request for a resource IRI with ``303 See Other`` to the format its ``Accept`` header names,
  exactly like the server for the common headers (rules cannot weigh ``q`` values: a header
  naming both HTML and an RDF type gets HTML; clients can always use the extension).

There is no SPARQL endpoint in a static site: run ``cwgraph serve`` (or an Oxigraph server
loaded with ``dist/cwgraph.nt.gz``) and proxy ``/sparql`` to it (commented in the rules).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from cwgraph.core.config import BASE_IRI
from cwgraph.core.ids import COLLECTION
from cwgraph.web.graph import ReleaseGraph
from cwgraph.web.negotiation import FORMATS, RDF_FORMATS, RULES, TURTLE, serialize
from cwgraph.web.pages import PageRenderer, page_path
from cwgraph.web.server import release_downloads

__all__ = ["SiteResult", "apache_rules", "nginx_rules", "write_site"]


@dataclass
class SiteResult:
    folder: Path
    pages: int
    files: int


def write_site(release: Path, out: Path, *, base: str = BASE_IRI, vocabulary: Path | None = None,
               graph: ReleaseGraph | None = None) -> SiteResult:
    """Write the static site of ``release`` into ``out`` (replacing what the site wrote before)."""
    graph = graph or ReleaseGraph(release, base=base, vocabulary=vocabulary)
    out = out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    picture = "dist/network.svg" if (release / "network.svg").is_file() else None
    renderer = PageRenderer(graph, downloads=release_downloads(release), sparql=False, picture=picture)
    files = 0
    pages = 0
    for resource in graph.resources():
        stem = out / resource.file_path
        stem.parent.mkdir(parents=True, exist_ok=True)
        (out / page_path(resource.file_path)).write_text(renderer.render(resource), encoding="utf-8")
        pages += 1
        description = graph.description(resource.iri)
        for fmt in RDF_FORMATS:
            (out / f"{resource.file_path}.{fmt.extension}").write_bytes(serialize(description, fmt, graph.base))
            files += 1
    (out / "index.html").write_text(renderer.render_home("index.html"), encoding="utf-8")
    pages += 1
    if COLLECTION in graph:
        (out / ".well-known").mkdir(exist_ok=True)
        (out / ".well-known" / "void").write_bytes(serialize(graph.description(COLLECTION), TURTLE, graph.base))
        files += 1
    release_resolved = release.resolve()
    dist = out / "dist"
    for path in sorted(release_resolved.rglob("*")):
        if not path.is_file() or out in path.parents or path.name.startswith("."):
            continue
        target = dist / path.relative_to(release_resolved)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        files += 1
    (out / ".htaccess").write_text(apache_rules(), encoding="utf-8")
    (out / "nginx.conf").write_text(nginx_rules(), encoding="utf-8")
    return SiteResult(out, pages, files + 2)


_MEDIA = {f.extension: f.media_type for f in FORMATS}


def apache_rules() -> str:
    """``.htaccess`` for the site root: 303 by Accept, media types, CORS (needs mod_rewrite, mod_headers)."""
    html_re = RULES[0][0]
    lines = [
        "# cwgraph static site: content negotiation for Apache httpd (mod_rewrite, mod_headers, mod_mime).",
        "# A request for a resource IRI (/document/110296) gets 303 See Other to the description in the",
        "# format its Accept header names: .ttl, .jsonld, .nt, .rdf for RDF clients, .html otherwise.",
        "Options -MultiViews",
        "DirectorySlash Off",
        "DirectoryIndex index.html",
        "AddDefaultCharset utf-8",
        *(f"AddType {_MEDIA[ext]} .{ext}" for ext in ("ttl", "jsonld", "nt", "rdf", "html")),
        "AddCharset utf-8 .ttl .jsonld .nt .rdf .html",
        "AddType application/tei+xml .cmif.xml",
        "AddType application/gexf+xml .gexf",
        "AddType application/graphml+xml .graphml",
        "<Files \"void\">",
        "  ForceType text/turtle",
        "</Files>",
        "<IfModule mod_headers.c>",
        "  <FilesMatch \"\\.(ttl|jsonld|nt|rdf|gz|xml|gexf|graphml|tsv|txt)$|^void$\">",
        "    Header set Access-Control-Allow-Origin \"*\"",
        "  </FilesMatch>",
        "</IfModule>",
        "RewriteEngine On",
        "",
        "# the dataset description",
    ]
    root = "RewriteCond %{REQUEST_URI} ^(.*/)\\.well-known/void$"  # %1: the site's URL path, wherever it is mounted
    for regex, ext in RULES[1:]:
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} !({html_re}) [NC]", f"RewriteCond %{{HTTP_ACCEPT}} ({regex}) [NC]",
                  root, f"RewriteRule ^ %1collection/sino-soviet-alliance.{ext} [R=303,L,E=CWGRAPH_NEGOTIATED:1]"]
    lines += [root, "RewriteRule ^ %1collection/sino-soviet-alliance.html [R=303,L,E=CWGRAPH_NEGOTIATED:1]", ""]
    lines += ["# resources: an IRI without an extension whose .html description exists"]
    for regex, ext in RULES[1:]:
        lines += [
            "RewriteCond %{REQUEST_FILENAME} !-f",
            "RewriteCond %{REQUEST_FILENAME}.html -f",
            f"RewriteCond %{{HTTP_ACCEPT}} !({html_re}) [NC]",
            f"RewriteCond %{{HTTP_ACCEPT}} ({regex}) [NC]",
            f"RewriteRule ^ %{{REQUEST_URI}}.{ext} [R=303,L,E=CWGRAPH_NEGOTIATED:1]",
        ]
    lines += [
        "RewriteCond %{REQUEST_FILENAME} !-f",
        "RewriteCond %{REQUEST_FILENAME}.html -f",
        "RewriteRule ^ %{REQUEST_URI}.html [R=303,L,E=CWGRAPH_NEGOTIATED:1]",
        "<IfModule mod_headers.c>",
        "  Header always set Vary Accept env=REDIRECT_CWGRAPH_NEGOTIATED",
        "  Header always set Vary Accept env=CWGRAPH_NEGOTIATED",
        "  Header always set Access-Control-Allow-Origin \"*\" env=CWGRAPH_NEGOTIATED",
        "</IfModule>",
        "",
        "# SPARQL: proxy to `cwgraph serve` (or an Oxigraph server loaded with dist/cwgraph.nt.gz):",
        "# RewriteRule ^sparql$ http://127.0.0.1:8000/sparql [P,L]",
        "",
    ]
    return "\n".join(lines)


def nginx_rules(root: str = "/srv/cwgraph/site", prefix: str = "/") -> str:
    """An nginx ``server`` block serving the site at ``prefix`` with the same 303 negotiation."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    maps = "\n".join(f'    "~*({regex})" {ext};' for regex, ext in RULES)
    types = "\n".join(f"        {_MEDIA[ext]} {ext};" for ext in ("html", "ttl", "jsonld", "nt", "rdf"))
    return f"""# cwgraph static site: content negotiation for nginx. Include this file in the http block
# (or copy the map and the server block), and set root to the site folder.
# A request for a resource IRI gets 303 See Other to the description its Accept header names.
map $http_accept $cwgraph_ext {{
    default html;
{maps}
}}

server {{
    listen 8080;
    root {root};
    charset utf-8;
    charset_types text/turtle application/ld+json application/n-triples application/rdf+xml text/plain;
    types {{
{types}
        application/tei+xml xml;
        application/gexf+xml gexf;
        application/graphml+xml graphml;
        image/svg+xml svg;
        image/png png;
        application/gzip gz;
        text/tab-separated-values tsv;
        text/plain txt;
    }}

    location = {prefix}.well-known/void {{
        add_header Vary Accept always;
        add_header Access-Control-Allow-Origin * always;
        return 303 {prefix}collection/sino-soviet-alliance.$cwgraph_ext;
    }}

    location ~ \\.(ttl|jsonld|nt|rdf|gz|xml|gexf|graphml|tsv|txt)$ {{
        add_header Access-Control-Allow-Origin * always;
        try_files $uri =404;
    }}

    location {prefix} {{
        index index.html;
        if (-f $request_filename.html) {{
            add_header Vary Accept always;
            add_header Access-Control-Allow-Origin * always;
            return 303 $uri.$cwgraph_ext;
        }}
        try_files $uri $uri/index.html =404;
    }}

    # SPARQL: proxy to `cwgraph serve` (or an Oxigraph server loaded with dist/cwgraph.nt.gz)
    # location = {prefix}sparql {{ proxy_pass http://127.0.0.1:8000/sparql; }}
}}
"""
