"""What the evaluations pages read from the self-assessment reports: the self-assessed level beside
the external one, accepted reports in the plan's progress, improvement actions on the school's page."""

import datetime

import pytest
from django.urls import reverse

from evaluations import reports, selectors, services
from schools.tests.factories import SchoolYearFactory

D = datetime.date


@pytest.fixture
def year_2026_27(db):
    return SchoolYearFactory(code="2026-2027", start_date=D(2026, 9, 5), end_date=D(2027, 5, 31))


@pytest.fixture
def report(tt18, school_a, year_2026_27, principal_a):
    from selfassessment import services as report_services

    return report_services.report_create(school=school_a, school_year=year_2026_27, kind="external", by=principal_a,
                                         today=D(2026, 11, 1))


@pytest.fixture
def evaluation(report, district, reviewer, officer, school_a):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=D(2027, 1, 9))
    (registration,) = services.round_schools_register(round_=round_, schools=[school_a], by=reviewer)
    return services.evaluation_start(by=officer, registration=registration)


def test_the_self_assessed_level_comes_from_the_schools_submitted_report(report, evaluation, client, officer):
    from selfassessment.models import Report

    assert reports.report_for_evaluation(evaluation) is None  # still a draft
    Report.objects.filter(pk=report.pk).update(status="submitted")
    report.criterion_assessments.filter(criterion__number="1.1").update(level=3)
    report.criterion_assessments.filter(criterion__number="1.2").update(level=1)
    assert reports.report_for_evaluation(evaluation) == report
    rows = {r.criterion.number: r for r in selectors.evaluation_result_rows(evaluation, report=report)}
    assert (rows["1.1"].self_level, rows["1.1"].self_source) == (3, "report")
    assert rows["1.2"].self_level == 1
    client.force_login(officer)
    form = client.get(reverse("evaluations:evaluation_results", args=[evaluation.pk])).context["form"]
    assert form[f"self_{rows['1.1'].criterion.pk}"].value() == 3  # prefilled from the report
    body = client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "lấy từ báo cáo tự đánh giá năm học 2026-2027" in body


def test_a_report_of_a_later_year_is_not_used(report, evaluation):
    from selfassessment.models import Report

    Report.objects.filter(pk=report.pk).update(status="submitted")
    assert reports.report_for_evaluation(evaluation) == report
    later = SchoolYearFactory(code="2027-2028", start_date=D(2027, 9, 5), end_date=D(2028, 5, 31))
    report.school_year = later
    report.save(update_fields=["school_year"])
    assert reports.report_for_evaluation(evaluation) is None


def test_plan_progress_counts_the_accepted_report(report, district, reviewer, school_a):
    from selfassessment.models import Report

    plan = services.plan_create(unit=district, year=2027, title="KH", by=reviewer)
    services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer)
    assert selectors.plan_progress(plan).totals.accepted == 0
    Report.objects.filter(pk=report.pk).update(status="accepted")
    progress = selectors.plan_progress(plan)
    assert progress.totals.accepted == 1 and progress.rows[0].report.pk == report.pk


def test_open_improvement_actions_appear_on_the_schools_page(report, school_a, principal_a, client):
    from selfassessment.models import ImprovementAction

    criterion = report.criterion_assessments.select_related("criterion").first().criterion
    ImprovementAction.objects.create(report=report, criterion=criterion, action="Bổ sung thiết bị phòng thí nghiệm",
                                     responsible="Tổ Khoa học tự nhiên", due_on=D(2026, 12, 30))
    ImprovementAction.objects.create(report=report, criterion=criterion, action="Việc đã xong", due_on=D(2026, 12, 15),
                                     status="done")
    ImprovementAction.objects.create(report=report, criterion=criterion, action="Việc năm sau", due_on=D(2027, 9, 1))
    for month in (5, 6):
        ImprovementAction.objects.create(report=report, criterion=criterion, action="Việc quá hạn", due_on=D(2026, month, 31 if month == 5 else 30))
    items = [i for i in selectors.upcoming_deadlines_for_school(school_a, D(2026, 12, 1)) if i.kind == "improvement"]
    assert [i.title for i in items] == ["2 biện pháp cải tiến chưa hoàn thành đã quá hạn", "Bổ sung thiết bị phòng thí nghiệm"]
    assert items[0].is_overdue and items[0].due == D(2026, 5, 31)
    items = items[1:]
    assert "Tổ Khoa học tự nhiên" in items[0].context
    assert items[0].url == reverse("selfassessment:criterion_edit", args=[report.pk, criterion.pk])


def _final(evaluation, officer):
    from standards.models import Criterion

    ExternalEvaluationModel = type(evaluation)
    ExternalEvaluationModel.objects.filter(pk=evaluation.pk).update(status="completed", final_report_date=D(2027, 3, 1))
    evaluation.refresh_from_db()
    criterion = Criterion.objects.get(standard__version=evaluation.regulation_version, number="3.3")
    return services.recommendation_add(evaluation=evaluation, by=officer, text="Bổ sung thiết bị dạy học tối thiểu",
                                       criterion=criterion)


def test_the_principal_adopts_a_recommendation_into_the_schools_plan(report, evaluation, officer, principal_a, client):
    from audit.models import Event
    from selfassessment.models import ImprovementAction

    recommendation = _final(evaluation, officer)
    client.force_login(principal_a)
    body = client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert reverse("evaluations:recommendation_adopt", args=[recommendation.pk]) in body
    response = client.post(reverse("evaluations:recommendation_adopt", args=[recommendation.pk]))
    action = ImprovementAction.objects.get(report=report, action="Bổ sung thiết bị dạy học tối thiểu")
    assert action.criterion.number == "3.3" and action.criterion.standard.version_id == report.regulation_version_id
    assert response["Location"] == reverse("selfassessment:criterion_edit", args=[report.pk, action.criterion_id])
    recommendation.refresh_from_db()
    assert recommendation.action == action and recommendation.adopted_by == principal_a
    assert Event.objects.filter(action="evaluations.recommendation.adopted").exists()
    with pytest.raises(services.EvaluationsError, match="đã được đưa"):
        services.recommendation_adopt(recommendation=recommendation, by=principal_a)
    assert ImprovementAction.objects.filter(report=report, criterion=action.criterion).count() == 1


def test_adopting_needs_a_report_being_written_and_the_principal(report, evaluation, officer, principal_a, reviewer):
    from django.core.exceptions import PermissionDenied

    from selfassessment.models import Report

    recommendation = _final(evaluation, officer)
    with pytest.raises(PermissionDenied):
        services.recommendation_adopt(recommendation=recommendation, by=reviewer)
    Report.objects.filter(pk=report.pk).update(status="submitted")
    with pytest.raises(services.EvaluationsError, match="chưa có báo cáo tự đánh giá đang soạn"):
        services.recommendation_adopt(recommendation=recommendation, by=principal_a)
    recommendation.refresh_from_db()
    assert recommendation.action is None
