"""Template helpers of the self-assessment pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kiemdinh.permissions import can

register = template.Library()


@register.filter
def verdict_code(met) -> str:
    """True/False/None as the verdict forms name them: "dat", "khong_dat", ""."""
    return {True: "dat", False: "khong_dat"}.get(met, "")


@register.simple_tag
def report_can(user, name, obj=None) -> bool:
    """``{% report_can user "report.create" school as allowed %}``: ask the permission registry."""
    return can(user, name, obj)


@register.filter
def percent(part, total) -> int:
    try:
        return round(100 * int(part) / int(total)) if int(total) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def level_badge(level, size: str = ""):
    """A computed level as a badge ("Mức 2", "Chưa đạt", "—"); ``size`` "lg" for the large one.

    A filter rather than an included template: the outline shows one per criterion on every page.
    """
    large = " fs-6" if size == "lg" else ""
    if level is None or level == "":
        return format_html('<span class="badge text-bg-light border level-badge{}" title="{}">—</span>', large,
                           _("Chưa xác định"))
    label = _("Chưa đạt") if int(level) == 0 else _("Mức %(n)s") % {"n": level}
    return format_html('<span class="badge level-badge level-{} text-dark{}">{}</span>', int(level), large, label)


@register.filter
def verdict_badge(met):
    """A verdict shown read-only: Đạt / Không đạt / Chưa đánh giá."""
    if met is True:
        return format_html('<span class="badge text-bg-success">{}</span>', _("Đạt"))
    if met is False:
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Không đạt"))
    return format_html('<span class="badge text-bg-light border">{}</span>', _("Chưa đánh giá"))
