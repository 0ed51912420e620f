"""Evidence codes (mã minh chứng): formatting, parsing and finding citations. Pure Python.

A code names one evidence item of a school. The coding scheme belongs to the regulation's
catalog (``Regulation.evidence_code_scheme``):

- the 2018 family (TT17/TT18/TT19 of 2018): ``H{box}-{std}.{crit}-{seq:02d}``, e.g. ``H1-1.1-01``
  (H = box, hộp; then standard, criterion and a two-digit sequence within the criterion);
- the legacy family (TT42/2012, TT25/2014): ``H{box}.{std:02d}.{crit:02d}.{seq:02d}``,
  e.g. ``H1.01.01.01``;
- the reported newer regulation: ``MC.{std}.{crit}.{seq:02d}``, e.g. ``MC.1.2.03`` (no box).

A report cites codes in square brackets right after the statement they support, several in one
bracket separated by semicolons: ``... [H1-1.1-01; H1-1.1-02].`` Codes are stored without the
brackets, in upper case.

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
class Scheme:
    """One way of writing codes: its template (also its canonical name) and how to read it back."""

    key: str
    template: str
    example: str
    uses_box: bool
    pattern: str  # regular expression of one code, with named groups, no anchors

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
# Codes inside one bracket are separated by semicolons; a comma is accepted as well, since people
# type it and a code never contains one.
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


def iter_citations(text: str) -> Iterable[Citation]:
    """Every code cited in a bracketed group, in order of appearance, with its position.

    Parts of a bracket that are not codes (a footnote ``[1]``, ``[xem phụ lục]``) are ignored,
    so a group mixing both still yields its codes.
    """
    for group in _BRACKET.finditer(text or ""):
        offset = group.start(1)
        for part in _SEPARATOR.split(group.group(1)):
            stripped = part.strip()
            if stripped and CODE_PATTERN.fullmatch(stripped):
                start = offset + part.index(stripped)
                yield Citation(stripped.upper(), start, start + len(stripped))
            offset += len(part)


def find_citations(text: str) -> list[str]:
    """All codes cited in bracketed groups, in order, repeated as often as they are cited."""
    return [c.code for c in iter_citations(text)]


def replace_citations(text: str, mapping: Mapping[str, str]) -> str:
    """Rewrite cited codes by ``mapping`` {old: new} all at once (no chains: A->B, B->C moves A to B).

    Only codes inside bracketed citations change; the same characters elsewhere in the prose are
    left alone. Spacing and separators are kept as they were typed.
    """
    if not text or not mapping:
        return text
    table = {normalise_code(old): new for old, new in mapping.items()}
    pieces: list[str] = []
    last = 0
    for citation in iter_citations(text):
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


def format_citation(codes: Iterable[str]) -> str:
    """The bracketed citation of several codes: ``[H1-1.1-01; H1-1.1-02]``."""
    return "[" + "; ".join(codes) + "]"
