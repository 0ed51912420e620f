"""Biểu 2 (TT57/2026 improvement plan): writes, permissions, revisions, monitoring after submission."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import Event
from schools.tests.factories import SchoolYearFactory
from selfassessment import plan57, services
from selfassessment import services_plan57 as svc
from selfassessment.models import Passage, Plan57Action, Plan57Check, Plan57Issue, Report
from selfassessment.services import ConflictError, ReportError
from standards.models import Criterion, Indicator, Standard
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def tt57_report(db, school_a, principal_a) -> Report:
    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    return services.report_create(school=school_a, school_year=year, kind="periodic", by=principal_a,
                                  today=datetime.date(2026, 10, 1))


def _assess(report, by, levels: dict[str, int]):
    for criterion in Criterion.objects.filter(standard__version=report.regulation_version):
        level = levels.get(criterion.number, 2)
        ind = {i.level: i for i in Indicator.objects.filter(criterion=criterion)}
        services.indicator_verdict_set(report=report, indicator=ind[1], met=level >= 1, by=by)
        if level >= 1:
            services.indicator_verdict_set(report=report, indicator=ind[2], met=level >= 2, by=by)


@pytest.fixture
def plan(tt57_report, principal_a):
    return svc.plan_create(report=tt57_report, by=principal_a)


def _set_status(report, status):
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()


def test_create_proposes_issues_from_criteria_below_level_2_and_standard_weaknesses(tt57_report, principal_a):
    _assess(tt57_report, principal_a, {"1.2": 0, "1.3": 1, "3.1": 1})
    weak = Passage.objects.get(report=tt57_report, key="standard:1:weaknesses")
    services.passage_save(passage=weak, text="Công tác kiểm tra nội bộ chưa thường xuyên.", base_revision=weak.revision,
                          by=principal_a)
    version = Report.objects.get(pk=tt57_report.pk).version
    plan = svc.plan_create(report=tt57_report, by=principal_a)
    issues = list(plan.issues.select_related("standard"))
    assert [(i.standard.number, i.criteria) for i in issues] == [(1, "1.2, 1.3"), (3, "3.1")]
    assert issues[0].current_state == "Tiêu chí 1.2: Không đạt; Tiêu chí 1.3: Mức 1"
    assert issues[0].weakness == "Công tác kiểm tra nội bộ chưa thường xuyên."
    assert issues[1].weakness == "Các tiêu chí 3.1 chưa đạt Mức 2."
    assert "1 tiêu chí không đạt" in plan.basis_report and plan.org_council
    assert not plan.actions.exists()
    assert Report.objects.get(pk=tt57_report.pk).version > version
    assert Event.objects.filter(action="selfassessment.plan57.create").count() == 1
    # Twice: the same plan.
    assert svc.plan_create(report=tt57_report, by=principal_a).pk == plan.pk


def test_only_tt57_reports_have_a_biểu_2(report, principal_a):
    with pytest.raises(ReportError):
        svc.plan_create(report=report, by=principal_a)


def test_permissions(plan, principal_b, reviewer, officer, staff_a, principal_a):
    for user in (principal_b, reviewer, officer, staff_a):
        with pytest.raises(PermissionDenied):
            svc.plan_sections_save(plan=plan, values={"basis_other": "x"}, revision=plan.revision, by=user)
        with pytest.raises(PermissionDenied):
            svc.check_save(plan=plan, point="semester1", values={"result": "x"}, by=user)
    assert not Plan57Check.objects.exists()
    svc.plan_sections_save(plan=plan, values={"basis_other": "Nghị quyết chi bộ"}, revision=plan.revision, by=principal_a)
    assert Plan57Check.objects.count() == 0


def test_section_revision_conflict_writes_nothing(plan, principal_a):
    base = plan.revision
    svc.plan_sections_save(plan=plan, values={"basis_other": "Bản thứ nhất"}, revision=base, by=principal_a)
    with pytest.raises(ConflictError) as exc:
        svc.plan_sections_save(plan=plan, values={"basis_other": "Bản thứ hai"}, revision=base, by=principal_a)
    assert "vừa được người khác lưu" in exc.value.message
    plan.refresh_from_db()
    assert plan.basis_other == "Bản thứ nhất"
    with pytest.raises(ReportError):
        svc.plan_sections_save(plan=plan, values={"basis_other": "x"}, revision=plan.revision + 5, by=principal_a)


def test_issue_and_action_rows_add_edit_move_delete(plan, principal_a, tt57_report):
    standard = Standard.objects.get(version=tt57_report.regulation_version, number=2)
    i1 = svc.issue_save(plan=plan, values={"standard": standard, "criteria": "2.1", "weakness": "Thiếu phòng học bộ môn"},
                        by=principal_a)
    i2 = svc.issue_save(plan=plan, values={"weakness": "Kỹ năng số của giáo viên"}, by=principal_a)
    with pytest.raises(ReportError):
        svc.issue_save(plan=plan, values={"weakness": "  "}, by=principal_a)
    a1 = svc.action_save(plan=plan, by=principal_a, values={
        "issue": i1, "content": "Cải tạo phòng bộ môn", "start_on": datetime.date(2026, 10, 1),
        "end_on": datetime.date(2027, 3, 31), "responsible": "Phó HT"})
    with pytest.raises(ReportError):
        svc.action_save(plan=plan, by=principal_a, values={"content": "x", "start_on": datetime.date(2027, 1, 2),
                                                           "end_on": datetime.date(2027, 1, 1)})
    # A stale edit of the action is refused, the stored row unchanged.
    svc.action_save(plan=plan, action=a1, revision=a1.revision, by=principal_a,
                    values={"issue": i1, "content": "Cải tạo 2 phòng bộ môn"})
    with pytest.raises(ConflictError):
        svc.action_save(plan=plan, action=a1, revision=a1.revision, by=principal_a, values={"content": "Cũ"})
    a1.refresh_from_db()
    assert a1.content == "Cải tạo 2 phòng bộ môn"
    svc.issue_move(issue=i2, step=-1, by=principal_a)
    order = [i.pk for i in plan.issues.all()]
    assert order.index(i2.pk) < order.index(i1.pk)
    i1.refresh_from_db()
    svc.issue_delete(issue=i1, revision=i1.revision, by=principal_a)
    a1.refresh_from_db()
    assert a1.issue_id is None
    svc.action_delete(action=a1, revision=a1.revision, by=principal_a)
    assert not Plan57Action.objects.filter(pk=a1.pk).exists()
    verbs = set(Event.objects.filter(action__startswith="selfassessment.plan57.").values_list("action", flat=True))
    assert {"selfassessment.plan57.issue_add", "selfassessment.plan57.issue_move", "selfassessment.plan57.issue_delete",
            "selfassessment.plan57.action_add", "selfassessment.plan57.action_edit",
            "selfassessment.plan57.action_delete"} <= verbs


def test_content_locked_after_submission_monitoring_allowed_after_acceptance(plan, principal_a, tt57_report):
    action = svc.action_save(plan=plan, by=principal_a, values={"content": "Bồi dưỡng giáo viên"})
    _set_status(tt57_report, "submitted")
    plan.report = tt57_report
    with pytest.raises(PermissionDenied):
        svc.plan_sections_save(plan=plan, values={"basis_other": "x"}, revision=plan.revision, by=principal_a)
    with pytest.raises(PermissionDenied):
        svc.action_save(plan=plan, action=action, revision=action.revision, by=principal_a, values={"content": "y"})
    with pytest.raises(PermissionDenied):
        svc.issue_save(plan=plan, values={"weakness": "z"}, by=principal_a)
    _set_status(tt57_report, "accepted")
    version = Report.objects.get(pk=tt57_report.pk).version
    action = svc.action_status_set(action=action, status="in_progress", revision=action.revision, by=principal_a)
    check = svc.check_save(plan=plan, point="semester1", by=principal_a,
                           values={"action": action, "content": "Tiến độ", "result": "Đã bồi dưỡng 2 đợt",
                                   "evidence": "MC1.1-02", "adjustment": "", "assessor": "Phó HT"})
    assert check.recorded_by == principal_a and check.recorded_at
    assert list(plan57.monitoring_missing("semester1", Report.objects.filter(pk=tt57_report.pk))) == []
    # Monitoring is not a change of the frozen content.
    assert Report.objects.get(pk=tt57_report.pk).version == version
    with pytest.raises(ConflictError):
        svc.check_save(plan=plan, check=check, revision=check.revision - 1, by=principal_a, values={"result": "x"})
    with pytest.raises(ConflictError):
        svc.action_status_set(action=action, status="done", revision=action.revision - 1, by=principal_a)
    with pytest.raises(ReportError):
        svc.action_status_set(action=action, status="finished", revision=action.revision, by=principal_a)
    with pytest.raises(ReportError):
        svc.check_save(plan=plan, point="mid_year", by=principal_a, values={"result": "x"})
    assert Event.objects.filter(action="selfassessment.plan57.action_status", to_state="in_progress").exists()
    svc.check_delete(check=check, revision=check.revision, by=principal_a)
    assert list(plan57.monitoring_missing("semester1", Report.objects.filter(pk=tt57_report.pk))) == [plan]


def test_issue_standard_of_another_catalog_refused(plan, principal_a, regulation):
    other = Standard.objects.exclude(version=plan.report.regulation_version).first()
    with pytest.raises(ReportError):
        svc.issue_save(plan=plan, values={"standard": other, "weakness": "x"}, by=principal_a)
    assert not Plan57Issue.objects.filter(plan=plan, weakness="x").exists()
