"""Reading a source file as text: every decoding problem is located and reported.

A file is decoded as UTF-8 (a BOM is accepted) or, with a UTF-16 BOM, as UTF-16;
Windows and old Mac line endings become ``\\n`` (a lone CR inside a file of ``\\n``
lines is a control character, reported, not a line break). A line that is not valid UTF-8
is decoded with replacement characters and reported, so the records around
it are still read; a file that is binary (an image, an archive, mostly NUL
bytes or undecodable) is rejected as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cwgraph.core.errors import Location, SourceError

__all__ = ["CONTROL", "DecodedText", "clean_text", "read_text"]

# control characters other than tab and newlines (and a carriage return that ends no line,
# which is not a line break in a file of LF or CRLF lines); kept out of published literals
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"BZh", b"\x7fELF")


@dataclass
class DecodedText:
    """The text, and the lines (1-based) that needed repair, with the reason."""

    text: str
    bad_lines: dict[int, str] = field(default_factory=dict)
    control_lines: set[int] = field(default_factory=set)


def clean_text(value: str) -> tuple[str, bool]:
    """Replace control characters by spaces; say whether any were found."""
    cleaned = CONTROL.sub(" ", value)
    return cleaned, cleaned != value


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_MAGIC):
        return True
    sample = data[:65536]
    return sample.count(b"\x00") > max(1, len(sample) // 100)


def read_text(path: Path, display: str) -> DecodedText:
    """Decode a source file; raise :class:`SourceError` for an empty or binary file."""
    data = path.read_bytes()
    if not data.strip():
        raise SourceError("the file is empty", location=Location(display, 1),
                          hint="remove the file or give it records")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _lines(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise SourceError("the file starts with a UTF-16 byte-order mark but is not UTF-16 text",
                              location=Location(display, 1), hint="save the file as UTF-8") from None
    if _looks_binary(data):
        raise SourceError("binary content, not text (an image, an archive or a binary file)",
                          location=Location(display, 1),
                          hint="this is not a listing page or record file; remove it from the source folder")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return _lines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    raw_lines = (data.replace(b"\r\n", b"\n") if b"\n" in data else data.replace(b"\r", b"\n")).split(b"\n")
    out: list[str] = []
    bad: dict[int, str] = {}
    for number, raw in enumerate(raw_lines, start=1):
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            bad[number] = (f"line {number} is not UTF-8 text: byte 0x{raw[exc.start]:02x} at column "
                           f"{exc.start + 1} cannot be decoded")
            out.append(raw.decode("utf-8", errors="replace"))
    if len(bad) > max(3, len(raw_lines) // 10):
        raise SourceError(f"not UTF-8 text ({len(bad)} of {len(raw_lines)} lines cannot be decoded)",
                          location=Location(display, min(bad)),
                          hint="save the file as UTF-8 (re-export it, or convert with iconv -f LATIN1 -t UTF-8)")
    decoded = _lines("\n".join(out))
    decoded.bad_lines.update(bad)
    return decoded


def _lines(text: str) -> DecodedText:
    # CRLF and old-Mac CR line ends become LF; a lone CR in a file of LF lines stays, to be
    # reported and replaced by a space like any control character (never a silent line break)
    text = text.replace("\r\n", "\n") if "\n" in text else text.replace("\r", "\n")
    control = {n for n, line in enumerate(text.split("\n"), start=1) if CONTROL.search(line)}
    return DecodedText(text, {}, control)
