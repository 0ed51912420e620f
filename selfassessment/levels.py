"""Glue between a report's verdicts and the standards level engine.

Levels are never typed: they are computed from the indicator verdicts by the rule family of the
report's regulation (``standards.engine``), and cached on the report and its criteria so that
lists and dashboards need no engine call. ``refresh`` is called by every service that changes a
verdict or a fact, inside its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import timezone

from kiemdinh.bulk import update_rows
from standards import engine
from standards.explain import blocker_message
from standards.selectors import evaluate_version

from .models import CriterionAssessment, IndicatorVerdict, Level4Verdict, Report

_BLOCKER_FIELDS = {"code", "target", "level", "criterion", "indicator_level", "indicator", "message"}


def report_verdicts(report: Report) -> engine.Verdicts:
    """The engine's input: verdicts given so far (one not given yet counts as không đạt)."""
    tree: dict[str, dict[int, dict[str, bool]]] = {}
    rows = IndicatorVerdict.objects.filter(
        report=report, met__isnull=False, indicator__criterion__standard__version=report.regulation_version_id
    ).values_list("indicator__criterion__number", "indicator__level", "indicator__key", "met")
    for number, level, key, met in rows:
        tree.setdefault(number, {}).setdefault(level, {})[key] = bool(met)
    level4 = {
        str(number): bool(met)
        for number, met in Level4Verdict.objects.filter(
            report=report, met__isnull=False, requirement__version=report.regulation_version_id
        ).values_list("requirement__number", "met")
    }
    return engine.Verdicts(indicators=tree, level4=level4)


def years_of_data(report: Report) -> int:
    """Consecutive school years, ending with the report's, in which the school has a report in the app.

    TT57/2026 Điều 16 điểm b: recognition needs self-assessment data of 3 consecutive school years.
    """
    firsts = {
        int(code[:4])
        for code in Report.objects.filter(school_id=report.school_id).values_list("school_year__code", flat=True)
        if code[:4].isdigit()
    }
    year = int(report.school_year.code[:4])
    count = 0
    while year - count in firsts:
        count += 1
    return count


def school_facts(report: Report) -> engine.SchoolFacts:
    return engine.SchoolFacts(
        completed_cohorts=report.completed_cohorts,
        years_operating=report.school.years_operating(report.regulation_date),
        years_of_data=years_of_data(report),
    )


def evaluate(report: Report) -> engine.SchoolResult:
    return evaluate_version(report.regulation_version, report_verdicts(report), school_facts(report))


# Reports whose refresh waits for the end of a ``refresh_once`` block (None: refresh at once).
_pending: ContextVar[dict[int, Report] | None] = ContextVar("kd_levels_pending", default=None)


@contextmanager
def refresh_once() -> Iterator[None]:
    """Within the block, the level refreshes of the services run once per report, at its end.

    For a writer that sets many verdicts of one report in one transaction (the demo, an import): each
    verdict would otherwise recompute the whole report. Use it inside that transaction; levels read
    within the block are those from before it. On an error nothing is refreshed (the transaction
    rolls back anyway).
    """
    outer = _pending.get()
    if outer is not None:  # nested: the outermost block refreshes
        yield
        return
    pending: dict[int, Report] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for report in pending.values():
        refresh(report)


def refresh(report: Report) -> engine.SchoolResult | None:
    """Recompute the levels and store them on the report and its criteria (call inside a transaction).

    Inside ``refresh_once`` the report is only noted, and None is returned.
    """
    pending = _pending.get()
    if pending is not None:
        pending[report.pk] = report
        return None
    result = evaluate(report)
    report.school_level = result.school_level
    report.accreditation_level = result.accreditation_level
    report.national_standard = result.national_standard
    report.level_blockers = [b.as_dict() for b in result.blockers]
    report.levels_computed_at = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        school_level=report.school_level,
        accreditation_level=report.accreditation_level,
        national_standard=report.national_standard,
        level_blockers=report.level_blockers,
        levels_computed_at=report.levels_computed_at,
    )
    changed = []
    for assessment in CriterionAssessment.objects.filter(report=report).select_related("criterion"):
        criterion_result = result.criteria.get(assessment.criterion.number)
        level = criterion_result.level if criterion_result else None
        blockers = [b.as_dict() for b in criterion_result.blockers] if criterion_result else []
        if assessment.level != level or assessment.blockers != blockers:
            assessment.level, assessment.blockers = level, blockers
            changed.append(assessment)
    if changed:
        update_rows(changed, ["level", "blockers"])
    return result


def blocker_from_dict(data: Mapping[str, Any]) -> engine.Blocker:
    """Rebuild an engine Blocker from its cached ``as_dict`` form (to word it in today's language)."""
    return engine.Blocker(
        code=data["code"],
        target=data["target"],
        level=data["level"],
        criterion=data.get("criterion", ""),
        indicator_level=data.get("indicator_level"),
        indicator_key=data.get("indicator", ""),
        detail={k: v for k, v in data.items() if k not in _BLOCKER_FIELDS},
    )


def messages(blockers: Iterable[Mapping[str, Any]]) -> list[str]:
    """The cached blockers as sentences ("Chỉ báo b Mức 2 của tiêu chí 1.1 chưa đạt.")."""
    return [blocker_message(blocker_from_dict(b)) for b in blockers or ()]


def criterion_explanation(assessment: CriterionAssessment) -> list[str]:
    return messages(assessment.blockers)


def report_explanation(report: Report, target: str | None = None) -> list[str]:
    """Sentences explaining the school's next level (``target``: school_level, accreditation, ...)."""
    return messages(b for b in report.level_blockers or () if target is None or b.get("target") == target)


def level_counts(levels: Iterable[int | None], level_count: int) -> list[dict[str, Any]]:
    """Criteria per level 0..level_count (Phần III Kết luận chung): exactly at the level, and at least
    at it (the reports write "đạt Mức 1: 28/28 tiêu chí", i.e. at least Mức 1), with percentages."""
    assessed = [lv for lv in levels if lv is not None]
    total = len(assessed)

    def percent(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    rows = []
    for level in range(0, level_count + 1):
        exact = sum(1 for lv in assessed if lv == level)
        at_least = sum(1 for lv in assessed if lv >= level) if level else exact
        rows.append({"level": level, "count": exact, "percent": percent(exact), "at_least": at_least,
                     "at_least_percent": percent(at_least), "total": total})
    return rows
