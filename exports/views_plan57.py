"""Download of a TT57 report's Biểu 2 (Kế hoạch cải tiến chất lượng), PDF or Word.

The same audience and the same choice of content as the report's own download (``views._report``,
``views._source``: ``report.export``; ``?version=N``, ``?draft=1`` for the school's writers, else
the latest version): a version prints the plan frozen with it, the draft the live plan.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from selfassessment.tt57 import is_tt57

from . import views
from .exporters.plan57 import FORMATS, ImprovementPlan57Exporter, plan_document


@login_required
@require_GET
def plan57_download(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    report = views._report(request, pk)
    if not is_tt57(report):
        raise Http404(_("Báo cáo này không theo Thông tư 57/2026 nên không có Biểu 2."))
    source = views._source(request, report)
    plan = plan_document(report, source)
    if plan is None:
        raise Http404(_("Báo cáo chưa có kế hoạch cải tiến chất lượng (Biểu 2) trong bản được chọn."))
    exporter = ImprovementPlan57Exporter(plan, source.data, source.stamp, fmt)
    return views._send_report_export(request, report, source, exporter, _("kế hoạch cải tiến chất lượng (Biểu 2)"),
                                     fmt)
