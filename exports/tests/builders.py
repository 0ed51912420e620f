"""Reports written through the apps' own services, for the export tests and the URL matrix.

``written_report`` fills a report as a school would (council, evidence, texts citing it, verdicts,
improvement items) and ``submit`` freezes it as a version the way the review workflow does.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F

from selfassessment import levels
from selfassessment import services as sa
from selfassessment.models import (
    CouncilMember,
    ImprovementAction,
    IndicatorVerdict,
    Level4Verdict,
    Passage,
    Report,
)
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


def write_all(report: Report, texts: dict[str, str], by) -> None:
    """Save ``texts`` (key → text) as ``write`` called for each in turn would leave them: the same
    texts, revisions and history steps through one ``passages_save``, and the report's version
    counting each changed text (a school typing them one after another steps it once per text)."""
    base = dict(Passage.objects.filter(report=report, key__in=list(texts)).values_list("key", "revision"))
    changed = sa.passages_save(report=report, texts=texts, base_revisions=base, by=by)
    if changed > 1:  # passages_save steps the version once for the batch
        Report.objects.filter(pk=report.pk).update(version=F("version") + changed - 1)


def written_report(report: Report, by, *, unmet: tuple[tuple[str, int, str], ...] = (), evidence_per_criterion: int = 2,
                   level4_met: bool = False) -> Report:
    """Fill ``report`` completely; every indicator đạt except those in ``unmet`` ((criterion, level, key)).

    The rows are those of a school filling it item by item through the services; written in one
    transaction, the texts through one ``passages_save`` and the verdicts through one
    ``indicator_verdicts_set``, with the levels computed once at the end (``levels.refresh_once``).
    """
    with transaction.atomic(), levels.refresh_once():
        _write_report(report, by, unmet=unmet, evidence_per_criterion=evidence_per_criterion, level4_met=level4_met)
    return reload(report)


def _write_report(report: Report, by, *, unmet: tuple[tuple[str, int, str], ...], evidence_per_criterion: int,
                  level4_met: bool) -> None:
    from evidence import services as evidence_services

    sa.council_update(report=report, decision_number="12/QĐ-THCSA", decision_date=datetime.date(2024, 9, 10), by=by)
    for name, title, role in COUNCIL:
        sa.council_member_save(report=report, member=CouncilMember(full_name=name, title=title, role=role), by=by)
    texts = {
        "introduction": "Trường THCS được thành lập năm 1960, đạt chuẩn quốc gia năm 2015.\n"
                        "Hội đồng tự đánh giá được thành lập theo quyết định của Hiệu trưởng.",
        "conclusion": "Nhà trường cam kết thực hiện kế hoạch cải tiến chất lượng.",
    }
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
            texts[passage.key] = f"Nhà trường thực hiện đầy đủ yêu cầu của chỉ báo, có hồ sơ lưu trữ [{'; '.join(codes)}]."
        texts[f"criterion:{criterion.number}:strengths"] = "Đội ngũ giáo viên đạt chuẩn, nhiệt tình."
        texts[f"criterion:{criterion.number}:weaknesses"] = "Một số hồ sơ sắp xếp chưa khoa học."
        sa.improvement_actions_save(
            report=report, criterion=criterion, by=by, token=sa.actions_token(ImprovementAction.objects.filter(report=report, criterion=criterion)),
            items=[{"id": None, "action": f"Rà soát, sắp xếp hồ sơ tiêu chí {criterion.number}",
                    "responsible": "Tổ văn phòng", "start_on": datetime.date(2025, 9, 1),
                    "due_on": datetime.date(2026, 5, 31), "resources": "Kinh phí thường xuyên",
                    "expected_result": "Hồ sơ khoa học"}],
        )
    write_all(report, texts, by)
    wanted_unmet = set(unmet)
    verdicts = IndicatorVerdict.objects.filter(report=report).select_related("indicator__criterion").order_by("pk")
    sa.indicator_verdicts_set(report=report, by=by, verdicts=[
        (v.indicator, (v.indicator.criterion.number, v.indicator.level, v.indicator.key) not in wanted_unmet)
        for v in verdicts
    ])
    for verdict in Level4Verdict.objects.filter(report=report).select_related("requirement"):
        sa.level4_verdict_set(report=report, requirement=verdict.requirement, met=level4_met, by=by)


def written57(report: Report, by):
    """The TT57 ``report`` with evidence cited by code, every text of Biểu 1 written, 1.1 at Mức 2;
    returns the report and its two evidence items (both of criterion 1.1, the second a paper record)."""
    from evidence import services as evidence_services
    from selfassessment import tt57
    from selfassessment.tests.test_tt57 import _set_all

    criteria = {c.number: c for c in Criterion.objects.filter(standard__version=report.regulation_version)}
    first = evidence_services.evidence_create(school=report.school, criterion=criteria["1.1"], by=by,
                                              name="Kế hoạch phát triển nhà trường giai đoạn 2025-2030",
                                              issued_on=datetime.date(2025, 9, 5), issuer="Hiệu trưởng")
    second = evidence_services.evidence_create(school=report.school, criterion=criteria["1.1"], by=by,
                                               name="Biên bản rà soát kế hoạch năm học", issuer="Ban giám hiệu")
    write(report, "indicator:1.1:1:a", f"Nhà trường xây dựng kế hoạch năm học ({first.code}).", by)
    write(report, "indicator:1.1:2:a", f"Kế hoạch được rà soát, điều chỉnh hằng năm ({second.code}).", by)
    write(report, tt57.overview_key("context_advantages"), "Địa phương quan tâm đầu tư cho giáo dục.", by)
    write(report, "standard:1:strengths", "Kế hoạch phát triển rõ ràng, được công khai.", by)
    write(report, "standard:1:priorities", "Số hóa hồ sơ quản lý.", by)
    write(report, tt57.proposal_key("managing_body"), "Đề nghị tập huấn về Thông tư 57.", by)
    write(report, "conclusion", "Nhà trường đáp ứng các tiêu chuẩn chất lượng ở Mức 1.", by)
    _set_all(report, by, {"1.1": 2})
    report.refresh_from_db()
    return report, first, second


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
