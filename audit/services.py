"""Write an audit event. Called by other apps' services inside their transactions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import translation

from kiemdinh.i18n import Text

from .models import Event

if TYPE_CHECKING:  # for the type only: audit sits below the schools app
    from schools.models import School


def event_record(
    *,
    actor: Any,
    action: str,
    target: Model,
    school: School | None = None,
    from_state: str = "",
    to_state: str = "",
    summary: str | Text = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event about ``target`` (any model instance); ``action`` is "<app>.<entity>.<verb>".

    ``summary`` is a plain text (kept as written) or a ``Text``: then its code and parameters are
    stored and each reader sees it in their language (``Event.text``); ``summary`` keeps the
    Vietnamese wording for search.
    """
    if action.count(".") < 2:
        raise ValueError(f"Audit action {action!r} must be namespaced as app.entity.verb")
    return Event.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=target.pk,
        school=school,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        summary=_vietnamese(summary)[:500],
        wording=summary.as_data() if isinstance(summary, Text) else {},
        data=data or {},
    )


def _vietnamese(summary: object) -> str:
    with translation.override("vi"):
        return str(summary or "")
