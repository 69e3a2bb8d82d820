"""The release on the web: resolvable IRIs with content negotiation, pages, SPARQL, a static site.

- :mod:`cwgraph.web.graph` — resources, owners and descriptions of a release;
- :mod:`cwgraph.web.negotiation` — formats, ``Accept`` negotiation, RDF serialisation;
- :mod:`cwgraph.web.views` and :mod:`cwgraph.web.pages` — what each page shows, and its HTML;
- :mod:`cwgraph.web.sparql_endpoint` — the read-only SPARQL 1.1 endpoint;
- :mod:`cwgraph.web.server` — the WSGI application (``cwgraph serve``);
- :mod:`cwgraph.web.site` — the static site and its rewrite rules (``cwgraph site``).
"""
