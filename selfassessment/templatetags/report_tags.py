"""Template helpers of the self-assessment pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kiemdinh.permissions import can
from standards.engine.family2026 import NAME as FAMILY_2026
from standards.explain import family_labels, level_words

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


def level_label(level, family: str = "") -> str:
    """The name of a computed level: the rule family's own words for a TT57 (family "2026") report
    ("Không đạt", "Mức 1", "Mức 2"), today's wording otherwise ("Chưa đạt", "Mức n"); "" when unknown."""
    if level is None or level == "":
        return ""
    level = int(level)
    if family == FAMILY_2026:
        labels = family_labels(family)
        name = dict(labels.criterion_levels).get(level) or dict(labels.school_levels).get(level)
        if name:
            return name
    return level_words(level, zero=_("Chưa đạt"))


def report_family(report) -> str:
    """The rule family of a report's regulation ("2018", "2026", "legacy")."""
    return report.regulation_version.regulation.family if report is not None else ""


def _badge(level, size: str, family: str = ""):
    large = " fs-6" if size == "lg" else ""
    if level is None or level == "":
        return format_html('<span class="badge text-bg-light border level-badge{}" title="{}">—</span>', large,
                           _("Chưa xác định"))
    return format_html('<span class="badge level-badge level-{} text-dark{}">{}</span>', int(level), large,
                       level_label(level, family))


@register.filter
def level_badge(level, size: str = ""):
    """A computed level as a badge ("Mức 2", "Chưa đạt", "—"); ``size`` "lg" for the large one.

    A filter rather than an included template: the outline shows one per criterion on every page.
    """
    return _badge(level, size)


@register.simple_tag
def report_level_badge(level, report, size: str = ""):
    """``{% report_level_badge level report "lg" %}``: the badge in the words of the report's rule family
    (a TT57 report's level 0 is "Không đạt")."""
    return _badge(level, size, report_family(report))


@register.filter
def verdict_badge(met):
    """A verdict shown read-only: Đạt / Không đạt / Chưa đánh giá."""
    if met is True:
        return format_html('<span class="badge text-bg-success">{}</span>', _("Đạt"))
    if met is False:
        return format_html('<span class="badge text-bg-danger">{}</span>', _("Không đạt"))
    return format_html('<span class="badge text-bg-light border">{}</span>', _("Chưa đánh giá"))
