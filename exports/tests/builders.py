"""Reports written through the apps' own services, for the export tests and the URL matrix.

``written_report`` fills a report as a school would (council, evidence, texts citing it, verdicts,
improvement items) and ``submit`` freezes it as a version the way the review workflow does.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from selfassessment import services as sa
from selfassessment.models import CouncilMember, ImprovementAction, IndicatorVerdict, Passage, Report
from standards.models import Criterion

COUNCIL = [
    ("Nguyễn Thị Hương", "Hiệu trưởng", CouncilMember.Role.CHAIR),
    ("Trần Văn Đức", "Phó Hiệu trưởng", CouncilMember.Role.VICE_CHAIR),
    ("Lê Thị Thu Hà", "Tổ trưởng tổ Văn phòng", CouncilMember.Role.SECRETARY),
    ("Phạm Quốc Việt", "Tổ trưởng tổ Khoa học tự nhiên", CouncilMember.Role.MEMBER),
    ("Đỗ Thị Ngọc Ánh", "Tổ trưởng tổ Khoa học xã hội", CouncilMember.Role.MEMBER),
    ("Vũ Minh Tuấn", "Chủ tịch Công đoàn", CouncilMember.Role.MEMBER),
    ("Hoàng Thị Lan", "Bí thư Chi đoàn", CouncilMember.Role.MEMBER),
]


def write(report: Report, key: str, text: str, by) -> None:
    passage = Passage.objects.get(report=report, key=key)
    sa.passage_save(passage=passage, text=text, base_revision=passage.revision, by=by)


def written_report(report: Report, by, *, unmet: tuple[tuple[str, int, str], ...] = (), evidence_per_criterion: int = 2,
                   level4_met: bool = False) -> Report:
    """Fill ``report`` completely; every indicator đạt except those in ``unmet`` ((criterion, level, key))."""
    from evidence import services as evidence_services

    sa.council_update(report=report, decision_number="12/QĐ-THCSA", decision_date=datetime.date(2024, 9, 10), by=by)
    for name, title, role in COUNCIL:
        sa.council_member_save(report=report, member=CouncilMember(full_name=name, title=title, role=role), by=by)
    write(report, "introduction", "Trường THCS được thành lập năm 1960, đạt chuẩn quốc gia năm 2015.\n"
                                  "Hội đồng tự đánh giá được thành lập theo quyết định của Hiệu trưởng.", by)
    write(report, "conclusion", "Nhà trường cam kết thực hiện kế hoạch cải tiến chất lượng.", by)
    criteria = list(Criterion.objects.filter(standard__version=report.regulation_version).select_related("standard")
                    .order_by("standard__position", "position"))
    for criterion in criteria:
        items = [
            evidence_services.evidence_create(
                school=report.school, criterion=criterion, by=by, name=f"Biên bản họp tổ chuyên môn số {i} ({criterion.number})",
                issued_number=f"{i}/BB-THCS", issued_on=datetime.date(2023, 9, i), issuer="Tổ chuyên môn",
            )
            for i in range(1, evidence_per_criterion + 1)
        ]
        codes = [item.code for item in items]
        for passage in Passage.objects.filter(report=report, criterion=criterion, kind=Passage.Kind.CURRENT_STATE):
            write(report, passage.key, f"Nhà trường thực hiện đầy đủ yêu cầu của chỉ báo, có hồ sơ lưu trữ [{'; '.join(codes)}].", by)
        write(report, f"criterion:{criterion.number}:strengths", "Đội ngũ giáo viên đạt chuẩn, nhiệt tình.", by)
        write(report, f"criterion:{criterion.number}:weaknesses", "Một số hồ sơ sắp xếp chưa khoa học.", by)
        sa.improvement_actions_save(
            report=report, criterion=criterion, by=by, token=sa.actions_token(ImprovementAction.objects.filter(report=report, criterion=criterion)),
            items=[{"id": None, "action": f"Rà soát, sắp xếp hồ sơ tiêu chí {criterion.number}",
                    "responsible": "Tổ văn phòng", "start_on": datetime.date(2025, 9, 1),
                    "due_on": datetime.date(2026, 5, 31), "resources": "Kinh phí thường xuyên",
                    "expected_result": "Hồ sơ khoa học"}],
        )
    wanted_unmet = set(unmet)
    for verdict in IndicatorVerdict.objects.filter(report=report).select_related("indicator__criterion"):
        indicator = verdict.indicator
        met = (indicator.criterion.number, indicator.level, indicator.key) not in wanted_unmet
        sa.indicator_verdict_set(report=report, indicator=indicator, met=met, by=by)
    from selfassessment.models import Level4Verdict

    for verdict in Level4Verdict.objects.filter(report=report).select_related("requirement"):
        sa.level4_verdict_set(report=report, requirement=verdict.requirement, met=level4_met, by=by)
    return reload(report)


def reload(report: Report) -> Report:
    return Report.objects.select_related(
        "school__reviewing_unit__parent", "school_year", "regulation_version__regulation"
    ).get(pk=report.pk)


def accept(report: Report) -> None:
    """Mark the report accepted, as the district's review ends (the review workflow is tested in reviews)."""
    Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)


def submit(report: Report, by):
    """Freeze the report as its next version (what reviews.services.report_submit does first)."""
    from reviews.services import version_freeze

    with transaction.atomic():
        return version_freeze(report=report, by=by)
