"""What the reports do when the evidence library changes (signals of evidence.signals)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext as _

from evidence import codes
from evidence.signals import evidence_codes_changed, evidence_usage

from .models import Passage


@receiver(evidence_codes_changed, dispatch_uid="selfassessment.rewrite_citations")
def rewrite_citations(sender, school, mapping, by=None, **kwargs) -> int:
    """Renumbered codes are rewritten in the editable reports' texts, in the same transaction."""
    from .services import passages_rewrite_citations

    return passages_rewrite_citations(school=school, mapping=mapping, by=by)


@receiver(evidence_usage, dispatch_uid="selfassessment.evidence_usage")
def evidence_cited_in(sender, evidence, **kwargs) -> list[str]:
    """Where an item is cited in the school's reports (any status: a submitted report still needs it)."""
    places: list[str] = []
    seen: set[tuple[int, str]] = set()
    candidates = (
        Passage.objects.filter(report__school_id=evidence.school_id, text__contains=evidence.code)
        .select_related("report__school_year", "criterion")
        .order_by("report_id", "position")
    )
    for passage in candidates:
        if evidence.code not in codes.find_citations(passage.text):
            continue
        where = passage.criterion.number if passage.criterion_id else ""
        if (passage.report_id, where) in seen:
            continue
        seen.add((passage.report_id, where))
        if where:
            places.append(_("Báo cáo năm học %(year)s, tiêu chí %(c)s") % {"year": passage.report.school_year.code, "c": where})
        else:
            places.append(_("Báo cáo năm học %(year)s") % {"year": passage.report.school_year.code})
    return places
