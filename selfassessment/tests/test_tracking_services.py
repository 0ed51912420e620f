"""The improvement-plan tracking services: who tracks, on a locked report too, the status table,
the optimistic lock, progress notes with the school's own evidence, the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import Event
from selfassessment import services
from selfassessment.models import CouncilMember, ImprovementAction, ImprovementProgress, Report, WorkingGroup
from selfassessment.services import ConflictError, ReportError
from selfassessment.tracking import services as tracking

from .factories import add_evidence, criterion, school_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_world")]

TODAY = datetime.date(2026, 3, 10)


def _actions(report, by, number="1.1", texts=("Bồi dưỡng giáo viên",), **fields):
    target = criterion(report, number)
    current = list(ImprovementAction.objects.filter(report=report, criterion=target))
    items = [{"id": a.pk, **{f: getattr(a, f) for f in services.ACTION_FIELDS}} for a in current]
    items += [{"id": None, "action": text, **fields} for text in texts]
    return services.improvement_actions_save(report=report, criterion=target, items=items,
                                             token=services.actions_token(current), by=by)[len(current):]


@pytest.fixture
def action(report, principal_a):
    return _actions(report, principal_a, start_on=datetime.date(2025, 9, 1), due_on=datetime.date(2026, 5, 31),
                    responsible="Tổ chuyên môn")[0]


def _lock(report, status="submitted"):
    Report.objects.filter(pk=report.pk).update(status=status)


def _fresh(action):
    return ImprovementAction.objects.get(pk=action.pk)


# --- Status ---------------------------------------------------------------------------------------


def test_principal_moves_an_action_to_in_progress_then_done_recording_the_day(action, principal_a):
    started = tracking.action_status_change(action=action, status="in_progress", by=principal_a,
                                            revision=action.revision, today=TODAY)
    assert started.status == "in_progress" and started.revision == action.revision + 1
    done = tracking.action_status_change(action=action, status="done", by=principal_a, revision=started.revision,
                                         today=TODAY)
    stored = _fresh(action)
    assert (stored.status, stored.done_on, stored.updated_by) == ("done", TODAY, principal_a)
    assert done.revision == stored.revision
    events = list(Event.objects.filter(action="selfassessment.improvement_action.status_changed", target_id=action.pk)
                  .order_by("id").values_list("from_state", "to_state"))
    assert events == [("not_started", "in_progress"), ("in_progress", "done")]


def test_done_may_be_dated_in_the_past_but_not_in_the_future(action, principal_a):
    with pytest.raises(ReportError, match="không được sau hôm nay"):
        tracking.action_status_change(action=action, status="done", by=principal_a, revision=action.revision,
                                      done_on=TODAY + datetime.timedelta(days=1), today=TODAY)
    assert _fresh(action).status == "not_started"
    tracking.action_status_change(action=action, status="done", by=principal_a, revision=action.revision,
                                  done_on=datetime.date(2026, 2, 1), today=TODAY)
    assert _fresh(action).done_on == datetime.date(2026, 2, 1)


def test_reopening_a_done_action_clears_its_day(action, principal_a):
    done = tracking.action_status_change(action=action, status="done", by=principal_a, revision=action.revision,
                                         today=TODAY)
    tracking.action_status_change(action=action, status="in_progress", by=principal_a, revision=done.revision,
                                  today=TODAY)
    stored = _fresh(action)
    assert (stored.status, stored.done_on) == ("in_progress", None)
    event = Event.objects.filter(target_id=action.pk, to_state="in_progress").latest("id")
    assert event.data["previous_done_on"] == TODAY.isoformat()


def test_dropping_needs_a_reason(action, principal_a):
    for reason in ("", "   \n "):
        with pytest.raises(ReportError, match="lý do"):
            tracking.action_status_change(action=action, status="dropped", by=principal_a, revision=action.revision,
                                          reason=reason)
    assert _fresh(action).status == "not_started"
    tracking.action_status_change(action=action, status="dropped", by=principal_a, revision=action.revision,
                                  reason="Kinh phí năm nay không được phê duyệt.")
    stored = _fresh(action)
    assert (stored.status, stored.dropped_reason) == ("dropped", "Kinh phí năm nay không được phê duyệt.")


def test_resuming_a_dropped_action_clears_the_reason_the_audit_keeps(action, principal_a):
    dropped = tracking.action_status_change(action=action, status="dropped", by=principal_a, revision=action.revision,
                                            reason="Chưa có kinh phí")
    tracking.action_status_change(action=action, status="not_started", by=principal_a, revision=dropped.revision)
    assert _fresh(action).dropped_reason == ""
    assert Event.objects.filter(target_id=action.pk, to_state="not_started").latest("id").data["previous_reason"] == \
        "Chưa có kinh phí"


# The moves of an improvement action as the plan's tracking is meant to work (written here, not read
# from ``ImprovementAction.TRANSITIONS``): a finished action can only be reopened, a dropped one
# resumed; every other pair of different statuses must be refused.
STATUSES = ("not_started", "in_progress", "done", "dropped")
MOVES = {
    ("not_started", "in_progress"), ("not_started", "done"), ("not_started", "dropped"),
    ("in_progress", "not_started"), ("in_progress", "done"), ("in_progress", "dropped"),
    ("done", "in_progress"),
    ("dropped", "not_started"), ("dropped", "in_progress"),
}


def test_the_moves_cover_every_status():
    assert set(STATUSES) == set(ImprovementAction.Status.values)


@pytest.mark.parametrize(("start", "target"), [(s, t) for s in STATUSES for t in STATUSES if s != t])
def test_each_move_between_two_statuses_is_made_or_refused(report, principal_a, start, target):
    """The service itself is asked, for every pair: an allowed move is stored and audited; any other
    is refused and changes nothing."""
    created = _actions(report, principal_a, texts=(f"{start}->{target}",))[0]
    ImprovementAction.objects.filter(pk=created.pk).update(status=start, dropped_reason="x" if start == "dropped" else "")
    created = _fresh(created)
    events = Event.objects.filter(action="selfassessment.improvement_action.status_changed", target_id=created.pk)
    if (start, target) not in MOVES:
        with pytest.raises(ReportError, match="Không thể chuyển"):
            tracking.action_status_change(action=created, status=target, by=principal_a, revision=created.revision,
                                          reason="lý do", today=TODAY)
        assert (_fresh(created).status, _fresh(created).revision, events.count()) == (start, created.revision, 0)
        return
    saved = tracking.action_status_change(action=created, status=target, by=principal_a, revision=created.revision,
                                          reason="Lý do", today=TODAY)
    assert saved.status == target == _fresh(created).status
    assert list(events.values_list("from_state", "to_state")) == [(start, target)]


def test_an_unknown_status_is_refused(action, principal_a):
    with pytest.raises(ReportError, match="không hợp lệ"):
        tracking.action_status_change(action=action, status="cancelled", by=principal_a, revision=action.revision)


# --- Locked reports, permissions ---------------------------------------------------------------


@pytest.mark.parametrize("status", ["submitted", "in_review", "accepted", "forwarded"])
def test_the_plan_is_tracked_while_the_report_is_locked(report, action, principal_a, status):
    _lock(report, status)
    with pytest.raises(PermissionDenied):  # the report itself is no longer written in
        _actions(Report.objects.get(pk=report.pk), principal_a)
    version = Report.objects.get(pk=report.pk).version
    saved = tracking.action_status_change(action=action, status="in_progress", by=principal_a,
                                          revision=action.revision)
    tracking.action_tracking_update(action=action, by=principal_a, revision=saved.revision, responsible="Phó Hiệu trưởng",
                                    start_on=action.start_on, due_on=datetime.date(2026, 6, 30), resources="",
                                    expected_result="")
    tracking.progress_note_add(action=action, by=principal_a, date=TODAY, text="Đã bồi dưỡng đợt 1.", today=TODAY)
    stored = _fresh(action)
    assert (stored.status, stored.responsible, stored.due_on) == ("in_progress", "Phó Hiệu trưởng",
                                                                  datetime.date(2026, 6, 30))
    # Tracking is not a change of the report's content (the submitted version stays what it was).
    assert Report.objects.get(pk=report.pk).version == version


@pytest.mark.parametrize("persona", ["staff_a", "reviewer", "head", "officer", "sysadmin"])
def test_readers_cannot_track(action, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        tracking.action_status_change(action=action, status="in_progress", by=user, revision=action.revision)
    with pytest.raises(PermissionDenied):
        tracking.progress_note_add(action=action, by=user, date=TODAY, text="x", today=TODAY)
    with pytest.raises(PermissionDenied):
        tracking.action_tracking_update(action=action, by=user, revision=action.revision, responsible="x",
                                        start_on=None, due_on=None, resources="", expected_result="")
    assert _fresh(action).status == "not_started"
    assert not ImprovementProgress.objects.exists()


def test_principal_of_another_school_cannot_track(action, principal_b):
    with pytest.raises(PermissionDenied):
        tracking.action_status_change(action=action, status="in_progress", by=principal_b, revision=action.revision)


def test_secretary_tracks_every_action_and_a_group_member_only_their_criteria(report, principal_a, school_a):
    secretary = school_person(school_a, "thuky")
    teacher = school_person(school_a, "giaovien")
    services.council_member_save(report=report, member=CouncilMember(full_name="Thư ký", role="secretary"),
                                 user=secretary, by=principal_a)
    member = services.council_member_save(report=report, member=CouncilMember(full_name="Giáo viên", role="member"),
                                          user=teacher, by=principal_a)
    services.working_group_save(report=report, group=WorkingGroup(name="Nhóm 1"), members=[member],
                                criteria=[criterion(report, "1.1")], by=principal_a)
    own = _actions(report, principal_a, "1.1")[0]
    other = _actions(report, principal_a, "1.2")[0]
    _lock(report)
    tracking.action_status_change(action=own, status="in_progress", by=teacher, revision=own.revision)
    with pytest.raises(PermissionDenied):
        tracking.action_status_change(action=other, status="in_progress", by=teacher, revision=other.revision)
    tracking.action_status_change(action=other, status="in_progress", by=secretary, revision=other.revision)
    assert _fresh(own).status == _fresh(other).status == "in_progress"


# --- Optimistic locking --------------------------------------------------------------------------


def test_a_change_based_on_a_stale_revision_is_refused_with_the_stored_row(action, principal_a, school_a, report):
    secretary = school_person(school_a, "thuky")
    services.council_member_save(report=report, member=CouncilMember(full_name="Thư ký", role="secretary"),
                                 user=secretary, by=principal_a)
    seen = action.revision
    tracking.action_status_change(action=action, status="in_progress", by=secretary, revision=seen)
    with pytest.raises(ConflictError) as refused:
        tracking.action_status_change(action=action, status="dropped", by=principal_a, revision=seen, reason="Hết kinh phí")
    assert refused.value.current.status == "in_progress"
    assert "vừa được" in refused.value.message
    with pytest.raises(ConflictError):
        tracking.action_tracking_update(action=action, by=principal_a, revision=seen, responsible="Khác",
                                        start_on=None, due_on=None, resources="", expected_result="")
    stored = _fresh(action)
    assert (stored.status, stored.responsible, stored.dropped_reason) == ("in_progress", "Tổ chuyên môn", "")


def test_a_revision_newer_than_the_stored_one_is_invalid_data_not_a_conflict(action, principal_a):
    """No page ever held it, so it is no one else's change: refused as invalid (the views give 400, not 409)."""
    ahead = action.revision + 1
    for change in (
        lambda: tracking.action_status_change(action=action, status="in_progress", by=principal_a, revision=ahead),
        lambda: tracking.action_tracking_update(action=action, by=principal_a, revision=ahead, responsible="Khác",
                                                start_on=None, due_on=None, resources="", expected_result=""),
    ):
        with pytest.raises(ReportError, match="không hợp lệ") as refused:
            change()
        assert not isinstance(refused.value, ConflictError)
    stored = _fresh(action)
    assert (stored.status, stored.responsible, stored.revision) == ("not_started", "Tổ chuyên môn", action.revision)


def test_asking_for_the_status_already_stored_is_no_conflict(action, principal_a):
    seen = action.revision
    tracking.action_status_change(action=action, status="in_progress", by=principal_a, revision=seen)
    again = tracking.action_status_change(action=action, status="in_progress", by=principal_a, revision=seen)
    assert again.revision == seen + 1


def test_an_edit_in_the_report_editor_makes_the_tracking_page_stale(report, action, principal_a):
    seen = action.revision
    target = criterion(report, "1.1")
    items = [{"id": action.pk, **{f: getattr(action, f) for f in services.ACTION_FIELDS}, "responsible": "Hiệu trưởng"}]
    services.improvement_actions_save(report=report, criterion=target, items=items,
                                      token=services.actions_token([_fresh(action)]), by=principal_a)
    assert _fresh(action).revision == seen + 1
    with pytest.raises(ConflictError):
        tracking.action_status_change(action=action, status="in_progress", by=principal_a, revision=seen)


def test_saving_the_editor_unchanged_keeps_the_revision(report, action, principal_a):
    target = criterion(report, "1.1")
    items = [{"id": action.pk, **{f: getattr(action, f) for f in services.ACTION_FIELDS}}]
    services.improvement_actions_save(report=report, criterion=target, items=items,
                                      token=services.actions_token([_fresh(action)]), by=principal_a)
    assert _fresh(action).revision == action.revision


# --- Tracking fields -----------------------------------------------------------------------------


def test_tracking_fields_are_updated_and_the_change_is_audited(action, principal_a):
    saved = tracking.action_tracking_update(
        action=action, by=principal_a, revision=action.revision, responsible="  Phó Hiệu trưởng ",
        start_on=datetime.date(2025, 10, 1), due_on=datetime.date(2026, 4, 30), resources="Kinh phí 5 triệu\r\n",
        expected_result="100% giáo viên",
    )
    stored = _fresh(action)
    assert (stored.responsible, stored.start_on, stored.due_on, stored.resources, stored.expected_result) == (
        "Phó Hiệu trưởng", datetime.date(2025, 10, 1), datetime.date(2026, 4, 30), "Kinh phí 5 triệu", "100% giáo viên")
    assert stored.action == "Bồi dưỡng giáo viên"  # the report's text is not the tracking's
    assert saved.revision == action.revision + 1
    event = Event.objects.get(action="selfassessment.improvement_action.updated", target_id=action.pk)
    assert event.data["changes"]["due_on"] == ["2026-05-31", "2026-04-30"]


def test_start_after_due_is_refused(action, principal_a):
    with pytest.raises(ReportError, match="không được trước ngày bắt đầu"):
        tracking.action_tracking_update(action=action, by=principal_a, revision=action.revision, responsible="",
                                        start_on=datetime.date(2026, 5, 1), due_on=datetime.date(2026, 4, 1),
                                        resources="", expected_result="")
    assert _fresh(action).due_on == datetime.date(2026, 5, 31)


def test_saving_unchanged_tracking_fields_changes_nothing(action, principal_a):
    tracking.action_tracking_update(action=action, by=principal_a, revision=action.revision,
                                    responsible=action.responsible, start_on=action.start_on, due_on=action.due_on,
                                    resources=action.resources, expected_result=action.expected_result)
    assert _fresh(action).revision == action.revision
    assert not Event.objects.filter(action="selfassessment.improvement_action.updated").exists()


# --- Progress notes ------------------------------------------------------------------------------


def test_a_progress_note_with_the_schools_evidence(report, action, principal_a):
    items = add_evidence(report, "1.1", principal_a, count=2)
    note = tracking.progress_note_add(action=action, by=principal_a, date=TODAY, text="  Đã tổ chức 2 buổi.  ",
                                      evidence=items, today=TODAY)
    assert (note.text, note.date, note.by) == ("Đã tổ chức 2 buổi.", TODAY, principal_a)
    assert sorted(note.evidence.values_list("pk", flat=True)) == sorted(i.pk for i in items)
    assert _fresh(action).revision == action.revision  # a note adds, it does not make the page stale
    event = Event.objects.get(action="selfassessment.improvement_action.progress_added", target_id=action.pk)
    assert event.data["evidence"] == [i.code for i in items]


def test_a_note_needs_text_and_a_date_not_in_the_future(action, principal_a):
    with pytest.raises(ReportError, match="nội dung"):
        tracking.progress_note_add(action=action, by=principal_a, date=TODAY, text=" \n ", today=TODAY)
    with pytest.raises(ReportError, match="không được sau hôm nay"):
        tracking.progress_note_add(action=action, by=principal_a, date=TODAY + datetime.timedelta(days=1), text="x",
                                   today=TODAY)
    with pytest.raises(ReportError, match="ngày"):
        tracking.progress_note_add(action=action, by=principal_a, date=None, text="x", today=TODAY)
    assert not ImprovementProgress.objects.exists()


def test_evidence_of_another_school_is_refused(report, action, principal_a, school_b, principal_b):
    from evidence import services as evidence_services

    theirs = evidence_services.evidence_create(school=school_b, criterion=criterion(report, "1.1"), by=principal_b,
                                               name="Kế hoạch của trường B")
    ours = add_evidence(report, "1.1", principal_a)[0]
    with pytest.raises(ReportError, match="không thuộc thư viện minh chứng của trường"):
        tracking.progress_note_add(action=action, by=principal_a, date=TODAY, text="x", evidence=[ours, theirs],
                                   today=TODAY)
    assert not ImprovementProgress.objects.exists()


def test_archived_evidence_is_refused(report, action, principal_a):
    from evidence import services as evidence_services

    item = add_evidence(report, "1.1", principal_a)[0]
    evidence_services.evidence_archive(evidence=item, by=principal_a)
    item.refresh_from_db()
    with pytest.raises(ReportError, match="lưu trữ"):
        tracking.progress_note_add(action=action, by=principal_a, date=TODAY, text="x", evidence=[item], today=TODAY)


def test_an_action_removed_from_the_plan_meanwhile_is_a_clear_error(action, principal_a):
    ImprovementAction.objects.filter(pk=action.pk).delete()
    with pytest.raises(ReportError, match="không còn trong kế hoạch"):
        tracking.action_status_change(action=action, status="in_progress", by=principal_a, revision=action.revision)
