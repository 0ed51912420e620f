"""Building blocks every rule family shares: input checks, criterion levels, ladders with preconditions.

A new family (a newer regulation with its own way of aggregating criteria) is usually one small
function built from these pieces; see ``registry.register_family``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .types import (
    INDICATOR_NOT_MET,
    PRECONDITION_NOT_MET,
    PRECONDITION_UNKNOWN,
    RULE_MISSING,
    Blocker,
    CatalogRules,
    CriterionResult,
    CriterionSpec,
    EngineError,
    LevelRule,
    SchoolFacts,
    Verdicts,
)


def validate_verdicts(rules: CatalogRules, verdicts: Verdicts, *, binary: bool = False) -> None:
    """Raise EngineError naming the first bad field: unknown or missing criteria, levels, keys, values."""
    if (verdicts.indicators is None) == (verdicts.criteria is None):
        raise EngineError("indicators", "both_or_neither")
    known = {spec.number: spec for spec in rules.criteria}
    given: Mapping[str, object] = (
        verdicts.indicators if verdicts.indicators is not None else verdicts.criteria or {}
    )
    section = "indicators" if verdicts.indicators is not None else "criteria"
    for number in given:
        if number not in known:
            raise EngineError(f"{section}.{number}", "unknown_criterion")
    if verdicts.indicators is not None:
        for number, by_level in verdicts.indicators.items():
            _validate_indicator_verdicts(known[number], by_level, rules.level_count)
    elif verdicts.criteria is not None:
        for number, value in verdicts.criteria.items():
            _validate_criterion_value(f"criteria.{number}", value, rules.level_count, binary=binary)
    for number, spec in known.items():
        if spec.is_assessed and number not in given:
            raise EngineError(f"{section}.{number}", "missing_criterion")
    level4 = set(rules.level4)
    for number, met in verdicts.level4.items():
        if number not in level4:
            raise EngineError(f"level4.{number}", "unknown_level4")
        if not isinstance(met, bool):
            raise EngineError(f"level4.{number}", "not_boolean")


def _validate_indicator_verdicts(
    spec: CriterionSpec, by_level: Mapping[int, Mapping[str, bool]], level_count: int
) -> None:
    for level, by_key in by_level.items():
        path = f"indicators.{spec.number}.{level}"
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= level_count:
            raise EngineError(path, "level_out_of_range", low=1, high=level_count)
        for key, met in by_key.items():
            if not spec.knows(level, key):
                raise EngineError(f"{path}.{key}", "unknown_indicator")
            if not isinstance(met, bool):
                raise EngineError(f"{path}.{key}", "not_boolean")


def _validate_criterion_value(path: str, value: object, level_count: int, *, binary: bool) -> None:
    if binary:
        if not isinstance(value, bool):
            raise EngineError(path, "not_boolean")
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= level_count:
        raise EngineError(path, "level_out_of_range", low=0, high=level_count)


def criterion_result(spec: CriterionSpec, verdicts: Verdicts, level_count: int) -> CriterionResult:
    """Mức k when every indicator in force of Mức 1..k is met; a level without indicators adds nothing."""
    if not spec.is_assessed:
        return CriterionResult(spec.number, None, level_count)
    if verdicts.criteria is not None:
        return CriterionResult(spec.number, given_level(spec, int(verdicts.criteria[spec.number]), level_count), level_count)
    reached = 0
    for level in range(1, level_count + 1):
        unmet = [key for key in spec.indicators.get(level, ()) if not verdicts.indicator(spec.number, level, key)]
        if unmet:
            blockers = tuple(
                Blocker(INDICATOR_NOT_MET, "criterion", level, spec.number, indicator_level=level, indicator_key=key)
                for key in unmet
            )
            return CriterionResult(spec.number, reached, level_count, blockers)
        reached = level
    return CriterionResult(spec.number, reached, level_count)


def given_level(spec: CriterionSpec, level: int, level_count: int) -> int:
    """A level given directly, raised over the levels above it that have no indicator in force.

    Exactly as from indicators: a 2018 criterion without Mức 3 indicators that reaches Mức 2 is at
    Mức 3, since a level without indicators adds no requirement.
    """
    if level < 1:
        return level
    while level < level_count and not spec.indicators.get(level + 1):
        level += 1
    return level


def criterion_results(rules: CatalogRules, verdicts: Verdicts) -> dict[str, CriterionResult]:
    return {spec.number: criterion_result(spec, verdicts, rules.level_count) for spec in rules.criteria}


def assessed(results: Mapping[str, CriterionResult]) -> list[CriterionResult]:
    return [r for r in results.values() if r.level is not None]


def precondition_blockers(rule: LevelRule, facts: SchoolFacts, target: str) -> list[Blocker]:
    """The rung's preconditions that fail or cannot be checked for lack of a fact."""
    blockers = []
    for fact, minimum in (
        ("completed_cohorts", rule.min_completed_cohorts),
        ("years_operating", rule.min_years_operating),
        ("years_of_data", rule.min_years_of_data),
    ):
        if minimum is None:
            continue
        actual = getattr(facts, fact)
        if actual is None:
            blockers.append(Blocker(PRECONDITION_UNKNOWN, target, rule.level, detail={"fact": fact, "required": minimum}))
        elif actual < minimum:
            detail = {"fact": fact, "required": minimum, "actual": actual}
            blockers.append(Blocker(PRECONDITION_NOT_MET, target, rule.level, detail=detail))
    return blockers


def grant(
    ladder: Iterable[LevelRule], school_level: int | None, facts: SchoolFacts, target: str
) -> tuple[int | None, list[Blocker]]:
    """The highest rung whose required school level and preconditions hold: 0 if none, None if undecidable.

    A rung the catalog does not state (``known`` False) makes the answer undecidable rather than
    guessed, as does a missing school level.
    """
    rungs = sorted(ladder, key=lambda rule: rule.level, reverse=True)
    if not rungs:
        return None, [Blocker(RULE_MISSING, target, 1)]
    if school_level is None:
        return None, []
    blockers: list[Blocker] = []
    for rule in rungs:
        if not rule.known or rule.school_level_required is None:
            return None, [Blocker(RULE_MISSING, target, rule.level)]
        if school_level < rule.school_level_required:
            continue
        failed = precondition_blockers(rule, facts, target)
        if not failed:
            return rule.level, blockers
        if not blockers:
            # The highest rung the school level would give explains why nothing above the result is granted.
            blockers = failed
    return 0, blockers
