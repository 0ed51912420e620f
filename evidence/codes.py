"""Evidence codes (mã minh chứng): formatting, parsing and finding citations. Pure Python.

A code names one evidence item of a school. The coding scheme belongs to the regulation's
catalog (``Regulation.evidence_code_scheme``):

- the 2018 family (TT17/TT18/TT19 of 2018): ``H{box}-{std}.{crit}-{seq:02d}``, e.g. ``H1-1.1-01``
  (H = box, hộp; then standard, criterion and a two-digit sequence within the criterion);
- the legacy family (TT42/2012, TT25/2014): ``H{box}.{std:02d}.{crit:02d}.{seq:02d}``,
  e.g. ``H1.01.01.01``;
- the reported newer regulation: ``MC.{std}.{crit}.{seq:02d}``, e.g. ``MC.1.2.03`` (no box).

How a report cites codes belongs to the scheme as well (``Scheme.style``):

- 2018 and legacy: square brackets right after the statement they support, several in one bracket
  separated by semicolons: ``... [H1-1.1-01; H1-1.1-02].`` (Công văn 5932 guidance);
- TT57/2026 (``MC``): round brackets inside the sentence, before the full stop, several separated
  by commas: ``... theo quy định (MC.1.1.01, MC.1.1.02).`` (Phụ lục IV mục I.3 and II.2).

Codes are stored without the brackets, in upper case. Without a scheme, the readers accept both
forms (square brackets for any code, round brackets for the codes of a round-bracket scheme), so
renumbering and the serializers keep working on every report; with a scheme they read only that
scheme's codes in that scheme's form, which is what a report's consistency check needs.

Sequences above 99 print with three digits (``H1-1.1-100``); nothing in the regulations forbids a
hundredth item under one criterion, and a code must never be ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MAX_NUMBER = 999


class UnknownSchemeError(ValueError):
    """The catalog names an evidence code scheme this module does not know."""


@dataclass(frozen=True)
class CitationStyle:
    """How codes are cited in a report's text: the brackets and what separates several codes."""

    open: str
    close: str
    separator: str  # as written between two codes, e.g. "; "


SQUARE = CitationStyle(open="[", close="]", separator="; ")
ROUND = CitationStyle(open="(", close=")", separator=", ")


@dataclass(frozen=True)
class Scheme:
    """One way of writing codes: its template (also its canonical name) and how to read it back."""

    key: str
    template: str
    example: str
    uses_box: bool
    pattern: str  # regular expression of one code, with named groups, no anchors
    style: CitationStyle = SQUARE

    @property
    def regex(self) -> re.Pattern[str]:
        return _COMPILED[self.key]

    def format(self, *, box: int, standard: int, criterion: int, sequence: int) -> str:
        return format_code(self, box=box, standard=standard, criterion=criterion, sequence=sequence)


_NUM = r"[1-9]\d{0,2}"  # 1..999, no leading zero
_TWO = r"(?:0[1-9]|[1-9]\d)"  # 01..99, zero-padded to two digits
_SEQ = r"(?:0[1-9]|[1-9]\d{1,2})"  # 01..99, then 100..999

SCHEME_2018 = Scheme(
    key="2018",
    template="H{box}-{std}.{crit}-{seq:02d}",
    example="H1-1.1-01",
    uses_box=True,
    pattern=rf"H(?P<box>{_NUM})-(?P<std>{_NUM})\.(?P<crit>{_NUM})-(?P<seq>{_SEQ})",
)
SCHEME_LEGACY = Scheme(
    key="legacy",
    template="H{box}.{std:02d}.{crit:02d}.{seq:02d}",
    example="H1.01.01.01",
    uses_box=True,
    pattern=rf"H(?P<box>{_NUM})\.(?P<std>{_TWO})\.(?P<crit>{_TWO})\.(?P<seq>{_SEQ})",
)
SCHEME_MC = Scheme(
    key="mc",
    template="MC.{std}.{crit}.{seq:02d}",
    example="MC.1.2.03",
    uses_box=False,
    pattern=rf"MC\.(?P<std>{_NUM})\.(?P<crit>{_NUM})\.(?P<seq>{_SEQ})",
    style=ROUND,
)
SCHEMES: dict[str, Scheme] = {s.key: s for s in (SCHEME_2018, SCHEME_LEGACY, SCHEME_MC)}
DEFAULT_SCHEME = SCHEME_2018

_COMPILED = {s.key: re.compile(s.pattern, re.IGNORECASE) for s in SCHEMES.values()}

# What a catalog may write in its scheme field, besides the template itself: the key, the
# notation of the domain documents ("Hn-a.b-c"), and the family name of the regulation.
_ALIASES = {
    "h2018": "2018",
    "hn-a.b-c": "2018",
    "h{n}-{a}.{b}-{c}": "2018",
    "family2018": "2018",
    "hn.ab.cd.ef": "legacy",
    "h{n}.{ab}.{cd}.{ef}": "legacy",
    "tt42": "legacy",
    "mc.a.b.nn": "mc",
    "mc.a.b.c": "mc",
    "mc{a}.{b}.{nn}": "mc",
}


def resolve_scheme(value: str | Scheme | None, *, family: str = "") -> Scheme:
    """The scheme a catalog names (by template, key or alias); empty: the default of its family.

    Raises UnknownSchemeError for a value that names nothing known, so that a typo in a catalog
    is noticed instead of silently coding a school's evidence the wrong way.
    """
    if isinstance(value, Scheme):
        return value
    text = (value or "").strip()
    if not text:
        family_key = (family or "").strip().lower()
        if family_key in SCHEMES:
            return SCHEMES[family_key]
        return DEFAULT_SCHEME
    lowered = text.lower().replace(" ", "")
    for scheme in SCHEMES.values():
        if lowered in (scheme.key, scheme.template.lower()):
            return scheme
    if lowered in _ALIASES:
        return SCHEMES[_ALIASES[lowered]]
    raise UnknownSchemeError(f"Unknown evidence code scheme: {value!r}")


# Any code of any scheme, no groups, no anchors (for searching and validating).
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
CODE_PATTERN = re.compile(
    "|".join("(?:" + _NAMED_GROUP.sub("(?:", s.pattern) + ")" for s in SCHEMES.values()),
    re.IGNORECASE,
)

# A bracketed group: no nested brackets, no line break, bounded length (a citation, not a paragraph).
_BRACKET = re.compile(r"\[([^\[\]\r\n]{1,500})\]")
_PAREN = re.compile(r"\(([^()\r\n]{1,500})\)")
_GROUPS = {SQUARE: _BRACKET, ROUND: _PAREN}
# Codes inside one bracket are separated by semicolons or commas: the 2018 guidance writes ";",
# TT57 writes ",", people type either, and a code never contains one.
_SEPARATOR = re.compile(r"([;,])")


def _check_number(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not 1 <= value <= MAX_NUMBER:
        raise ValueError(f"{name} must be between 1 and {MAX_NUMBER}, not {value}")
    return value


def format_code(scheme: str | Scheme, *, box: int, standard: int, criterion: int, sequence: int) -> str:
    """The code of the ``sequence``-th item of criterion ``standard.criterion`` kept in ``box``.

    >>> format_code("H{box}-{std}.{crit}-{seq:02d}", box=1, standard=1, criterion=1, sequence=1)
    'H1-1.1-01'
    """
    scheme = resolve_scheme(scheme)
    box = _check_number("box", box)
    standard = _check_number("standard", standard)
    criterion = _check_number("criterion", criterion)
    sequence = _check_number("sequence", sequence)
    if scheme is SCHEME_LEGACY and (standard > 99 or criterion > 99):
        raise ValueError("the legacy scheme writes standard and criterion on two digits")
    return scheme.template.format(box=box, std=standard, crit=criterion, seq=sequence)


@dataclass(frozen=True)
class ParsedCode:
    scheme: Scheme
    box: int | None
    standard: int
    criterion: int
    sequence: int

    @property
    def criterion_number(self) -> str:
        """The criterion as the catalogs number it, e.g. "1.10"."""
        return f"{self.standard}.{self.criterion}"

    def code(self) -> str:
        return format_code(
            self.scheme, box=self.box or 1, standard=self.standard, criterion=self.criterion, sequence=self.sequence
        )


def parse_code(text: str) -> ParsedCode | None:
    """Read one code (brackets and surrounding spaces allowed); None when it is not a code."""
    candidate = (text or "").strip()
    if candidate.startswith("[") and candidate.endswith("]"):
        candidate = candidate[1:-1].strip()
    for scheme in SCHEMES.values():
        match = scheme.regex.fullmatch(candidate)
        if match:
            groups = match.groupdict()
            return ParsedCode(
                scheme=scheme,
                box=int(groups["box"]) if groups.get("box") else None,
                standard=int(groups["std"]),
                criterion=int(groups["crit"]),
                sequence=int(groups["seq"]),
            )
    return None


def normalise_code(text: str) -> str:
    """A code as stored: no brackets, no surrounding spaces, upper case. Not validated."""
    candidate = (text or "").strip()
    if candidate.startswith("[") and candidate.endswith("]"):
        candidate = candidate[1:-1]
    return candidate.strip().upper()


def is_code(text: str) -> bool:
    return CODE_PATTERN.fullmatch((text or "").strip()) is not None


def split_criterion_number(number: str) -> tuple[int, int]:
    """ "1.10" -> (1, 10): the standard and criterion parts of a catalog's criterion number."""
    parts = (number or "").strip().split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a criterion number: {number!r}")
    return int(parts[0]), int(parts[1])


@dataclass(frozen=True)
class Citation:
    code: str  # normalised
    start: int  # offsets of the code itself in the text
    end: int


def scheme_of(code: str) -> Scheme | None:
    """The scheme a code is written in, or None when it is not a code."""
    parsed = parse_code(code)
    return parsed.scheme if parsed else None


def _codes_in_groups(text: str, style: CitationStyle, accept) -> Iterable[Citation]:
    """Codes inside the bracketed groups of ``style`` that ``accept(code)`` admits, with positions."""
    for group in _GROUPS[style].finditer(text):
        offset = group.start(1)
        for part in _SEPARATOR.split(group.group(1)):
            stripped = part.strip()
            if stripped and accept(stripped):
                start = offset + part.index(stripped)
                yield Citation(stripped.upper(), start, start + len(stripped))
            offset += len(part)


def iter_citations(text: str, scheme: str | Scheme | None = None) -> Iterable[Citation]:
    """Every code cited in a bracketed group, in order of appearance, with its position.

    Without ``scheme``: any code in square brackets, and the codes of round-bracket schemes (MC) in
    round brackets. With ``scheme``: only that scheme's codes, only in its own brackets (a TT57
    report reads ``(MC.1.1.01)``, not ``[MC.1.1.01]`` nor ``[H1-1.1-01]``).

    Parts of a bracket that are not codes (a footnote ``[1]``, ``(xem phụ lục)``) are ignored,
    so a group mixing both still yields its codes.
    """
    text = text or ""
    if scheme is not None:
        scheme = resolve_scheme(scheme)
        yield from _codes_in_groups(text, scheme.style, scheme.regex.fullmatch)
        return
    found = list(_codes_in_groups(text, SQUARE, CODE_PATTERN.fullmatch))
    round_schemes = [s for s in SCHEMES.values() if s.style == ROUND]
    found.extend(_codes_in_groups(text, ROUND, lambda part: any(s.regex.fullmatch(part) for s in round_schemes)))
    yield from sorted(found, key=lambda c: c.start)


def find_citations(text: str, scheme: str | Scheme | None = None) -> list[str]:
    """All codes cited in bracketed groups, in order, repeated as often as they are cited.

    ``find_citations(text, "mc")`` is the list a TT57 report's check compares with the library.
    """
    return [c.code for c in iter_citations(text, scheme)]


@dataclass(frozen=True)
class CitationIssue:
    """A code written in a way the scheme does not cite; ``kind`` is one of the ``ISSUE_*`` names."""

    code: str
    kind: str
    start: int
    end: int


ISSUE_WRONG_BRACKETS = "wrong_brackets"  # [MC.1.1.01] in a TT57 report, (H1-1.1-01) in a 2018 one
ISSUE_BARE = "bare"  # a code of the scheme outside any bracket
ISSUE_OTHER_SCHEME = "other_scheme"  # [H1-1.1-01] cited in a TT57 report


def citation_issues(text: str, scheme: str | Scheme) -> list[CitationIssue]:
    """Codes in ``text`` that are not proper citations of ``scheme``, in order of appearance.

    Proper citations (``iter_citations(text, scheme)``) are not listed; everything else that
    looks like a code is: in the other kind of bracket, bare in the prose, or of another scheme.
    """
    scheme = resolve_scheme(scheme)
    text = text or ""
    proper = {(c.start, c.end) for c in iter_citations(text, scheme)}
    bracketed: dict[tuple[int, int], str] = {}
    for style in (SQUARE, ROUND):
        for citation in _codes_in_groups(text, style, CODE_PATTERN.fullmatch):
            bracketed[(citation.start, citation.end)] = citation.code
    issues = []
    for match in CODE_PATTERN.finditer(text):
        span = (match.start(), match.end())
        # A code glued to letters or digits ("XH1-1.1-01", "MC.1.1.012") is not a code.
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if (before and (before.isalnum() or before in ".-")) or (after and (after.isalnum() or after == "-")):
            continue
        if span in proper:
            continue
        code = match.group(0).upper()
        if not scheme.regex.fullmatch(code):
            kind = ISSUE_OTHER_SCHEME
        elif span in bracketed:
            kind = ISSUE_WRONG_BRACKETS
        else:
            kind = ISSUE_BARE
        issues.append(CitationIssue(code, kind, *span))
    return issues


def replace_citations(text: str, mapping: Mapping[str, str], scheme: str | Scheme | None = None) -> str:
    """Rewrite cited codes by ``mapping`` {old: new} all at once (no chains: A->B, B->C moves A to B).

    Only codes inside citations change (``iter_citations`` decides which); the same characters
    elsewhere in the prose are left alone. Spacing and separators are kept as they were typed.
    """
    if not text or not mapping:
        return text
    table = {normalise_code(old): new for old, new in mapping.items()}
    pieces: list[str] = []
    last = 0
    for citation in iter_citations(text, scheme):
        new = table.get(citation.code)
        if new is None:
            continue
        pieces.append(text[last : citation.start])
        pieces.append(new)
        last = citation.end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def format_citation(codes: Iterable[str], scheme: str | Scheme | None = None) -> str:
    """The citation of several codes in the scheme's form (by default the form of the first code).

    >>> format_citation(["H1-1.1-01", "H1-1.1-02"])
    '[H1-1.1-01; H1-1.1-02]'
    >>> format_citation(["MC.1.1.01", "MC.1.1.02"])
    '(MC.1.1.01, MC.1.1.02)'
    """
    codes = list(codes)
    if scheme is not None:
        style = resolve_scheme(scheme).style
    else:
        first = scheme_of(codes[0]) if codes else None
        style = first.style if first else SQUARE
    return style.open + style.separator.join(codes) + style.close
