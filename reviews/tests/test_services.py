"""The review services: every allowed and forbidden transition, versions, comments, unlocks, notifications."""

import hashlib
import json

import pytest
from django.core import mail

from audit.models import Event
from notifications.models import Notification, OutboundEmail
from notifications.services import email_mutes_set
from reviews import services, workflow
from reviews.models import (
    Comment,
    CommentThread,
    CriterionReview,
    ImmutableError,
    ReportVersion,
    ReviewAssignment,
    UnlockRequest,
    canonical_json,
)
from reviews.services import WorkflowError
from reviews.tests import factories
from selfassessment.models import Report
from selfassessment.serializers import report_as_dict
from standards.models import Criterion

# One world for the module (reviews/tests/conftest.py): school A's complete report takes half a second
# to write, and nearly every test here starts from it.
pytestmark = pytest.mark.usefixtures("complete_world")


def drive(report, status, p):
    """Bring ``report`` to ``status`` through the services, as the people would."""
    path = {
        "draft": [],
        "submitted": ["submit"],
        "in_review": ["submit", "start"],
        "returned": ["submit", "start", "return"],
        "resubmitted": ["submit", "start", "return", "submit"],
        "accepted": ["submit", "start", "accept"],
        "forwarded": ["submit", "start", "accept", "forward"],
        "closed": ["submit", "start", "accept", "forward", "close"],
    }[status]
    for step in path:
        {
            "submit": lambda: services.report_submit(report=report, by=p["principal_a"]),
            "start": lambda: services.report_start_review(report=report, by=p["reviewer"]),
            "return": lambda: services.report_return(report=report, by=p["reviewer"], reason="Bổ sung minh chứng"),
            "accept": lambda: services.report_accept(report=report, by=p["reviewer"]),
            "forward": lambda: services.report_forward(report=report, by=p["head"]),
            "close": lambda: services.report_close(report=report, by=p["officer"]),
        }[step]()
    report.refresh_from_db()
    assert report.status == status
    return report


def act(action, report, p, by=None):
    """Call the service of ``action`` as the persona who would be allowed to make it."""
    if action == workflow.SUBMIT:
        return services.report_submit(report=report, by=by or p["principal_a"])
    if action == workflow.WITHDRAW:
        return services.report_withdraw(report=report, by=by or p["principal_a"])
    if action == workflow.START_REVIEW:
        return services.report_start_review(report=report, by=by or p["reviewer"])
    if action == workflow.RETURN:
        return services.report_return(report=report, by=by or p["reviewer"], reason="Cần sửa")
    if action == workflow.ACCEPT:
        return services.report_accept(report=report, by=by or p["head"])
    if action == workflow.FORWARD:
        return services.report_forward(report=report, by=by or p["head"])
    if action == workflow.CLOSE:
        return services.report_close(report=report, by=by or p["officer"])
    if action == workflow.UNLOCK:
        request = UnlockRequest.objects.filter(report=report, status="pending").first() or UnlockRequest.objects.create(
            report=report, reason="Sửa số liệu", requested_by=p["principal_a"]
        )
        return services.unlock_grant(request=request, by=by or p["head"])
    raise AssertionError(action)


def snapshot_of(report):
    return (
        Report.objects.get(pk=report.pk).status,
        Event.objects.count(),
        ReportVersion.objects.count(),
        Notification.objects.count(),
    )


# --- Allowed and forbidden moves --------------------------------------------------------------------


# What each action does from each status, as the issue states the workflow (written here, not read
# from ``workflow.TRANSITIONS``): every (status, action) pair absent from it must be refused.
MOVES = {
    ("draft", "submit"): "submitted",
    ("returned", "submit"): "resubmitted",
    ("submitted", "withdraw"): "draft",
    ("resubmitted", "withdraw"): "returned",
    ("submitted", "start_review"): "in_review",
    ("resubmitted", "start_review"): "in_review",
    ("in_review", "return"): "returned",
    ("in_review", "accept"): "accepted",
    ("accepted", "forward"): "forwarded",
    ("accepted", "unlock"): "returned",
    ("forwarded", "unlock"): "returned",
    ("forwarded", "close"): "closed",
}
STATUSES = ("draft", "submitted", "in_review", "returned", "resubmitted", "accepted", "forwarded", "closed")
ACTIONS = ("submit", "withdraw", "start_review", "return", "accept", "forward", "unlock", "close")


def test_the_moves_cover_every_status_and_action_of_the_workflow():
    assert set(STATUSES) == set(Report.Status.values)
    assert set(ACTIONS) == set(workflow.ACTIONS)


@pytest.mark.parametrize(("status", "action"), [(s, a) for s in STATUSES for a in ACTIONS])
def test_each_action_from_each_status_moves_the_report_or_is_refused(report, personas, status, action):
    """The service itself is asked: an allowed move changes the status and records its event; any
    other is refused and changes nothing (status, events, versions, notifications)."""
    drive(report, status, personas)
    if action == "unlock":
        # A request made while the report could be unlocked; granting it is allowed only from an
        # unlockable status (a stale one, the report moved on since, must still be refused).
        UnlockRequest.objects.create(report=report, reason="Sửa số liệu Phần I", requested_by=personas["principal_a"])
    target = MOVES.get((status, action))
    if target is None:
        before = snapshot_of(report)
        with pytest.raises(WorkflowError) as refused:
            act(action, report, personas)
        assert refused.value.message
        assert snapshot_of(report) == before
        return
    events = Event.objects.filter(target_id=report.pk, action__startswith="reviews.report.")
    before = events.count()
    act(action, report, personas)
    report.refresh_from_db()
    assert report.status == target
    assert events.count() == before + 1
    event = events.order_by("-pk").first()
    assert (event.from_state, event.to_state, event.school_id) == (status, target, report.school_id)


WRONG_PERSONA = [
    ("draft", workflow.SUBMIT, "staff_a"),
    ("draft", workflow.SUBMIT, "reviewer"),
    ("draft", workflow.SUBMIT, "principal_b"),
    ("submitted", workflow.WITHDRAW, "reviewer"),
    ("submitted", workflow.WITHDRAW, "staff_a"),
    ("submitted", workflow.START_REVIEW, "principal_a"),
    ("submitted", workflow.START_REVIEW, "other_reviewer"),
    ("submitted", workflow.START_REVIEW, "officer"),
    ("in_review", workflow.RETURN, "principal_a"),
    ("in_review", workflow.RETURN, "other_reviewer"),
    ("in_review", workflow.ACCEPT, "principal_a"),
    ("in_review", workflow.ACCEPT, "officer"),
    ("accepted", workflow.FORWARD, "principal_a"),
    ("accepted", workflow.FORWARD, "officer"),
    ("accepted", workflow.UNLOCK, "principal_a"),
    ("forwarded", workflow.CLOSE, "head"),
    ("forwarded", workflow.CLOSE, "principal_a"),
]


@pytest.mark.parametrize(("status", "action", "persona"), WRONG_PERSONA)
def test_an_allowed_move_by_the_wrong_person_is_refused_with_a_reason(report, personas, principal_b, status, action,
                                                                     persona):
    people = {**personas, "principal_b": principal_b}
    drive(report, status, people)
    before = snapshot_of(report)
    with pytest.raises(WorkflowError) as refused:
        act(action, report, people, by=people[persona])
    assert refused.value.message
    assert snapshot_of(report) == before


def test_a_reviewer_cannot_act_on_a_report_assigned_to_a_colleague(report, personas, district):
    from schools.models import Membership
    from schools.tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, role=Membership.Role.DISTRICT_REVIEWER, organisation=district)
    drive(report, "submitted", personas)
    services.report_assign(report=report, reviewer=colleague, by=personas["head"])
    with pytest.raises(WorkflowError, match="đã được phân công cho"):
        services.report_start_review(report=report, by=personas["reviewer"])
    services.report_start_review(report=report, by=colleague)
    assert Report.objects.get(pk=report.pk).status == "in_review"


def test_submit_refused_while_checks_find_errors(report, principal_a):
    # Every section the unit requires is complete, but one text cites a code the school does not have.
    factories.write(report, "criterion:1.1:weaknesses", "Hồ sơ còn thiếu [H9-9.9-99].", principal_a)
    before = snapshot_of(report)
    with pytest.raises(WorkflowError, match="Báo cáo còn 1 lỗi phải sửa trước khi nộp") as refused:
        services.report_submit(report=report, by=principal_a)
    assert "H9-9.9-99" in refused.value.message and "Chưa nộp được" not in refused.value.message
    assert snapshot_of(report) == before


# --- Versions ----------------------------------------------------------------------------------------


def test_submitting_freezes_the_complete_report_with_its_hash(report, principal_a):
    expected = canonical_json(report_as_dict(report))
    version = services.report_submit(report=report, by=principal_a)
    assert version.number == 1
    assert version.content == expected
    assert version.content_hash == hashlib.sha256(expected.encode("utf-8")).hexdigest()
    assert json.loads(version.content)["report"]["id"] == report.pk
    assert version.submitted_by == principal_a
    assert version.school_level == report.school_level
    # 1.2 has no Mức 3 indicator: a level without indicators adds no requirement (Điều 6).
    assert version.criterion_levels == {"1.1": 3, "1.2": 3, "2.1": 3}


def test_a_snapshot_is_unchanged_by_later_edits(report, personas):
    principal = personas["principal_a"]
    first = services.report_submit(report=report, by=principal)
    stored_hash, stored_content = first.content_hash, first.content
    services.report_start_review(report=report, by=personas["reviewer"])
    services.report_return(report=report, by=personas["reviewer"], reason="Sửa số lớp")
    factories.write(report, "indicator:1.1:1:a", factories.classes_text(report, 22), principal)
    second = services.report_submit(report=report, by=principal)
    first = ReportVersion.objects.get(pk=first.pk)
    assert (first.content_hash, first.content) == (stored_hash, stored_content)
    assert first.verify() and second.verify()
    assert second.number == 2 and second.content_hash != first.content_hash
    assert "22 lớp" in second.content and "22 lớp" not in first.content


def test_versions_cannot_be_changed_or_deleted(report, principal_a):
    version = services.report_submit(report=report, by=principal_a)
    version.content = "{}"
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.delete()
    with pytest.raises(ImmutableError):
        ReportVersion.objects.filter(pk=version.pk).update(content="{}")
    with pytest.raises(ImmutableError):
        ReportVersion.objects.all().delete()
    assert ReportVersion.objects.get(pk=version.pk).verify()


def test_a_tampered_version_fails_verification(report, principal_a):
    version = services.report_submit(report=report, by=principal_a)
    version.content = version.content.replace("20 lớp", "30 lớp")
    assert not version.verify()


def test_withdrawing_keeps_the_version_and_the_next_submission_is_a_new_one(report, personas):
    services.report_submit(report=report, by=personas["principal_a"])
    services.report_withdraw(report=report, by=personas["principal_a"])
    assert Report.objects.get(pk=report.pk).status == "draft"
    services.report_submit(report=report, by=personas["principal_a"])
    assert list(ReportVersion.objects.filter(report=report).values_list("number", flat=True)) == [1, 2]


# --- Review: assignment, return, acceptance ------------------------------------------------------------


def test_starting_review_assigns_the_reviewer_who_starts(report, personas):
    drive(report, "in_review", personas)
    assignment = ReviewAssignment.objects.get(report=report, is_active=True)
    assert assignment.reviewer == personas["reviewer"]


def test_the_head_reassigns_and_the_history_is_kept(report, personas, district):
    from schools.models import Membership
    from schools.tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, role=Membership.Role.DISTRICT_REVIEWER, organisation=district)
    drive(report, "in_review", personas)
    services.report_assign(report=report, reviewer=colleague, by=personas["head"])
    assignments = list(ReviewAssignment.objects.filter(report=report).order_by("pk"))
    assert [(a.reviewer, a.is_active) for a in assignments] == [(personas["reviewer"], False), (colleague, True)]
    assert assignments[0].ended_at is not None
    assert Notification.objects.filter(user=colleague, kind="review_assigned").count() == 1


def test_a_reviewer_may_only_take_an_unassigned_report_for_themselves(report, personas, district):
    from schools.models import Membership
    from schools.tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, role=Membership.Role.DISTRICT_REVIEWER, organisation=district)
    drive(report, "submitted", personas)
    with pytest.raises(WorkflowError, match="Chỉ Trưởng phòng"):
        services.report_assign(report=report, reviewer=colleague, by=personas["reviewer"])
    services.report_assign(report=report, reviewer=personas["reviewer"], by=personas["reviewer"])
    with pytest.raises(WorkflowError, match="đã được phân công"):
        services.report_assign(report=report, reviewer=colleague, by=colleague)


def test_only_people_of_the_unit_can_be_assigned(report, personas):
    drive(report, "submitted", personas)
    with pytest.raises(WorkflowError, match="không phải cán bộ"):
        services.report_assign(report=report, reviewer=personas["other_reviewer"], by=personas["head"])
    assert not ReviewAssignment.objects.filter(report=report).exists()


def test_returning_needs_a_reason_which_the_school_then_reads(report, personas):
    drive(report, "in_review", personas)
    before = snapshot_of(report)
    with pytest.raises(WorkflowError, match="lý do"):
        services.report_return(report=report, by=personas["reviewer"], reason="   ")
    assert snapshot_of(report) == before
    services.report_return(report=report, by=personas["reviewer"], reason="Bổ sung minh chứng tiêu chí 1.1")
    report.refresh_from_db()
    assert report.status == "returned" and report.is_editable
    assert report.review_state.return_reason == "Bổ sung minh chứng tiêu chí 1.1"
    note = Notification.objects.get(user=personas["principal_a"], kind="report_returned")
    assert "Bổ sung minh chứng tiêu chí 1.1" in note.body


def test_acceptance_waits_for_open_threads_to_be_resolved(report, personas):
    drive(report, "in_review", personas)
    thread = services.thread_open(report=report, by=personas["reviewer"], text="Thiếu minh chứng")
    with pytest.raises(WorkflowError, match="chưa xử lý"):
        services.report_accept(report=report, by=personas["reviewer"])
    services.thread_mark_fixed(thread=thread, by=personas["principal_a"], text="Đã bổ sung minh chứng")
    # "Đã sửa" is the school's word; the remark holds back acceptance until the district closes it.
    with pytest.raises(WorkflowError, match="chưa xử lý"):
        services.report_accept(report=report, by=personas["reviewer"])
    services.thread_resolve(thread=thread, by=personas["reviewer"])
    assert services.report_accept(report=report, by=personas["reviewer"]).accepted
    report.refresh_from_db()
    assert report.status == "accepted" and not report.is_editable


def test_with_head_approval_a_reviewer_recommends_and_the_head_accepts(report, personas, district):
    district.requires_head_approval = True
    district.save()
    report = factories.reload(report)
    drive(report, "in_review", personas)
    result = services.report_accept(report=report, by=personas["reviewer"], note="Đạt yêu cầu")
    assert not result.accepted
    report.refresh_from_db()
    assert report.status == "in_review"
    assert report.review_state.recommended_by == personas["reviewer"]
    assert Notification.objects.filter(user=personas["head"], kind="review_assigned").exists()
    with pytest.raises(WorkflowError, match="chờ Trưởng phòng"):
        services.report_accept(report=report, by=personas["reviewer"])
    assert services.report_accept(report=report, by=personas["head"]).accepted
    report = factories.reload(report)
    assert report.status == "accepted"
    with pytest.raises(WorkflowError, match="Trưởng phòng"):
        services.report_forward(report=report, by=personas["reviewer"])
    services.report_forward(report=report, by=personas["head"])
    assert Report.objects.get(pk=report.pk).status == "forwarded"


def test_a_return_clears_a_pending_recommendation(report, personas, district):
    district.requires_head_approval = True
    district.save()
    report = factories.reload(report)
    drive(report, "in_review", personas)
    services.report_accept(report=report, by=personas["reviewer"])
    services.report_return(report=report, by=personas["head"], reason="Chưa đạt")
    report.refresh_from_db()
    assert report.review_state.recommended_by is None and report.review_state.recommended_at is None


# --- Comments ------------------------------------------------------------------------------------------


def test_a_comment_on_a_passage_quotes_the_submitted_text_and_starts_the_review(report, personas):
    services.report_submit(report=report, by=personas["principal_a"])
    thread = services.thread_open(
        report=report, by=personas["reviewer"], text="Số lớp chưa khớp Phần I", passage_key="indicator:1.1:1:a",
        quote="có 20 lớp  học",
    )
    report.refresh_from_db()
    assert report.status == "in_review"
    assert thread.criterion.number == "1.1"
    assert thread.passage_label.startswith("Tiêu chí 1.1 – Mức 1, chỉ báo a")
    assert thread.comments.get().side == "district"
    note = Notification.objects.get(user=personas["principal_a"], kind="comment")
    assert "Số lớp chưa khớp Phần I" in note.body


def test_a_quote_that_is_not_in_the_passage_is_refused(report, personas):
    services.report_submit(report=report, by=personas["principal_a"])
    with pytest.raises(WorkflowError, match="trích dẫn"):
        services.thread_open(report=report, by=personas["reviewer"], text="x", passage_key="indicator:1.1:1:a",
                             quote="không có trong văn bản")
    with pytest.raises(WorkflowError, match="Đoạn văn"):
        services.thread_open(report=report, by=personas["reviewer"], text="x", passage_key="indicator:9.9:1:a")
    assert not CommentThread.objects.exists()


def test_a_comment_on_a_version_superseded_meanwhile_is_refused(report, personas):
    first = services.report_submit(report=report, by=personas["principal_a"])
    services.report_withdraw(report=report, by=personas["principal_a"])
    services.report_submit(report=report, by=personas["principal_a"])
    with pytest.raises(WorkflowError, match="phiên bản 2"):
        services.thread_open(report=report, by=personas["reviewer"], text="Góp ý", version=first)
    assert not CommentThread.objects.exists()


def test_the_school_answers_but_does_not_open_threads(report, personas):
    drive(report, "in_review", personas)
    criterion = Criterion.objects.get(number="1.2", standard__version=report.regulation_version)
    thread = services.thread_open(report=report, by=personas["reviewer"], text="Bổ sung", criterion=criterion)
    with pytest.raises(WorkflowError, match="góp ý mới do Phòng"):
        services.thread_open(report=report, by=personas["principal_a"], text="Câu hỏi")
    comment = services.comment_add(thread=thread, by=personas["staff_a"], text="Đã bổ sung biên bản")
    assert comment.side == "school"
    assert Notification.objects.filter(user=personas["reviewer"], kind="comment").count() == 1
    with pytest.raises(WorkflowError):
        services.comment_add(thread=thread, by=personas["principal_c"], text="?")


def test_the_school_marks_fixed_and_only_the_district_closes_or_reopens(report, personas):
    drive(report, "in_review", personas)
    thread = services.thread_open(report=report, by=personas["reviewer"], text="Sửa")
    # A principal can no longer close the reviewer's comment, nor reopen it.
    for name in ("principal_a", "staff_a"):
        with pytest.raises(WorkflowError, match=r"Chỉ Phòng GD&ĐT quận \S+ đóng hoặc mở lại góp ý"):
            services.thread_resolve(thread=thread, by=personas[name])
    with pytest.raises(WorkflowError, match="Nhà trường báo đã sửa"):
        services.thread_mark_fixed(thread=thread, by=personas["reviewer"], text="x")
    comment = services.thread_mark_fixed(thread=thread, by=personas["staff_a"], text="Đã sửa số lớp thành 22")
    thread.refresh_from_db()
    assert thread.is_open and thread.is_fixed and thread.fixed_by == personas["staff_a"]
    assert (comment.side, comment.text) == ("school", "Đã sửa số lớp thành 22")
    assert Event.objects.filter(action="reviews.comment.fixed").count() == 1
    assert Notification.objects.filter(user=personas["reviewer"], kind="comment").exists()
    # The reviewer finds it short: reopening clears the mark.
    services.thread_reopen(thread=thread, by=personas["reviewer"])
    thread.refresh_from_db()
    assert thread.is_open and not thread.is_fixed and thread.fixed_at is None
    with pytest.raises(WorkflowError):
        services.thread_reopen(thread=thread, by=personas["reviewer"])  # open and not marked: nothing to reopen
    services.thread_mark_fixed(thread=thread, by=personas["principal_a"], text="Bổ sung biên bản")
    services.thread_resolve(thread=thread, by=personas["reviewer"])
    thread.refresh_from_db()
    assert (thread.status, thread.resolved_by) == ("resolved", personas["reviewer"])
    assert Event.objects.filter(action="reviews.comment.resolved").count() == 1
    with pytest.raises(WorkflowError):
        services.thread_resolve(thread=thread, by=personas["reviewer"])
    # A closed thread: the school's answer does not reopen it (the text is refused, not lost: the view
    # shows it again), and "Đã sửa" is refused too.
    with pytest.raises(WorkflowError, match="đã đóng"):
        services.comment_add(thread=thread, by=personas["principal_a"], text="Bổ sung thêm")
    with pytest.raises(WorkflowError, match="đã đóng"):
        services.thread_mark_fixed(thread=thread, by=personas["principal_a"], text="Bổ sung thêm")
    with pytest.raises(WorkflowError, match=r"Chỉ Phòng GD&ĐT quận \S+ đóng"):
        services.thread_reopen(thread=thread, by=personas["principal_a"])
    services.comment_add(thread=thread, by=personas["reviewer"], text="Ghi nhận")  # the district may still write
    services.thread_reopen(thread=thread, by=personas["head"])
    assert CommentThread.objects.get(pk=thread.pk).is_open


def test_no_comment_on_a_draft_or_a_closed_report(report, personas):
    with pytest.raises(WorkflowError):
        services.thread_open(report=report, by=personas["reviewer"], text="x")
    drive(report, "closed", personas)
    with pytest.raises(WorkflowError):
        services.thread_open(report=report, by=personas["reviewer"], text="x")
    assert not CommentThread.objects.exists() and not Comment.objects.exists()


# --- Criterion marks -------------------------------------------------------------------------------------


def test_marking_criteria_reviewed_on_the_latest_version(report, personas):
    version = services.report_submit(report=report, by=personas["principal_a"])
    criterion = Criterion.objects.get(number="1.1", standard__version=report.regulation_version)
    assert services.criterion_review_set(version=version, criterion=criterion, by=personas["reviewer"], reviewed=True)
    assert Report.objects.get(pk=report.pk).status == "in_review"
    assert CriterionReview.objects.filter(version=version, criterion=criterion).count() == 1
    services.criterion_review_set(version=version, criterion=criterion, by=personas["reviewer"], reviewed=True)
    assert CriterionReview.objects.count() == 1
    services.criterion_review_set(version=version, criterion=criterion, by=personas["reviewer"], reviewed=False)
    assert not CriterionReview.objects.exists()
    with pytest.raises(WorkflowError):
        services.criterion_review_set(version=version, criterion=criterion, by=personas["principal_a"], reviewed=True)


# --- Unlock ----------------------------------------------------------------------------------------------


def test_unlock_request_granted_reopens_the_report_for_the_school(report, personas):
    drive(report, "accepted", personas)
    request = services.unlock_request_create(report=report, by=personas["principal_a"], reason="Số liệu Phần I thay đổi")
    with pytest.raises(WorkflowError, match="đang chờ"):
        services.unlock_request_create(report=report, by=personas["principal_a"], reason="Lần hai")
    services.unlock_grant(request=request, by=personas["reviewer"], note="Đồng ý")
    report.refresh_from_db()
    request.refresh_from_db()
    assert report.status == "returned" and report.is_editable
    assert (request.status, request.decided_by) == ("granted", personas["reviewer"])
    assert Notification.objects.filter(user=personas["principal_a"], kind="report_unlocked").count() == 1
    event = Event.objects.get(action="reviews.report.unlocked")
    assert (event.from_state, event.to_state) == ("accepted", "returned")


def test_unlock_refused_keeps_the_report_locked(report, personas):
    drive(report, "forwarded", personas)
    request = services.unlock_request_create(report=report, by=personas["principal_a"], reason="Sửa")
    with pytest.raises(WorkflowError, match="lý do"):
        services.unlock_refuse(request=request, by=personas["head"], note="")
    services.unlock_refuse(request=request, by=personas["head"], note="Đã gửi Sở, không sửa được")
    assert Report.objects.get(pk=report.pk).status == "forwarded"
    assert UnlockRequest.objects.get(pk=request.pk).status == "refused"
    with pytest.raises(WorkflowError, match="đã được xử lý"):
        services.unlock_grant(request=request, by=personas["head"])


@pytest.mark.parametrize("status", ["draft", "submitted", "in_review", "returned", "resubmitted", "closed"])
def test_unlock_can_only_be_requested_for_an_accepted_report(report, personas, status):
    drive(report, status, personas)
    with pytest.raises(WorkflowError):
        services.unlock_request_create(report=report, by=personas["principal_a"], reason="Sửa")
    assert not UnlockRequest.objects.exists()


# --- Notifications ----------------------------------------------------------------------------------------


def test_submission_notifies_the_unit_by_email_on_commit(report, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=personas["principal_a"])
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["head@example.vn", "reviewer@example.vn"]
    message = mail.outbox[0]
    assert "đã nộp báo cáo tự đánh giá" in message.subject
    assert f"/review/reports/{report.pk}/" in message.body


def test_running_a_notification_twice_sends_one_email(report, personas, django_capture_on_commit_callbacks):
    version = services.report_submit(report=report, by=personas["principal_a"])
    mail.outbox.clear()
    message = services._report_message(
        report, kind="report_submitted", title="Nộp báo cáo", template="report_submitted",
        key=f"report:{report.pk}:submitted:v{version.number}", by=personas["principal_a"], version=version,
        resubmission=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services._send(message, [personas["reviewer"]]) == 0  # already notified by the submission
        assert services._send(message, [personas["reviewer"]]) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(user=personas["reviewer"], dedupe_key=message.key).count() == 1
    assert OutboundEmail.objects.filter(to="reviewer@example.vn").count() == 1


def test_the_email_task_run_twice_sends_once(report, personas, django_capture_on_commit_callbacks):
    from notifications.tasks import email_deliver

    with django_capture_on_commit_callbacks(execute=False):
        services.report_submit(report=report, by=personas["principal_a"])
    rows = list(OutboundEmail.objects.all())
    assert rows and all(r.status == "pending" for r in rows)
    for row in rows:
        email_deliver(row.pk)
        email_deliver(row.pk)
    assert len(mail.outbox) == len(rows)


def test_a_muted_kind_is_not_emailed_but_stays_in_the_bell(report, personas, django_capture_on_commit_callbacks):
    email_mutes_set(by=personas["reviewer"], kinds=["report_submitted"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=personas["principal_a"])
    assert [m.to for m in mail.outbox] == [["head@example.vn"]]
    assert Notification.objects.filter(user=personas["reviewer"], kind="report_submitted").count() == 1


def test_a_refused_transition_notifies_nobody(report, personas):
    with pytest.raises(WorkflowError):
        services.report_accept(report=report, by=personas["head"])
    assert not Notification.objects.exists()


def test_the_actor_is_never_notified_of_their_own_action(report, personas):
    drive(report, "in_review", personas)
    services.thread_open(report=report, by=personas["reviewer"], text="Góp ý")
    assert not Notification.objects.filter(user=personas["reviewer"], kind="comment").exists()


def test_the_head_sets_the_final_approval_and_it_is_recorded(personas, district):
    services.unit_settings_update(unit=district, by=personas["head"], requires_head_approval=True)
    district.refresh_from_db()
    assert district.requires_head_approval
    assert Event.objects.get(action="reviews.unit.settings_changed").data == {"requires_head_approval": True}
    with pytest.raises(WorkflowError):
        services.unit_settings_update(unit=district, by=personas["reviewer"], requires_head_approval=False)
    district.refresh_from_db()
    assert district.requires_head_approval
