"""The small world of the two-node proof (ops/tests/test_two_nodes.py), seeded through the apps'
services in a `manage.py shell` process against the proof's own database:

a Sở, one reviewing unit with a reviewer, two lower-secondary schools of 2026-2027 with their
principals, the unit's periodic deadlines (20/12/2026, 10/5/2027), and school A's TT57/2026 report
complete enough for the unit's default submission gate (`main` loads the catalogs with `load_standards`
first).
School B has no report: the 20/12 reminders are due to it. Prints the ids the test needs as JSON.
"""

from __future__ import annotations

import datetime
import json

PASSWORD = "Two-nodes-pass-2026"  # noqa: S105  # nosec B105  # a throwaway account of a throwaway database


def _person(username: str, role: str, **target):
    from schools.models import Membership, User

    user = User(username=username, full_name=username.replace("_", " ").title(), email=f"{username}@example.vn")
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(user=user, role=role, **target)
    return user


def seed() -> dict:
    from evaluations import services as evaluations
    from exports.tests.builders import COUNCIL
    from schools.models import Organisation, School, SchoolYear
    from selfassessment import services as sa
    from selfassessment import tt57_services
    from selfassessment.models import CouncilMember, Passage, Report
    from standards.models import Criterion, Indicator

    department = Organisation.objects.create(code="so-hai-nut", name="Sở GD&ĐT Hai Nút", kind="department")
    unit = Organisation.objects.create(code="pgd-hai-nut", name="Phòng GD&ĐT Hai Nút", kind="district_office",
                                       parent=department)
    school_a = School.objects.create(code="HN-THCS-A", name="Trường THCS Nút A", level="thcs",
                                     reviewing_unit=unit, founding_year=1980)
    school_b = School.objects.create(code="HN-THCS-B", name="Trường THCS Nút B", level="thcs",
                                     reviewing_unit=unit, founding_year=1985)
    year = SchoolYear.objects.create(code="2026-2027", start_date=datetime.date(2026, 9, 5),
                                     end_date=datetime.date(2027, 5, 31))
    principal_a = _person("principal_a", "principal", school=school_a)
    principal_b = _person("principal_b", "principal", school=school_b)
    reviewer = _person("reviewer", "district_reviewer", organisation=unit)
    deadlines = evaluations.reporting_deadlines_ensure(unit=unit, school_year=year, by=reviewer)

    report = sa.report_create(school=school_a, school_year=year, kind="periodic", by=principal_a,
                              today=datetime.date(2026, 10, 1))
    sa.council_update(report=report, decision_number="12/QĐ-THCSA", decision_date=datetime.date(2026, 9, 10),
                      by=principal_a)
    for name, title, role in COUNCIL:
        sa.council_member_save(report=report, member=CouncilMember(full_name=name, title=title, role=role),
                               by=principal_a)
    sa.plan_save(report=report, resources={}, token=sa.plan_token(report), by=principal_a,
                 steps=[{"week": 1, "activity": "Thành lập Hội đồng tự đánh giá.", "responsible": "Hiệu trưởng"}])
    form = tt57_services.data_form(report)
    tt57_services.data_form_save(report=report, header=form.header, cells={("classes_total", "2026-2027"): "20"},
                                 base_revision=form.revision, by=principal_a)
    for indicator in Indicator.objects.filter(criterion__standard__version=report.regulation_version, level=1):
        sa.indicator_verdict_set(report=report, indicator=indicator, met=False, by=principal_a)
    for passage in Passage.objects.filter(report=report).exclude(key__startswith="indicator:"):
        sa.passage_save(passage=passage, text=f"Nhà trường đã viết mục {passage.key} của báo cáo.",
                        base_revision=passage.revision, by=principal_a)
    report = Report.objects.get(pk=report.pk)
    criterion = Criterion.objects.filter(standard__version=report.regulation_version).order_by(
        "standard__position", "position").first()
    return {
        "report": report.pk, "school_a": school_a.pk, "school_b": school_b.pk, "unit": unit.pk,
        "criterion": criterion.pk, "deadlines": sorted(d.pk for d in deadlines),
        "users": {u.username: u.pk for u in (principal_a, principal_b, reviewer)},
    }


def main() -> None:
    from django.core.management import call_command

    call_command("load_standards")  # the bundled catalogs, as a release does
    print("TWONODE " + json.dumps(seed()))
