"""The 2018 family (TT17, TT18, TT19/2018, as amended by TT22/2024): Mức 1-4, Cấp độ, chuẩn quốc gia.

Điều 6: a criterion reaches Mức k when every indicator of Mức 1..k is met; the school is at
Mức k when every criterion is; Mức 4 needs Mức 3 and every Mức 4 requirement (Điều 22).
Điều 34 and 37: the accreditation Cấp độ and the national standard Mức độ follow from the school
level under the preconditions the catalog states (completed cohorts, years of operation).
"""

from __future__ import annotations

from collections.abc import Mapping

from .common import assessed, criterion_results, grant, validate_verdicts
from .types import (
    CATALOG_INCOMPLETE,
    CRITERION_BELOW,
    LEVEL4_NOT_MET,
    Blocker,
    CatalogRules,
    CriterionResult,
    SchoolFacts,
    SchoolResult,
    Verdicts,
)

NAME = "2018"


def school_level(
    rules: CatalogRules, results: Mapping[str, CriterionResult], verdicts: Verdicts
) -> tuple[int, list[Blocker]]:
    """The lowest criterion level, plus one when it is the top level and every Mức 4 requirement is met."""
    counted = assessed(results)
    top = rules.level_count
    base = min((r.counted_level for r in counted), default=0)
    if base < top:
        holding_down = [r for r in counted if r.counted_level == base]
        return base, [
            Blocker(CRITERION_BELOW, "school_level", base + 1, r.number, detail={"criterion_level": r.level})
            for r in holding_down
        ]
    # A catalog without Mức 4 requirements has no level above the criteria's top level.
    if not rules.level4:
        return top, []
    unmet = [number for number in rules.level4 if not verdicts.level4.get(number, False)]
    if unmet:
        return top, [Blocker(LEVEL4_NOT_MET, "school_level", top + 1, detail={"requirement": n}) for n in unmet]
    return top + 1, []


def evaluate(rules: CatalogRules, verdicts: Verdicts, facts: SchoolFacts) -> SchoolResult:
    validate_verdicts(rules, verdicts)
    results = criterion_results(rules, verdicts)
    if not rules.complete:
        incomplete = Blocker(
            CATALOG_INCOMPLETE, "school_level", 1,
            detail={"criteria": len(rules.criteria), "expected": rules.expected_criteria},
        )
        return SchoolResult(
            rules.regulation, rules.family, results, None, None, None, (incomplete,), version=rules.version
        )
    level, blockers = school_level(rules, results, verdicts)
    accreditation, accreditation_blockers = grant(rules.accreditation, level, facts, "accreditation")
    national, national_blockers = grant(rules.national_standard, level, facts, "national_standard")
    return SchoolResult(
        regulation=rules.regulation,
        family=rules.family,
        criteria=results,
        school_level=level,
        accreditation_level=accreditation,
        national_standard=national,
        blockers=tuple(blockers + accreditation_blockers + national_blockers),
        version=rules.version,
    )
