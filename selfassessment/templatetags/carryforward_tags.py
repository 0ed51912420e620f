"""The “Bắt đầu báo cáo … theo Thông tư 57” button, for the principal of a school that has an earlier report.

    {% load carryforward_tags %}{% carry_forward_offers %}            (every school the user leads)
    {% carry_forward_offers school=report.school %}                   (one school)
"""

from __future__ import annotations

from django import template

from kiemdinh.permissions import can

from ..carryforward import carry_forward_offer, offers_for

register = template.Library()


@register.inclusion_tag("selfassessment/carryforward/_offer.html", takes_context=True)
def carry_forward_offers(context, school=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"offers": []}
    if school is None:
        offers = offers_for(user)
    else:
        offer = carry_forward_offer(school) if can(user, "report.carry_forward", school) else None
        offers = [offer] if offer is not None else []
    return {"offers": offers, "csrf_token": context.get("csrf_token")}
