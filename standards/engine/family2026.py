"""The 2026 family (Thông tư 57/2026/TT-BGDĐT): Mức 1-2, mandatory criteria, chuẩn quốc gia Mức độ 1-2.

A criterion reaches Mức 1 when its Mức 1 requirement is met and Mức 2 when its Mức 2 requirement
is met as well (Mức 2 is only considered once Mức 1 is met); otherwise it is "Không đạt".

The school (khoản 3 Điều 5), with the thresholds read from ``rules.school_level.structured`` and
the mandatory criteria from the catalog's flags, never from code:

- Mức 1: every mandatory criterion at Mức 1 or above, and at least ``others_min_count`` (5) of the
  other criteria (7) at Mức 1 or above;
- Mức 2: every mandatory criterion at Mức 2, at least ``others_min_count`` of the others at Mức 2,
  and every other criterion at least at ``others_rest_min_level`` (Mức 1).

National standard (Điều 16): Mức độ k when the school is at Mức k and the preconditions of the
ladder in ``rules.national_standard_recognition.ladder`` hold (a completed cohort; self-assessment
data of 3 consecutive school years). There is no accreditation Cấp độ under TT57.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from .common import assessed, criterion_results, grant, validate_verdicts
from .rules import ladder
from .types import (
    CATALOG_INCOMPLETE,
    INDICATOR_NOT_MET,
    MANDATORY_BELOW,
    OTHER_BELOW_MINIMUM,
    OTHERS_TOO_FEW,
    Blocker,
    CatalogRules,
    CriterionResult,
    EngineError,
    LevelRule,
    SchoolFacts,
    SchoolResult,
    Verdicts,
)

NAME = "2026"

SCHOOL_LEVEL = "school_level"
NATIONAL_STANDARD = "national_standard_recognition"
TRANSITION = "quantitative_data_transition"


def _whole(path: str, value: Any, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise EngineError(path, "not_whole_number")
    return int(value)


def thresholds(rules: Mapping[str, Any] | None) -> dict[int, dict[str, int]]:
    """``rules.school_level.structured`` checked: level -> {mandatory_min_level, others_min_count, ...}."""
    section = (rules or {}).get(SCHOOL_LEVEL)
    structured = section.get("structured") if isinstance(section, Mapping) else None
    if not isinstance(structured, Mapping) or not structured:
        raise EngineError(f"rules.{SCHOOL_LEVEL}.structured", "rule_missing")
    result: dict[int, dict[str, int]] = {}
    for key, entry in structured.items():
        path = f"rules.{SCHOOL_LEVEL}.structured.{key}"
        if not str(key).isdigit() or not isinstance(entry, Mapping):
            raise EngineError(path, "not_ladder")
        level = int(key)
        rung = {
            "mandatory_min_level": _whole(f"{path}.mandatory_min_level", entry.get("mandatory_min_level"), minimum=1),
            "others_min_count": _whole(f"{path}.others_min_count", entry.get("others_min_count")),
            "others_min_level": _whole(f"{path}.others_min_level", entry.get("others_min_level"), minimum=1),
            "others_rest_min_level": _whole(
                f"{path}.others_rest_min_level", entry.get("others_rest_min_level", 0)
            ),
        }
        result[level] = rung
    return dict(sorted(result.items()))


def national_standard_ladder(rules: Mapping[str, Any] | None) -> tuple[LevelRule, ...]:
    section = (rules or {}).get(NATIONAL_STANDARD)
    return ladder(section if isinstance(section, Mapping) else {}, "ladder")


def _rung_blockers(
    level: int, rung: Mapping[str, int], mandatory: list[CriterionResult], others: list[CriterionResult]
) -> list[Blocker]:
    """Why the school is not at ``level`` under ``rung``: empty when it is."""
    blockers = []
    for result in mandatory:
        if result.counted_level < rung["mandatory_min_level"]:
            blockers.append(Blocker(
                MANDATORY_BELOW, "school_level", level, result.number,
                detail={"criterion_level": result.level, "required_level": rung["mandatory_min_level"]},
            ))
    reached = sum(1 for r in others if r.counted_level >= rung["others_min_level"])
    required = min(rung["others_min_count"], len(others))
    if reached < required:
        blockers.append(Blocker(
            OTHERS_TOO_FEW, "school_level", level,
            detail={"reached": reached, "required": required, "total": len(others),
                    "required_level": rung["others_min_level"]},
        ))
    if rung["others_rest_min_level"]:
        for result in others:
            if result.counted_level < rung["others_rest_min_level"]:
                blockers.append(Blocker(
                    OTHER_BELOW_MINIMUM, "school_level", level, result.number,
                    detail={"criterion_level": result.level, "required_level": rung["others_rest_min_level"]},
                ))
    return blockers


def school_level(rules: CatalogRules, results: Mapping[str, CriterionResult]) -> tuple[int, list[Blocker]]:
    """The highest level whose rung holds (rungs are cumulative: Mức 2 needs Mức 1), and what blocks the next."""
    rungs = thresholds(rules.data)
    mandatory_numbers = set(rules.mandatory)
    counted = assessed(results)
    mandatory = [r for r in counted if r.number in mandatory_numbers]
    others = [r for r in counted if r.number not in mandatory_numbers]
    reached = 0
    for level, rung in rungs.items():
        blockers = _rung_blockers(level, rung, mandatory, others)
        if blockers:
            return reached, blockers
        reached = level
    return reached, []


def _unlettered(result: CriterionResult) -> CriterionResult:
    """Each TT57 level is one unlettered requirement: its blocker says so (``detail["unlettered"]``), so
    the explanation reads "Yêu cầu Mức 2 của tiêu chí 1.3 chưa đạt", not "Chỉ báo a Mức 2 ..."."""
    if not any(b.code == INDICATOR_NOT_MET for b in result.blockers):
        return result
    blockers = tuple(
        dataclasses.replace(b, detail={**b.detail, "unlettered": True}) if b.code == INDICATOR_NOT_MET else b
        for b in result.blockers
    )
    return dataclasses.replace(result, blockers=blockers)


def evaluate(rules: CatalogRules, verdicts: Verdicts, facts: SchoolFacts) -> SchoolResult:
    validate_verdicts(rules, verdicts)
    results = {number: _unlettered(result) for number, result in criterion_results(rules, verdicts).items()}
    if not rules.complete:
        incomplete = Blocker(
            CATALOG_INCOMPLETE, "school_level", 1,
            detail={"criteria": len(rules.criteria), "expected": rules.expected_criteria},
        )
        return SchoolResult(
            rules.regulation, rules.family, results, None, None, None, (incomplete,), version=rules.version
        )
    level, blockers = school_level(rules, results)
    national, national_blockers = grant(national_standard_ladder(rules.data), level, facts, "national_standard")
    return SchoolResult(
        regulation=rules.regulation,
        family=rules.family,
        criteria=results,
        school_level=level,
        accreditation_level=None,
        national_standard=national,
        blockers=tuple(blockers + national_blockers),
        version=rules.version,
    )


def quantitative_transition(rules: Mapping[str, Any] | None, on_date: datetime.date) -> dict[str, Any] | None:
    """The transition rule of khoản 4 Điều 27 as data: its text, its period, and whether ``on_date`` falls in it.

    Until 31/12/2028 quantitative data alone never makes a criterion "không đạt"; the editor shows
    the text beside the quantitative indicators while the rule is in effect.
    """
    section = (rules or {}).get(TRANSITION)
    if not isinstance(section, Mapping):
        return None
    raw = section.get("structured")
    structured: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    try:
        start = datetime.date.fromisoformat(str(structured["from"])) if structured.get("from") else None
        until = datetime.date.fromisoformat(str(structured["until"])) if structured.get("until") else None
    except ValueError:
        raise EngineError(f"rules.{TRANSITION}.structured", "not_ladder") from None
    return {
        "legal_ref": str(section.get("legal_ref") or ""),
        "text": str(section.get("text") or ""),
        "from": start,
        "until": until,
        "in_effect": (start is None or start <= on_date) and (until is None or on_date <= until),
    }
