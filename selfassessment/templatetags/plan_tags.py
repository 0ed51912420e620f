"""Template helpers of the improvement-plan tracking: badges, and the summaries other apps' pages show
(the school's start page, the district dashboard) without their views having to know about plans."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..tracking import flags, selectors

register = template.Library()


@register.simple_tag
def flag_badge(flag, due_on=None, days_late=0):
    """``{% flag_badge tracked.flag action.due_on tracked.days_late %}``: overdue (by how many days), due soon."""
    if flag == flags.OVERDUE:
        text = (ngettext("Quá hạn %(n)s ngày", "Quá hạn %(n)s ngày", days_late) % {"n": days_late}
                if days_late else _("Quá hạn"))
        return format_html('<span class="badge text-bg-danger">{}</span>', text)
    if flag == flags.DUE_SOON:
        today = timezone.localdate()
        left = (due_on - today).days if due_on else None
        if left == 0:
            text = _("Đến hạn hôm nay")
        elif left:
            text = ngettext("Còn %(n)s ngày", "Còn %(n)s ngày", left) % {"n": left}
        else:
            text = _("Sắp đến hạn")
        return format_html('<span class="badge text-bg-warning">{}</span>', text)
    if flag == flags.ON_TRACK and due_on is None:
        return format_html('<span class="badge text-bg-light border">{}</span>', _("Chưa đặt hạn"))
    return ""


@register.simple_tag
def school_plan_summary(school):
    """``{% school_plan_summary school as plan %}``: the school's current plan (2018 plan or TT57 Biểu 2) and its counts."""
    return selectors.school_plan_card(school, timezone.localdate())


@register.simple_tag
def unit_plan_summary(unit):
    """``{% unit_plan_summary unit as plans %}``: overdue actions and late schools of a reviewing unit."""
    return selectors.unit_overdue_summary(unit, timezone.localdate())
