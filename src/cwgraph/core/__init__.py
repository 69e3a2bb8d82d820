"""Foundations every stage uses: configuration, the prefix table, errors, identifiers, RDF terms, the record type, release dumps, sorted run files and the bounded worker pool."""
