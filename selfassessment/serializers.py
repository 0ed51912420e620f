"""The whole report as plain data, in the order of the Ministry's layout (domain.md "The report").

``report_as_dict`` is what the review workflow freezes as a submission's snapshot (and hashes),
and what the exporter renders as the PDF: every text, verdict and computed level, the council
and the plan, Phần I's tables with their totals, the evidence list with file checksums. Only
JSON types (str, int, bool, None, list, dict), dates as ISO strings; nothing that changes without
the report changing (no "now", no database ids of rows that are rebuilt), so that the same report
always gives the same dict.
"""

from __future__ import annotations

import datetime
from typing import Any

from evidence import codes
from evidence.selectors import evidence_for_report

from . import levels, schooldata
from .models import Passage, Report
from .selectors import PLAN_PARTS, ReportContent, plan_key, report_content

FORMAT = "kiemdinh.selfassessment.report/1"


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _text(passage: Passage | None) -> str:
    return passage.text if passage is not None else ""


def _verdict(met: bool | None) -> str | None:
    return None if met is None else ("dat" if met else "khong_dat")


def _actions(actions) -> list[dict[str, Any]]:
    return [
        {
            "action": a.action,
            "responsible": a.responsible,
            "start_on": _date(a.start_on),
            "due_on": _date(a.due_on),
            "resources": a.resources,
            "expected_result": a.expected_result,
            "status": a.status,
            "dropped_reason": a.dropped_reason,
        }
        for a in actions
    ]


def _school(report: Report) -> dict[str, Any]:
    school = report.school
    unit = school.reviewing_unit
    return {
        "code": school.code,
        "name": school.name,
        "former_names": [n.strip() for n in school.former_names.splitlines() if n.strip()],
        "level": school.level,
        "level_label": str(school.get_level_display()),
        "ownership": school.ownership,
        "ownership_label": str(school.get_ownership_display()),
        "managing_body": unit.name,
        "department": unit.parent.name if unit.parent_id else "",
        "province": unit.province,
        "address": school.address,
        "ward": school.ward,
        "phone": school.phone,
        "email": school.email,
        "website": school.website,
        "principal": school.principal_name,
        "founding_year": school.founding_year,
        "sites_count": school.sites_count,
        "difficult_area": school.is_difficult_area,
        "especially_difficult_area": school.is_especially_difficult_area,
    }


def _council(content: ReportContent) -> dict[str, Any]:
    report = content.report
    members = [
        {
            "order": index,
            "full_name": m.full_name,
            "title": m.title,
            "role": m.role,
            "role_label": str(m.get_role_display()) if m.role else "",
            "duty": m.duty,
            "secretary_group": m.in_secretary_group,
        }
        for index, m in enumerate(content.council, start=1)
    ]
    return {
        "decision_number": report.council_decision_number,
        "decision_date": _date(report.council_decision_date),
        "members": [m for m in members if m["role"]],
        "secretary_group": [m["full_name"] for m in members if m["secretary_group"]],
        "working_groups": [
            {
                "name": g.name,
                "leader": g.leader.full_name if g.leader else "",
                "members": [m.full_name for m in g.members.all()],
                "criteria": [c.number for c in g.criteria.all()],
            }
            for g in content.groups
        ],
    }


def _plan(content: ReportContent) -> dict[str, Any]:
    data: dict[str, Any] = {part: _text(content.passage(plan_key(part))) for part in PLAN_PARTS}
    data["resources"] = [
        {"criterion": item.criterion.number, "resources": r.resources, "needed_when": r.needed_when}
        for item in content.criteria()
        if (r := content.plan_resources.get(item.criterion.pk)) is not None
    ]
    data["timeline"] = [{"week": s.week, "activity": s.activity, "responsible": s.responsible} for s in content.plan_steps]
    return data


def _part1(content: ReportContent) -> dict[str, Any]:
    report = content.report
    years = schooldata.school_years(report.school_year.code)
    tables = []
    for spec in schooldata.tables_for(report.school.level):
        stored = content.tables.get(spec.key)
        grid = schooldata.computed_grid(spec, years, stored.values if stored else {})
        columns = [{"key": y, "label": y} for y in years] if spec.by_years else [
            {"key": c.key, "label": c.label, "group": c.group} for c in spec.columns or ()
        ]
        tables.append({
            "key": spec.key,
            "title": spec.title,
            "columns": columns,
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "heading": row.heading,
                    "computed": row.computed,
                    "indent": row.indent,
                    "values": [] if row.heading else [grid[row.key][c["key"]] for c in columns],
                }
                for row in spec.rows
            ],
        })
    return {"years": years, "completed_cohorts": report.completed_cohorts, "tables": tables}


def _criterion(item, level_count: int) -> dict[str, Any]:
    assessment = item.assessment
    return {
        "number": item.criterion.number,
        "title": item.criterion.title,
        "assessed": item.is_assessed,
        "levels": [
            {
                "level": block.level,
                "indicators": [
                    {
                        "key": entry.indicator.key,
                        "unlettered": entry.indicator.unlettered,
                        "text": entry.indicator.text,
                        "repealed": entry.indicator.is_repealed,
                        "repealed_by": entry.indicator.repealed_by,
                        "current_state": _text(entry.passage),
                        "evidence": codes.find_citations(_text(entry.passage)),
                        "verdict": None if entry.indicator.is_repealed else _verdict(entry.met),
                    }
                    for entry in block.items
                ],
            }
            for block in item.levels
        ],
        "strengths": _text(item.strengths),
        "weaknesses": _text(item.weaknesses),
        "improvement_plan": _actions(item.actions),
        "level": assessment.level if assessment else None,
        "max_level": max((b.level for b in item.levels if b.in_force), default=0),
        "explanation": levels.messages(assessment.blockers) if assessment else [],
    }


def _summary(content: ReportContent, level_count: int) -> dict[str, Any]:
    """Bảng tổng hợp kết quả tự đánh giá: per criterion the level reached ("x"), "--" where none exists."""
    rows = []
    for standard in content.standards:
        for item in standard.criteria:
            highest = max((b.level for b in item.levels if b.in_force), default=0)
            rows.append({
                "standard": standard.standard.number,
                "criterion": item.criterion.number,
                "assessed": item.is_assessed,
                "level": item.level,
                # Levels the criterion has indicators at (a criterion without Mức 3 prints "--").
                "levels_available": [lv for lv in range(1, level_count + 1) if lv <= highest],
            })
    return {
        "level_count": level_count,
        "criteria": rows,
        "level4": [{"number": i.requirement.number, "verdict": _verdict(i.met)} for i in content.level4],
    }


def _evidence(report: Report) -> list[dict[str, Any]]:
    items = []
    for index, e in enumerate(evidence_for_report(report.school, report.regulation_version.regulation), start=1):
        items.append({
            "order": index,
            "code": e.code,
            "name": e.name,
            "issued_number": e.issued_number,
            "issued_on": _date(e.issued_on),
            "issued_period": e.issued_period,
            "issued": e.issued_display,
            "issuer": e.issuer,
            "box": e.box,
            "note": e.note,
            "valid_until": _date(e.valid_until),
            "link": e.link,
            "criterion": e.criterion.number,
            "shared_criteria": [c.number for c in e.shared_criteria.all()],
            "file": {"name": e.file_name, "size": e.file_size, "content_type": e.content_type, "sha256": e.sha256}
            if e.sha256 else None,
        })
    return items


def _tt57(report: Report, content: ReportContent) -> dict[str, Any]:
    """The texts only a TT57/2026 report has (Biểu 1): Phần I Tổng quan, each standard's general
    assessment, Phần III's proposals, and Phần IV mục 1's data form over three school years."""
    from . import tt57, tt57_services
    from .selectors import standard_key

    form = content.tables.get(tt57_services.FORM_KEY)
    values = (form.values or {}) if form is not None else {}
    stored_years = values.get("years") or {}
    years = tt57_services.form_years(report)
    return {
        "overview": {part: _text(content.passage(tt57.overview_key(part))) for part, _l, _h in tt57.OVERVIEW_PARTS},
        "standards": [
            {"number": s.standard.number, "title": s.standard.title,
             **{part: _text(content.passage(standard_key(s.standard.number, part))) for part, _l in tt57.STANDARD_PARTS}}
            for s in content.standards
        ],
        "proposals": {part: _text(content.passage(tt57.proposal_key(part))) for part, _l in tt57.PROPOSAL_PARTS},
        "data_form": {
            "years": years,
            "header": dict(sorted((values.get("header") or {}).items())),
            "rows": [
                {"key": row.key, "label": row.label, "heading": row.heading, "indent": row.indent, "unit": row.unit,
                 "values": [] if row.heading else [(stored_years.get(row.key) or {}).get(y) for y in years]}
                for row in tt57_services.form_rows(report, [c.criterion for c in content.criteria()])
            ],
        },
    }


def report_as_dict(report: Report, content: ReportContent | None = None) -> dict[str, Any]:
    """The complete report as plain, ordered, deterministic data (see the module docstring);
    ``content``: the report's ``report_content`` when the caller has loaded it already."""
    if content is None:
        content = report_content(report)
    version = report.regulation_version
    regulation = version.regulation
    level_count = regulation.level_count
    criteria_levels = [item.level for item in content.criteria() if item.is_assessed]
    data = {
        "format": FORMAT,
        "report": {
            "id": report.pk,
            "kind": report.kind,
            "kind_label": str(report.get_kind_display()),
            "school_year": report.school_year.code,
            "version": report.version,
        },
        "school": _school(report),
        "regulation": {
            "code": regulation.code,
            "document_number": regulation.document_number,
            "title": regulation.title,
            "version": version.code,
            "amended_by": version.amended_by,
            "family": regulation.family,
            "level_count": level_count,
            "evidence_code_scheme": regulation.evidence_code_scheme,
            "chosen_for_date": _date(report.regulation_date),
        },
        "council": _council(content),
        "plan": _plan(content),
        "summary": _summary(content, level_count),
        "part1": _part1(content),
        "part2": {
            "introduction": _text(content.passage("introduction")),
            "standards": [
                {
                    "number": s.standard.number,
                    "title": s.standard.title,
                    "opening": _text(s.opening),
                    "criteria": [_criterion(item, level_count) for item in s.criteria],
                    "conclusion": _text(s.conclusion),
                }
                for s in content.standards
            ],
            "level4": [
                {
                    "number": i.requirement.number,
                    "article": i.requirement.article,
                    "text": i.requirement.text,
                    "current_state": _text(i.state),
                    "evidence": codes.find_citations(_text(i.state)),
                    "strengths": _text(i.strengths),
                    "weaknesses": _text(i.weaknesses),
                    "improvement_plan": _actions(i.actions),
                    "verdict": _verdict(i.met),
                }
                for i in content.level4
            ],
        },
        "part3": {
            "conclusion": _text(content.passage("conclusion")),
            "criteria_total": len(criteria_levels),
            "counts": levels.level_counts(criteria_levels, level_count),
            "school_level": report.school_level,
            "accreditation_level": report.accreditation_level,
            "national_standard": report.national_standard,
            "explanation": levels.report_explanation(report),
        },
        "evidence": _evidence(report),
    }

    if regulation.family == "2026":
        data["tt57"] = _tt57(report, content)
    return data
