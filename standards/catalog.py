"""A regulation catalog as plain data: the validated shape of one JSON catalog, and its versions.

No Django here. ``importers.validate_catalog`` turns a catalog dict (the shape of the shared JSON
files) into a ``CatalogSpec``; ``services.catalog_apply`` writes a spec to the database;
``exporters.catalog_dict`` turns the database back into the same dict.

Every element keeps ``source``: the element exactly as the catalog gave it, minus its children,
whose key stays as a placeholder (``"criteria": null``, ``"levels": ["1", "2", "3"]``). That is
what makes an export give back the very same JSON, keys, order and unmodelled notes included.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

# The catalogs name school levels in English words; the app uses School.Level codes.
SCHOOL_LEVEL_CODES = {
    "preschool": "mn",
    "primary": "th",
    "lower_secondary": "thcs",
    "upper_secondary": "thpt",
    "multi_level": "multi",
}
SCHOOL_LEVEL_WORDS = {code: word for word, code in SCHOOL_LEVEL_CODES.items()}

BASE_VERSION = "original"


def school_level_code(value: str) -> str | None:
    """The School.Level code for a catalog word or code, None when neither."""
    value = value.strip().lower()
    if value in SCHOOL_LEVEL_CODES:
        return SCHOOL_LEVEL_CODES[value]
    if value in SCHOOL_LEVEL_WORDS:
        return value
    return None


def version_code(amendment_number: str) -> str:
    """A short, stable code for the version an amending act creates: "22/2024/TT-BGDĐT" -> "TT22/2024"."""
    match = re.match(r"^\s*(\d+)/(\d{4})/TT", amendment_number)
    if match:
        return f"TT{int(match.group(1))}/{match.group(2)}"
    return amendment_number.strip()[:40]


@dataclass
class IndicatorSpec:
    level: int
    key: str
    text: str | None
    unlettered: bool
    source: dict[str, Any]
    # Set on derived versions only.
    is_repealed: bool = False
    repealed_by: str = ""
    amended_by: str = ""
    # Amended by an act whose new wording the catalog does not have yet.
    amended_text_pending: bool = False


@dataclass
class CriterionSpec:
    number: str
    title: str | None
    applies_to: list[str] | None
    source: dict[str, Any]
    indicators: list[IndicatorSpec] = field(default_factory=list)
    amendments: list[dict[str, Any]] = field(default_factory=list)
    # TT57/2026 fields (empty for the other catalogs).
    mandatory: bool = False
    evidence_hints: list[str] = field(default_factory=list)
    quantitative_data: str = ""
    quantitative_indicators: list[str] = field(default_factory=list)
    title_variants: list[dict[str, Any]] = field(default_factory=list)
    agreement: str = ""


@dataclass
class StandardSpec:
    number: int
    title: str | None
    source: dict[str, Any]
    criteria: list[CriterionSpec] = field(default_factory=list)
    title_variants: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Level4Spec:
    number: int
    article: str
    text: str
    source: dict[str, Any]


@dataclass
class AmendmentSpec:
    """An amending act (e.g. Thông tư 22/2024) that makes a new version from its effective date."""

    number: str
    code: str
    title: str
    issued: datetime.date | None
    effective: datetime.date | None
    note: str = ""


@dataclass
class CatalogSpec:
    code: str
    document_number: str
    title: str
    issuer: str
    issued: datetime.date | None
    effective: datetime.date | None
    school_levels: list[str]
    family: str
    status: str
    evidence_code_scheme: str
    verification_status: str
    verification_note: str
    provenance: str
    level_count: int
    source: dict[str, Any]
    rules: dict[str, Any]
    standards: list[StandardSpec] = field(default_factory=list)
    level4: list[Level4Spec] = field(default_factory=list)
    amendments: list[AmendmentSpec] = field(default_factory=list)
    complete: bool = True
    expected_criteria: int | None = None
    # One appendix of a group (TT57/2026): the group's code and the appendix number.
    group_code: str = ""
    appendix: str = ""
    first_school_year: str = ""

    def criteria(self):
        for standard in self.standards:
            yield from standard.criteria

    def indicator_count(self, level: int) -> int:
        return sum(1 for c in self.criteria() for i in c.indicators if i.level == level)


@dataclass
class VersionSpec:
    """One version of a catalog: the original, or the original as amended up to one act."""

    code: str
    title: str
    amended_by: str
    effective: datetime.date | None
    is_base: bool
    note: str
    standards: list[StandardSpec]
    level4: list[Level4Spec]
    # Criterion amendments that could not be applied ("number/level/key").
    problems: list[str] = field(default_factory=list)


def _copy_standards(standards: list[StandardSpec]) -> list[StandardSpec]:
    return [
        StandardSpec(
            s.number, s.title, dict(s.source),
            [
                CriterionSpec(**{
                    **c.__dict__,
                    "source": dict(c.source),
                    "indicators": [IndicatorSpec(**{**i.__dict__, "source": dict(i.source)}) for i in c.indicators],
                    "amendments": list(c.amendments),
                })
                for c in s.criteria
            ],
            list(s.title_variants),
        )
        for s in standards
    ]


def amendment_action(entry: dict[str, Any]) -> str:
    """"repealed (bãi bỏ)" -> "repealed"; the catalogs keep the Vietnamese word beside the English one."""
    return str(entry.get("action") or "").split(" ")[0].strip().lower()


def apply_amendment(standards: list[StandardSpec], amendment: AmendmentSpec) -> list[str]:
    """Apply one act's criterion-level changes in place; return notes on what could not be applied."""
    problems = []
    for criterion in (c for s in standards for c in s.criteria):
        for entry in criterion.amendments:
            if str(entry.get("by") or "").strip() != amendment.number:
                continue
            level = int(entry.get("level") or 0)
            key = str(entry.get("indicator_key") or "*")
            action = amendment_action(entry)
            targets = [i for i in criterion.indicators if i.level == level and key in ("*", i.key)]
            new_text = entry.get("text_vi")
            if action == "repealed":
                for indicator in targets:
                    indicator.is_repealed = True
                    indicator.repealed_by = amendment.number
            elif action == "amended":
                if new_text and len(targets) == 1:
                    targets[0].text = new_text
                    targets[0].source["text"] = new_text
                    targets[0].amended_by = amendment.number
                else:
                    for indicator in targets:
                        indicator.amended_by = amendment.number
                        indicator.amended_text_pending = True
            elif action == "added":
                if key == "*" or not new_text or any(i.level == level and i.key == key for i in criterion.indicators):
                    problems.append(f"{criterion.number}/{level}/{key}")
                    continue
                source = {"key": key, "text": new_text}
                criterion.indicators.append(IndicatorSpec(level, key, new_text, False, source, amended_by=amendment.number))
            else:
                problems.append(f"{criterion.number}/{level}/{key}")
    return problems


def derive_versions(spec: CatalogSpec) -> list[VersionSpec]:
    """The original version, then one version per amending act in order of effect, each cumulative."""
    versions = [
        VersionSpec(
            code=BASE_VERSION,
            title="",
            amended_by="",
            effective=spec.effective,
            is_base=True,
            note="",
            standards=spec.standards,
            level4=spec.level4,
        )
    ]
    standards = spec.standards
    dated = sorted(spec.amendments, key=lambda a: (a.effective is None, a.effective or datetime.date.min))
    for amendment in dated:
        standards = _copy_standards(standards)
        problems = apply_amendment(standards, amendment)
        versions.append(
            VersionSpec(
                code=amendment.code,
                title=amendment.title,
                amended_by=amendment.number,
                effective=amendment.effective,
                is_base=False,
                note=amendment.note,
                standards=standards,
                level4=spec.level4,
                problems=problems,
            )
        )
    return versions


# --- Groups: one file, several catalogs (TT57/2026: one per appendix) --------------------------
#
# The file has ``catalogs[]`` (each with ``appendix``, ``title``, ``school_levels``, ``standards``)
# beside the regulation's own keys. It is loaded as one regulation per appendix: the file's keys,
# with ``code`` replaced by the appendix's code (``catalog.appendices``), ``catalogs`` replaced by
# the appendix's ``school_levels`` and ``standards``, and a ``group`` key keeping what the file
# needs back: its code, the appendix's position and the appendix's own keys (``school_levels`` and
# ``standards`` as placeholders). ``merge_group`` is the exact inverse.

GROUP_KEY = "group"
GROUP_LIFTED = ("school_levels", "standards")


def is_group(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("catalogs"), list)


def group_problems(data: dict[str, Any]) -> list[str]:
    """Why a group file cannot be split (English, for the validator to word): empty when it can."""
    problems = []
    meta = data.get("catalog") if isinstance(data.get("catalog"), dict) else {}
    codes = meta.get("appendices")
    if not isinstance(codes, dict):
        return ["catalog.appendices"]
    for key in (GROUP_KEY, *GROUP_LIFTED):
        if key in data:
            problems.append(key)
    for index, part in enumerate(data["catalogs"]):
        if not isinstance(part, dict) or not isinstance(codes.get(str(part.get("appendix"))), str):
            problems.append(f"catalogs[{index}].appendix")
    return problems


def split_group(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One single-catalog dict per appendix of a group file (call ``group_problems`` first)."""
    codes = data["catalog"]["appendices"]
    parts = []
    for index, appendix in enumerate(data["catalogs"]):
        part: dict[str, Any] = {}
        for key, value in data.items():
            if key == "code":
                part["code"] = codes[str(appendix["appendix"])]
            elif key == "catalogs":
                for lifted in GROUP_LIFTED:
                    part[lifted] = appendix.get(lifted)
                part[GROUP_KEY] = {
                    "code": data["code"],
                    "index": index,
                    "appendix": {k: (None if k in GROUP_LIFTED else v) for k, v in appendix.items()},
                }
            else:
                part[key] = value
        parts.append(part)
    return parts


def merge_group(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The group file back from its appendices' catalog dicts (as ``split_group`` made them)."""
    parts = sorted(parts, key=lambda part: part[GROUP_KEY]["index"])
    first = parts[0]
    data: dict[str, Any] = {}
    for key, value in first.items():
        if key == "code":
            data["code"] = first[GROUP_KEY]["code"]
        elif key in GROUP_LIFTED:
            continue
        elif key == GROUP_KEY:
            data["catalogs"] = [
                {k: (part.get(k) if k in GROUP_LIFTED else v) for k, v in part[GROUP_KEY]["appendix"].items()}
                for part in parts
            ]
        else:
            data[key] = value
    return data
