"""Template side of the workflow layer (``{% load workflow %}``, registered in settings.TEMPLATES).

``{% actions_for obj as acts %}`` then ``{% if acts.submit.allowed %}`` / ``{{ acts.submit.reason }}``:
templates ask the workflow, never compare statuses themselves.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.context import Context

from kiemdinh import workflow

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
