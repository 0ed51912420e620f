"""The legacy family (TT42/2012, TT25/2014): criteria đạt / không đạt, Cấp độ 1-3 by share and required lists.

A criterion is đạt when its indicators (a, b, c) are all đạt. Cấp độ k is granted when the share
of criteria đạt reaches the rung's minimum and every criterion on the rung's list is đạt; rungs
are checked from the top (TT42 Điều 31 khoản 1). Every threshold and list comes from the catalog;
where the catalog lacks one (a rule not captured, a list cut off in the source) the answer is
"cannot decide", with the reason and the rung the school reaches at least, never a guess.

The upper bound of a band ("từ 70% đến dưới 85%") separates it from the rung above and does not
disqualify by itself: a school at 90% that misses one criterion of the Cấp độ 3 list but meets
the Cấp độ 2 list is Cấp độ 2. Read literally it would fall to Cấp độ 1, so that meeting one more
criterion could lower the level; the catalog itself notes this reading as the probable intent
(``interpretation_doubt`` in tt42_2012_primary.json), and it keeps every result monotone.
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from typing import Any

from .common import assessed, criterion_results, validate_verdicts
from .types import (
    CATALOG_INCOMPLETE,
    CRITERION_NOT_MET,
    REQUIRED_CRITERION_NOT_MET,
    RULE_MISSING,
    SHARE_TOO_LOW,
    Blocker,
    CatalogRules,
    LevelRule,
    SchoolFacts,
    SchoolResult,
    Verdicts,
)

NAME = "legacy"


def check_rung(rule: LevelRule, met: frozenset[str], total: int) -> tuple[bool | None, list[Blocker]]:
    """True when the rung is reached, False with the reasons when not, None when the catalog cannot tell."""
    if not rule.known:
        return None, [Blocker(RULE_MISSING, "accreditation", rule.level)]
    share = Fraction(len(met), total) if total else Fraction(0)
    failed: list[Blocker] = []
    if rule.min_share is not None and share < rule.min_share:
        needed = math.ceil(rule.min_share * total) - len(met)
        detail = {"met": len(met), "total": total, "min_share": str(rule.min_share), "missing": needed}
        failed.append(Blocker(SHARE_TOO_LOW, "accreditation", rule.level, detail=detail))
    if rule.required_criteria is not None:
        failed.extend(
            Blocker(REQUIRED_CRITERION_NOT_MET, "accreditation", rule.level, number)
            for number in rule.required_criteria
            if number not in met
        )
    if failed:
        return False, failed
    if rule.required_criteria is None:
        return None, [Blocker(RULE_MISSING, "accreditation", rule.level, detail={"part": "required_criteria"})]
    return True, []


def accreditation_level(rules: CatalogRules, met: frozenset[str], total: int) -> tuple[int | None, list[Blocker]]:
    """The highest rung reached, checked from the top; the blockers explain the rung right above it.

    When a rung cannot be decided, the answer is None and the blocker says which rung the school
    reaches at least (``at_least``), found by going on down the ladder.
    """
    if not rules.accreditation:
        return None, [Blocker(RULE_MISSING, "accreditation", 1)]
    pending: list[Blocker] = []
    undecided: list[Blocker] = []
    for rule in sorted(rules.accreditation, key=lambda r: r.level, reverse=True):
        reached, blockers = check_rung(rule, met, total)
        if reached is None and not undecided:
            undecided = blockers
        elif reached and undecided:
            return None, [replace(b, detail={**b.detail, "at_least": rule.level}) for b in undecided]
        elif reached:
            return rule.level, pending
        elif not undecided:
            pending = blockers
    if undecided:
        return None, [replace(b, detail={**b.detail, "at_least": 0}) for b in undecided]
    return 0, pending


def evaluate(rules: CatalogRules, verdicts: Verdicts, facts: SchoolFacts) -> SchoolResult:
    validate_verdicts(rules, verdicts, binary=True)
    results = criterion_results(rules, verdicts)
    counted = assessed(results)
    met = frozenset(r.number for r in counted if r.level)
    total = len(counted)
    common: dict[str, Any] = {
        "regulation": rules.regulation,
        "family": rules.family,
        "criteria": results,
        "school_level": None,
        "national_standard": None,
        "version": rules.version,
        "criteria_met": len(met),
        "criteria_total": total,
        "binary_criteria": True,
    }
    if not rules.complete:
        detail = {"criteria": total, "expected": rules.expected_criteria}
        blocker = Blocker(CATALOG_INCOMPLETE, "accreditation", 1, detail=detail)
        return SchoolResult(accreditation_level=None, blockers=(blocker,), **common)
    level, blockers = accreditation_level(rules, met, total)
    top = max(rule.level for rule in rules.accreditation) if rules.accreditation else 0
    if level is not None and level < top:
        # Required-criteria blockers name the criteria that matter most; the other criteria not met follow.
        named = {b.criterion for b in blockers if b.criterion}
        blockers += [
            Blocker(CRITERION_NOT_MET, "accreditation", level + 1, r.number)
            for r in counted
            if not r.level and r.number not in named
        ]
    return SchoolResult(accreditation_level=level, blockers=tuple(blockers), **common)
