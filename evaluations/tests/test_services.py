"""Services: the only writers. Each rule, each refusal, each concurrent-edit guard."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from evaluations import services
from evaluations.models import (
    AccreditationPlan,
    Certificate,
    ExternalEvaluation,
    Milestone,
    MilestoneCompletion,
    PeriodicReport,
    PlannedSchool,
    ReportingDeadline,
)
from notifications.models import Notification
from schools.tests.factories import SchoolFactory

D = datetime.date


# --- Plans ------------------------------------------------------------------------------------


def test_plan_create_with_targets(district, reviewer):
    plan = services.plan_create(unit=district, year=2024, title="KH 2024", by=reviewer, targets={"mn": 6, "th": 4, "thcs": 9})
    assert {t.level: t.count for t in plan.targets.all()} == {"mn": 6, "th": 4, "thcs": 9}
    assert plan.created_by == reviewer


def test_one_plan_per_unit_and_year(district, reviewer):
    services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    with pytest.raises(services.EvaluationsError, match="đã có kế hoạch"):
        services.plan_create(unit=district, year=2024, title="KH lần 2", by=reviewer)


@pytest.mark.parametrize("persona", ["principal_a", "officer", "other_reviewer"])
def test_only_the_units_district_office_creates_its_plan(district, persona, request):
    with pytest.raises(PermissionDenied):
        services.plan_create(unit=district, year=2024, title="KH", by=request.getfixturevalue(persona))
    assert not AccreditationPlan.objects.exists()


def test_plan_update_replaces_targets_and_bumps_revision(district, reviewer):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer, targets={"mn": 6, "th": 4})
    updated = services.plan_update(plan=plan, by=reviewer, revision=plan.revision, title="KH mới",
                                   targets={"mn": 5, "th": None, "thcs": 9})
    assert updated.revision == plan.revision + 1
    assert {t.level: t.count for t in updated.targets.all()} == {"mn": 5, "thcs": 9}


def test_plan_update_refuses_a_stale_revision_and_changes_nothing(district, reviewer, head):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    services.plan_update(plan=plan, by=head, revision=plan.revision, title="Bản của trưởng phòng", targets={})
    with pytest.raises(services.ConcurrentEditError):
        services.plan_update(plan=plan, by=reviewer, revision=plan.revision, title="Bản cũ", targets={"mn": 1})
    plan.refresh_from_db()
    assert plan.title == "Bản của trưởng phòng"
    assert not plan.targets.exists()


def test_plan_schools_add_skips_existing_and_refuses_other_units(district, reviewer, school_a, school_b, school_c):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    assert len(services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer)) == 1
    assert len(services.plan_schools_add(plan=plan, schools=[school_a, school_b], by=reviewer)) == 1
    with pytest.raises(services.EvaluationsError, match="không thuộc"):
        services.plan_schools_add(plan=plan, schools=[school_c], by=reviewer)
    assert set(plan.entries.values_list("school_id", flat=True)) == {school_a.pk, school_b.pk}


def test_adding_only_schools_already_in_the_plan_leaves_its_revision(district, reviewer, school_a, school_b):
    """A no-op add (a second seed of the demo, a double click) must not tell someone editing the plan
    meanwhile that it changed."""
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer)
    plan.refresh_from_db()
    opened = plan.revision
    assert services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer) == []
    plan.refresh_from_db()
    assert plan.revision == opened
    services.plan_schools_add(plan=plan, schools=[school_a, school_b], by=reviewer)
    plan.refresh_from_db()
    assert plan.revision == opened + 1


def test_plan_entry_update_and_remove(district, reviewer, school_a):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    (entry,) = services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer)
    entry = services.plan_entry_update(entry=entry, by=reviewer, purpose=PlannedSchool.Purpose.RENEWAL,
                                       target_accreditation_level=3, target_national_standard=2, note="Hết hạn 2024")
    assert (entry.purpose, entry.target_accreditation_level, entry.target_national_standard) == ("renewal", 3, 2)
    services.plan_entry_remove(entry=entry, by=reviewer)
    assert not plan.entries.exists()


def test_a_stale_plan_entry_save_is_refused_and_changes_nothing(district, reviewer, school_a):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    (entry,) = services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer)
    opened = entry.revision
    services.plan_entry_update(entry=entry, by=reviewer, purpose=PlannedSchool.Purpose.RENEWAL,
                               target_accreditation_level=3, target_national_standard=None, revision=opened)
    with pytest.raises(services.EvaluationsError, match="người khác cập nhật"):
        services.plan_entry_update(entry=entry, by=reviewer, purpose=PlannedSchool.Purpose.FIRST,
                                   target_accreditation_level=1, target_national_standard=None, revision=opened)
    entry.refresh_from_db()
    assert (entry.purpose, entry.target_accreditation_level, entry.revision) == ("renewal", 3, opened + 1)


# --- Rounds and milestones --------------------------------------------------------------------


def test_round_create_fills_the_default_schedule(district, reviewer):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=D(2027, 1, 9))
    school = {m.template_key: m.due_date for m in round_.milestones.filter(owner="school")}
    district_rows = {m.template_key: m.due_date for m in round_.milestones.filter(owner="district")}
    assert school["school_submit_dossier"] == D(2027, 1, 9)
    assert school["school_prepare_visit"] == D(2027, 1, 25)
    assert district_rows["district_letter_to_department"] == D(2027, 1, 19)
    assert len(school) == 5 and len(district_rows) == 4


def test_default_schedule_is_not_duplicated(district, reviewer):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=D(2027, 1, 9))
    assert services.milestones_from_template(round_=round_, dossier_date=D(2027, 1, 9), by=reviewer) == []


def test_round_without_dossier_date_cannot_get_the_default_schedule(district, reviewer):
    with pytest.raises(services.EvaluationsError):
        services.round_create(unit=district, year=2027, number=1, by=reviewer)


def test_round_number_is_unique_per_unit_and_year(district, reviewer):
    services.round_create(unit=district, year=2027, number=1, by=reviewer, with_default_schedule=False)
    with pytest.raises(services.EvaluationsError, match="đã có đợt 1"):
        services.round_create(unit=district, year=2027, number=1, by=reviewer, with_default_schedule=False)


@pytest.fixture
def round_a(district, reviewer, school_a, school_b):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=D(2027, 1, 9))
    services.round_schools_register(round_=round_, schools=[school_a, school_b], by=reviewer)
    return round_


def _registration(round_, school):
    return round_.registrations.get(school=school)


def _school_milestone(round_):
    return round_.milestones.get(template_key="school_submit_dossier")


def test_principal_marks_their_schools_milestone_done_once(round_a, principal_a, school_a):
    milestone, registration = _school_milestone(round_a), _registration(round_a, school_a)
    assert services.milestone_complete(milestone=milestone, by=principal_a, registration=registration) is True
    assert services.milestone_complete(milestone=milestone, by=principal_a, registration=registration) is False
    completion = MilestoneCompletion.objects.get()
    assert completion.done_by == principal_a


def test_principal_cannot_mark_another_schools_milestone(round_a, principal_a, school_b):
    with pytest.raises(PermissionDenied):
        services.milestone_complete(milestone=_school_milestone(round_a), by=principal_a,
                                    registration=_registration(round_a, school_b))


def test_staff_and_the_department_cannot_mark_school_milestones(round_a, staff_a, officer, school_a):
    for user in (staff_a, officer):
        with pytest.raises(PermissionDenied):
            services.milestone_complete(milestone=_school_milestone(round_a), by=user,
                                        registration=_registration(round_a, school_a))


def test_school_milestone_needs_a_registration_of_its_round(round_a, reviewer, district, school_c):
    with pytest.raises(services.EvaluationsError):
        services.milestone_complete(milestone=_school_milestone(round_a), by=reviewer)


def test_district_milestone_is_the_district_offices(round_a, reviewer, principal_a):
    milestone = round_a.milestones.filter(owner="district").first()
    with pytest.raises(PermissionDenied):
        services.milestone_complete(milestone=milestone, by=principal_a)
    assert services.milestone_complete(milestone=milestone, by=reviewer)
    milestone.refresh_from_db()
    assert milestone.done_by == reviewer and milestone.done_at is not None
    assert services.milestone_reopen(milestone=milestone, by=reviewer)
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_milestone_cannot_be_done_in_the_future(round_a, reviewer):
    milestone = round_a.milestones.filter(owner="district").first()
    with pytest.raises(services.EvaluationsError):
        services.milestone_complete(milestone=milestone, by=reviewer, at=timezone.now() + datetime.timedelta(days=1))


def test_reopen_a_school_milestone(round_a, principal_a, school_a):
    milestone, registration = _school_milestone(round_a), _registration(round_a, school_a)
    services.milestone_complete(milestone=milestone, by=principal_a, registration=registration)
    assert services.milestone_reopen(milestone=milestone, by=principal_a, registration=registration)
    assert not MilestoneCompletion.objects.exists()
    assert services.milestone_reopen(milestone=milestone, by=principal_a, registration=registration) is False


def test_milestone_update_refuses_stale_revision(round_a, reviewer, head):
    milestone = _school_milestone(round_a)
    services.milestone_update(milestone=milestone, by=head, revision=milestone.revision, title="Nộp hồ sơ",
                              due_date=D(2027, 1, 12))
    with pytest.raises(services.ConcurrentEditError):
        services.milestone_update(milestone=milestone, by=reviewer, revision=milestone.revision, title="Cũ",
                                  due_date=D(2027, 1, 9))
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("Nộp hồ sơ", D(2027, 1, 12))


def test_registration_with_an_evaluation_cannot_be_removed(round_a, reviewer, school_a, tt18):
    registration = _registration(round_a, school_a)
    services.evaluation_start(by=reviewer, registration=registration)
    with pytest.raises(services.EvaluationsError, match="Không thể rút"):
        services.round_registration_remove(registration=registration, by=reviewer)


def test_registration_removal_drops_its_completions(round_a, reviewer, school_b):
    registration = _registration(round_a, school_b)
    services.milestone_complete(milestone=_school_milestone(round_a), by=reviewer, registration=registration)
    services.round_registration_remove(registration=registration, by=reviewer)
    assert not MilestoneCompletion.objects.exists()


# --- Deadlines and periodic reports ----------------------------------------------------------


def test_default_deadlines_are_20_december_and_10_may(deadlines):
    assert deadlines["semester1"].due_date == D(2026, 12, 20)
    assert deadlines["year_end"].due_date == D(2027, 5, 10)


def test_ensure_keeps_a_changed_date(district, year_2026, reviewer, semester1):
    services.reporting_deadline_update(deadline=semester1, by=reviewer, revision=semester1.revision, due_date=D(2026, 12, 18))
    again = services.reporting_deadlines_ensure(unit=district, school_year=year_2026, by=reviewer)
    assert {d.period: d.due_date for d in again}["semester1"] == D(2026, 12, 18)
    assert ReportingDeadline.objects.count() == 2


def test_deadline_outside_the_school_year_is_refused(semester1, reviewer):
    with pytest.raises(services.EvaluationsError, match="không thuộc năm học"):
        services.reporting_deadline_update(deadline=semester1, by=reviewer, revision=semester1.revision, due_date=D(2028, 1, 5))
    semester1.refresh_from_db()
    assert semester1.due_date == D(2026, 12, 20)


def test_deadline_update_refuses_stale_revision(semester1, reviewer, head):
    services.reporting_deadline_update(deadline=semester1, by=head, revision=semester1.revision, due_date=D(2026, 12, 19))
    with pytest.raises(services.ConcurrentEditError):
        services.reporting_deadline_update(deadline=semester1, by=reviewer, revision=semester1.revision, due_date=D(2026, 12, 21))


def test_the_department_does_not_set_district_deadlines(semester1, officer):
    with pytest.raises(PermissionDenied):
        services.reporting_deadline_update(deadline=semester1, by=officer, revision=None, due_date=D(2026, 12, 19))


def test_periodic_report_submission_keeps_the_first_time(semester1, school_a, principal_a, reviewer):
    first = timezone.make_aware(datetime.datetime(2026, 12, 10, 9, 0))
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a, at=first)
    services.periodic_report_start_review(report=report, by=reviewer)
    services.periodic_report_return(report=report, by=reviewer, reason="Bổ sung")
    report = services.periodic_report_submit(report=report, by=principal_a)
    assert report.status == PeriodicReport.Status.RESUBMITTED
    assert report.submitted_at == first and report.last_submitted_at != first


def test_only_the_principal_submits_and_only_to_its_own_unit(semester1, school_a, school_c, staff_a, principal_c):
    with pytest.raises(PermissionDenied):
        services.periodic_report_submit(school=school_a, deadline=semester1, by=staff_a)
    with pytest.raises(services.EvaluationsError):
        services.periodic_report_submit(school=school_c, deadline=semester1, by=principal_c)


# --- External evaluations ---------------------------------------------------------------------


@pytest.fixture
def evaluation(round_a, officer, school_a, tt18):
    return services.evaluation_start(by=officer, registration=_registration(round_a, school_a))


def test_evaluation_uses_the_regulation_in_force_at_the_dossier_date(evaluation):
    assert evaluation.regulation_version.regulation.code == "TT18/2018"
    assert evaluation.regulation_version.code == "TT22/2024"  # dossiers of January 2027


def test_starting_twice_returns_the_same_record(evaluation, officer):
    assert services.evaluation_start(by=officer, registration=evaluation.registration) == evaluation


def test_the_principal_does_not_record_the_evaluation(round_a, principal_a, school_a, tt18):
    with pytest.raises(PermissionDenied):
        services.evaluation_start(by=principal_a, registration=_registration(round_a, school_a))


def test_evaluation_without_a_catalog_is_refused(round_a, officer, school_a):
    with pytest.raises(services.EvaluationsError, match="bộ tiêu chuẩn"):
        services.evaluation_start(by=officer, registration=_registration(round_a, school_a))


def test_national_standard_above_the_proposed_level_is_refused(evaluation, officer):
    with pytest.raises(services.EvaluationsError, match="Mức độ 2"):
        services.evaluation_update(evaluation=evaluation, by=officer, revision=evaluation.revision,
                                   proposed_accreditation_level=2, proposed_national_standard=2)
    evaluation.refresh_from_db()
    assert evaluation.proposed_national_standard is None


def test_team_limits(evaluation, officer):
    nine = [{"full_name": f"Người {i}", "role": "member"} for i in range(10)]
    with pytest.raises(services.EvaluationsError, match="nhiều nhất 9"):
        services.evaluation_team_set(evaluation=evaluation, by=officer, revision=evaluation.revision, members=nine)
    two_leaders = [{"full_name": "A", "role": "leader"}, {"full_name": "B", "role": "leader"}]
    with pytest.raises(services.EvaluationsError, match="một trưởng đoàn"):
        services.evaluation_team_set(evaluation=evaluation, by=officer, revision=evaluation.revision, members=two_leaders)
    assert not evaluation.team.exists()


def _criteria(evaluation):
    from standards.models import Criterion

    return list(Criterion.objects.filter(standard__version=evaluation.regulation_version, is_repealed=False))


def _complete_record(evaluation, officer, level=2):
    evaluation = services.evaluation_update(
        evaluation=evaluation, by=officer, revision=evaluation.revision, visit_start=D(2027, 3, 1),
        visit_end=D(2027, 3, 3), final_report_date=D(2027, 3, 20), proposed_accreditation_level=2,
        proposed_national_standard=1,
    )
    members = [{"full_name": "Trưởng", "role": "leader"}, {"full_name": "Thư ký", "role": "secretary"}] + [
        {"full_name": f"Thành viên {i}", "role": "member"} for i in range(3)
    ]
    services.evaluation_team_set(evaluation=evaluation, by=officer, revision=evaluation.revision, members=members)
    evaluation.refresh_from_db()
    services.evaluation_results_set(
        evaluation=evaluation, by=officer, revision=evaluation.revision,
        results={c.pk: {"level": level, "self_level": level} for c in _criteria(evaluation)},
    )
    evaluation.refresh_from_db()
    return evaluation


def test_results_are_validated_against_the_catalog(evaluation, officer, tt18):
    (criterion, *_rest) = _criteria(evaluation)
    with pytest.raises(services.EvaluationsError, match="từ 0 đến 3"):
        services.evaluation_results_set(evaluation=evaluation, by=officer, revision=evaluation.revision,
                                        results={criterion.pk: {"level": 4}})
    from standards.models import Criterion

    other = Criterion.objects.exclude(standard__version=evaluation.regulation_version).first()
    with pytest.raises(services.EvaluationsError, match="không thuộc"):
        services.evaluation_results_set(evaluation=evaluation, by=officer, revision=evaluation.revision,
                                        results={other.pk: {"level": 1}})
    assert not evaluation.results.exists()


def test_results_can_be_cleared(evaluation, officer):
    (criterion, *_rest) = _criteria(evaluation)
    services.evaluation_results_set(evaluation=evaluation, by=officer, revision=evaluation.revision,
                                    results={criterion.pk: {"level": 2, "self_level": 3, "note": "x"}})
    evaluation.refresh_from_db()
    assert services.evaluation_results_set(evaluation=evaluation, by=officer, revision=evaluation.revision,
                                           results={criterion.pk: {"level": None}}) == 0


def test_completion_lists_what_is_missing(evaluation, officer):
    with pytest.raises(services.EvaluationsError) as excinfo:
        services.evaluation_complete(evaluation=evaluation, by=officer)
    message = str(excinfo.value)
    assert "từ 5 đến 9 người" in message and "trưởng đoàn" in message and "báo cáo chính thức" in message
    assert "tiêu chí chưa có kết quả" in message


def test_completion_notifies_the_principal_and_locks_the_record(evaluation, officer, principal_a, django_capture_on_commit_callbacks):
    evaluation = _complete_record(evaluation, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_complete(evaluation=evaluation, by=officer)
    evaluation.refresh_from_db()
    assert evaluation.status == ExternalEvaluation.Status.COMPLETED
    assert Notification.objects.filter(user=principal_a, url__contains=f"/external/{evaluation.pk}/").count() == 1
    assert len(mail.outbox) == 1
    with pytest.raises(services.EvaluationsError, match="mở lại"):
        services.evaluation_update(evaluation=evaluation, by=officer, revision=evaluation.revision, strengths="x")
    services.evaluation_reopen(evaluation=evaluation, by=officer)
    evaluation.refresh_from_db()
    assert evaluation.status == ExternalEvaluation.Status.IN_PROGRESS and evaluation.completed_at is None


def test_recommendations(evaluation, officer, tt18):
    criterion = _criteria(evaluation)[0]
    first = services.recommendation_add(evaluation=evaluation, by=officer, text="  Bổ sung thiết bị  ", criterion=criterion)
    second = services.recommendation_add(evaluation=evaluation, by=officer, text="Rà soát minh chứng")
    assert first.text == "Bổ sung thiết bị" and second.position > first.position
    from standards.models import Criterion

    other = Criterion.objects.exclude(standard__version=evaluation.regulation_version).first()
    with pytest.raises(services.EvaluationsError):
        services.recommendation_add(evaluation=evaluation, by=officer, text="x", criterion=other)
    services.recommendation_delete(recommendation=first, by=officer)
    assert list(evaluation.recommendations.all()) == [second]


# --- Certificates -----------------------------------------------------------------------------


def _certificate(school, by, **extra):
    fields = {"decision_number": "1159/QĐ-SGDĐT", "decision_date": D(2025, 3, 10), "issuing_body": "Sở GD&ĐT Hà Nội",
              "accreditation_level": 2, "national_standard_level": 1}
    fields.update(extra)
    return services.certificate_record(school=school, by=by, **fields)


def test_certificate_dates_are_computed(school_a, officer):
    certificate = _certificate(school_a, officer)
    assert certificate.valid_until == D(2030, 3, 10)
    assert certificate.earliest_upgrade_date == D(2026, 3, 10)


def test_certificate_before_tt22_waits_two_years(school_a, reviewer):
    certificate = _certificate(school_a, reviewer, decision_date=D(2024, 6, 12))
    assert certificate.earliest_upgrade_date == D(2026, 6, 12)


def test_certificate_dates_follow_an_edited_decision_date(school_a, officer):
    certificate = _certificate(school_a, officer)
    updated = services.certificate_update(certificate=certificate, by=officer, revision=certificate.revision,
                                          decision_date=D(2024, 1, 5))
    assert (updated.valid_until, updated.earliest_upgrade_date) == (D(2029, 1, 5), D(2026, 1, 5))


def test_certificate_refuses_inconsistent_levels_future_dates_and_duplicates(school_a, officer):
    with pytest.raises(services.EvaluationsError, match="Cấp độ 3"):
        _certificate(school_a, officer, accreditation_level=2, national_standard_level=2)
    with pytest.raises(services.EvaluationsError, match="tương lai"):
        _certificate(school_a, officer, decision_date=timezone.localdate() + datetime.timedelta(days=1))
    _certificate(school_a, officer)
    with pytest.raises(services.EvaluationsError, match="đã được ghi nhận"):
        _certificate(school_a, officer)
    assert Certificate.objects.count() == 1


def test_certificate_of_another_schools_evaluation_is_refused(school_b, evaluation, officer):
    with pytest.raises(services.EvaluationsError, match="không phải của trường"):
        _certificate(school_b, officer, evaluation=evaluation)


def test_principal_and_other_districts_cannot_record_certificates(school_a, principal_a, other_reviewer):
    for user in (principal_a, other_reviewer):
        with pytest.raises(PermissionDenied):
            _certificate(school_a, user)


def test_certificate_update_refuses_stale_revision(school_a, officer, reviewer):
    certificate = _certificate(school_a, officer)
    services.certificate_update(certificate=certificate, by=reviewer, revision=certificate.revision, note="Bản gốc đã nhận")
    with pytest.raises(services.ConcurrentEditError):
        services.certificate_update(certificate=certificate, by=officer, revision=certificate.revision, note="Khác")


def test_a_school_of_another_district_is_refused_for_the_plan(district, reviewer):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    stranger = SchoolFactory()
    with pytest.raises(services.EvaluationsError):
        services.plan_schools_add(plan=plan, schools=[stranger], by=reviewer)


def test_milestone_delete_cascades_completions(round_a, reviewer, school_a):
    milestone = _school_milestone(round_a)
    services.milestone_complete(milestone=milestone, by=reviewer, registration=_registration(round_a, school_a))
    services.milestone_delete(milestone=milestone, by=reviewer)
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert not MilestoneCompletion.objects.exists()


def test_unknown_fields_are_a_programming_error(evaluation, officer, school_a):
    with pytest.raises(TypeError):
        services.evaluation_update(evaluation=evaluation, by=officer, revision=None, status="completed")
    with pytest.raises(TypeError):
        services.certificate_record(school=school_a, by=officer, valid_until=D(2040, 1, 1))


def test_changes_leave_an_audit_trail(round_a, reviewer, principal_a, school_a, officer, semester1):
    from audit.models import Event

    milestone = _school_milestone(round_a)
    services.milestone_complete(milestone=milestone, by=principal_a, registration=_registration(round_a, school_a))
    services.milestone_reopen(milestone=milestone, by=principal_a, registration=_registration(round_a, school_a))
    services.reporting_deadline_update(deadline=semester1, by=reviewer, revision=semester1.revision, due_date=D(2026, 12, 18))
    _certificate(school_a, officer)
    actions = list(Event.objects.order_by("id").values_list("action", "school_id"))
    assert ("evaluations.round.created", None) in actions
    assert ("evaluations.milestone.completed", school_a.pk) in actions
    assert ("evaluations.milestone.reopened", school_a.pk) in actions
    assert ("evaluations.deadline.rescheduled", None) in actions
    assert ("evaluations.certificate.recorded", school_a.pk) in actions
    event = Event.objects.get(action="evaluations.deadline.rescheduled")
    assert (event.from_state, event.to_state, event.actor) == ("2026-12-20", "2026-12-18", reviewer)
