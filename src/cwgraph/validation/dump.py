"""Validating a published dump as a stream: a chunk of documents at a time, in parallel.

A release's ``cwgraph.nt.gz`` is sorted, so a document and its parts can be cut out of
it without holding the graph (:func:`cwgraph.core.dumps.document_chunks`). The
shapes look no further than a node's own triples and the classes of its values, so
each chunk is validated with the types of everything outside the documents as
context, exactly as the build validates its chunks; then the lines outside the
documents are validated with the types of the documents they point to. Two passes
over the file; memory holds the lines outside the documents (entities, names, types)
and the chunks in flight. Findings equal a whole-graph validation (tested against
pyshacl).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cwgraph.core.config import BASE_IRI
from cwgraph.core.dumps import UnsortedLines, document_chunks, is_nt, open_binary, read_lines
from cwgraph.core.errors import ValidationFailed
from cwgraph.core.pool import ordered_map
from cwgraph.core.terms import parse_nt_lines
from cwgraph.validation.shacl import type_context
from cwgraph.validation.validate import Finding, Report, _crm_schema, load_shapes, validate_partition, validate_triples

__all__ = ["NotSorted", "is_dump", "validate_dump"]

CHUNK = 500
_DOC = f"<{BASE_IRI}document/"
_TYPE = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
_STATE: dict[str, object] = {}


class NotSorted(ValidationFailed):
    """The dump's lines are not in order, so documents cannot be cut out of it as a stream."""


is_dump = is_nt  # an N-Triples file (``.nt`` or ``.nt.gz``): what this module can stream


def _lines(path: Path) -> Iterator[str]:
    for line in read_lines(path):
        if line.strip() and not line.startswith("#"):
            yield line


def _init(context: list[str]) -> None:
    _STATE["shapes"] = load_shapes()
    _STATE["types"] = type_context(context)
    _crm_schema()


def _check(lines: list[str]) -> list[Finding]:
    return validate_triples(parse_nt_lines(lines), _STATE["types"], _STATE["shapes"])  # type: ignore[arg-type]


def validate_dump(path: Path, workers: int = 1, chunk: int = CHUNK) -> Report:
    """Validate a sorted N-Triples dump (a release's ``cwgraph.nt.gz``) chunk by chunk.

    Raises :class:`ValidationFailed` when the file is not sorted or cannot be parsed.
    """

    outside: list[str] = []
    try:
        for line in _lines(path):  # first pass: everything outside the documents
            if not line.startswith(_DOC):
                outside.append(line)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise ValidationFailed(f"cannot read {path}: {exc}", hint="check the file is a complete N-Triples dump") from None
    context = [line for line in outside if _TYPE in line]
    referenced = {term for line in outside for term in line.split(" ")[2:3] if term.startswith(_DOC)}
    findings: list[Finding] = []
    document_types: list[str] = []
    _init(context)
    try:
        for result in _run(document_chunks(_lines(path), chunk, []), workers, referenced, document_types, context):
            findings.extend(result)
    except UnsortedLines as exc:
        raise NotSorted(f"{path} is not sorted ({exc})",
                               hint="validate a release's cwgraph.nt.gz, or use --engine pyshacl") from None
    except (SyntaxError, ValueError):  # the N-Triples parser's errors, with lines counted in a chunk
        raise _syntax_error(path) from None

    try:
        findings.extend(validate_partition(outside, document_types, _STATE["shapes"]))  # type: ignore[arg-type]
    except (SyntaxError, ValueError):
        raise _syntax_error(path) from None
    return Report(sorted(set(findings)))


def _syntax_error(path: Path) -> ValidationFailed:
    """The parser's own message for the whole file, so the line number is the file's."""
    import pyoxigraph as ox

    try:
        with open_binary(path) as f:
            for _ in ox.parse(f, format=ox.RdfFormat.N_TRIPLES):
                pass
    except (SyntaxError, ValueError) as exc:
        return ValidationFailed(f"cannot load {path}: {exc}", hint="check the file is N-Triples (one triple a line)")
    return ValidationFailed(f"cannot load {path}: a line is not valid N-Triples",
                            hint="check the file is N-Triples (one triple a line)")


def _run(chunks: Iterator[list[str]], workers: int, referenced: set[str], document_types: list[str],
         context: list[str]) -> Iterator[list[Finding]]:
    def note(lines: list[str]) -> list[str]:
        document_types.extend(line for line in lines if _TYPE in line and line.split(" ", 1)[0] in referenced)
        return lines

    yield from ordered_map(_check, (note(lines) for lines in chunks), workers, _init, (context,))
