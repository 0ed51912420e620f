"""Text helpers for search. Pure Python."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics, so that "bien ban" finds "Biên bản" ("đ" -> "d")."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"\s+", " ", text).strip()


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The folded words of a query, at most ``limit`` of them (a search box, not a document)."""
    return [word for word in fold(query).split(" ") if word][:limit]
