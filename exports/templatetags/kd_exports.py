"""Template helpers of the exports, for other apps' pages that link to them."""

from django import template

from kiemdinh.permissions import can
from selfassessment.tt57 import is_tt57

register = template.Library()


@register.filter
def may_export(user, report) -> bool:
    """``{% if user|may_export:report %}``: whether the export page of the report is open to the user."""
    return can(user, "report.export", report)


@register.filter
def may_build_dossier(user, evaluation_round) -> bool:
    return can(user, "dossier.build", evaluation_round)


@register.filter
def is_tt57_report(report) -> bool:
    """``{% if report|is_tt57_report %}``: the report is assessed under TT57/2026 (it has a Biểu 2)."""
    return is_tt57(report)
