"""Interpreting a record's text: the title grammar, printed dates, document types."""
