"""Querying: the canned SPARQL queries, their parameters and how they run on the embedded store or an endpoint."""
