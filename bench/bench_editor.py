"""Benchmark: the criterion editor of a full TT18 report with 200 evidence items (target < 100 ms median).

    .venv/bin/python bench/bench_editor.py          # PostgreSQL database kd_bench_editor when reachable

Builds (once, kept between runs) a THCS with a complete 2024-2025 report on TT18: every text
written with citations, every verdict given, an improvement plan per criterion, a council with
working groups, and 200 evidence items. Prints the median and p95 server time and the query
count of the criterion editor and of the other report pages, next to the /healthz baseline.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import login, measure, report, setup  # noqa: E402

SCHOOL = "BENCH-THCS-EDITOR"
PRINCIPAL = "bench.editor"
EVIDENCE_ITEMS = 200


def build():
    from django.db import transaction

    from evidence import services as evidence_services
    from evidence.models import Evidence
    from schools.models import Membership, Organisation, School, SchoolYear, User
    from selfassessment import services
    from selfassessment.models import CouncilMember, IndicatorVerdict, Passage, Report, WorkingGroup
    from standards.models import Regulation
    from standards.services import DATA_DIR, catalogs_load

    if not Regulation.objects.filter(code="TT18/2018").exists():
        catalogs_load(paths=[DATA_DIR / "tt18_2018.json"])
    department, _ = Organisation.objects.get_or_create(code="so-bench", defaults={"name": "Sở GD&ĐT thử", "kind": "department"})
    unit, _ = Organisation.objects.get_or_create(
        code="pgd-bench-editor", defaults={"name": "Phòng GD&ĐT thử", "kind": "district_office", "parent": department}
    )
    school, _ = School.objects.get_or_create(
        code=SCHOOL, defaults={"name": "Trường THCS Thử nghiệm", "level": "thcs", "reviewing_unit": unit, "founding_year": 1970}
    )
    year, _ = SchoolYear.objects.get_or_create(
        code="2024-2025", defaults={"start_date": datetime.date(2024, 9, 5), "end_date": datetime.date(2025, 5, 31)}
    )
    principal, created = User.objects.get_or_create(username=PRINCIPAL, defaults={"full_name": "Hiệu trưởng thử"})
    if created:
        principal.set_password("Bench-password-2024")
        principal.save()
    Membership.objects.get_or_create(user=principal, role="principal", school=school)
    existing = Report.objects.filter(school=school, school_year=year, kind="periodic").first()
    if existing is not None and Evidence.objects.filter(school=school).count() >= EVIDENCE_ITEMS:
        return existing
    with transaction.atomic():
        report = existing or services.report_create(school=school, school_year=year, kind="periodic", by=principal)
        assessments = list(report.criterion_assessments.select_related("criterion").order_by("position"))
        per_criterion: dict[str, list[str]] = {}
        for index in range(EVIDENCE_ITEMS - Evidence.objects.filter(school=school).count()):
            target = assessments[index % len(assessments)].criterion
            item = evidence_services.evidence_create(
                school=school, criterion=target, by=principal, name=f"Minh chứng số {index + 1} của tiêu chí {target.number}",
                issued_number=f"{index + 1}/QĐ-THCS", issued_on=datetime.date(2022, 9, 1) + datetime.timedelta(days=index),
            )
            per_criterion.setdefault(target.number, []).append(item.code)
        for verdict in IndicatorVerdict.objects.filter(report=report).select_related("indicator"):
            services.indicator_verdict_set(report=report, indicator=verdict.indicator, met=verdict.indicator.level < 3,
                                           by=principal)
        for passage in Passage.objects.filter(report=report).select_related("criterion"):
            codes = per_criterion.get(passage.criterion.number, [])[:2] if passage.criterion_id else []
            cite = f" [{'; '.join(codes)}]" if codes else ""
            text = ("Nhà trường đã thực hiện đầy đủ nội dung theo yêu cầu, được lưu trong hồ sơ của từng năm học" + cite
                    + ". " + "Kết quả được cán bộ, giáo viên và cha mẹ học sinh ghi nhận. " * 6)
            services.passage_save(passage=passage, text=text, base_revision=passage.revision, by=principal)
        for assessment in assessments:
            services.improvement_actions_save(
                report=report, criterion=assessment.criterion, by=principal, token=services.actions_token([]),
                items=[{"id": None, "action": f"Biện pháp {n} cho tiêu chí {assessment.criterion.number}",
                        "responsible": "Hiệu trưởng", "start_on": datetime.date(2025, 9, 1),
                        "due_on": datetime.date(2026, 5, 31)} for n in (1, 2)],
            )
        members = [
            services.council_member_save(report=report, member=CouncilMember(full_name=f"Thành viên {i}", role=role),
                                         by=principal)
            for i, role in enumerate(["chair", "vice_chair", "secretary", "member", "member", "member", "member", "member"])
        ]
        for number in range(1, 6):
            services.working_group_save(
                report=report, group=WorkingGroup(name=f"Nhóm {number}", leader=members[number]), members=members[number:number + 2],
                criteria=[a.criterion for a in assessments if a.criterion.standard.number == number], by=principal,
            )
    return report


def main() -> None:
    client = setup("kd_bench_editor")
    from django.db import connection

    print(f"database: {connection.vendor}", flush=True)
    the_report = build()
    from evidence.models import Evidence

    login(client, PRINCIPAL)
    criteria = list(the_report.criterion_assessments.order_by("position").values_list("criterion_id", flat=True))
    items = Evidence.objects.filter(school=the_report.school).count()
    print(f"report {the_report.pk}: {len(criteria)} criteria, {the_report.passages.count()} texts, {items} evidence items",
          flush=True)
    baseline = measure(client, "/healthz")
    base = f"/reports/{the_report.pk}/"
    report(f"criterion editor (tiêu chí 1.1, {items} evidence items)", measure(client, f"{base}criteria/{criteria[0]}/"),
           baseline, target_ms=100)
    report("criterion editor (tiêu chí 5.6)", measure(client, f"{base}criteria/{criteria[-1]}/"), baseline, target_ms=100)
    report("report overview", measure(client, base), baseline)
    report("summary table", measure(client, f"{base}summary/"), baseline)
    report("Mức 4 editor", measure(client, f"{base}level4/"), baseline)
    report("consistency checks (whole report)", measure(client, f"{base}checks/", runs=10), baseline)


if __name__ == "__main__":
    main()
