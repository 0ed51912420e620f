"""Side-by-side comparison of two report versions, criterion by criterion. No Django here.

Texts are compared in two passes: sentences first (so a rewritten paragraph lines up with the
one it replaced instead of scattering word matches over the whole text), then words inside
each changed run of sentences. The output is HTML-escaped text in which removed words are
wrapped in ``<del class="diff-del">`` on the left and added ones in ``<ins class="diff-ins">`` on
the right; nothing from the compared texts is ever emitted unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html import escape

DEL_OPEN, DEL_CLOSE = '<del class="diff-del">', "</del>"
INS_OPEN, INS_CLOSE = '<ins class="diff-ins">', "</ins>"

# Words (any script: \w is Unicode-aware, so Vietnamese letters with their marks are word
# characters), runs of whitespace, and single punctuation marks.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# A sentence ends at . ! ? ; or … followed by whitespace (so "1.1" or "[H1-1.1-01]" do not end
# one), or at a line break.
_SENTENCE = re.compile(r"(?:[^\n.!?;…]|[.!?;…]+(?![\s.!?;…]|$))*(?:[.!?;…]+(?:\s+|$)|\n+|$)")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences that concatenate back to it exactly."""
    parts = [s for s in _SENTENCE.findall(text) if s]
    assert "".join(parts) == text, "sentence split must be lossless"  # nosec B101  # an invariant of the regex, not a security check
    return parts


def _normalise(sentence: str) -> str:
    # Two sentences differing only in spacing line up as the same sentence.
    return " ".join(sentence.split())


def _wrap(chunk: str, open_tag: str, close_tag: str) -> str:
    """Escape ``chunk`` and mark it, leaving surrounding whitespace outside the mark."""
    if not chunk:
        return ""
    if not chunk.strip():
        return escape(chunk)
    stripped = chunk.strip()
    start = chunk.index(stripped[0])
    end = start + len(stripped)
    return escape(chunk[:start]) + open_tag + escape(stripped) + close_tag + escape(chunk[end:])


def _word_diff(old: str, new: str) -> tuple[str, str]:
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in _merge_small_equals(matcher.get_opcodes(), a):
        old_chunk, new_chunk = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(escape(old_chunk))
            right.append(escape(new_chunk))
        else:
            left.append(_wrap(old_chunk, DEL_OPEN, DEL_CLOSE))
            right.append(_wrap(new_chunk, INS_OPEN, INS_CLOSE))
    return "".join(left), "".join(right)


def _merge_small_equals(opcodes: Sequence[tuple[str, int, int, int, int]], a: Sequence[str]):
    """Fold an "equal" run of only whitespace between two changes into the change.

    Without it "hai ba" → "bốn năm" reads as two separate marks around an unchanged space.
    """
    merged: list[list] = []
    for op, i1, i2, j1, j2 in opcodes:
        whitespace_only = op == "equal" and all(not t.strip() for t in a[i1:i2])
        if merged and merged[-1][0] != "equal" and (op != "equal" or whitespace_only):
            previous = merged[-1]
            previous[0] = "replace"
            previous[2], previous[4] = i2, j2
            continue
        merged.append([op, i1, i2, j1, j2])
    # A whitespace run folded in at the very end would leave a trailing "replace" of whitespace:
    # harmless, since _wrap keeps whitespace outside the marks.
    return [tuple(m) for m in merged]


@dataclass(frozen=True)
class TextDiff:
    left: str  # escaped HTML of the old text with <del> marks
    right: str  # escaped HTML of the new text with <ins> marks
    changed: bool


def diff_text(old: str | None, new: str | None) -> TextDiff:
    """Compare two texts; both sides come back escaped, with the changed passages marked."""
    old, new = old or "", new or ""
    if old == new:
        return TextDiff(escape(old), escape(new), False)
    a, b = sentences(old), sentences(new)
    matcher = SequenceMatcher(None, [_normalise(s) for s in a], [_normalise(s) for s in b], autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_chunk, new_chunk = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal" and old_chunk == new_chunk:
            left.append(escape(old_chunk))
            right.append(escape(new_chunk))
        elif op == "delete":
            left.append(_wrap(old_chunk, DEL_OPEN, DEL_CLOSE))
        elif op == "insert":
            right.append(_wrap(new_chunk, INS_OPEN, INS_CLOSE))
        else:  # replace, or equal up to spacing: show the words that differ
            old_html, new_html = _word_diff(old_chunk, new_chunk)
            left.append(old_html)
            right.append(new_html)
    return TextDiff("".join(left), "".join(right), True)


# --- Documents: the comparable content of one version ------------------------------------------


@dataclass(frozen=True)
class Field:
    """One text of a section (e.g. "Mô tả hiện trạng – Mức 1", "Điểm mạnh")."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Fact:
    """A short value compared as a whole (a verdict, a computed level, an evidence item)."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A comparable unit of the report: a criterion, a standard's opening, Phần I, the evidence list."""

    key: str
    title: str
    fields: tuple[Field, ...] = ()
    facts: tuple[Fact, ...] = ()
    group: str = ""


@dataclass(frozen=True)
class FieldDiff:
    key: str
    label: str
    left: str
    right: str
    changed: bool
    status: str = "both"  # both, added, removed


@dataclass(frozen=True)
class FactDiff:
    key: str
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class SectionDiff:
    key: str
    title: str
    group: str
    status: str  # same, changed, added, removed
    fields: list[FieldDiff] = field(default_factory=list)
    facts: list[FactDiff] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != "same"

    @property
    def changed_fields(self) -> int:
        return sum(1 for f in self.fields if f.changed)

    @property
    def changed_facts(self) -> list[FactDiff]:
        return [f for f in self.facts if f.changed]


def _ordered_keys(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """Keys in the order of the new side, with keys only on the old side after their predecessor."""
    new_keys = list(new)
    result = list(new_keys)
    seen = set(new_keys)
    previous = None
    for key in old:
        if key not in seen:
            position = result.index(previous) + 1 if previous in result else 0
            result.insert(position, key)
            seen.add(key)
        previous = key
    return result


def compare_sections(old: Sequence[Section], new: Sequence[Section]) -> list[SectionDiff]:
    """Pair sections by key and compare their texts and facts; order follows the new version."""
    old_by_key = {s.key: s for s in old}
    new_by_key = {s.key: s for s in new}
    result = []
    for key in _ordered_keys(old_by_key, new_by_key):
        a, b = old_by_key.get(key), new_by_key.get(key)
        base = b or a
        status = "same"
        if a is None:
            status = "added"
        elif b is None:
            status = "removed"
        diff = SectionDiff(key=key, title=base.title, group=base.group, status=status)
        a_fields = {f.key: f for f in (a.fields if a else ())}
        b_fields = {f.key: f for f in (b.fields if b else ())}
        for fkey in _ordered_keys(a_fields, b_fields):
            fa, fb = a_fields.get(fkey), b_fields.get(fkey)
            text = diff_text(fa.text if fa else "", fb.text if fb else "")
            field_status = "both" if fa and fb else ("added" if fb else "removed")
            diff.fields.append(
                FieldDiff(fkey, (fb or fa).label, text.left, text.right, text.changed, field_status)
            )
        a_facts = {f.key: f for f in (a.facts if a else ())}
        b_facts = {f.key: f for f in (b.facts if b else ())}
        for fkey in _ordered_keys(a_facts, b_facts):
            fa, fb = a_facts.get(fkey), b_facts.get(fkey)
            diff.facts.append(FactDiff(fkey, (fb or fa).label, fa.value if fa else "", fb.value if fb else ""))
        if status == "same" and (diff.changed_fields or diff.changed_facts):
            diff.status = "changed"
        result.append(diff)
    return result
