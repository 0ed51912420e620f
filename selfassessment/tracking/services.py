"""Writes of the improvement-plan tracking: status changes, tracking fields, progress notes.

The plan is followed after the report was sent, so these services work whatever the report's
status (the rules of ``action.track`` do not look at it), and they never touch ``Report.version``:
the report's content, frozen by the review when it was submitted, is not what changes here.

Each change of an action is guarded by its ``revision``: a change based on what someone else
has changed since is refused with ``ConflictError`` (its ``current`` is the stored row). A
progress note only adds a row, so it needs no guard. Every write leaves an audit event.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from audit.services import event_record
from evidence.models import Evidence
from kiemdinh import validation
from kiemdinh.i18n import N_
from kiemdinh.permissions import require
from kiemdinh.workflow import Step, Transition, Workflow, WorkflowError, register
from schools.models import User

from ..models import ImprovementAction, ImprovementProgress
from ..services import MAX_TEXT_LENGTH, ConflictError, ReportError, normalise_text

Status = ImprovementAction.Status
TRACKING_FIELDS = ("responsible", "start_on", "due_on", "resources", "expected_result")
MAX_NOTE_LENGTH = 4000


def _fmt(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _lock_action(action: ImprovementAction) -> ImprovementAction:
    """Lock the action's row and return it fresh, with what the rules and the events need.

    Locked alone first (FOR UPDATE cannot cover the nullable joins on PostgreSQL). The report
    row is not locked: the report editor locks report then actions, and a tracking write that
    waited for the report while holding an action could deadlock with it.
    """
    if not ImprovementAction.objects.select_for_update().filter(pk=action.pk).exists():
        raise ReportError(_("Biện pháp cải tiến này không còn trong kế hoạch; hãy tải lại trang."))
    return ImprovementAction.objects.select_related(
        "report__school__reviewing_unit__parent", "report__school_year", "criterion", "level4", "updated_by",
    ).get(pk=action.pk)


def _conflict(current: ImprovementAction) -> ConflictError:
    who = current.updated_by.display_name if current.updated_by else _("người khác")
    return ConflictError(
        _("Biện pháp này vừa được %(who)s cập nhật lúc %(when)s. Thay đổi của bạn chưa được lưu; "
          "hãy xem bản đang lưu rồi thực hiện lại.")
        % {"who": who, "when": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y")},
        current=current,
    )


def _check_revision(current: ImprovementAction, revision: int) -> None:
    """An older revision is a change made since the page was loaded (``ConflictError``, a 409); a
    newer one than stored was never on any page: invalid data (``ReportError``, a 400)."""
    if revision > current.revision:
        raise ReportError(_("Phiên bản của biện pháp gửi lên không hợp lệ; hãy tải lại trang."))
    if revision != current.revision:
        raise _conflict(current)


def _event(verb: str, *, action: ImprovementAction, by: User, summary: str, from_state: str = "", to_state: str = "",
           data: dict[str, Any] | None = None) -> None:
    event_record(
        actor=by, action=f"selfassessment.improvement_action.{verb}", target=action, school=action.report.school,
        from_state=from_state, to_state=to_state, summary=summary,
        data={"report": action.report_id, **(data or {})},
    )


def _save(action: ImprovementAction, by: User, fields: list[str], *, save: bool = True) -> None:
    action.revision += 1
    action.updated_by = by
    try:
        validation.full_clean(action)
    except ValidationError as exc:
        raise ReportError(" ".join(str(m) for m in exc.messages))
    if save:
        action.save(update_fields=[*fields, "revision", "updated_by", "updated_at"])


@transaction.atomic
def action_status_change(
    *, action: ImprovementAction, status: str, by: User, revision: int, reason: str = "",
    done_on: datetime.date | None = None, today: datetime.date | None = None,
) -> ImprovementAction:
    """Move an action to ``status`` through its workflow (``IMPROVEMENT_ACTION``, one action per target).

    Dropping needs a reason; finishing records the day (``done_on``, today by default, never in
    the future); leaving "done" or "dropped" clears the day or the reason (the audit trail keeps
    them). Asking for the status the action already has changes nothing.
    """
    today = today or timezone.localdate()
    current = _lock_action(action)
    require(by, "improvement.track", current)
    if status not in Status.values:
        raise ReportError(_("Tình trạng không hợp lệ."))
    if current.status == status:
        return current
    _check_revision(current, revision)
    try:
        return cast(ImprovementAction, IMPROVEMENT_ACTION.apply(current, ACTION_TO[status], by, reason=reason,
                                                                done_on=done_on, today=today))
    except WorkflowError as exc:
        raise ReportError(exc.message) from None


def _status_change(step: Step) -> None:
    """What a change of status does besides the status: the reason of a drop, the day of a finish."""
    current, status = step.obj, step.target
    reason = normalise_text(step.data["reason"]).strip()
    today = step.data["today"]
    fields = []
    data: dict[str, Any] = {}
    if status == Status.DROPPED:
        if not reason:
            raise ReportError(_("Cần ghi lý do không thực hiện biện pháp."))
        if len(reason) > MAX_NOTE_LENGTH:
            raise ReportError(_("Lý do quá dài (tối đa %(n)s ký tự).") % {"n": MAX_NOTE_LENGTH})
        current.dropped_reason = reason
        fields.append("dropped_reason")
        data["reason"] = reason
    elif current.dropped_reason:
        data["previous_reason"] = current.dropped_reason
        current.dropped_reason = ""
        fields.append("dropped_reason")
    if status == Status.DONE:
        done_on = step.data["done_on"] or today
        if done_on > today:
            raise ReportError(_("Ngày hoàn thành không được sau hôm nay (%(today)s).") % {"today": _fmt(today)})
        current.done_on = done_on
        fields.append("done_on")
        data["done_on"] = done_on.isoformat()
    elif current.done_on is not None:
        data["previous_done_on"] = current.done_on.isoformat()
        current.done_on = None
        fields.append("done_on")
    current.status = status
    _save(current, step.by, fields, save=False)
    step.update_fields = [*fields, "revision", "updated_by"]
    step.audit_data = {"report": current.report_id, **data}
    step.summary = _("%(action)s: %(old)s → %(new)s") % {
        "action": current.action[:200], "old": Status(step.source).label, "new": Status(status).label}


@transaction.atomic
def action_tracking_update(
    *, action: ImprovementAction, by: User, revision: int, responsible: str, start_on: datetime.date | None,
    due_on: datetime.date | None, resources: str, expected_result: str,
) -> ImprovementAction:
    """Change who carries the action out, when, with what, for which result (start ≤ due).

    The action's own text is the report's and is changed only in the report editor.
    """
    current = _lock_action(action)
    require(by, "improvement.track", current)
    _check_revision(current, revision)
    if start_on and due_on and due_on < start_on:
        raise ReportError(_("Ngày hoàn thành dự kiến (đến ngày) không được trước ngày bắt đầu (từ ngày)."))
    wanted: dict[str, Any] = {
        "responsible": (responsible or "").strip(),
        "start_on": start_on,
        "due_on": due_on,
        "resources": normalise_text(resources),
        "expected_result": normalise_text(expected_result),
    }
    if any(len(wanted[f]) > MAX_NOTE_LENGTH for f in ("resources", "expected_result")):
        raise ReportError(_("Nội dung quá dài (tối đa %(n)s ký tự mỗi ô).") % {"n": MAX_NOTE_LENGTH})
    changed = {f: v for f, v in wanted.items() if getattr(current, f) != v}
    if not changed:
        return current
    data = {f: [_text(getattr(current, f)), _text(v)] for f, v in changed.items()}
    for f, v in changed.items():
        setattr(current, f, v)
    _save(current, by, list(changed))
    _event("updated", action=current, by=by, data={"changes": data},
           summary=_("Cập nhật %(fields)s: %(action)s") % {
               "fields": ", ".join(str(cast("Field[Any, Any]", ImprovementAction._meta.get_field(f)).verbose_name) for f in changed),
               "action": current.action[:200]})
    return current


def _text(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


@transaction.atomic
def progress_note_add(
    *, action: ImprovementAction, by: User, date: datetime.date | None, text: str, evidence: Iterable[Evidence] = (),
    today: datetime.date | None = None,
) -> ImprovementProgress:
    """Add a dated progress note (not after today, text required), citing evidence of the same school."""
    today = today or timezone.localdate()
    current = _lock_action(action)
    require(by, "improvement.track", current)
    text = normalise_text(text).strip()
    if not text:
        raise ReportError(_("Hãy ghi nội dung tiến độ thực hiện."))
    if len(text) > MAX_TEXT_LENGTH:
        raise ReportError(_("Nội dung quá dài."))
    if date is None:
        raise ReportError(_("Hãy ghi ngày của tiến độ thực hiện."))
    if date > today:
        raise ReportError(_("Ngày ghi tiến độ không được sau hôm nay (%(today)s).") % {"today": _fmt(today)})
    items = list(dict.fromkeys(evidence))
    school_id = current.report.school_id
    foreign = [item for item in items if item.school_id != school_id]
    if foreign:
        raise ReportError(
            _("Minh chứng %(codes)s không thuộc thư viện minh chứng của trường.")
            % {"codes": ", ".join(item.code for item in foreign)}
        )
    archived = [item for item in items if item.is_archived]
    if archived:
        raise ReportError(
            _("Minh chứng %(codes)s đã được lưu trữ, không dùng được cho ghi nhận mới.")
            % {"codes": ", ".join(item.code for item in archived)}
        )
    note = ImprovementProgress.objects.create(action=current, date=date, text=text, by=by)
    if items:
        note.evidence.set(items)
    _event("progress_added", action=current, by=by,
           data={"note": note.pk, "date": date.isoformat(), "evidence": [item.code for item in items]},
           summary=_("Ghi tiến độ ngày %(date)s: %(text)s") % {"date": _fmt(date), "text": text[:200]})
    return note


# --- The action's workflow, declared once ------------------------------------------------------------
# One action per target status (the tracking page's buttons); a finished action may be reopened, a
# dropped one resumed (its reason stays in the audit trail). Who: rule ``improvement.track``.

START, FINISH, DROP, RESET = "start", "finish", "drop", "reset"
ACTION_TO: dict[str, str] = {Status.IN_PROGRESS: START, Status.DONE: FINISH, Status.DROPPED: DROP, Status.NOT_STARTED: RESET}


def _move(action: str, source: str, target: str, label: str, **extra: Any) -> Transition:
    return Transition(action=action, source=source, target=target, rule="improvement.track", verb="status_changed",
                      label=label, effect=_status_change, extra=extra)


def _refused(target: str) -> Callable[[ImprovementAction], str]:
    def message(obj: ImprovementAction) -> str:
        return (_("Không thể chuyển biện pháp từ “%(old)s” sang “%(new)s”.")
                % {"old": obj.get_status_display(), "new": Status(target).label}).replace("%", "%%")
    return message


# "Không thực hiện" is here the verb (drop), not the status (dropped): the button says it with a context.
_DROP_LABEL = N_("Không thực hiện")

IMPROVEMENT_ACTION = register(Workflow(
    "selfassessment.improvement_action", "selfassessment.ImprovementAction",
    transitions=(
        _move(START, Status.NOT_STARTED, Status.IN_PROGRESS, N_("Bắt đầu thực hiện")),
        _move(START, Status.DONE, Status.IN_PROGRESS, N_("Mở lại (chưa hoàn thành)")),
        _move(START, Status.DROPPED, Status.IN_PROGRESS, N_("Tiếp tục thực hiện")),
        _move(FINISH, Status.NOT_STARTED, Status.DONE, N_("Đánh dấu đã hoàn thành")),
        _move(FINISH, Status.IN_PROGRESS, Status.DONE, N_("Đánh dấu đã hoàn thành")),
        _move(DROP, Status.NOT_STARTED, Status.DROPPED, _DROP_LABEL, button=pgettext_lazy("action", "Không thực hiện")),
        _move(DROP, Status.IN_PROGRESS, Status.DROPPED, _DROP_LABEL, button=pgettext_lazy("action", "Không thực hiện")),
        _move(RESET, Status.IN_PROGRESS, Status.NOT_STARTED, N_("Đưa về chưa thực hiện")),
        _move(RESET, Status.DROPPED, Status.NOT_STARTED, N_("Đưa về chưa thực hiện")),
    ),
    audit_prefix="selfassessment.improvement_action",
    refused_messages={action: _refused(target) for target, action in ACTION_TO.items()},
    lock=_lock_action,
    audit_school=lambda action: action.report.school,
    tones={Status.NOT_STARTED: "light", Status.IN_PROGRESS: "primary", Status.DONE: "success",
           Status.DROPPED: "secondary"},
))
