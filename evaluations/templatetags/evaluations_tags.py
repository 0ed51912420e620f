"""Small display helpers of the evaluations pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations import certification
from evaluations.selectors.certificates import validity_css, validity_label
from evaluations.selectors.deadlines import STATUS_LABELS, status_css
from kiemdinh.states import states_for
from selfassessment.models import ImprovementAction

register = template.Library()


@register.filter
def days_phrase(days: int | None) -> str:
    """"còn 5 ngày", "hôm nay", "quá hạn 3 ngày" for a number of days until a date."""
    if days is None:
        return ""
    if days > 0:
        return ngettext("còn %(n)s ngày", "còn %(n)s ngày", days) % {"n": days}
    if days == 0:
        return _("hạn cuối hôm nay")
    return ngettext("quá hạn %(n)s ngày", "quá hạn %(n)s ngày", -days) % {"n": -days}


@register.simple_tag
def validity_badge(state: str | None) -> str:
    """A coloured badge for a certificate's validity state."""
    if state in (certification.VALID, certification.EXPIRING, certification.EXPIRED):
        return format_html('<span class="badge {}">{}</span>', validity_css(state), validity_label(state))
    return format_html('<span class="badge text-bg-light border">{}</span>', _("Chưa được công nhận"))


@register.simple_tag
def status_badge(status: str, label: str) -> str:
    """A coloured badge for a school's on-time / late / missing / pending status."""
    return format_html('<span class="badge {}">{}</span>', status_css(status), label)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def validity_state_of(certificate, today):
    """The certificate's validity state on ``today`` (valid / expiring / expired)."""
    return certificate.validity_state(today) if certificate is not None else None


@register.simple_tag
def periodic_timing_badge(status: str) -> str:
    """On time / late / missing / pending of a school's periodic report, as a badge."""
    label = STATUS_LABELS[status]() if status in STATUS_LABELS else status
    return status_badge(status, label)


@register.simple_tag
def action_status_badge(status: str, label: str) -> str:
    """An improvement action's status as frozen in a periodic report (its value and the label it had then),
    as a badge of the tone the action's workflow declares."""
    return states_for(ImprovementAction).of_value(status, label or "—").badge()


@register.filter
def form_field(form, name: str):
    """The bound field ``name`` of a form whose field names are built at run time."""
    return form[name]
