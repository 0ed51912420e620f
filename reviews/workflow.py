"""The review workflows, declared once as tables of the workflow layer (``kiemdinh.workflow``).

The report: draft → submitted → in review → returned → resubmitted → in review … → accepted →
forwarded → closed, plus the moves that keep the status (the head's "recommended" approval, a new
comment thread, the reviewed marks, the assignment, an unlock request). A comment thread: open ⇄
resolved, with "Đã sửa" and replies. An unlock request: pending → granted / refused.

Each row names its permission rule, audit verb, label and guards; ``reviews.services`` attaches the
effects (what a move writes besides the status) and calls ``apply``; views and templates ask
``actions_for``. Nothing else assigns a status. The status values are those of
``selfassessment.models.Report.Status`` (a test keeps the two lists equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext, gettext_lazy

from kiemdinh import workflow as wf

from .models import CommentThread, UnlockRequest
from .permissions import is_district_staff_of, is_head_of

if TYPE_CHECKING:
    from schools.models import User
    from selfassessment.models import Report


def _(text: str) -> str:
    """Mark a label for translation; it is translated where it is shown (gettext_noop)."""
    return text


DRAFT = "draft"
SUBMITTED = "submitted"
IN_REVIEW = "in_review"
RETURNED = "returned"
RESUBMITTED = "resubmitted"
ACCEPTED = "accepted"
FORWARDED = "forwarded"
CLOSED = "closed"

STATUSES = (DRAFT, SUBMITTED, IN_REVIEW, RETURNED, RESUBMITTED, ACCEPTED, FORWARDED, CLOSED)

# The school writes only in these; every other status shows a frozen version.
EDITABLE = frozenset({DRAFT, RETURNED})
# Sent and not yet picked up: the school may still withdraw.
WAITING = frozenset({SUBMITTED, RESUBMITTED})
# With the district: waiting or being reviewed (the review queues).
WITH_DISTRICT = frozenset({SUBMITTED, RESUBMITTED, IN_REVIEW})
# Accepted and beyond: only a granted unlock request reopens the report.
LOCKED = frozenset({ACCEPTED, FORWARDED, CLOSED})
# Statuses in which the school may ask the district to unlock.
UNLOCKABLE = frozenset({ACCEPTED, FORWARDED})

# How pages show each status (``kiemdinh.states``); the periodic report shows its statuses the same way.
TONES = {
    DRAFT: "secondary", SUBMITTED: "info", IN_REVIEW: "primary", RETURNED: "warning",
    RESUBMITTED: "info", ACCEPTED: "success", FORWARDED: "success", CLOSED: "dark",
}
ICONS = {
    DRAFT: "pencil", SUBMITTED: "send", IN_REVIEW: "search", RETURNED: "arrow-return-left",
    RESUBMITTED: "send-check", ACCEPTED: "check2-circle", FORWARDED: "box-arrow-up-right", CLOSED: "archive",
}

# Actions (verbs) of the workflow.
SUBMIT = "submit"
WITHDRAW = "withdraw"
START_REVIEW = "start_review"
RETURN = "return"
ACCEPT = "accept"
FORWARD = "forward"
UNLOCK = "unlock"
CLOSE = "close"
# Moves that keep the report's status.
RECOMMEND = "recommend"
REQUEST_UNLOCK = "request_unlock"
COMMENT = "comment"
MARK_REVIEWED = "mark_reviewed"
ASSIGN = "assign"

# Where the district comments: with the district, or sent back (the school answers).
COMMENTABLE = WITH_DISTRICT | {RETURNED}
# Sent back, withdrawn or resent: a recommendation concerns the version it was made on and lapses.
RECOMMENDATION_DROPPED = frozenset({DRAFT, SUBMITTED, RETURNED, RESUBMITTED})


@dataclass(frozen=True)
class Transition(wf.Transition):
    """A move of the report; a new immutable version is frozen when it goes out to the district."""

    freezes_version: bool = False


def _t(source: str, target: str, action: str, rule: str, verb: str, label: str, **more: Any) -> Transition:
    return Transition(action=action, source=source, target=target, rule=rule, verb=verb, label=label, **more)


# --- Guards (the reason a move cannot be made now, or None) ---------------------------------------------


def _head(report: Report) -> dict[str, Any]:
    return {"head": report.school.reviewing_unit.head_label}


def head_approves(user: User, report: Report) -> str | None:
    """Accepting is the head's when the unit requires the head's final approval (a reviewer recommends)."""
    if report.school.reviewing_unit.requires_head_approval and not is_head_of(user, report):
        return gettext("Đơn vị yêu cầu %(head)s phê duyệt: chuyên viên đề nghị chấp nhận, %(head)s chấp nhận.") % _head(report)
    return None


def recommendation_needed(user: User, report: Report) -> str | None:
    """A reviewer recommends only where the head gives the final approval; elsewhere they accept."""
    if not report.school.reviewing_unit.requires_head_approval or is_head_of(user, report):
        return gettext("Bạn chấp nhận báo cáo trực tiếp, không cần đề nghị.")
    return None


def no_pending_unlock(user: User, report: Report) -> str | None:
    if UnlockRequest.objects.filter(report_id=report.pk, status=UnlockRequest.Status.PENDING).exists():
        return gettext("Đã có một đề nghị mở khóa đang chờ %(unit)s xử lý.") % {
            "unit": report.school.reviewing_unit.display_name}
    return None


# --- The report ----------------------------------------------------------------------------------------

_TABLE = (
    _t(DRAFT, SUBMITTED, SUBMIT, "report.submit", "submitted", _("Nộp báo cáo"), freezes_version=True),
    _t(RETURNED, RESUBMITTED, SUBMIT, "report.submit", "resubmitted", _("Nộp lại báo cáo"), freezes_version=True),
    _t(SUBMITTED, DRAFT, WITHDRAW, "report.withdraw", "withdrawn", _("Rút báo cáo đã nộp")),
    _t(RESUBMITTED, RETURNED, WITHDRAW, "report.withdraw", "withdrawn", _("Rút báo cáo đã nộp lại")),
    _t(SUBMITTED, IN_REVIEW, START_REVIEW, "report.review", "review_started", _("Bắt đầu thẩm định")),
    _t(RESUBMITTED, IN_REVIEW, START_REVIEW, "report.review", "review_started", _("Bắt đầu thẩm định lại")),
    _t(IN_REVIEW, RETURNED, RETURN, "report.return", "returned", _("Trả lại để chỉnh sửa")),
    _t(IN_REVIEW, ACCEPTED, ACCEPT, "report.accept", "accepted", _("Chấp nhận báo cáo"), guards=(head_approves,)),
    _t(ACCEPTED, FORWARDED, FORWARD, "report.forward", "forwarded", _("Chuyển Sở GD&ĐT")),
    _t(ACCEPTED, RETURNED, UNLOCK, "report.unlock", "unlocked", _("Mở khóa báo cáo")),
    _t(FORWARDED, RETURNED, UNLOCK, "report.unlock", "unlocked", _("Mở khóa báo cáo")),
    _t(FORWARDED, CLOSED, CLOSE, "report.close", "closed", _("Kết thúc sau đánh giá ngoài")),
)

# The moves that keep the status: each is one audited act on the report.
_STAYS = (
    _t(IN_REVIEW, IN_REVIEW, RECOMMEND, "report.accept", "recommended", _("Đề nghị chấp nhận báo cáo"),
       guards=(recommendation_needed,)),
    *(_t(status, status, REQUEST_UNLOCK, "report.request_unlock", "requested", _("Đề nghị mở khóa báo cáo"),
         guards=(no_pending_unlock,), audit_prefix="reviews.unlock") for status in (ACCEPTED, FORWARDED)),
    *(_t(status, status, COMMENT, "comment.add", "added", _("Góp ý"), audit_prefix="reviews.comment")
      for status in STATUSES if status in COMMENTABLE),
    *(_t(status, status, MARK_REVIEWED, "report.review", "reviewed", _("Đánh dấu đã xem xét tiêu chí"),
         audit_prefix="reviews.criterion") for status in STATUSES if status in WITH_DISTRICT),
    *(_t(status, status, ASSIGN, "report.assign", "created", _("Phân công thẩm định"), audit_prefix="reviews.assignment")
      for status in STATUSES if status != CLOSED),
)

# What each action is called when it cannot be made ("Không thể thực hiện “Chấp nhận báo cáo” ...").
ACTION_LABELS = {
    SUBMIT: _("Nộp báo cáo"),
    WITHDRAW: _("Rút báo cáo"),
    START_REVIEW: _("Bắt đầu thẩm định"),
    RETURN: _("Trả lại để chỉnh sửa"),
    ACCEPT: _("Chấp nhận báo cáo"),
    FORWARD: _("Chuyển Sở GD&ĐT"),
    UNLOCK: _("Mở khóa báo cáo"),
    CLOSE: _("Kết thúc sau đánh giá ngoài"),
    # A recommendation is the reviewer's acceptance: refused, it is named as the acceptance.
    RECOMMEND: _("Chấp nhận báo cáo"),
    REQUEST_UNLOCK: _("Đề nghị mở khóa báo cáo"),
    COMMENT: _("Góp ý"),
    MARK_REVIEWED: _("Đánh dấu đã xem xét tiêu chí"),
    ASSIGN: _("Phân công thẩm định"),
}

REFUSED = gettext_lazy("Không thể thực hiện “%(action)s”: báo cáo đang ở trạng thái “%(status)s”.")

REPORT_REVIEW = wf.register(wf.Workflow(
    "reviews.report", "selfassessment.Report", field="status", transitions=_TABLE + _STAYS,
    audit_prefix="reviews.report", action_labels=ACTION_LABELS, refused_message=REFUSED, tones=TONES, icons=ICONS,
    refused_messages={
        REQUEST_UNLOCK: gettext_lazy("Chỉ đề nghị mở khóa báo cáo đã được chấp nhận (hiện: “%(status)s”)."),
        COMMENT: gettext_lazy("Không thể góp ý khi báo cáo đang ở trạng thái “%(status)s”."),
        MARK_REVIEWED: gettext_lazy("Chỉ đánh dấu tiêu chí khi báo cáo đang thẩm định (hiện: “%(status)s”)."),
        ASSIGN: gettext_lazy("Hồ sơ đã đóng, không phân công được."),
    },
))

# The status-changing moves, as the periodic report (evaluations) reads them.
TRANSITIONS: dict[tuple[str, str], Transition] = {(t.source, t.target): t for t in _TABLE}
ACTIONS = frozenset(t.action for t in _TABLE)


def transition_for(action: str, source: str) -> Transition | None:
    """The status-changing move ``action`` makes from ``source``, or None when it is not allowed there."""
    if action not in ACTIONS:
        return None
    return REPORT_REVIEW.transition(action, source)  # type: ignore[return-value]


def targets_from(source: str) -> frozenset[str]:
    return frozenset(target for (src, target) in TRANSITIONS if src == source)


def actions_from(source: str) -> list[Transition]:
    """The status-changing moves available from ``source``, in table order."""
    return [t for t in REPORT_REVIEW.transitions if t.source == source and t.action in ACTIONS]  # type: ignore[misc]


def is_editable(status: str) -> bool:
    return status in EDITABLE


# --- Comment threads -----------------------------------------------------------------------------------

OPEN = CommentThread.Status.OPEN.value
RESOLVED = CommentThread.Status.RESOLVED.value

REPLY = "reply"
MARK_FIXED = "mark_fixed"
RESOLVE = "resolve"
REOPEN = "reopen"


def _unit(thread: CommentThread) -> dict[str, Any]:
    return {"unit": thread.report.school.reviewing_unit.display_name}


def report_not_closed(user: User, thread: CommentThread) -> str | None:
    return gettext("Hồ sơ đã đóng, không trao đổi thêm được.") if thread.report.status == CLOSED else None


def report_not_closed_short(user: User, thread: CommentThread) -> str | None:
    return gettext("Hồ sơ đã đóng.") if thread.report.status == CLOSED else None


def district_reopens_the_talk(user: User, thread: CommentThread) -> str | None:
    """A closed thread is answered by the district only; the school asks the reviewer to reopen it."""
    if not is_district_staff_of(user, thread.report):
        return gettext("%(unit)s đã đóng góp ý này; nếu cần trao đổi thêm, hãy đề nghị chuyên viên mở lại.") % _unit(thread)
    return None


def marked_fixed(user: User, thread: CommentThread) -> str | None:
    """An open thread is reopened only to clear the school's "Đã sửa" mark."""
    return None if thread.fixed_at is not None else gettext("Góp ý này đang mở.")


def _lock_thread(thread: CommentThread) -> CommentThread:
    """The thread under a row lock, its report locked first (every review write locks the report)."""
    report = REPORT_REVIEW.lock(thread.report)
    locked = CommentThread.objects.select_for_update().get(pk=thread.pk)
    locked.report = report
    if "version" in thread._state.fields_cache:
        locked.version = thread.version
    return locked


THREAD = wf.register(wf.Workflow(
    "reviews.thread", "reviews.CommentThread", field="status", audit_prefix="reviews.comment",
    transitions=(
        wf.Transition(REPLY, OPEN, OPEN, "comment.add", "added", _("Trả lời"), guards=(report_not_closed,)),
        wf.Transition(REPLY, RESOLVED, RESOLVED, "comment.add", "added", _("Trả lời"),
                      guards=(report_not_closed, district_reopens_the_talk)),
        wf.Transition(MARK_FIXED, OPEN, OPEN, "comment.mark_fixed", "fixed", _("Đã sửa"), guards=(report_not_closed,)),
        wf.Transition(RESOLVE, OPEN, RESOLVED, "comment.resolve", "resolved", _("Đã xử lý"),
                      guards=(report_not_closed_short,)),
        wf.Transition(REOPEN, RESOLVED, OPEN, "comment.resolve", "reopened", _("Mở lại"),
                      guards=(report_not_closed_short,)),
        wf.Transition(REOPEN, OPEN, OPEN, "comment.resolve", "reopened", _("Mở lại"),
                      guards=(report_not_closed_short, marked_fixed)),
    ),
    refused_messages={
        MARK_FIXED: lambda thread: gettext("%(unit)s đã đóng góp ý này.") % _unit(thread),
        RESOLVE: gettext_lazy("Góp ý này đã được đánh dấu đã xử lý."),
    },
    lock=_lock_thread, audit_target=lambda thread: thread.report, record_states=False,
    tones={OPEN: "warning", RESOLVED: "success"},
))


# --- Unlock requests -----------------------------------------------------------------------------------

PENDING = UnlockRequest.Status.PENDING.value
GRANTED = UnlockRequest.Status.GRANTED.value
REFUSED_REQUEST = UnlockRequest.Status.REFUSED.value

GRANT = "grant"
REFUSE = "refuse"


def report_can_unlock(user: User, request: UnlockRequest) -> str | None:
    """Granting reopens the report: the report's own move must be possible."""
    report = request.report
    if REPORT_REVIEW.transition(UNLOCK, report.status) is None:
        return str(REFUSED % {"action": gettext(ACTION_LABELS[UNLOCK]), "status": report.get_status_display()})
    return None


def _lock_request(request: UnlockRequest) -> UnlockRequest:
    report = REPORT_REVIEW.lock(request.report)
    locked = UnlockRequest.objects.select_for_update().get(pk=request.pk)
    locked.report = report
    return locked


UNLOCK_REQUEST = wf.register(wf.Workflow(
    "reviews.unlock", "reviews.UnlockRequest", field="status", audit_prefix="reviews.unlock",
    transitions=(
        wf.Transition(GRANT, PENDING, GRANTED, "report.unlock", "granted", _("Đồng ý mở khóa"),
                      guards=(report_can_unlock,)),
        wf.Transition(REFUSE, PENDING, REFUSED_REQUEST, "report.unlock", "refused", _("Không đồng ý mở khóa")),
    ),
    refused_message=gettext_lazy("Đề nghị mở khóa này đã được xử lý."),
    rule_object=lambda request: request.report, lock=_lock_request,
    audit_target=lambda request: request.report, record_states=False,
    tones={PENDING: "secondary", GRANTED: "success", REFUSED_REQUEST: "danger"},
))
