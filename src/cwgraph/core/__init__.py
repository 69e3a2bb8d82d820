"""Foundations every stage uses: configuration, the prefix table, errors, identifiers, RDF terms, the record type."""
