"""Template helpers of the district review: status badges, level colours, the review panel."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from standards.explain import level_words

from .. import selectors, workflow

register = template.Library()

# A report's statuses look as the review workflow declares them (``workflow.TONES``, ``workflow.ICONS``);
# these filters take a bare status (an event's from/to, a dashboard row); blank or unknown: a light "–".
_REPORT_STATES = workflow.REPORT_REVIEW.states


def _state(status: str):
    return _REPORT_STATES.of_value(status) if _REPORT_STATES and status in _REPORT_STATES.values else None


@register.filter
def status_css(status: str) -> str:
    state = _state(status)
    return state.css if state else "text-bg-light"


@register.filter
def status_icon(status: str) -> str:
    state = _state(status)
    return state.icon if state else "circle"


@register.filter
def status_label(status: str) -> str:
    state = _state(status)
    return state.label if state else status


@register.filter
def awaits_approval(report) -> bool:
    """``{% if report|awaits_approval %}``: a reviewer's acceptance waits for the head (``selectors.awaits_approval``)."""
    return selectors.awaits_approval(report)


@register.filter
def level_css(level) -> str:
    """CSS class of a level cell (``.level-0`` … ``.level-4`` in app.css); blank when unknown."""
    if level is None or level == "":
        return "level-none"
    try:
        return f"level-{max(0, min(4, int(level)))}"
    except (TypeError, ValueError):
        return "level-none"


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def contains(collection, item) -> bool:
    return item in collection if collection is not None else False


@register.filter
def diff_html(value: str):
    """Mark the output of reviews.diff safe: it is escaped text with only <del>/<ins> marks added."""
    return mark_safe(value)  # noqa: S308  # nosec B308 B703  # reviews.diff escapes the texts before adding the marks


@register.inclusion_tag("reviews/partials/_review_panel.html", takes_context=True)
def review_panel(context, report):
    """The review status of a report with its next action, for the report pages of the school.

    Usage: ``{% load reviews_tags %}{% review_panel report %}`` (a few queries; one per page).
    """
    from ..models import CommentThread, ReportVersion

    user = context["request"].user
    latest = ReportVersion.objects.filter(report=report).order_by("-number").defer("content").first()
    return {
        "report": report,
        "latest": latest,
        "open_threads": CommentThread.objects.filter(report=report, status=CommentThread.Status.OPEN).count(),
        "acts": workflow.REPORT_REVIEW.actions_for(user, report),
        "request": context["request"],
    }


@register.inclusion_tag("reviews/partials/_submission_gate.html")
def submission_gate(report):
    """The sections the reviewing unit requires before a submission, and those still incomplete.

    Usage: ``{% load reviews_tags %}{% submission_gate report %}`` where the principal may submit.
    """
    from .. import gates

    required = gates.required_sections(report.school.reviewing_unit)
    return {
        "report": report, "missing": gates.missing_sections(report, required),
        "required": [str(gates.SECTIONS[key]) for key in required],
    }


@register.simple_tag(takes_context=True)
def thread_actions(context, thread, report=None):
    """The thread's workflow actions for the user (``kiemdinh.workflow.actions_for``); the forms follow them.

    Usage: ``{% thread_actions thread report as tacts %}`` then ``tacts.reply.allowed``,
    ``tacts.mark_fixed.allowed``, ``tacts.resolve.allowed``, ``tacts.reopen.allowed``.
    ``report`` (the page's, already loaded) spares a query per thread.
    """
    if report is not None and thread.report_id == report.pk:
        thread.report = report
    return workflow.THREAD.actions_for(context["request"].user, thread)


@register.inclusion_tag("reviews/partials/_criterion_threads.html", takes_context=True)
def criterion_threads(context, report, criterion):
    """The open comment threads on one criterion (and its passages), for the criterion editor.

    Usage: ``{% load reviews_tags %}{% criterion_threads report criterion %}``.
    """
    from ..models import CommentThread
    from ..selectors import _threads

    threads = list(
        _threads(CommentThread.objects.filter(report=report, criterion=criterion, status=CommentThread.Status.OPEN))
    )
    return {"report": report, "threads": threads, "request": context["request"]}


@register.inclusion_tag("reviews/partials/_criterion_threads.html", takes_context=True)
def standard_threads(context, report, standard):
    """The open comment threads on one standard (TT57: the whole standard and its general assessment's
    passages), for the standard's page of the editor.

    Usage: ``{% load reviews_tags %}{% standard_threads report standard %}``.
    """
    from django.db.models import Q

    from ..models import CommentThread
    from ..selectors import _threads

    threads = list(_threads(CommentThread.objects.filter(
        Q(standard=standard) | Q(passage_key__startswith=f"standard:{standard.number}:"),
        report=report, status=CommentThread.Status.OPEN,
    )))
    return {"report": report, "threads": threads, "request": context["request"]}


@register.inclusion_tag("reviews/partials/_criterion_threads.html", takes_context=True)
def all_standard_threads(context, report):
    """The open comment threads on the report's standards (TT57: a whole standard or its general
    assessment), for Biểu 2's page, whose priority issues are chosen per standard.

    Usage: ``{% load reviews_tags %}{% all_standard_threads report %}``.
    """
    from django.db.models import Q

    from ..models import CommentThread
    from ..selectors import _threads

    threads = list(_threads(CommentThread.objects.filter(
        Q(standard__isnull=False) | Q(passage_key__startswith="standard:"),
        report=report, status=CommentThread.Status.OPEN,
    )).order_by("created_at", "pk"))
    return {"report": report, "threads": threads, "request": context["request"]}


@register.filter
def iso_date(value) -> str:
    """A snapshot's ISO date ("2024-09-15") as the Vietnamese write it (15/09/2024)."""
    import datetime

    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


@register.filter
def highlight_quotes(text: str, threads) -> str:
    """The passage escaped, with each thread's quoted excerpt marked where it occurs verbatim."""
    from django.utils.html import escape

    text = text or ""
    quotes = sorted({t.quote for t in threads or () if t.quote and t.quote in text}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        start = text.find(quote)
        while start != -1 and any(start < end and start + len(quote) > begin for begin, end in spans):
            start = text.find(quote, start + 1)
        if start != -1:
            spans.append((start, start + len(quote)))
    pieces, position = [], 0
    for begin, end in sorted(spans):
        pieces.append(escape(text[position:begin]))
        pieces.append('<mark class="review-mark">' + escape(text[begin:end]) + "</mark>")
        position = end
    pieces.append(escape(text[position:]))
    html = "".join(pieces)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703  # every piece of the text is escaped above


@register.filter
def days_waiting(moment) -> str:
    """How long a submission has waited, in days ("hôm nay", "chờ 3 ngày")."""
    from django.utils import timezone
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if not moment:
        return ""
    days = (timezone.localdate() - timezone.localdate(moment)).days
    if days <= 0:
        return _("nộp hôm nay")
    return ngettext("chờ %(n)s ngày", "chờ %(n)s ngày", days) % {"n": days}


def _level_text(level) -> str:
    return "—" if level is None else level_words(level)


@register.filter
def status_badge(status: str):
    """The status as a badge (rendered in Python: list pages show hundreds of them)."""
    state = _state(status)
    if state is not None:
        return state.badge()
    return format_html('<span class="badge text-bg-light"><i class="bi bi-circle"></i> {}</span>', status)


# A compared section's state (``reviews.diff.compare_sections``): its badge's colour and words.
_SECTION_DIFF = {
    "added": ("text-bg-success", gettext_lazy("mục mới")),
    "removed": ("text-bg-danger", gettext_lazy("đã bỏ")),
    "changed": ("text-bg-info", gettext_lazy("có thay đổi")),
    "same": ("text-bg-light", gettext_lazy("không đổi")),
}


@register.filter
def section_diff_badge(section):
    """A compared section as a badge: new, dropped, changed or unchanged."""
    css, words = _SECTION_DIFF.get(section.status, _SECTION_DIFF["same"])
    return format_html('<span class="badge {}">{}</span>', css, words)


@register.filter
def level_badge(level):
    return format_html('<span class="badge {} text-dark">{}</span>', level_css(level), _level_text(level))


@register.filter
def heatmap_cells(levels):
    """One heatmap row's cells (a thousand schools × thirty criteria is too many template nodes).

    Built as plain strings for speed: every piece is either a constant of this module or an int.
    """
    cells = []
    for level in levels:
        if level is None:
            cells.append('<td class="cell level-none"></td>')
        else:
            value = int(level)
            cells.append(f'<td class="cell level-{max(0, min(4, value))}">{value}</td>')
    html = "".join(cells)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703  # constants and integers only
