"""Building a release: the pipeline, its chunks (shards), the graph outside the documents, and background writers."""
