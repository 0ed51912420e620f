"""External evaluations: their pages, result rows and the engine's suggestion."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .. import reports
from ..models import (
    CriterionResult,
    ExternalEvaluation,
    Recommendation,
    TeamMember,
)
from .scope import evaluations_visible_to

# --- External evaluations ---------------------------------------------------------------------


@dataclass
class ResultRow:
    criterion: object
    standard: object
    result: CriterionResult | None
    self_level: int | None
    # Where the self-assessed level comes from: "report" (computed in the school's report in the
    # system) or "dossier" (typed from the paper dossier), "" when unknown.
    self_source: str = ""

    @property
    def differs(self) -> bool:
        return self.result is not None and self.self_level is not None and self.result.level != self.self_level


def evaluation_for_page(queryset: QuerySet[ExternalEvaluation], pk: int) -> ExternalEvaluation:
    return queryset.prefetch_related(
        Prefetch("team", queryset=TeamMember.objects.order_by("order", "id")),
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("criterion", "action").order_by("position", "id")),
    ).get(pk=pk)


def evaluation_result_rows(evaluation: ExternalEvaluation, *, report=None) -> list[ResultRow]:
    """Every criterion of the evaluation's catalog version that applies to the school's level, with
    the external result and the self-assessed level beside it: the level computed in the school's
    ``report`` when there is one (matched by criterion number, the report may be on another
    version of the same regulation), else the one recorded from the dossier (two or three queries)."""
    from standards.models import Criterion

    report_levels = reports.self_assessed_levels(report) if report is not None else {}
    results = {r.criterion_id: r for r in evaluation.results.all()}
    criteria = Criterion.objects.filter(standard__version=evaluation.regulation_version, is_repealed=False).select_related(
        "standard"
    ).order_by("standard__position", "position")
    level = evaluation.school.level
    rows = []
    for criterion in criteria:
        if criterion.applies_to and level not in criterion.applies_to:
            continue
        result = results.get(criterion.pk)
        if report_levels.get(criterion.number) is not None:
            rows.append(ResultRow(criterion, criterion.standard, result, report_levels[criterion.number], "report"))
        else:
            recorded = result.self_level if result else None
            rows.append(ResultRow(criterion, criterion.standard, result, recorded, "dossier" if recorded is not None else ""))
    return rows


def evaluation_suggestion(evaluation: ExternalEvaluation, rows: list[ResultRow]) -> dict | None:
    """What the standards engine makes of the external results: the school's Mức, the Cấp độ and
    national-standard Mức độ it leads to, with the reasons that hold each back; None until every
    criterion has a result. The team's proposal is shown beside it, never replaced by it.

    Preconditions the engine cannot check (cohorts completed, when no report states it) make a
    ladder "undetermined", not "not reached".
    """
    from standards import engine
    from standards.engine import types as t
    from standards.explain import blocker_message
    from standards.selectors import catalog_rules_for

    if not rows or any(row.result is None for row in rows):
        return None
    rules = catalog_rules_for(evaluation.regulation_version)
    known = {spec.number for spec in rules.criteria if spec.is_assessed}
    binary = engine.get_family(rules.family).binary
    levels: dict[str, int | bool] = {row.criterion.number: row.result.level for row in rows if row.criterion.number in known}
    if binary:
        levels = {number: bool(level) for number, level in levels.items()}
    for number in known - set(levels):  # criteria that do not apply to this school's level
        levels[number] = True if binary else rules.level_count
    facts = engine.SchoolFacts(years_operating=evaluation.school.years_operating(evaluation.final_report_date))
    try:
        result = engine.evaluate(rules, engine.Verdicts(criteria=levels), facts)
    except engine.EngineError as exc:
        return {"error": str(exc)}

    def ladder(value, target):
        blockers = [b for b in result.blockers if b.target == target]
        undetermined = value is None or (
            value == 0 and any(b.code in (t.PRECONDITION_UNKNOWN, t.RULE_MISSING) for b in blockers)
        )
        return {"value": value, "undetermined": undetermined, "reasons": [blocker_message(b) for b in blockers]}

    below = sorted(
        (b.criterion for b in result.blockers if b.code == t.CRITERION_BELOW),
        key=lambda number: [int(part) if part.isdigit() else part for part in number.split(".")],
    )
    return {
        "school_level": result.school_level,
        "next_level": (result.school_level or 0) + 1,
        "holding_back": below,
        # Mức 4 requirements are not part of the team's per-criterion record.
        "level4_unrecorded": bool(rules.level4) and result.school_level == rules.level_count,
        "accreditation": ladder(result.accreditation_level, "accreditation"),
        "national": ladder(result.national_standard, "national_standard"),
    }


def evaluation_list(user) -> QuerySet[ExternalEvaluation]:
    return evaluations_visible_to(user).order_by("-created_at")
