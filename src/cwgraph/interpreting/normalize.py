"""Names as matching keys: how an authority's spelling and a title's spelling are compared.

>>> normalize_name("A.Y Vyshinsky"), normalize_name("Acheson’s"), normalize_name("Zhou Ēnlái")
('a y vyshinsky', 'acheson', 'zhou enlai')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize_name"]

_POSSESSIVE = re.compile(r"[’']s\b")
_PUNCTUATION = str.maketrans({**{c: " " for c in ".-‐–—_,;:\"“”()[]"}, "’": None, "'": None, "`": None})


@lru_cache(maxsize=1 << 18)
def normalize_name(name: str) -> str:
    """A matching key: casefolded, without diacritics, punctuation or doubled spaces."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    if "s" in name and ("'" in name or "’" in name):
        name = _POSSESSIVE.sub("", name)  # "Acheson's speech" matches "Acheson’s speech" and "Acheson speech"
    return " ".join(name.casefold().translate(_PUNCTUATION).split())
