"""Submission gates (điều kiện nộp báo cáo): the sections a reviewing unit requires complete before a
school may submit its self-assessment report.

Each unit picks from ``SECTIONS`` (``UnitSubmissionGate``); a unit that never chose has the
default: every section. What "complete" means is read from the self-assessment app's checks, so
the principal's checks page and the gate never disagree:

- ``council``: the council's decision (number and date), at least seven members, a chair and a
  secretary (``check_council``);
- ``plan``: the four parts of the self-assessment plan (kế hoạch tự đánh giá) written;
- ``part1``: every table of Phần I (cơ sở dữ liệu) filled (``check_data_tables``);
- ``criteria``: every indicator in force with its verdict (``check_verdicts``): every criterion assessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from selfassessment import checks
from selfassessment.selectors import PLAN_PARTS, plan_key, plan_steps, report_content
from selfassessment.tt57 import is_tt57

SECTIONS = {
    "council": gettext_lazy("Hội đồng tự đánh giá"),
    "plan": gettext_lazy("Kế hoạch tự đánh giá"),
    "part1": gettext_lazy("Phần I – Cơ sở dữ liệu"),
    "criteria": gettext_lazy("Đánh giá đủ mọi tiêu chí"),
}
DEFAULT_SECTIONS = list(SECTIONS)

# The checks' problem codes that leave a section incomplete, for the 2018 reports and for the
# TT57/2026 ones (Điều 9's council, the data form of Phần IV, a criterion without its Mức 1 verdict).
_CODES = {
    "council": {"council_decision_missing", "council_too_small", "council_role_missing",
                "council_size", "council_role_count"},
    "part1": {"table_empty"},
    "criteria": {"verdict_missing", "mandatory_unassessed", "criterion_unassessed"},
}
# What a section is called in a TT57/2026 report, where it differs.
_TT57_LABELS = {"part1": gettext_lazy("Phần IV – Biểu số liệu")}


@dataclass(frozen=True)
class MissingSection:
    key: str
    label: str
    detail: str  # what is missing, in words
    url: str  # where to complete it


def required_sections(unit) -> list[str]:
    """The sections the unit requires (its choice, else every section), in ``SECTIONS`` order."""
    from .models import UnitSubmissionGate

    gate = UnitSubmissionGate.objects.filter(unit_id=unit.pk).first()
    chosen = DEFAULT_SECTIONS if gate is None else gate.required_sections
    return [key for key in SECTIONS if key in chosen]


def missing_sections(report, required: list[str] | None = None, content=None) -> list[MissingSection]:
    """The required sections of the report still incomplete, each with what is missing and where
    (``content``: the report's ``report_content`` when the caller has loaded it already)."""
    from django.urls import reverse

    required = required_sections(report.school.reviewing_unit) if required is None else required
    if not required:
        return []
    if content is None:
        content = report_content(report)
    data = checks.CheckInput(content=content, evidence={}, previous={}, on=report.regulation_date)
    tt57 = is_tt57(report)
    per_section = {
        "council": checks.check_tt57_council if tt57 else checks.check_council,
        "part1": checks.check_tt57_data_form if tt57 else checks.check_data_tables,
        "criteria": checks.check_tt57_levels if tt57 else checks.check_verdicts,
    }
    labels = {**SECTIONS, **(_TT57_LABELS if tt57 else {})}
    problems = []
    for key, check in per_section.items():
        if key in required:
            problems += check(data)
    missing = []
    for key in required:
        if key == "plan":
            url = reverse("selfassessment:report_plan", kwargs={"pk": report.pk})
            if tt57:
                # Biểu 1 has no written parts of the plan (its process is told in Phần I): the plan
                # is the timeline of the self-assessment.
                if not plan_steps(report):
                    missing.append(MissingSection(key, str(labels[key]), _("chưa có lịch trình thực hiện"), url))
                continue
            passages = [content.passage(plan_key(part)) for part in PLAN_PARTS]
            empty = [p for p in passages if p is None or not p.text.strip()]
            if empty:
                missing.append(MissingSection(
                    key, str(labels[key]),
                    _("còn %(n)s/%(total)s mục chưa viết") % {"n": len(empty), "total": len(PLAN_PARTS)}, url,
                ))
            continue
        found = [p for p in problems if p.code in _CODES[key]]
        if found:
            detail = found[0].message if len(found) == 1 else _("%(first)s (và %(n)s vấn đề khác)") % {
                "first": found[0].message, "n": len(found) - 1}
            missing.append(MissingSection(key, str(labels[key]), detail, found[0].url))
    return missing


def refusal(missing: list[MissingSection]) -> str:
    """The sentence that refuses a submission, naming every missing section."""
    return _("Chưa nộp được: đơn vị thẩm định yêu cầu hoàn thành trước khi nộp: %(list)s.") % {
        "list": "; ".join(f"{m.label} ({m.detail})" for m in missing)}
