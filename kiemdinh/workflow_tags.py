"""Template side of the workflow layer (``{% load workflow %}``, registered in settings.TEMPLATES).

``{% actions_for obj as acts %}`` then ``{% if acts.submit.allowed %}`` / ``{{ acts.submit.reason }}``:
templates ask the workflow, never compare statuses themselves. ``{% state_badge obj %}`` shows a status
as declared once (``kiemdinh.states``), ``{% state_of obj as st %}`` gives its label, tone and
``st.is_<status>`` for a banner.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from kiemdinh import states, workflow

register = template.Library()


@register.simple_tag(takes_context=True)
def actions_for(context: Context, obj: Any, name: str | None = None) -> workflow.Actions:
    """Every action of ``obj``'s workflow for the request's user (``name`` picks the workflow)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return workflow.actions_for(user, obj, name)


@register.filter
def action_allowed(acts: workflow.Actions, action: str) -> bool:
    """``acts|action_allowed:"submit"``: whether the action is allowed now."""
    return bool(acts[action].allowed)


@register.simple_tag
def state_badge(obj: Any, field: str = "status", note: Any = "", classes: str = "") -> SafeString:
    """``{% state_badge obj %}``: ``obj``'s status as a badge of its declared tone (``note`` is added
    inside, ``classes`` to its class); built in Python, list pages show hundreds."""
    return states.state_of(obj, field).badge(note=note, classes=classes)


@register.simple_tag
def state_of(obj: Any, field: str = "status") -> states.State | None:
    """``{% state_of obj as st %}``: ``st.label``, ``st.tone``, ``st.is_returned`` (an unknown status is an error);
    None when there is no object (a periodic report not opened yet)."""
    return states.state_of(obj, field) if obj is not None else None
