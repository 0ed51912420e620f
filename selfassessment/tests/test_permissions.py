"""Who may do what with a report: the principal, the secretary, working groups, readers, outsiders."""

import pytest

from kiemdinh.permissions import can, check
from selfassessment import services
from selfassessment.models import CouncilMember, CriterionAssessment, Passage, Report, WorkingGroup
from selfassessment.permissions import report_role

from .factories import criterion, school_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_world")]


@pytest.fixture
def council(report, principal_a, school_a):
    """A secretary, a member of the secretary group, and a working-group member responsible for 1.1."""
    secretary = school_person(school_a, "thu_ky")
    helper = school_person(school_a, "nhom_thu_ky")
    writer = school_person(school_a, "nhom_1")
    services.council_member_save(report=report, member=CouncilMember(full_name="Thư ký", role="secretary"),
                                 by=principal_a, user=secretary)
    services.council_member_save(report=report, member=CouncilMember(full_name="Giúp việc", in_secretary_group=True),
                                 by=principal_a, user=helper)
    member = services.council_member_save(report=report, member=CouncilMember(full_name="Nhóm 1", role="member"),
                                          by=principal_a, user=writer)
    services.working_group_save(report=report, group=WorkingGroup(name="Nhóm 1"), members=[member],
                                criteria=[criterion(report, "1.1")], by=principal_a)
    return {"secretary": secretary, "helper": helper, "writer": writer}


def fresh(report) -> Report:
    return Report.objects.select_related("school__reviewing_unit__parent").get(pk=report.pk)


def test_a_member_of_two_groups_writes_the_criteria_of_both_and_the_role_is_one_query(
        report, council, principal_a, django_assert_num_queries):
    """``report_role`` reads the member and the criteria of all its working groups in one query: a
    second group adds its criteria."""
    from schools.scope import scope_of

    writer = council["writer"]
    member = CouncilMember.objects.get(report=report, user=writer)
    services.working_group_save(report=report, group=WorkingGroup(name="Nhóm 2"), members=[member],
                                criteria=[criterion(report, "2.1"), criterion(report, "2.3")], by=principal_a)
    r = fresh(report)
    scope_of(writer)  # the scope is the scope registry's (cached per user), not the role's
    with django_assert_num_queries(1):
        role = report_role(writer, r)
    ids = {criterion(report, n).pk for n in ("1.1", "2.1", "2.3")}
    assert role.criterion_ids == ids and role.is_writer and not role.edits_everything
    assert can(writer, "criterion.edit", (r, criterion(report, "2.3")))
    assert not can(writer, "criterion.edit", (r, criterion(report, "1.2")))
    # A member with no working group: one row of nulls, no criteria, still a member of the council.
    helper_role = report_role(council["helper"], fresh(report))
    assert helper_role.criterion_ids == frozenset() and helper_role.edits_everything


def test_everyone_in_the_school_scope_reads_the_report(report, principal_a, staff_a, reviewer, head, officer, sysadmin,
                                                       principal_b, principal_c, other_reviewer):
    for user in (principal_a, staff_a, reviewer, head, officer, sysadmin):
        assert can(user, "report.view", fresh(report)), user
        assert can(user, "report.check", fresh(report)), user
    for user in (principal_b, principal_c, other_reviewer):
        assert not can(user, "report.view", fresh(report)), user


def test_principal_secretary_and_secretary_group_write_everything(report, council, principal_a):
    for user in (principal_a, council["secretary"], council["helper"]):
        r = fresh(report)
        assert can(user, "report.edit", r)
        assert can(user, "report.manage_council", r)
        assert can(user, "criterion.edit", (r, criterion(report, "2.3")))


def test_a_working_group_member_writes_only_the_criteria_of_the_group(report, council):
    writer, r = council["writer"], fresh(report)
    assert can(writer, "criterion.edit", (r, criterion(report, "1.1")))
    assessment = CriterionAssessment.objects.get(report=report, criterion__number="1.1")
    assessment.report = r
    assert can(writer, "criterion.edit", assessment)
    decision = check(writer, "criterion.edit", (r, criterion(report, "1.2")))
    assert not decision and "không thuộc nhóm công tác của bạn" in decision.reason
    assert not can(writer, "report.edit", r)
    assert not can(writer, "report.manage_council", r)
    texts = {p.key: p for p in Passage.objects.filter(report=r)}
    for p in texts.values():
        p.report = r
    assert can(writer, "passage.edit", texts["indicator:1.1:1:a"])
    assert can(writer, "passage.edit", texts["criterion:1.1:strengths"])
    assert not can(writer, "passage.edit", texts["indicator:1.2:1:a"])
    assert not can(writer, "passage.edit", texts["introduction"])
    assert not can(writer, "passage.edit", texts["standard:1:opening"])


def test_staff_outside_the_council_and_the_district_only_read(report, staff_a, reviewer, head, officer, sysadmin):
    for user in (staff_a, reviewer, head, officer, sysadmin):
        r = fresh(report)
        assert not can(user, "report.edit", r), user
        assert not can(user, "criterion.edit", (r, criterion(report, "1.1"))), user


@pytest.mark.parametrize("status", ["submitted", "in_review", "resubmitted", "accepted", "forwarded", "closed"])
def test_nobody_writes_a_report_the_school_does_not_hold(report, council, principal_a, status):
    Report.objects.filter(pk=report.pk).update(status=status)
    r = fresh(report)
    assert not r.is_editable
    for user in (principal_a, council["secretary"], council["writer"]):
        decision = check(user, "criterion.edit", (r, criterion(report, "1.1")))
        assert not decision and "chỉ báo cáo đang soạn thảo hoặc bị trả lại" in decision.reason
        assert not can(user, "report.edit", r)
    assert can(principal_a, "report.view", r)


def test_a_returned_report_is_written_again(report, principal_a):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RETURNED)
    assert can(principal_a, "report.edit", fresh(report))


def test_only_the_principal_starts_a_report(school_a, principal_a, staff_a, reviewer, sysadmin, principal_b):
    assert can(principal_a, "report.create", school_a)
    assert can(principal_a, "report.create")
    for user in (staff_a, reviewer, sysadmin, principal_b):
        assert not can(user, "report.create", school_a), user


def test_only_an_administrator_changes_the_regulation(report, principal_a, reviewer, officer, sysadmin):
    assert can(sysadmin, "report.change_regulation", fresh(report))
    for user in (principal_a, reviewer, officer):
        assert not can(user, "report.change_regulation", fresh(report))
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    assert not can(sysadmin, "report.change_regulation", fresh(report))


def test_a_council_account_that_left_the_school_keeps_no_right(report, council):
    council["secretary"].memberships.update(is_active=False)
    from schools.scope import reset_scope

    reset_scope(council["secretary"])
    r = fresh(report)
    assert not can(council["secretary"], "report.edit", r)
    assert report_role(council["secretary"], r).edits_everything is False
