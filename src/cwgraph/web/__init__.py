"""The release on the web: resolvable IRIs with content negotiation, pages, SPARQL, a static site.

- :mod:`cwgraph.web.graph` — resources, owners and descriptions of a release;
- :mod:`cwgraph.web.negotiation` — formats, ``Accept`` negotiation, RDF serialisation;
- :mod:`cwgraph.web.views` and :mod:`cwgraph.web.pages` — what each page shows, and its HTML;
- :mod:`cwgraph.web.sparql_endpoint` — the read-only SPARQL 1.1 endpoint;
- :mod:`cwgraph.web.sparql_policy` — what the endpoint refuses (updates, SERVICE), from the query's tokens;
- :mod:`cwgraph.web.query_workers` — query processes forked from one loaded release, with a memory cap;
- :mod:`cwgraph.web.server` — the WSGI application;
- :mod:`cwgraph.web.http_server` — ``cwgraph serve``: waitress with limits on connections and slow clients;
- :mod:`cwgraph.web.site` — the static site and its rewrite rules (``cwgraph site``).
"""
