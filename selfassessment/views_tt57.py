"""Pages of a TT57/2026 report (Biểu 1 of Phụ lục V): Phần I Tổng quan, a criterion, a standard's
assessment, Phần III Kết luận and Phần IV (the three-year data form).

Same shape as ``views``: scoped lookup (another school's report is a 404), permission from the
registry (403), form, service, message. Texts and verdicts are posted to the ordinary
``passage_save`` / ``indicator_verdict_set`` views, so autosave, conflicts and history are shared.
"""

from __future__ import annotations

import re

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiemdinh.dates import BoundedDateField
from kiemdinh.permissions import can, require
from standards.explain import quantitative_transition_note
from standards.models import Standard

from . import forms, levels, selectors, tt57, tt57_services
from .models import Passage, Report
from .selectors import standard_key
from .tt57_dataform import HEADER_FIELDS
from .views import _editor_context, _passage_form_item, _report


def _tt57_report(request, pk: int) -> Report:
    """The report (scoped: 404; readable: 403) if it is a TT57 report, else 404."""
    report = _report(request, pk)
    if not tt57.is_tt57(report):
        raise Http404
    return report


def _verification(report: Report) -> dict:
    regulation = report.regulation_version.regulation
    return {"verified": regulation.is_verified, "status": regulation.get_verification_status_display(),
            "note": regulation.verification_note}


def _context(request, report: Report, *, section: str, **extra) -> dict:
    return _editor_context(request, report, section=section, verification=_verification(report), **extra)


def _passages(report: Report, keys: list[str]) -> dict[str, Passage]:
    found = {}
    for p in Passage.objects.filter(report=report, key__in=keys).select_related("updated_by"):
        p.report = report
        found[p.key] = p
    return found


# --- Phần I -----------------------------------------------------------------------------------


@login_required
@require_GET
def overview(request, pk: int):
    """Phần I. Tổng quan: general information (prefilled from the school), context, purpose, process."""
    report = _tt57_report(request, pk)
    keys = [tt57.overview_key(k) for k, _l, _h in tt57.OVERVIEW_PARTS]
    passages = _passages(report, keys)
    editable = can(request.user, "report.edit", report)
    items = [
        _passage_form_item(request, report, passages.get(tt57.overview_key(k)), label=str(label), editable=editable,
                           rows=7 if k == "general" else 4, help_text=str(help_text))
        for k, label, help_text in tt57.OVERVIEW_PARTS
    ]
    return render(request, "selfassessment/tt57/overview.html", _context(
        request, report, section="tt57_overview", items=[i for i in items if i],
    ))


# --- Phần II ----------------------------------------------------------------------------------


class HintForm(django_forms.Form):
    index = django_forms.IntegerField(min_value=0, max_value=100)
    covered = django_forms.BooleanField(required=False)


@login_required
@require_GET
def criterion(request, pk: int, criterion_pk: int):
    """One criterion: Mức 1 and Mức 2 texts, the current state and Đạt / Không đạt per level, the
    computed level with its reasons, and beside them what the Thông tư asks for (evidence hints,
    quantitative indicators over three years)."""
    report = _tt57_report(request, pk)
    outline = selectors.report_outline(report)
    assessment = selectors.outline_assessment(outline, criterion_pk)
    if assessment is None:
        raise Http404
    assessment.report = report
    # The outline defers the catalog's source; this page reads the TT57 fields, loaded with it.
    assessment.criterion.refresh_from_db(fields=["evidence_hints", "quantitative_indicators", "quantitative_data",
                                                 "mandatory", "title"])
    years = tt57_services.form_years(report)
    page = tt57.criterion_page(report, assessment, quant_values=tt57_services.quant_values(report), years=years)
    editable = can(request.user, "criterion.edit", assessment)
    known = page.cited
    for entry in page.levels:
        entry.form_item = _passage_form_item(
            request, report, entry.passage, label=_("Mô tả hiện trạng Mức %(l)s") % {"l": entry.level},
            editable=editable, rows=5,
            help_text=_("Hiện trạng, kết quả đạt được đến thời điểm đánh giá, kèm mã minh chứng trong ngoặc đơn, "
                        "ví dụ: … theo quy định (MC.1.1.01, MC.1.1.02)."),
        )
        if entry.form_item:
            entry.form_item["warnings"] = selectors.citation_warnings(entry.passage, known=known,
                                                                      criterion=assessment.criterion)
    previous, following = selectors.neighbours(outline, assessment)
    return render(request, "selfassessment/tt57/criterion.html", _context(
        request, report, section="criterion", outline=outline,
        page=page, assessment=assessment, criterion=assessment.criterion, editable=editable,
        explanation=levels.criterion_explanation(assessment),
        transition_note=quantitative_transition_note(report.regulation_version.regulation, report.regulation_date),
        previous_criterion=previous, next_criterion=following,
    ))


@login_required
@require_POST
def hint_set(request, pk: int, criterion_pk: int):
    report = _tt57_report(request, pk)
    assessment = selectors.criterion_in_report(report, criterion_pk)
    if assessment is None:
        raise Http404
    assessment.report = report
    require(request.user, "criterion.edit", assessment)
    form = HintForm(request.POST)
    back = reverse("selfassessment:tt57_criterion", kwargs={"pk": report.pk, "criterion_pk": criterion_pk}) + "#hints"
    if not form.is_valid():
        messages.error(request, _("Dữ liệu gửi lên không hợp lệ; hãy tải lại trang."))
        return redirect(back)
    assessment.criterion.refresh_from_db(fields=["evidence_hints"])
    try:
        tt57_services.hint_set(report=report, criterion=assessment.criterion, index=form.cleaned_data["index"],
                               covered=form.cleaned_data["covered"], by=request.user)
    except tt57_services.ReportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lưu đánh dấu minh chứng gợi ý."))
    return redirect(back)


@login_required
@require_GET
def standard(request, pk: int, standard_pk: int):
    """Đánh giá chung về Tiêu chuẩn n: strengths, weaknesses and their causes, directions, summary table."""
    report = _tt57_report(request, pk)
    standard = get_object_or_404(Standard, pk=standard_pk, version=report.regulation_version)
    passages = _passages(report, [standard_key(standard.number, part) for part, _l in tt57.STANDARD_PARTS])
    editable = can(request.user, "report.edit", report)
    items = [
        _passage_form_item(request, report, passages.get(standard_key(standard.number, part)), label=str(label),
                           editable=editable, rows=5)
        for part, label in tt57.STANDARD_PARTS
    ]
    rows = [r for r in tt57.summary(report) if r.standard.pk == standard.pk]
    return render(request, "selfassessment/tt57/standard.html", _context(
        request, report, section="standard", standard=standard, items=[i for i in items if i],
        summary_row=rows[0] if rows else None, summary_rows=rows,
    ))


# --- Phần III ---------------------------------------------------------------------------------


class ApprovalForm(django_forms.Form):
    # Lazy: a class attribute is built once, at import, in no reader's language.
    approved_on = BoundedDateField(label=gettext_lazy("Ngày Hội đồng phê duyệt báo cáo"), required=False,
                                   widget=forms.DATE)
    # The date the page showed (ISO, or empty): a date saved by someone else since is not overwritten.
    expected = django_forms.CharField(widget=django_forms.HiddenInput, required=False, max_length=10)


@login_required
@require_GET
def conclusion(request, pk: int):
    """Phần III. Kết luận: general statement, the two summary tables, the computed level, proposals."""
    report = _tt57_report(request, pk)
    keys = ["conclusion", *(tt57.proposal_key(k) for k, _l in tt57.PROPOSAL_PARTS)]
    passages = _passages(report, keys)
    editable = can(request.user, "report.edit", report)
    general = _passage_form_item(
        request, report, passages.get("conclusion"), editable=editable, rows=6,
        label=_("1. Khái quát về mức độ đáp ứng tiêu chuẩn chất lượng giáo dục của cơ sở giáo dục"),
    )
    proposals = [
        _passage_form_item(request, report, passages.get(tt57.proposal_key(k)), label=str(label), editable=editable, rows=3)
        for k, label in tt57.PROPOSAL_PARTS
    ]
    rows = tt57.summary(report)
    return render(request, "selfassessment/tt57/conclusion.html", _context(
        request, report, section="tt57_conclusion", general=general, proposals=[p for p in proposals if p],
        rows=rows, totals=tt57.summary_totals(rows),
        national_explanation=levels.report_explanation(report, "national_standard"),
        approval_form=ApprovalForm(initial={
            "approved_on": report.approved_on,
            "expected": report.approved_on.isoformat() if report.approved_on else "",
        }),
        approval_deadline=tt57_services.approval_deadline(report),
    ))


@login_required
@require_POST
def approval_set(request, pk: int):
    report = _tt57_report(request, pk)
    require(request.user, "report.edit", report)
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            tt57_services.approval_set(report=report, approved_on=form.cleaned_data["approved_on"], by=request.user,
                                       expected=form.cleaned_data["expected"])
        except tt57_services.ReportError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã lưu ngày phê duyệt báo cáo."))
    else:
        messages.error(request, _("Ngày phê duyệt không hợp lệ (ngày/tháng/năm)."))
    return redirect(reverse("selfassessment:tt57_conclusion", kwargs={"pk": report.pk}) + "#approval")


# --- Phần IV ----------------------------------------------------------------------------------


_GRADE_ROW = re.compile(r"^Khối lớp (\d+)$")
_INDICATOR_ROW = re.compile(r"^Tiêu chí ([\d.]+): (.*)$", re.S)


def _form_label(label: str) -> str:
    """A label of the data form (the Thông tư's words, kept in tt57_dataform as plain text) in the
    reader's language; an indicator row names its criterion around the catalog's own label."""
    grade = _GRADE_ROW.match(label)
    if grade:
        return _("Khối lớp %(n)s") % {"n": grade.group(1)}
    indicator = _INDICATOR_ROW.match(label)
    if indicator:
        return _("Tiêu chí %(n)s: %(label)s") % {"n": indicator.group(1), "label": indicator.group(2)}
    return _(label)


def _form_context(report: Report, data, rows, years, bound: dict | None = None):
    header = [{"key": k, "label": _form_label(label), "value": (bound or {}).get(f"h_{k}", data.header.get(k, ""))}
              for k, label in HEADER_FIELDS]
    grid = []
    for row in rows:
        cells = []
        if not row.heading:
            for year in years:
                name = f"c__{row.key}__{year}"
                value = (bound or {}).get(name, data.years_values.get(row.key, {}).get(year, ""))
                cells.append({"name": name, "value": value, "year": year})
        grid.append({"row": row, "label": _form_label(row.label), "cells": cells})
    return {"header": header, "grid": grid}


@login_required
@require_http_methods(["GET", "POST"])
def appendix(request, pk: int):
    """Phần IV. Phụ lục: the three-year data form (saved with a revision check), the council's
    decision and plan, the evidence list."""
    report = _tt57_report(request, pk)
    rows = tt57_services.form_rows(report)
    years = tt57_services.form_years(report)
    data = tt57_services.data_form(report)
    bound = None
    status = 200
    if request.method == "POST":
        require(request.user, "report.edit", report)
        header = {k: request.POST.get(f"h_{k}", "") for k, _l in HEADER_FIELDS}
        cells = {(row.key, year): request.POST.get(f"c__{row.key}__{year}", "")
                 for row in rows if not row.heading for year in years}
        try:
            base = int(request.POST.get("revision", ""))
        except ValueError:
            base = -1
        try:
            tt57_services.data_form_save(report=report, header=header, cells=cells, base_revision=base, by=request.user)
        except tt57_services.ReportError as exc:
            # What was typed stays on the page, beside the message (and, on a conflict, the stored revision).
            messages.error(request, exc.message)
            bound = dict(request.POST.items())
            data = tt57_services.data_form(report)
            status = 409 if isinstance(exc, tt57_services.ConflictError) else 400
        else:
            messages.success(request, _("Đã lưu biểu số liệu."))
            return redirect("selfassessment:tt57_appendix", pk=report.pk)
    return render(request, "selfassessment/tt57/appendix.html", _context(
        request, report, section="tt57_appendix", data=data, years=years,
        editable=can(request.user, "report.edit", report), **_form_context(report, data, rows, years, bound),
    ), status=status)
