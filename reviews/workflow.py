"""The review workflow of a self-assessment report, declared once (style.md item 4). No Django here.

draft → submitted → in review → returned → resubmitted → in review … → accepted → forwarded → closed.

Every status change of a ``selfassessment.Report`` goes through ``reviews.services`` and is looked
up in ``TRANSITIONS``; nothing else assigns ``Report.status``. The status values are the ones of
``selfassessment.models.Report.Status`` (a test keeps the two lists equal).
"""

from __future__ import annotations

from dataclasses import dataclass


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

# Actions (verbs) of the workflow.
SUBMIT = "submit"
WITHDRAW = "withdraw"
START_REVIEW = "start_review"
RETURN = "return"
ACCEPT = "accept"
FORWARD = "forward"
UNLOCK = "unlock"
CLOSE = "close"


@dataclass(frozen=True)
class Transition:
    """One allowed move: who may make it (a permission rule) and what it is called."""

    source: str
    target: str
    action: str
    rule: str
    # Audit action verb, e.g. "submitted" → "reviews.report.submitted".
    verb: str
    label: str
    # A new immutable version is frozen when the report goes out to the district.
    freezes_version: bool = False


_TABLE = (
    Transition(DRAFT, SUBMITTED, SUBMIT, "report.submit", "submitted", _("Nộp báo cáo"), freezes_version=True),
    Transition(RETURNED, RESUBMITTED, SUBMIT, "report.submit", "resubmitted", _("Nộp lại báo cáo"),
               freezes_version=True),
    Transition(SUBMITTED, DRAFT, WITHDRAW, "report.withdraw", "withdrawn", _("Rút báo cáo đã nộp")),
    Transition(RESUBMITTED, RETURNED, WITHDRAW, "report.withdraw", "withdrawn", _("Rút báo cáo đã nộp lại")),
    Transition(SUBMITTED, IN_REVIEW, START_REVIEW, "report.review", "review_started", _("Bắt đầu thẩm định")),
    Transition(RESUBMITTED, IN_REVIEW, START_REVIEW, "report.review", "review_started", _("Bắt đầu thẩm định lại")),
    Transition(IN_REVIEW, RETURNED, RETURN, "report.return", "returned", _("Trả lại để chỉnh sửa")),
    Transition(IN_REVIEW, ACCEPTED, ACCEPT, "report.accept", "accepted", _("Chấp nhận báo cáo")),
    Transition(ACCEPTED, FORWARDED, FORWARD, "report.forward", "forwarded", _("Chuyển Sở GD&ĐT")),
    Transition(ACCEPTED, RETURNED, UNLOCK, "report.unlock", "unlocked", _("Mở khóa báo cáo")),
    Transition(FORWARDED, RETURNED, UNLOCK, "report.unlock", "unlocked", _("Mở khóa báo cáo")),
    Transition(FORWARDED, CLOSED, CLOSE, "report.close", "closed", _("Kết thúc sau đánh giá ngoài")),
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
}

TRANSITIONS: dict[tuple[str, str], Transition] = {(t.source, t.target): t for t in _TABLE}
ACTIONS = frozenset(t.action for t in _TABLE)

# Each action leads to at most one target from a given status, so (action, source) is a key too.
_BY_ACTION: dict[tuple[str, str], Transition] = {}
for _t in _TABLE:
    if (_t.action, _t.source) in _BY_ACTION:  # pragma: no cover - a table error, caught at import
        raise ValueError(f"two transitions for {_t.action} from {_t.source}")
    _BY_ACTION[(_t.action, _t.source)] = _t


def transition_for(action: str, source: str) -> Transition | None:
    """The transition ``action`` makes from ``source``, or None when it is not allowed there."""
    return _BY_ACTION.get((action, source))


def targets_from(source: str) -> frozenset[str]:
    return frozenset(target for (src, target) in TRANSITIONS if src == source)


def actions_from(source: str) -> list[Transition]:
    """The transitions available from ``source``, in table order."""
    return [t for t in _TABLE if t.source == source]


def is_editable(status: str) -> bool:
    return status in EDITABLE
