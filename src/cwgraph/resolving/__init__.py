"""Resolving names: the authority files, resolution of a reading to entities, identity of unknown names, evidence, mentions in summaries, reconciliation against Wikidata."""
