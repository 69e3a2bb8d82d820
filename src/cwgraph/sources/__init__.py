"""Source readers and the merge of one document read from several sources."""

from cwgraph.sources.discover import ReadResult, read_sources

__all__ = ["ReadResult", "read_sources"]
