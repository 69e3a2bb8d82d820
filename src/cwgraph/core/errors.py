"""Error kinds. Each carries the record it came from and says how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AuthorityError",
    "CwgraphError",
    "DateError",
    "Location",
    "SourceError",
    "StoreError",
    "ValidationFailed",
]


@dataclass(frozen=True, order=True)
class Location:
    """Where a record stands in its source: file (relative to the project) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}#L{self.line}"


class CwgraphError(ValueError):
    """Base error: a message, an optional location and a hint that says how to fix it."""

    def __init__(self, message: str, *, location: Location | None = None, hint: str | None = None):
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.location.file}:{self.location.line}: " if self.location else ""
        fix = f" (fix: {self.hint})" if self.hint else ""
        return f"{where}{self.message}{fix}"

    def at(self, location: Location) -> CwgraphError:
        """The same error, located."""
        return type(self)(self.message, location=location, hint=self.hint)


class SourceError(CwgraphError):
    """A source file or record that cannot be read."""


class DateError(CwgraphError):
    """A printed date that cannot be read."""


class AuthorityError(CwgraphError):
    """An authority file that is malformed or inconsistent."""


class StoreError(CwgraphError):
    """A triple store that cannot be reached or refuses a request."""


class ValidationFailed(CwgraphError):
    """The graph does not conform to the shapes."""
