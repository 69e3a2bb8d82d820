"""Reading a source file as text, with every decoding problem reported."""

from __future__ import annotations

import re
from pathlib import Path

from cwgraph.errors import Location, SourceError

__all__ = ["CONTROL", "read_text"]

# control characters other than tab and newlines; kept out of published literals
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_text(path: Path, display: str) -> str:
    """Decode a file as UTF-8 (a BOM is accepted; UTF-16 with a BOM is decoded too).

    Raises :class:`SourceError` for an empty or binary file.
    """
    data = path.read_bytes()
    if not data.strip():
        raise SourceError("the file is empty", location=Location(display, 1),
                          hint="remove the file or give it records")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise SourceError(
                f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded",
                location=Location(display, line),
                hint="save the file as UTF-8 (re-export it, or convert with iconv)",
            ) from None
    if "\x00" in text:
        raise SourceError("binary content (NUL bytes) in a text source", location=Location(display, 1),
                          hint="this is not a listing page or record file; remove it from the source folder")
    return text.replace("\r\n", "\n").replace("\r", "\n")
