"""Writes of the district review: the only code that changes ``Report.status`` after creation.

Every move is a row of the tables in ``reviews.workflow`` made by the workflow layer's ``apply``
(style.md item 5): lock the row, check the move, the actor's rule and the guards, run the effect
attached here, change the status, write the audit event. A refused move raises ``WorkflowError``
with a message for the user and changes nothing (the whole move is one transaction).
Notifications are created inside the same transaction (the ``after`` hooks), so a rolled-back move
notifies nobody; their e-mails leave on commit (``notifications.services.notify``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import event_record
from kiemdinh import validation
from kiemdinh import workflow as wf
from kiemdinh.i18n import N_, Text
from kiemdinh.language import language_of
from kiemdinh.permissions import check
from kiemdinh.workflow import GuardRefused, WorkflowError
from notifications.models import Kind
from notifications.services import Message as Notice
from notifications.services import notify_many
from schools.models import Membership, Organisation, User
from selfassessment import checks, plan57
from selfassessment.models import Report
from selfassessment.selectors import ReportContent, report_content
from selfassessment.serializers import report_as_dict
from standards.models import Criterion, Standard

from . import gates, snapshot, workflow
from .models import (
    Comment,
    CommentThread,
    CriterionReview,
    ReportVersion,
    ReviewAssignment,
    ReviewState,
    UnitSubmissionGate,
    UnlockRequest,
    canonical_json,
    content_hash,
)
from .permissions import is_district_staff_of, is_head_of, set_active_assignment

__all__ = ["WorkflowError"]

REVIEW = workflow.REPORT_REVIEW
THREAD = workflow.THREAD
UNLOCK_REQUEST = workflow.UNLOCK_REQUEST

MAX_REASON = 5000
MAX_COMMENT = 10000

RECOMMENDATION_DROPPED = workflow.RECOMMENDATION_DROPPED
COMMENTABLE = workflow.COMMENTABLE


def status_label(status: str) -> str:
    return str(Report.Status(status).label) if status in Report.Status.values else status


def _state(report: Report) -> ReviewState:
    state, _created = ReviewState.objects.get_or_create(report=report)
    return state


def _require(by: User, rule_name: str, obj: Any) -> None:
    decision = check(by, rule_name, obj)
    if not decision.allowed:
        raise WorkflowError(decision.reason)


def _result(moved: Any) -> Any:
    step = wf.last_step(moved)
    if step is None:  # ``apply`` always leaves its step on the moved object
        raise RuntimeError('broken invariant: ``apply`` always leaves its step on the moved object')
    return step.result


def _status_moved(step: wf.Step) -> None:
    """Every status change of a report: the review state follows (``after`` hook of the report workflow)."""
    if step.transition.target == step.source:
        return
    state = _state(step.obj)
    state.status_changed_at = timezone.now()
    if step.transition.target in RECOMMENDATION_DROPPED:
        # A recommendation concerns the version it was made on: sent back, withdrawn or resent, it lapses.
        state.recommended_by, state.recommended_at, state.recommendation_note = None, None, ""
    state.save()


REVIEW.after = _status_moved


# --- Notifications -------------------------------------------------------------------------------


def report_url(report: Report) -> str:
    return reverse("reviews:report_detail", args=[report.pk])


def _principals(report: Report) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Membership.Role.PRINCIPAL,
            memberships__school_id=report.school_id,
        ).distinct()
    )


def _unit_staff(report: Report, *roles: str) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles or list(Membership.DISTRICT_ROLES),
            memberships__organisation_id=report.school.reviewing_unit_id,
        ).distinct()
    )


def _department_officers(report: Report) -> list[User]:
    unit = report.school.reviewing_unit
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Membership.Role.DEPARTMENT_OFFICER,
            # A unit without a parent: Django turns None into ``isnull`` (the stubs only allow str | int).
            memberships__organisation_id=unit.parent_id,  # type: ignore[misc]
        ).distinct()
    )


def _reviewer_or_unit(report: Report) -> list[User]:
    """The assigned reviewer, or when nobody is assigned the unit's reviewers and heads."""
    assignment = ReviewAssignment.objects.filter(report=report, is_active=True).select_related("reviewer").first()
    if assignment is not None:
        return [assignment.reviewer]
    return _unit_staff(report)


@dataclass(frozen=True)
class Message:
    kind: str
    title: str | Text
    template: str
    url: str
    key: str
    context: dict[str, Any]


def _send(message: Message, recipients: Iterable[User | None], *, by: User | None = None) -> int:
    """Notify each recipient once (the key makes a repeated call a no-op); never the actor."""
    outgoing: list[Notice] = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or (by is not None and user.pk == by.pk):
            continue
        seen.add(user.pk)
        # Worded in the recipient's language (their choice on the account), not the sender's.
        with translation.override(language_of(user)):
            body = render_to_string(message.template, {**message.context, "recipient": user}).strip()
        outgoing.append(Notice(user=user, kind=message.kind, title=message.title, body=body, url=message.url,
                               dedupe_key=message.key))
    return len(notify_many(outgoing))


def _report_message(
    report: Report, *, kind: str, title: str | Text, template: str, key: str, by: User, **context: Any
) -> Message:
    return Message(
        kind=kind,
        title=title,
        template=f"reviews/email/{template}.txt",
        url=context.pop("url", report_url(report)),
        key=key,
        context={"report": report, "school": report.school, "actor": by, **context},
    )


# --- Versions ------------------------------------------------------------------------------------


def version_freeze(*, report: Report, by: User, content: ReportContent | None = None) -> ReportVersion:
    """Freeze the report's complete content as the next immutable version (call with the report locked);
    ``content``: the report's ``report_content`` when the caller has loaded it already."""
    data = report_as_dict(report, content)
    # Biểu 2 (TT57) travels with the report: the version keeps the plan as it was sent.
    plan = plan57.plan_for_report(report)
    if plan is not None:
        data["plan57"] = plan57.snapshot_data(plan)
    text = canonical_json(data)
    number = (ReportVersion.objects.filter(report=report).aggregate(n=Max("number"))["n"] or 0) + 1
    school_level, criterion_levels = snapshot.levels_of(data)
    version = ReportVersion(
        report=report,
        number=number,
        content=text,
        content_hash=content_hash(text),
        report_revision=report.version,
        school_level=school_level,
        criterion_levels=criterion_levels,
        submitted_by=by,
    )
    validation.full_clean(version)
    version.save()  # type: ignore[no-untyped-call]  # ReportVersion.save is untyped (reviews/models.py)
    return version


class GateRefusal(str):
    """A problem that is the reviewing unit's submission gate (``reviews.gates``), not a check error."""


def _submission_problems(report: Report, content: ReportContent) -> list[str]:
    """What blocks a submission: the sections the reviewing unit requires that are incomplete (one
    ``GateRefusal`` naming them all, first), then the consistency checks' errors."""
    missing = gates.missing_sections(report, content=content)
    problems: list[str] = [GateRefusal(gates.refusal(missing))] if missing else []
    return problems + [
        f"{p.where}: {p.message}" if p.where else p.message
        for p in checks.report_problems(report, content) if p.severity == checks.ERROR
    ]


# --- The report's moves: the effects and notifications attached to the table ---------------------------


def _submit_effect(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    # The gate, the checks and the frozen version read the same content: loaded once, under the lock.
    content = report_content(locked)
    problems = _submission_problems(locked, content)
    if problems:
        refusals = [p for p in problems if isinstance(p, GateRefusal)]
        errors = [p for p in problems if not isinstance(p, GateRefusal)]
        words = [str(p) for p in refusals]
        if errors:
            words.append(ngettext(
                "Báo cáo còn %(n)s lỗi phải sửa trước khi nộp (xem trang kiểm tra báo cáo), ví dụ: %(first)s",
                "Báo cáo còn %(n)s lỗi phải sửa trước khi nộp (xem trang kiểm tra báo cáo), ví dụ: %(first)s",
                len(errors),
            ) % {"n": len(errors), "first": errors[0]})
        # The unit's submission gate and the consistency checks: run here, under the lock, rather than
        # as a guard asked by every page that shows the button (the checks read the whole report).
        raise GuardRefused(" ".join(words))
    version = version_freeze(report=locked, by=by, content=content)
    state = _state(locked)
    state.submitted_at = version.created_at
    state.save(update_fields=["submitted_at"])
    resubmission = step.transition.target == workflow.RESUBMITTED
    step.summary = Text(N_("Nộp lại báo cáo (phiên bản %(n)s)") if resubmission else N_("Nộp báo cáo (phiên bản %(n)s)"),
                        {"n": version.number})
    step.audit_data = {"version": version.number, "content_hash": version.content_hash}
    step.result = version


def _submit_after(step: wf.Step) -> None:
    locked, by, version = step.obj, step.by, step.result
    resubmission = step.transition.target == workflow.RESUBMITTED
    title = Text(N_("%(school)s đã nộp lại báo cáo tự đánh giá") if resubmission else N_("%(school)s đã nộp báo cáo tự đánh giá"), {"school": locked.school.name})
    message = _report_message(
        locked, kind=Kind.REPORT_SUBMITTED, title=title, template="report_submitted",
        key=f"report:{locked.pk}:submitted:v{version.number}", by=by, version=version, resubmission=resubmission,
    )
    _send(message, _reviewer_or_unit(locked), by=by)


def report_submit(*, report: Report, by: User) -> ReportVersion:
    """Send the report to the district: draft → submitted, returned → resubmitted; freezes a new version."""
    return cast(ReportVersion, _result(REVIEW.apply(report, workflow.SUBMIT, by)))


def _withdraw_after(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    message = _report_message(
        locked, kind=Kind.GENERAL, title=Text(N_("%(school)s đã rút báo cáo đã nộp"), {"school": locked.school.name}),
        template="report_withdrawn", key=f"report:{locked.pk}:withdrawn:e{step.event.pk}", by=by,
    )
    _send(message, _reviewer_or_unit(locked), by=by)


def report_withdraw(*, report: Report, by: User) -> Report:
    """Take a submission back before review starts: submitted → draft, resubmitted → returned."""
    return cast(Report, REVIEW.apply(report, workflow.WITHDRAW, by))


def _assign(report: Report, reviewer: User, by: User) -> ReviewAssignment:
    now = timezone.now()
    ReviewAssignment.objects.filter(report=report, is_active=True).exclude(reviewer=reviewer).update(
        is_active=False, ended_at=now
    )
    assignment, created = ReviewAssignment.objects.get_or_create(
        report=report, is_active=True, defaults={"reviewer": reviewer, "assigned_by": by}
    )
    set_active_assignment(report, assignment)
    if created:
        event_record(
            actor=by, action="reviews.assignment.created", target=report, school=report.school,
            summary=Text(N_("Phân công %(name)s thẩm định"), {"name": reviewer.display_name}),
            data={"reviewer": reviewer.pk, "assignment": assignment.pk},
        )
    return assignment


def _start_effect(step: wf.Step) -> None:
    """Nobody assigned yet: whoever starts takes the report."""
    if not ReviewAssignment.objects.filter(report=step.obj, is_active=True).exists():
        _assign(step.obj, step.by, step.by)


def _start_after(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    message = _report_message(
        locked, kind=Kind.GENERAL, title=Text(N_("%(unit)s bắt đầu thẩm định báo cáo của %(school)s"), {"unit": locked.school.reviewing_unit.display_name, "school": locked.school.name}),
        template="review_started", key=f"report:{locked.pk}:review_started:e{step.event.pk}", by=by,
    )
    _send(message, _principals(locked), by=by)


def report_start_review(*, report: Report, by: User) -> Report:
    """The district picks the report up: submitted/resubmitted → in review (the school can no longer withdraw)."""
    return cast(Report, REVIEW.apply(report, workflow.START_REVIEW, by))


def _start_if_waiting(locked: Report, by: User) -> None:
    """A district act on a report waiting for review (a comment, a reviewed mark) starts the review."""
    if locked.status in workflow.WAITING and REVIEW.action_state(by, locked, workflow.START_REVIEW).allowed:
        REVIEW.apply(locked, workflow.START_REVIEW, by)


def _reason(data: dict[str, Any], *, empty: str, max_message: str) -> str:
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise WorkflowError(empty)
    if len(reason) > MAX_REASON:
        raise WorkflowError(max_message % {"n": MAX_REASON})
    return reason


def _return_effect(step: wf.Step) -> None:
    locked = step.obj
    reason = _reason(step.data, empty=_("Hãy nêu lý do trả lại báo cáo để nhà trường biết cần chỉnh sửa gì."),
                     max_message=_("Lý do trả lại quá dài (tối đa %(n)s ký tự)."))
    latest = ReportVersion.objects.filter(report=locked).order_by("-number").first()
    open_threads = CommentThread.objects.filter(report=locked, status=CommentThread.Status.OPEN).count()
    step.summary = Text(N_("Trả lại để chỉnh sửa: %(reason)s"), {"reason": reason[:300]})
    step.audit_data = {"reason": reason, "version": latest.number if latest else None, "open_threads": open_threads}
    step.data["reason"] = reason


def _return_after(step: wf.Step) -> None:
    locked, by, reason = step.obj, step.by, step.data["reason"]
    state = _state(locked)
    state.returned_at, state.returned_by, state.return_reason = step.event.created_at, by, reason
    state.save(update_fields=["returned_at", "returned_by", "return_reason"])
    message = _report_message(
        locked, kind=Kind.REPORT_RETURNED,
        title=Text(N_("Báo cáo tự đánh giá của %(school)s được trả lại để chỉnh sửa"), {"school": locked.school.name}),
        template="report_returned", key=f"report:{locked.pk}:returned:e{step.event.pk}", by=by,
        reason=reason, open_threads=step.audit_data["open_threads"],
    )
    _send(message, _principals(locked), by=by)


def report_return(*, report: Report, by: User, reason: str) -> Report:
    """Send the report back for revision, with the reason the school reads (required)."""
    return cast(Report, REVIEW.apply(report, workflow.RETURN, by, reason=reason))


@dataclass(frozen=True)
class AcceptResult:
    report: Report
    # True: the report was accepted; False: the reviewer's acceptance was recorded as a
    # recommendation for the head (the unit requires the head's final approval).
    accepted: bool


def _no_open_threads(locked: Report) -> None:
    """Acceptance means every remark was dealt with."""
    open_threads = CommentThread.objects.filter(report=locked, status=CommentThread.Status.OPEN).count()
    if open_threads:
        raise WorkflowError(
            ngettext(
                "Còn %(n)s góp ý chưa xử lý; hãy đánh dấu đã xử lý hoặc trả lại báo cáo trước khi chấp nhận.",
                "Còn %(n)s góp ý chưa xử lý; hãy đánh dấu đã xử lý hoặc trả lại báo cáo trước khi chấp nhận.",
                open_threads,
            ) % {"n": open_threads}
        )


def _latest_number(locked: Report) -> int | None:
    latest = ReportVersion.objects.filter(report=locked).order_by("-number").first()
    return latest.number if latest else None


def _note(step: wf.Step) -> str:
    step.data["note"] = (step.data.get("note") or "").strip()[:MAX_REASON]
    return cast(str, step.data["note"])


def _recommend_effect(step: wf.Step) -> None:
    locked, by, note = step.obj, step.by, _note(step)
    _no_open_threads(locked)
    state = _state(locked)
    head = {"head": locked.school.reviewing_unit.head_label}
    if state.recommended_by_id:
        raise WorkflowError(_("Báo cáo đã được đề nghị chấp nhận và đang chờ %(head)s phê duyệt.") % head)
    state.recommended_by, state.recommended_at, state.recommendation_note = by, timezone.now(), note
    state.save(update_fields=["recommended_by", "recommended_at", "recommendation_note"])
    step.summary = Text(N_("Đề nghị chấp nhận báo cáo (chờ %(head)s phê duyệt)"), head)
    step.audit_data = {"version": _latest_number(locked), "note": note}
    step.result = AcceptResult(locked, accepted=False)


def _recommend_after(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    head = {"head": locked.school.reviewing_unit.head_label}
    message = _report_message(
        locked, kind=Kind.REVIEW_ASSIGNED,
        title=Text(N_("Báo cáo của %(school)s chờ %(head)s phê duyệt"), {"school": locked.school.name, **head}),
        template="report_recommended", key=f"report:{locked.pk}:recommended:e{step.event.pk}", by=by,
        note=step.data["note"],
    )
    _send(message, _unit_staff(locked, Membership.Role.DISTRICT_HEAD), by=by)


def _accept_effect(step: wf.Step) -> None:
    locked, note = step.obj, _note(step)
    _no_open_threads(locked)
    version_number = _latest_number(locked)
    recommender = _state(locked).recommended_by
    step.summary = Text(N_("Chấp nhận báo cáo (phiên bản %(n)s)"), {"n": version_number}) if version_number else ""
    step.audit_data = {"version": version_number, "note": note,
                       "recommended_by": recommender.pk if recommender else None}
    step.result = AcceptResult(locked, accepted=True)
    step.data["recommender"] = recommender


def _accept_after(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    state = _state(locked)
    state.accepted_at = step.event.created_at
    state.save(update_fields=["accepted_at"])
    message = _report_message(
        locked, kind=Kind.REPORT_ACCEPTED,
        title=Text(N_("Báo cáo tự đánh giá của %(school)s đã được chấp nhận"), {"school": locked.school.name}),
        template="report_accepted", key=f"report:{locked.pk}:accepted:e{step.event.pk}", by=by,
        note=step.data["note"], version_number=step.audit_data["version"],
    )
    _send(message, [*_principals(locked), step.data["recommender"]], by=by)


def report_accept(*, report: Report, by: User, note: str = "") -> AcceptResult:
    """Accept the report (in review → accepted); in a unit whose head approves, a reviewer recommends.

    Refused while a comment thread is still open: acceptance means every remark was dealt with.
    """
    action = workflow.RECOMMEND if workflow.recommendation_needed(by, report) is None else workflow.ACCEPT
    return cast(AcceptResult, _result(REVIEW.apply(report, action, by, note=note)))


def _forward_after(step: wf.Step) -> None:
    locked, by, event = step.obj, step.by, step.event
    state = _state(locked)
    state.forwarded_at = event.created_at
    state.save(update_fields=["forwarded_at"])
    unit = locked.school.reviewing_unit
    to_department = _report_message(
        locked, kind=Kind.REPORT_SUBMITTED,
        title=Text(N_("%(unit)s chuyển báo cáo tự đánh giá của %(school)s"), {"unit": unit, "school": locked.school.name}),
        template="report_forwarded", key=f"report:{locked.pk}:forwarded:e{event.pk}", by=by, unit=unit,
    )
    _send(to_department, _department_officers(locked), by=by)
    to_school = _report_message(
        locked, kind=Kind.REPORT_ACCEPTED,
        title=Text(N_("Báo cáo tự đánh giá của %(school)s đã được chuyển Sở GD&ĐT"), {"school": locked.school.name}),
        template="report_forwarded", key=f"report:{locked.pk}:forwarded:e{event.pk}", by=by, unit=unit,
    )
    _send(to_school, _principals(locked), by=by)


def report_forward(*, report: Report, by: User) -> Report:
    """Send the accepted report up to the Sở (accepted → forwarded)."""
    return cast(Report, REVIEW.apply(report, workflow.FORWARD, by))


def _close_after(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    message = _report_message(
        locked, kind=Kind.GENERAL,
        title=Text(N_("Hồ sơ tự đánh giá của %(school)s đã được đóng"), {"school": locked.school.name}),
        template="report_closed", key=f"report:{locked.pk}:closed:e{step.event.pk}", by=by,
    )
    _send(message, _principals(locked), by=by)


def report_close(*, report: Report, by: User) -> Report:
    """Close the report after the external evaluation (forwarded → closed); the Sở's act."""
    return cast(Report, REVIEW.apply(report, workflow.CLOSE, by))


def _unlock_effect(step: wf.Step) -> None:
    """The report reopened by a granted unlock request (``unlock_grant`` says why, in ``data``)."""
    step.summary = step.data.get("summary", "")
    step.audit_data = step.data.get("audit_data", {})


# --- Assignment ------------------------------------------------------------------------------------


def _eligible_reviewer(report: Report, reviewer: User) -> bool:
    return Membership.objects.filter(
        user=reviewer, user__is_active=True, is_active=True, role__in=list(Membership.DISTRICT_ROLES),
        organisation_id=report.school.reviewing_unit_id,
    ).exists()


def _assign_effect(step: wf.Step) -> None:
    """Assign the report's reviewer (the head: anyone of the unit; a reviewer: takes an unassigned report)."""
    locked, by, reviewer = step.obj, step.by, step.data["reviewer"]
    step.skip_audit = True  # ``_assign`` records the assignment when it is a new one
    if not _eligible_reviewer(locked, reviewer):
        raise WorkflowError(_("%(name)s không phải cán bộ của đơn vị quản lý trường.") % {"name": reviewer.display_name})
    current = ReviewAssignment.objects.filter(report=locked, is_active=True).select_related("reviewer").first()
    if not is_head_of(by, locked):
        if reviewer.pk != by.pk:
            raise WorkflowError(_("Chỉ %(head)s được phân công người khác; bạn có thể nhận thẩm định cho mình.")
                                % {"head": locked.school.reviewing_unit.head_label})
        if current is not None and current.reviewer_id != by.pk:
            raise WorkflowError(
                _("Báo cáo đã được phân công cho %(name)s.") % {"name": current.reviewer.display_name}
            )
    if current is not None and current.reviewer_id == reviewer.pk:
        step.result = current
        return
    assignment = _assign(locked, reviewer, by)
    message = _report_message(
        locked, kind=Kind.REVIEW_ASSIGNED,
        title=Text(N_("Bạn được phân công thẩm định báo cáo của %(school)s"), {"school": locked.school.name}),
        template="review_assigned", key=f"report:{locked.pk}:assigned:a{assignment.pk}", by=by,
    )
    _send(message, [reviewer], by=by)
    step.result = assignment


def report_assign(*, report: Report, reviewer: User, by: User) -> ReviewAssignment:
    """Assign the report's reviewer (the head: anyone of the unit; a reviewer: takes an unassigned report)."""
    assignment = cast(ReviewAssignment, _result(REVIEW.apply(report, workflow.ASSIGN, by, reviewer=reviewer)))
    set_active_assignment(report, assignment)
    return assignment



# --- The unit's review settings ---------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def submission_gate_set(*, unit: Organisation, by: User, sections: list[str]) -> UnitSubmissionGate:
    """Which sections the unit's schools must complete before submitting (``reviews.gates.SECTIONS``)."""
    locked = Organisation.objects.select_for_update().get(pk=unit.pk)
    _require(by, "review.settings", locked)
    unknown = [key for key in sections if key not in gates.SECTIONS]
    if unknown:
        raise WorkflowError(_("Phần không có trong danh sách: %(list)s.") % {"list": ", ".join(unknown)})
    chosen = [key for key in gates.SECTIONS if key in sections]
    gate, created = UnitSubmissionGate.objects.get_or_create(unit=locked, defaults={"required_sections": chosen})
    before = None if created else list(gate.required_sections)
    if before == chosen:
        return gate
    gate.required_sections, gate.updated_by = chosen, by
    gate.save()
    labels = [str(gates.SECTIONS[key]) for key in chosen]
    event_record(
        actor=by, action="reviews.unit.gate_changed", target=locked,
        summary=(Text(N_("Điều kiện nộp báo cáo: hoàn thành %(list)s"), {"list": ", ".join(labels)}) if labels
                 else Text(N_("Điều kiện nộp báo cáo: không yêu cầu phần nào"))),
        data={"required_sections": chosen, "before": before},
    )
    return gate


def unit_settings_token(unit: Organisation) -> str:
    """The unit's review settings as its settings form shows them: posted back to detect a concurrent save."""
    return f"{int(unit.requires_head_approval)}:{','.join(gates.required_sections(unit))}"


@transaction.atomic
def unit_review_settings_save(
    *, unit: Organisation, by: User, expected: str | None, requires_head_approval: bool, sections: list[str]
) -> None:
    """Both settings of the unit's settings page, refused whole when someone saved them since ``expected``."""
    locked = Organisation.objects.select_for_update().get(pk=unit.pk)
    _require(by, "review.settings", locked)
    if expected and expected != unit_settings_token(locked):
        stored = [str(gates.SECTIONS[key]) for key in gates.required_sections(locked)]
        raise WorkflowError(_(
            "Quy trình thẩm định của đơn vị vừa được người khác lưu sau khi bạn mở trang; lựa chọn của bạn chưa "
            "được lưu. Thiết lập đang lưu: %(title)s phê duyệt cuối cùng: %(head)s; phần phải hoàn thành: "
            "%(sections)s. Bấm Lưu lần nữa để ghi đè bằng lựa chọn của bạn."
        ) % {"title": locked.head_label, "head": _("có") if locked.requires_head_approval else _("không"),
             "sections": ", ".join(stored) or _("không yêu cầu phần nào")})
    unit_settings_update(unit=unit, by=by, requires_head_approval=requires_head_approval)
    submission_gate_set(unit=unit, by=by, sections=sections)


@transaction.atomic
def unit_settings_update(*, unit: Organisation, by: User, requires_head_approval: bool) -> Organisation:
    """Whether the unit's head gives the final approval (a reviewer's acceptance becomes a recommendation).

    Reports already recommended keep their recommendation; the head still accepts them.
    """
    locked = Organisation.objects.select_for_update().get(pk=unit.pk)
    _require(by, "review.settings", locked)
    if locked.requires_head_approval == requires_head_approval:
        return locked
    locked.requires_head_approval = requires_head_approval
    validation.full_clean(locked)
    locked.save(update_fields=["requires_head_approval"])
    event_record(
        actor=by, action="reviews.unit.settings_changed", target=locked,
        summary=(_("Yêu cầu %(head)s phê duyệt cuối cùng") if requires_head_approval
                 else _("Chuyên viên được chấp nhận báo cáo không cần %(head)s phê duyệt")) % {"head": locked.head_label},
        data={"requires_head_approval": requires_head_approval},
    )
    unit.requires_head_approval = requires_head_approval
    return locked


# --- Comments ------------------------------------------------------------------------------------


def _clean_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_("Nội dung góp ý không được để trống."))
    if len(text) > MAX_COMMENT:
        raise WorkflowError(_("Góp ý quá dài (tối đa %(n)s ký tự).") % {"n": MAX_COMMENT})
    return text


def _side(by: User, report: Report) -> str:
    return Comment.Side.DISTRICT if is_district_staff_of(by, report) else Comment.Side.SCHOOL


def _comment_message(thread: CommentThread, comment: Comment, by: User) -> tuple[Message, list[User | None]]:
    report = thread.report
    recipients: list[User | None]
    if comment.side == Comment.Side.DISTRICT:
        recipients = list(_principals(report))
        # School people who already took part in the thread hear about the answer too.
        recipients += [c.author for c in thread.comments.select_related("author") if c.side == Comment.Side.SCHOOL]
        url = report_url(report)
        title = Text(N_("Góp ý của %(unit)s về báo cáo: %(where)s"), {
            "unit": report.school.reviewing_unit.display_name, "where": thread.scope_text})
    else:
        recipients = [c.author for c in thread.comments.select_related("author") if c.side == Comment.Side.DISTRICT]
        recipients += _reviewer_or_unit(report)
        url = reverse("reviews:version_detail", args=[report.pk, thread.version.number]) + f"#thread-{thread.pk}"
        title = Text(N_("%(school)s trả lời góp ý: %(where)s"), {"school": report.school.name, "where": thread.scope_text})
    message = _report_message(
        report, kind=Kind.COMMENT, title=title, template="comment", key=f"comment:{comment.pk}", by=by,
        thread=thread, comment=comment, url=url,
    )
    return message, recipients


def _send_comment(step: wf.Step) -> None:
    """``after`` hook of the moves that post a comment (``step.data["comment"]``)."""
    thread, comment = step.data["thread"], step.data["comment"]
    message, recipients = _comment_message(thread, comment, step.by)
    _send(message, recipients, by=step.by)


def _comment_effect(step: wf.Step) -> None:
    """Open a thread on the locked report (``thread_open``'s data); a district comment on a report
    waiting for review starts the review first."""
    locked, by, data = step.obj, step.by, step.data
    text = _clean_text(data.get("text"))
    version, criterion, standard = data.get("version"), data.get("criterion"), data.get("standard")
    passage_key, quote = data.get("passage_key") or "", (data.get("quote") or "").strip()
    latest = ReportVersion.objects.filter(report=locked).order_by("-number").first()
    if latest is None:
        raise WorkflowError(_("Báo cáo chưa được nộp lần nào nên chưa có nội dung để góp ý."))
    version = version or latest
    if version.report_id != locked.pk:
        raise WorkflowError(_("Phiên bản không thuộc báo cáo này."))
    if version.number != latest.number:
        # The page was loaded before the school sent a new version: the remark may no longer apply.
        raise WorkflowError(
            _("Nhà trường đã nộp phiên bản %(n)s sau khi bạn mở trang; hãy xem phiên bản mới trước khi góp ý.")
            % {"n": latest.number}
        )
    passage_label = ""
    if passage_key:
        passage = snapshot.passage_of(version.data, passage_key)
        if passage is None:
            raise WorkflowError(_("Đoạn văn được góp ý không có trong phiên bản %(n)s.") % {"n": version.number})
        passage_label = passage.label[:200]
        if passage.criterion_number:
            criterion = criterion or snapshot.criterion_for_number(locked, passage.criterion_number)
        if quote and not snapshot.quote_in(quote, passage.text):
            raise WorkflowError(_("Đoạn trích dẫn không có trong đoạn văn đã chọn; hãy chọn lại đoạn trích."))
    elif quote:
        raise WorkflowError(_("Hãy chọn đoạn văn chứa đoạn trích dẫn."))
    if criterion is not None and criterion.standard.version_id != locked.regulation_version_id:
        raise WorkflowError(_("Tiêu chí không thuộc bộ tiêu chuẩn của báo cáo."))
    if standard is not None:
        if criterion is not None or passage_key:
            raise WorkflowError(_("Góp ý cho cả tiêu chuẩn không kèm tiêu chí hay đoạn văn."))
        if standard.version_id != locked.regulation_version_id:
            raise WorkflowError(_("Tiêu chuẩn không thuộc bộ tiêu chuẩn của báo cáo."))
        if not snapshot.is_tt57(version.data):
            # A 2018 report is assessed per criterion; its page offers no place for such a thread.
            raise WorkflowError(_("Góp ý cho cả tiêu chuẩn chỉ dành cho báo cáo theo Thông tư 57/2026."))
        if standard.number not in snapshot.standard_numbers(version.data):
            raise WorkflowError(_("Tiêu chuẩn được góp ý không có trong phiên bản %(n)s.") % {"n": version.number})
    _start_if_waiting(locked, by)
    now = timezone.now()
    thread = CommentThread(
        report=locked, version=version, criterion=criterion, standard=standard, passage_key=passage_key,
        passage_label=passage_label, quote=quote, created_by=by, last_activity_at=now,
    )
    validation.full_clean(thread)
    thread.save()
    comment = Comment(thread=thread, author=by, side=_side(by, locked), text=text)
    validation.full_clean(comment)
    comment.save()
    step.summary = Text(N_("Góp ý (%(where)s): %(text)s"), {"where": thread.scope_text, "text": text[:200]})
    step.audit_data = {"thread": thread.pk, "comment": comment.pk, "version": version.number}
    step.data.update(thread=thread, comment=comment)
    step.result = thread


def thread_open(
    *, report: Report, by: User, text: str, version: ReportVersion | None = None, criterion: Criterion | None = None,
    passage_key: str = "", quote: str = "", standard: Standard | None = None,
) -> CommentThread:
    """Open a comment thread on the whole report, a standard, a criterion, or a passage (with an optional quote).

    A thread on a whole standard (the TT57 report's "Đánh giá chung về Tiêu chuẩn n") names only the
    standard: it cannot also point at a criterion or a passage (those name their own place).

    The passage and the quote must exist in the version commented on, so a thread always points at
    what the school actually sent. A district comment on a report waiting for review starts the review.
    """
    text = _clean_text(text)
    return cast(CommentThread, _result(REVIEW.apply(
        report, workflow.COMMENT, by, text=text, version=version, criterion=criterion,
        passage_key=passage_key, quote=quote, standard=standard)))


def _comment_save(locked: CommentThread, by: User, side: str, text: str, *, fixed: bool = False) -> Comment:
    comment = Comment(thread=locked, author=by, side=side, text=text)
    validation.full_clean(comment)
    comment.save()
    locked.last_activity_at = comment.created_at
    fields = ["last_activity_at"]
    if fixed:
        locked.fixed_at, locked.fixed_by = comment.created_at, by
        fields += ["fixed_at", "fixed_by"]
    locked.save(update_fields=fields)
    return comment


def _reply_effect(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    text = _clean_text(step.data.get("text"))
    comment = _comment_save(locked, by, _side(by, locked.report), text)
    step.summary = Text(N_("Trả lời góp ý (%(where)s): %(text)s"), {"where": locked.scope_text, "text": text[:200]})
    step.audit_data = {"thread": locked.pk, "comment": comment.pk}
    step.data.update(thread=locked, comment=comment)
    step.result = comment


def comment_add(*, thread: CommentThread, by: User, text: str) -> Comment:
    """Answer a thread. Only the district closes or reopens a thread: the school answers an open one
    (and says "Đã sửa" with ``thread_mark_fixed``)."""
    text = _clean_text(text)
    return cast(Comment, _result(THREAD.apply(thread, workflow.REPLY, by, text=text)))


def _mark_fixed_effect(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    text = _clean_text(step.data.get("text"))
    comment = _comment_save(locked, by, Comment.Side.SCHOOL, text, fixed=True)
    step.summary = Text(N_("Báo đã sửa theo góp ý (%(where)s): %(text)s"), {"where": locked.scope_text, "text": text[:200]})
    step.audit_data = {"thread": locked.pk, "comment": comment.pk}
    step.data.update(thread=locked, comment=comment)
    step.result = comment


def thread_mark_fixed(*, thread: CommentThread, by: User, text: str) -> Comment:
    """The school says it has made the correction ("Đã sửa"), with a reply saying what it did.

    The thread stays open (it still holds back acceptance) until the district closes it.
    """
    text = _clean_text(text)
    return cast(Comment, _result(THREAD.apply(thread, workflow.MARK_FIXED, by, text=text)))


def _resolve_effect(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    locked.resolved_at, locked.resolved_by = timezone.now(), by
    locked.last_activity_at = locked.resolved_at
    step.update_fields = ["resolved_at", "resolved_by", "last_activity_at"]
    step.summary = Text(N_("Đánh dấu đã xử lý góp ý (%(where)s)"), {"where": locked.scope_text})
    step.audit_data = {"thread": locked.pk}


def thread_resolve(*, thread: CommentThread, by: User) -> CommentThread:
    """Close a thread as dealt with (the district only; recorded: who and when)."""
    return cast(CommentThread, THREAD.apply(thread, workflow.RESOLVE, by))


def _reopen_effect(step: wf.Step) -> None:
    locked = step.obj
    locked.resolved_at, locked.resolved_by = None, None
    locked.fixed_at, locked.fixed_by = None, None
    locked.last_activity_at = timezone.now()
    step.update_fields = ["resolved_at", "resolved_by", "fixed_at", "fixed_by", "last_activity_at"]
    step.summary = Text(N_("Mở lại góp ý (%(where)s)"), {"where": locked.scope_text})
    step.audit_data = {"thread": locked.pk}


def thread_reopen(*, thread: CommentThread, by: User) -> CommentThread:
    """Open a thread again (the district only): a closed one whose remark was not dealt with after all,
    or an open one the school marked "Đã sửa" when the correction falls short (the mark is cleared)."""
    return cast(CommentThread, THREAD.apply(thread, workflow.REOPEN, by))


# --- Criterion review marks ------------------------------------------------------------------------


def _mark_reviewed_effect(step: wf.Step) -> None:
    """Mark (or unmark) a criterion of the latest version as read; the event says which (or none when
    nothing changed)."""
    locked, by = step.obj, step.by
    version, criterion, reviewed = step.data["version"], step.data["criterion"], step.data["reviewed"]
    step.skip_audit = True
    step.result = reviewed
    latest = ReportVersion.objects.filter(report=locked).order_by("-number").values_list("number", flat=True).first()
    if version.number != latest:
        raise WorkflowError(_("Chỉ đánh dấu được trên phiên bản mới nhất (phiên bản %(n)s).") % {"n": latest})
    _start_if_waiting(locked, by)
    if criterion.number not in snapshot.criterion_numbers(version.data):
        raise WorkflowError(_("Tiêu chí không có trong phiên bản này."))
    existing = CriterionReview.objects.filter(version=version, criterion=criterion)
    if reviewed == existing.exists():
        return
    if reviewed:
        try:
            with transaction.atomic():
                CriterionReview.objects.create(version=version, criterion=criterion, reviewed_by=by)
        except IntegrityError:
            return
    else:
        existing.delete()
    step.event = event_record(
        actor=by, action="reviews.criterion." + ("reviewed" if reviewed else "unreviewed"), target=locked,
        school=locked.school,
        summary=Text(N_("Đã xem xét tiêu chí %(n)s") if reviewed else N_("Bỏ đánh dấu đã xem xét tiêu chí %(n)s"), {"n": criterion.number}),
        data={"version": version.number, "criterion": criterion.number},
    )


def criterion_review_set(*, version: ReportVersion, criterion: Criterion, by: User, reviewed: bool) -> bool:
    """Mark (or unmark) a criterion of the version under review as read; returns the new state.

    Only the latest version, while it is in review, can be marked: older versions are history.
    """
    return cast(bool, _result(REVIEW.apply(version.report, workflow.MARK_REVIEWED, by, version=version,
                                           criterion=criterion, reviewed=reviewed)))


# --- Unlock ----------------------------------------------------------------------------------------


def _request_unlock_effect(step: wf.Step) -> None:
    """The school asks the district to reopen an accepted (or forwarded) report, with a reason."""
    locked, by = step.obj, step.by
    reason = _reason(step.data, empty=_("Hãy nêu lý do đề nghị mở khóa báo cáo."),
                     max_message=_("Lý do quá dài (tối đa %(n)s ký tự)."))
    request = UnlockRequest(report=locked, reason=reason, requested_by=by)
    validation.full_clean(request)
    request.save()
    step.summary = Text(N_("Đề nghị mở khóa báo cáo: %(reason)s"), {"reason": reason[:300]})
    step.audit_data = {"request": request.pk, "reason": reason}
    step.result = request


def _request_unlock_after(step: wf.Step) -> None:
    locked, by, request = step.obj, step.by, step.result
    message = _report_message(
        locked, kind=Kind.GENERAL,
        title=Text(N_("%(school)s đề nghị mở khóa báo cáo tự đánh giá"), {"school": locked.school.name}),
        template="unlock_requested", key=f"unlock:{request.pk}:requested", by=by, reason=request.reason,
    )
    _send(message, [*_reviewer_or_unit(locked), *_unit_staff(locked, Membership.Role.DISTRICT_HEAD)], by=by)


def unlock_request_create(*, report: Report, by: User, reason: str) -> UnlockRequest:
    """The school asks the district to reopen an accepted (or forwarded) report, with a reason."""
    return cast(UnlockRequest, _result(REVIEW.apply(report, workflow.REQUEST_UNLOCK, by, reason=reason)))


def _grant_effect(step: wf.Step) -> None:
    """Grant the request: the report goes back to the school for revision (accepted/forwarded → returned)."""
    locked, by = step.obj, step.by
    note = _note(step)
    report = REVIEW.apply(
        locked.report, workflow.UNLOCK, by,
        summary=Text(N_("Mở khóa báo cáo theo đề nghị của nhà trường")),
        audit_data={"request": locked.pk, "reason": locked.reason, "note": note},
    )
    moved = wf.last_step(report)
    if moved is None:  # ``apply`` always leaves its step on the moved object
        raise RuntimeError('broken invariant: ``apply`` always leaves its step on the moved object')
    event = moved.event
    locked.report = report
    locked.decided_by, locked.decided_at, locked.decision_note = by, event.created_at, note
    step.update_fields = ["decided_by", "decided_at", "decision_note"]
    step.skip_audit = True  # the report's "unlocked" event is the record
    step.result = report


def _decided_after(step: wf.Step) -> None:
    locked, by, report = step.obj, step.by, step.obj.report
    granted = step.transition.action == workflow.GRANT
    note = locked.decision_note
    if granted:
        title = Text(N_("Báo cáo tự đánh giá của %(school)s đã được mở khóa để chỉnh sửa"), {"school": report.school.name})
    else:
        title = Text(N_("Đề nghị mở khóa báo cáo của %(school)s không được đồng ý"), {"school": report.school.name})
    message = _report_message(
        report, kind=Kind.REPORT_UNLOCKED, title=title, template="unlock_decided",
        key=f"unlock:{locked.pk}:{'granted' if granted else 'refused'}", by=by, granted=granted, note=note,
    )
    _send(message, _principals(report), by=by)


def unlock_grant(*, request: UnlockRequest, by: User, note: str = "") -> Report:
    """Grant the request: the report goes back to the school for revision (accepted/forwarded → returned)."""
    return cast(Report, _result(UNLOCK_REQUEST.apply(request, workflow.GRANT, by, note=note)))


def _refuse_effect(step: wf.Step) -> None:
    locked, by = step.obj, step.by
    note = (step.data.get("note") or "").strip()
    if not note:
        raise WorkflowError(_("Hãy nêu lý do không đồng ý mở khóa."))
    locked.decided_by, locked.decided_at, locked.decision_note = by, timezone.now(), note[:MAX_REASON]
    step.update_fields = ["decided_by", "decided_at", "decision_note"]
    step.summary = Text(N_("Không đồng ý mở khóa: %(note)s"), {"note": note[:300]})
    step.audit_data = {"request": locked.pk, "note": note}
    step.result = locked


def unlock_refuse(*, request: UnlockRequest, by: User, note: str) -> UnlockRequest:
    """Refuse the request, with the reason the school reads; the report stays locked."""
    return cast(UnlockRequest, _result(UNLOCK_REQUEST.apply(request, workflow.REFUSE, by, note=note)))


# --- The hooks of each move, attached to the tables of reviews.workflow --------------------------------

for _action, _hooks in {
    workflow.SUBMIT: {"effect": _submit_effect, "after": _submit_after},
    workflow.WITHDRAW: {"after": _withdraw_after},
    workflow.START_REVIEW: {"effect": _start_effect, "after": _start_after},
    workflow.RETURN: {"effect": _return_effect, "after": _return_after},
    workflow.ACCEPT: {"effect": _accept_effect, "after": _accept_after},
    workflow.RECOMMEND: {"effect": _recommend_effect, "after": _recommend_after},
    workflow.FORWARD: {"after": _forward_after},
    workflow.UNLOCK: {"effect": _unlock_effect},
    workflow.CLOSE: {"after": _close_after},
    workflow.REQUEST_UNLOCK: {"effect": _request_unlock_effect, "after": _request_unlock_after},
    workflow.COMMENT: {"effect": _comment_effect, "after": _send_comment},
    workflow.MARK_REVIEWED: {"effect": _mark_reviewed_effect},
    workflow.ASSIGN: {"effect": _assign_effect},
}.items():
    REVIEW.attach(_action, **_hooks)

for _action, _hooks in {
    workflow.REPLY: {"effect": _reply_effect, "after": _send_comment},
    workflow.MARK_FIXED: {"effect": _mark_fixed_effect, "after": _send_comment},
    workflow.RESOLVE: {"effect": _resolve_effect},
    workflow.REOPEN: {"effect": _reopen_effect},
}.items():
    THREAD.attach(_action, **_hooks)

UNLOCK_REQUEST.attach(workflow.GRANT, effect=_grant_effect, after=_decided_after)
UNLOCK_REQUEST.attach(workflow.REFUSE, effect=_refuse_effect, after=_decided_after)
