"""Source readers and the merge of one document read from several sources."""

from cwgraph.sources.discover import ReadResult, iter_records

__all__ = ["ReadResult", "iter_records"]
