"""Template helpers for pages that show texts citing evidence (report editor, review pages).

    {% load evidence_tags %}
    {{ passage.text|link_citations:evidence_by_code }}

turns each cited code into a link to its item (title: the item's name); a code the library does
not have, or has archived, is marked so the reader notices. Everything else is escaped as usual.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..codes import iter_citations
from ..selectors import search_url
from ..services import scheme_for_regulation

register = template.Library()


@register.filter
def link_citations(text, by_code):
    """``text`` escaped, with cited codes linked through ``by_code`` (``selectors.evidence_by_code``)."""
    if not text:
        return ""
    text = str(text)
    by_code = by_code if isinstance(by_code, dict) else {}
    pieces: list[str] = []
    last = 0
    for citation in iter_citations(text):
        pieces.append(conditional_escape(text[last : citation.start]))
        original = text[citation.start : citation.end]
        item = by_code.get(citation.code)
        if item is None:
            pieces.append(format_html(
                '<span class="evidence-cite-missing text-danger" title="{}">{}</span>',
                _("Không có mã này trong thư viện minh chứng"), original,
            ))
        elif item.is_archived:
            pieces.append(format_html(
                '<span class="evidence-cite-archived text-warning-emphasis" title="{}">{}</span>',
                _("Minh chứng đã lưu trữ: %(name)s") % {"name": item.name}, original,
            ))
        else:
            pieces.append(format_html(
                '<a class="evidence-cite-link" href="{}" title="{}">{}</a>',
                reverse("evidence:evidence_detail", kwargs={"pk": item.pk}), item.name, original,
            ))
        last = citation.end
    pieces.append(conditional_escape(text[last:]))
    html = "".join(str(p) for p in pieces)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703  # every piece is escaped above


@register.simple_tag
def cite_attrs(report):
    """The citation helper's attributes for a textarea of ``report``: its search URL and citation form.

    ``{% cite_attrs report %}`` on a ``<textarea>``: a TT57 report searches only the items coded
    under its regulation and cites ``(MC.1.1.01, MC.1.1.02)``; a 2018 report ``[H1-1.1-01; ...]``.
    """
    regulation = report.regulation_version.regulation
    scheme = scheme_for_regulation(regulation)
    style = "round" if scheme.style.open == "(" else "square"
    return format_html(
        'data-evidence-search-url="{}" data-evidence-cite-style="{}"',
        search_url(report.school_id, regulation.pk), style,
    )
