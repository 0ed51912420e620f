"""The periodic report (báo cáo định kỳ) and its review: open, save, submit, withdraw, start review,
return, accept, reopen.

The moves are the self-assessment report's up to "accepted", declared once as a table of the
workflow layer (``PERIODIC``, at the end of this module, with the periodic-report rules). Forwarding
to the Sở and closing after external evaluation are not part of a periodic report's life: accepted
is the end, and the district office may reopen an accepted report for the school to correct (the
UNLOCK move, accepted → returned, with a reason; there is no unlock request to wait for, the
district decides).

Every transition goes through ``kiemdinh.workflow``: it locks the row, checks the move and the
actor's rule, changes the status, writes an audit event and notifies. The notifications are created
inside the transaction (a refused or rolled-back move notifies nobody) and their e-mails leave on
commit (``notifications.services``).

``submitted_at`` is the first submission and decides on time or late; a resubmission after a
return keeps it. Withdrawing a report before the district opened it takes the submission back
entirely (it was never handed in), so ``submitted_at`` is cleared. The results and the progress
lines are frozen at every submission; while the school holds the report they follow the
self-assessment report.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemdinh import validation
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import require
from kiemdinh.workflow import PermissionRefused, Step, Transition, Workflow, WorkflowError, register
from notifications.models import Kind
from notifications.services import Message, notify_many
from reviews import workflow as review_workflow
from schools.models import School
from schools.recipients import district_staff_of, principals_of

from .. import reports
from ..models import PeriodicProgress, PeriodicReport, ReportingDeadline
from .common import ConcurrentEditError, EvaluationsError, _event, _validation_message

if TYPE_CHECKING:
    from schools.models import User

MAX_REASON = 5000
MAX_SUMMARY = 20000
MAX_PROGRESS = 5000

# Actions of the periodic report's workflow (the table is ``PERIODIC``, at the end of this module).
SUBMIT, WITHDRAW, START_REVIEW, RETURN, ACCEPT, UNLOCK = "submit", "withdraw", "start_review", "return", "accept", "unlock"
ACTIONS = (SUBMIT, WITHDRAW, START_REVIEW, RETURN, ACCEPT, UNLOCK)
Status = PeriodicReport.Status


class PeriodicWorkflowError(EvaluationsError):
    """A move the workflow does not allow from the report's current status; nothing was written."""


def transition_for(action: str, status: str) -> Transition | None:
    """The move ``action`` makes from ``status`` for a periodic report, or None (there is no forward nor close)."""
    return PERIODIC.transition(action, status) if action in PERIODIC.actions else None


def actions_from(status: str) -> list[Transition]:
    """The periodic report's moves from ``status``, in the table's order."""
    return PERIODIC.transitions_from(status)


def status_label(status: str) -> str:
    return str(PeriodicReport.Status(status).label) if status in PeriodicReport.Status.values else status


def report_url(report: PeriodicReport) -> str:
    return reverse("evaluations:periodic_report_detail", args=[report.deadline_id, report.school_id])


# --- Locking and the transition step -------------------------------------------------------------


def _lock(report: PeriodicReport) -> PeriodicReport:
    """The report re-read under a row lock (the report row only), with its school, unit and deadline."""
    return (
        PeriodicReport.objects.select_for_update(of=("self",))
        .select_related("school__reviewing_unit", "deadline__school_year", "deadline__unit")
        .get(pk=report.pk)
    )


def _apply(report: PeriodicReport, action: str, by: User, **data: Any) -> PeriodicReport:
    """Make ``action`` through the workflow layer (lock, check, effect, status, audit, notifications);
    a refused rule is a 403 (``PermissionDenied``), a move the status does not allow a message."""
    try:
        return cast(PeriodicReport, PERIODIC.apply(report, action, by, **data))
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from None
    except WorkflowError as exc:
        raise PeriodicWorkflowError(exc.message) from None


def _moving(effect: Callable[[Step], None] | None) -> Callable[[Step], None]:
    """The effect of a move, then what every move does: the revision, validation, the whole row saved,
    and the event's default summary ("<label> – <deadline>")."""

    def hook(step: Step) -> None:
        if effect is not None:
            effect(step)
        report = step.obj
        report.status = step.target  # validated with its new status (the constraints read both)
        report.revision += 1
        try:
            validation.full_clean(report, validate_unique=False)
        except ValidationError as exc:  # pragma: no cover - the services only set consistent values
            raise EvaluationsError(_validation_message(exc)) from exc
        step.update_fields = [f.name for f in report._meta.concrete_fields if not f.primary_key]
        if not step.summary:
            step.summary = f"{_(step.transition.label)} – {report.deadline}"

    return hook


def _clean_text(text: str, *, limit: int, required_message: str = "") -> str:
    text = (text or "").strip()
    if required_message and not text:
        raise EvaluationsError(required_message)
    if len(text) > limit:
        raise EvaluationsError(_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": limit})
    return text


# --- Notifications -------------------------------------------------------------------------------


def _notify(report: PeriodicReport, recipients: Iterable[User], *, kind: str, title: str | Text, body: str | Text, key: str,
            by: User) -> int:
    """One in-app notification (and its e-mail, on commit) per recipient, never to the actor; a
    ``Text`` title or body is worded in each recipient's language."""
    url = report_url(report)
    return len(notify_many(
        Message(user=user, kind=kind, title=title, body=body, url=url, dedupe_key=f"{key}:u{user.pk}")
        for user in recipients if by is None or user.pk != by.pk
    ))


def _principals(report: PeriodicReport) -> list[User]:
    return principals_of([report.school_id]).get(report.school_id, [])


def _district(report: PeriodicReport) -> list[User]:
    """The reviewer who took the report up, else every reviewer and head of the school's unit."""
    if report.reviewer_id is not None and report.reviewer is not None and report.reviewer.is_active:
        return [report.reviewer]
    unit_id = report.school.reviewing_unit_id
    return district_staff_of([unit_id]).get(unit_id, [])


# --- The content -----------------------------------------------------------------------------------


def _sync_lines(report: PeriodicReport) -> None:
    """One line per improvement action of the source report, in plan order: a new action gets a line
    whose progress is prefilled from its latest note; a line takes its action's current text,
    target, status and due date; a line whose action left the plan is dropped. Only called while
    the school holds the report or when it sends it, so a sent report's lines never change."""
    current = reports.actions_with_latest_note(report.source_report) if report.source_report_id else []
    lines = {line.action_id: line for line in report.progress_lines.all()}
    keep = {action.pk for action, _note in current}
    PeriodicProgress.objects.filter(report=report).exclude(action_id__in=keep).delete()
    new, changed = [], []
    fields = ("position", "target", "action_text", "action_status", "due_on")
    for position, (action, note) in enumerate(current):
        values = {
            "position": position, "target": reports.action_target(action)[:120], "action_text": action.action,
            "action_status": action.status, "due_on": action.due_on,
        }
        line = lines.get(action.pk)
        if line is None:
            new.append(PeriodicProgress(report=report, action=action, progress=reports.progress_prefill(note), **values))
        elif any(getattr(line, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(line, name, value)
            changed.append(line)
    PeriodicProgress.objects.bulk_create(new)
    if changed:
        PeriodicProgress.objects.bulk_update(changed, list(fields))


@transaction.atomic
def periodic_report_open(*, school: School, deadline: ReportingDeadline, by: User) -> PeriodicReport:
    """The school's periodic report for the deadline, created as a draft when missing: its source is
    the school's current self-assessment report, one line per improvement action. Idempotent."""
    require(by, "periodic_report.edit", school)
    if deadline.unit_id != school.reviewing_unit_id:
        raise EvaluationsError(_("Kỳ báo cáo này không thuộc đơn vị quản lý của trường."))
    if not deadline.is_report:
        raise EvaluationsError(_("Hạn này không có báo cáo định kỳ; chỉ học kỳ I và cuối năm học có báo cáo."))
    report, created = PeriodicReport.objects.get_or_create(
        school=school, deadline=deadline,
        defaults={"source_report": reports.current_report(school, deadline.school_year), "created_by": by},
    )
    if created:
        _sync_lines(report)
        _event("periodic_report.opened", by=by, target=report, school=school, to_state=report.status,
               summary=Text(N_("Bắt đầu soạn báo cáo định kỳ – %(deadline)s"), {"deadline": deadline}),
               data={"source_report": report.source_report_id})
    return report


@transaction.atomic
def periodic_report_save(
    *, report: PeriodicReport, by: User, revision: int | None, summary: str, progress: Mapping[int, str] | None = None,
) -> PeriodicReport:
    """Save the summary and the progress texts (keyed by improvement-action id) of a report the school
    holds; refused when someone saved or moved the report since the form was opened."""
    summary = _clean_text(summary, limit=MAX_SUMMARY)
    texts = {int(k): _clean_text(v, limit=MAX_PROGRESS) for k, v in (progress or {}).items()}
    locked = _lock(report)
    require(by, "periodic_report.edit", locked)
    if revision is not None and locked.revision != revision:
        raise ConcurrentEditError()
    if not locked.is_editable:
        raise PeriodicWorkflowError(
            _("Báo cáo định kỳ đang ở trạng thái “%(status)s”; chỉ báo cáo đang soạn thảo hoặc bị trả lại mới sửa được.")
            % {"status": status_label(locked.status)}
        )
    _sync_lines(locked)
    changed = []
    for line in locked.progress_lines.all():
        if line.action_id in texts and line.progress != texts[line.action_id]:
            line.progress = texts[line.action_id]
            changed.append(line)
    if changed:
        PeriodicProgress.objects.bulk_update(changed, ["progress"])
    locked.summary = summary
    locked.revision += 1
    validation.full_clean(locked, validate_unique=False)
    locked.save()
    _event("periodic_report.saved", by=by, target=locked, school=locked.school,
           summary=Text(N_("Lưu báo cáo định kỳ – %(deadline)s"), {"deadline": locked.deadline}),
           data={"progress_changed": len(changed)})
    report.revision, report.summary = locked.revision, locked.summary
    return locked


# --- Transitions -----------------------------------------------------------------------------------


@transaction.atomic
def periodic_report_submit(
    *, by: User, report: PeriodicReport | None = None, school: School | None = None,
    deadline: ReportingDeadline | None = None, at: datetime.datetime | None = None,
) -> PeriodicReport:
    """Send the report to the district (draft → submitted, returned → resubmitted), freezing its results
    and progress lines. Given a school and a deadline instead of a report, the draft is opened first.

    Submitting after the due date is allowed and counts as late; ``submitted_at`` keeps the first
    submission. ``at`` backdates the submission (demo data and imports of paper records only).
    """
    if report is None:
        if school is None or deadline is None:
            raise TypeError("periodic_report_submit needs a report, or a school and a deadline")
        report = periodic_report_open(school=school, deadline=deadline, by=by)
    return _apply(report, SUBMIT, by, at=at)


def _submit(step: Step) -> None:
    locked, by = step.obj, step.by
    if locked.source_report_id is None:
        # Opened before the school had a self-assessment report: take the one it has now.
        locked.source_report = reports.current_report(locked.school, locked.deadline.school_year)
    _sync_lines(locked)
    moment = step.data.get("at") or timezone.now()
    locked.results = reports.results_snapshot(locked.source_report) if locked.source_report_id else {}
    if locked.submitted_at is None:
        locked.submitted_at, locked.submitted_by = moment, by
    locked.last_submitted_at = moment
    due = locked.deadline.due_date
    late = timezone.localdate(locked.submitted_at) > due
    step.audit_data = {"late": late, "due_date": due.isoformat(), "lines": locked.progress_lines.count()}


def _submitted(step: Step) -> None:
    locked = step.obj
    due = locked.deadline.due_date
    title = Text(
        N_("%(school)s đã nộp lại báo cáo định kỳ %(period)s") if step.target == Status.RESUBMITTED
        else N_("%(school)s đã nộp báo cáo định kỳ %(period)s"),
        {"school": locked.school.name, "period": locked.deadline.period_title})
    body = Text(N_("Hạn nộp %(due)s; nộp lần đầu lúc %(first)s (%(state)s)."), {
        "due": due.strftime("%d/%m/%Y"), "first": timezone.localtime(locked.submitted_at).strftime("%H:%M %d/%m/%Y"),
        "state": Text(N_("muộn") if step.audit_data["late"] else N_("đúng hạn")),
    })
    _notify(locked, _district(locked), kind=Kind.REPORT_SUBMITTED, title=title, body=body,
            key=f"periodic:{locked.pk}:{step.transition.verb}:e{step.event.pk}", by=step.by)


@transaction.atomic
def periodic_report_withdraw(*, report: PeriodicReport, by: User) -> PeriodicReport:
    """Take a submission back before the district opens it: submitted → draft (the submission is
    cancelled: it no longer counts for the deadline), resubmitted → returned (the first submission stands)."""
    return _apply(report, WITHDRAW, by)


def _withdraw(step: Step) -> None:
    if step.target == Status.DRAFT:
        step.obj.submitted_at, step.obj.submitted_by, step.obj.last_submitted_at = None, None, None


def _withdrawn(step: Step) -> None:
    locked = step.obj
    _notify(locked, _district(locked), kind=Kind.GENERAL,
            title=Text(N_("%(school)s đã rút báo cáo định kỳ %(period)s để chỉnh sửa"), {"school": locked.school.name, "period": locked.deadline.period_title}),
            body="", key=f"periodic:{locked.pk}:withdrawn:e{step.event.pk}", by=step.by)


@transaction.atomic
def periodic_report_start_review(*, report: PeriodicReport, by: User) -> PeriodicReport:
    """The district picks the report up (submitted/resubmitted → in review); the school can no longer withdraw."""
    return _apply(report, START_REVIEW, by)


def _start_review(step: Step) -> None:
    step.obj.reviewer = step.by


def _review_started(step: Step) -> None:
    locked = step.obj
    _notify(locked, _principals(locked), kind=Kind.GENERAL,
            title=Text(N_("%(unit)s bắt đầu thẩm định báo cáo định kỳ %(period)s của %(school)s"), {"unit": locked.school.reviewing_unit.display_name, "school": locked.school.name,
               "period": locked.deadline.period_title}),
            body="", key=f"periodic:{locked.pk}:review_started:e{step.event.pk}", by=step.by)


def _send_back(step: Step) -> None:
    locked, reason = step.obj, step.data["reason"]
    locked.return_reason, locked.returned_at, locked.returned_by = reason, timezone.now(), step.by
    locked.accepted_at, locked.accepted_by = None, None
    step.summary = f"{_(step.transition.label)}: {reason[:300]}"
    step.audit_data = {"reason": reason}


def _sent_back(step: Step) -> None:
    locked = step.obj
    if step.transition.action == RETURN:
        kind = Kind.REPORT_RETURNED
        title = Text(N_("Báo cáo định kỳ %(period)s của %(school)s được trả lại để chỉnh sửa"), {"school": locked.school.name, "period": locked.deadline.period_title})
    else:
        kind = Kind.REPORT_UNLOCKED
        title = Text(N_("Báo cáo định kỳ %(period)s của %(school)s được mở lại để chỉnh sửa"), {"school": locked.school.name, "period": locked.deadline.period_title})
    _notify(locked, _principals(locked), kind=kind, title=title, body=step.data["reason"],
            key=f"periodic:{locked.pk}:{step.transition.verb}:e{step.event.pk}", by=step.by)


@transaction.atomic
def periodic_report_return(*, report: PeriodicReport, by: User, reason: str) -> PeriodicReport:
    """Send the report back for revision (in review → returned) with the reason the school reads (required)."""
    reason = _clean_text(reason, limit=MAX_REASON, required_message=_(
        "Hãy nêu lý do trả lại báo cáo để nhà trường biết cần chỉnh sửa gì."))
    return _apply(report, RETURN, by, reason=reason)


@transaction.atomic
def periodic_report_accept(*, report: PeriodicReport, by: User, note: str = "") -> PeriodicReport:
    """Accept the report (in review → accepted), with an optional review note the school reads."""
    note = _clean_text(note, limit=MAX_REASON)
    return _apply(report, ACCEPT, by, note=note)


def _accept(step: Step) -> None:
    note = step.data["note"]
    step.obj.review_note, step.obj.accepted_at, step.obj.accepted_by = note, timezone.now(), step.by
    if note:
        step.audit_data = {"note": note}


def _accepted(step: Step) -> None:
    locked = step.obj
    _notify(locked, _principals(locked), kind=Kind.REPORT_ACCEPTED,
            title=Text(N_("Báo cáo định kỳ %(period)s của %(school)s đã được chấp nhận"), {"school": locked.school.name, "period": locked.deadline.period_title}),
            body=step.data["note"], key=f"periodic:{locked.pk}:accepted:e{step.event.pk}", by=step.by)


@transaction.atomic
def periodic_report_unlock(*, report: PeriodicReport, by: User, reason: str) -> PeriodicReport:
    """Reopen an accepted report for the school to correct (accepted → returned), with a reason."""
    reason = _clean_text(reason, limit=MAX_REASON, required_message=_(
        "Hãy nêu lý do mở lại báo cáo để nhà trường biết cần chỉnh sửa gì."))
    return _apply(report, UNLOCK, by, reason=reason)


# --- The workflow, declared once ---------------------------------------------------------------------
# The self-assessment report's moves up to "accepted" (reviews' table), with the periodic-report rules
# (evaluations/permissions.py). Forwarding to the Sở and closing after external evaluation are not
# part of a periodic report's life; the district office reopens an accepted report itself (UNLOCK).
# The notifications are made in the transaction (``after``: a refused move notifies nobody) and their
# e-mails leave on commit (``notifications.services``).


def _t(action: str, source: str, target: str, rule: str, verb: str, label: str,
       effect: Callable[[Step], None] | None = None, after: Callable[[Step], None] | None = None,
       **extra: Any) -> Transition:
    return Transition(action=action, source=source, target=target, rule=f"periodic_report.{rule}", verb=verb,
                      label=label, effect=_moving(effect), after=after, extra=extra)


PERIODIC = register(Workflow(
    "evaluations.periodic_report", "evaluations.PeriodicReport",
    transitions=(
        _t(SUBMIT, Status.DRAFT, Status.SUBMITTED, "submit", "submitted", N_("Nộp báo cáo"), _submit, _submitted,
           save_label=gettext_lazy("Lưu và nộp báo cáo")),
        _t(SUBMIT, Status.RETURNED, Status.RESUBMITTED, "submit", "resubmitted", N_("Nộp lại báo cáo"), _submit,
           _submitted, save_label=gettext_lazy("Lưu và nộp lại")),
        _t(WITHDRAW, Status.SUBMITTED, Status.DRAFT, "withdraw", "withdrawn", N_("Rút báo cáo đã nộp"), _withdraw,
           _withdrawn, confirm=gettext_lazy("Rút báo cáo để chỉnh sửa? Lần nộp này bị hủy: nếu nộp lại sau hạn, báo "
                                            "cáo được ghi nhận là nộp muộn.")),
        _t(WITHDRAW, Status.RESUBMITTED, Status.RETURNED, "withdraw", "withdrawn", N_("Rút báo cáo đã nộp lại"),
           _withdraw, _withdrawn, confirm=gettext_lazy("Rút báo cáo đã nộp lại để tiếp tục chỉnh sửa?")),
        _t(START_REVIEW, Status.SUBMITTED, Status.IN_REVIEW, "review", "review_started", N_("Bắt đầu thẩm định"),
           _start_review, _review_started),
        _t(START_REVIEW, Status.RESUBMITTED, Status.IN_REVIEW, "review", "review_started",
           N_("Bắt đầu thẩm định lại"), _start_review, _review_started),
        _t(RETURN, Status.IN_REVIEW, Status.RETURNED, "return", "returned", N_("Trả lại để chỉnh sửa"), _send_back,
           _sent_back),
        _t(ACCEPT, Status.IN_REVIEW, Status.ACCEPTED, "accept", "accepted", N_("Chấp nhận báo cáo"), _accept,
           _accepted),
        _t(UNLOCK, Status.ACCEPTED, Status.RETURNED, "unlock", "unlocked", N_("Mở khóa báo cáo"), _send_back,
           _sent_back),
    ),
    audit_prefix="evaluations.periodic_report",
    action_labels={SUBMIT: N_("Nộp báo cáo"), WITHDRAW: N_("Rút báo cáo"), START_REVIEW: N_("Bắt đầu thẩm định"),
                   RETURN: N_("Trả lại để chỉnh sửa"), ACCEPT: N_("Chấp nhận báo cáo"), UNLOCK: N_("Mở khóa báo cáo")},
    refused_message=gettext_lazy("Không thể thực hiện “%(action)s”: báo cáo định kỳ đang ở trạng thái “%(status)s”."),
    status_label=lambda report: status_label(report.status),
    lock=_lock,
    # The self-assessment report's statuses, shown as the review shows them.
    tones=review_workflow.TONES, icons=review_workflow.ICONS,
))
