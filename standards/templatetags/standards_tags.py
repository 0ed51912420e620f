"""Template helpers of the catalog pages: search highlighting and word diffs."""

from __future__ import annotations

import unicodedata

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..diff import word_diff
from ..selectors import search_words

register = template.Library()


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    # Keep one folded character per original one, so that match positions map back.
    return (base.casefold() or " ")[:1]


@register.filter
def highlight(text: str, query: str):
    """``text`` escaped, with every word of ``query`` wrapped in <mark> (accent- and case-insensitive)."""
    text = text or ""
    words = [w for w in search_words(query or "") if w]
    if not words:
        return text
    folded = "".join(_fold_char(ch) for ch in text)
    marked = [False] * len(text)
    for word in words:
        start = folded.find(word)
        while start != -1:
            for i in range(start, start + len(word)):
                marked[i] = True
            start = folded.find(word, start + len(word))
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        chunk = escape(text[i:j])
        out.append(f"<mark>{chunk}</mark>" if marked[i] else chunk)
        i = j
    html = "".join(out)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703  # every chunk is escaped above


@register.filter
def worddiff(old: str, new: str):
    """The change from ``old`` to ``new`` with deleted words in <del> and inserted ones in <ins>."""
    out = []
    for op, chunk in word_diff(old, new):
        chunk = escape(chunk)
        out.append({
            "delete": f'<del class="bg-danger-subtle">{chunk}</del>',
            "insert": f'<ins class="bg-success-subtle">{chunk}</ins>',
        }.get(op, chunk))
    html = "".join(out)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703  # every chunk is escaped above
