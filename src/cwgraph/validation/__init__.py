"""Validation: the SHACL shapes and CRM term check (pyshacl, the reference), the compiled SHACL engine, and streaming a dump through it."""
