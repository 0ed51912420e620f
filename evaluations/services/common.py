"""Errors and the concurrent-edit guard shared by the services."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from audit.services import event_record
from kiemdinh.i18n import Text

if TYPE_CHECKING:
    from audit.models import Event
    from kiemdinh.i18n import Text
    from schools.models import School, User

_M = TypeVar("_M", bound=Model)


class EvaluationsError(Exception):
    """A business rule refused the write; the message is for the user."""


class ConcurrentEditError(EvaluationsError):
    """Someone saved the row after the form was opened; nothing was written."""

    def __init__(self) -> None:
        super().__init__(_(
            "Dữ liệu vừa được người khác cập nhật sau khi bạn mở trang. Nội dung bạn nhập chưa được lưu; "
            "hãy tải lại trang để xem bản mới nhất rồi nhập lại."
        ))


def _locked(model: type[_M], pk: int, revision: int | None) -> _M:
    """The row locked for update, after checking it is still at ``revision``."""
    current = model._default_manager.select_for_update().get(pk=pk)
    if revision is not None and cast(Any, current).revision != revision:
        raise ConcurrentEditError()
    return current


def _bump(obj: Any) -> None:
    obj.revision = (obj.revision or 0) + 1


def _event(action: str, *, by: User | None, target: Model, school: School | None = None, from_state: str = "",
           to_state: str = "", summary: str | Text = "", data: dict[str, Any] | None = None) -> Event:
    """Append an audit event (app audit) in the caller's transaction; returns it. A ``Text`` summary
    is kept as its code and parameters (worded in each reader's language)."""
    return event_record(actor=by, action=f"evaluations.{action}", target=target, school=school,
                        from_state=from_state, to_state=to_state,
                        summary=summary if isinstance(summary, Text) else str(summary), data=data)


def _fmt(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _validation_message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)
