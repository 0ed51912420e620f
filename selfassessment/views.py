"""Views of the self-assessment reports: scoped lookup (404), permission (403), form, service, message.

The editor's small writes (a text's autosave, a verdict) answer JSON to the page's script and
fall back to a redirect (or a page showing both versions on a conflict) without it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evidence.selectors import search_url as evidence_search_url
from kiemdinh.params import int_or_none
from kiemdinh.permissions import can, require
from schools.years import current_among
from standards.models import Indicator, Level4Requirement, RegulationVersion, Standard

from . import checks, forms, levels, schooldata, selectors, services, tt57
from .models import (
    CouncilMember,
    IndicatorVerdict,
    Level4Verdict,
    Passage,
    PassageRevision,
    Report,
    WorkingGroup,
)
from .permissions import report_role
from .templatetags import report_tags

PAGE_SIZE = 50


def _report(request, pk: int) -> Report:
    """The report if the user's scope reaches it (else 404), and may read it (else 403)."""
    report = get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)
    require(request.user, "report.view", report)
    return report


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _search_url(report: Report) -> str:
    """The citation autocomplete's URL: a TT57 report is offered only its own regulation's (MC) codes."""
    if tt57.is_tt57(report):
        return evidence_search_url(report.school_id, report.regulation_version.regulation_id)
    return f"{reverse('evidence:evidence_search')}?school={report.school_id}"


def _editor_context(request, report: Report, *, section: str, **extra) -> dict:
    """What every page of a report shows around its content: header, outline, rights."""
    user = request.user
    context = {
        "report": report,
        "section": section,
        "outline": extra.pop("outline", None) or selectors.report_outline(report),
        "outline_base": reverse("selfassessment:report_detail", kwargs={"pk": report.pk}),
        "role": report_role(user, report),
        "can_edit": can(user, "report.edit", report),
        "can_council": can(user, "report.manage_council", report),
        "can_change_regulation": can(user, "report.change_regulation", report),
        "evidence_search_url": _search_url(report),
        # How cite.js writes a citation: "(MC.1.1.01, MC.1.1.02)" in a TT57 report, "[H1-1.1-01; …]" before.
        "evidence_cite_style": "round" if tt57.is_tt57(report) else "square",
        "school_level_explanation": levels.report_explanation(report, "school_level"),
        "is_tt57": tt57.is_tt57(report),
    }
    context.update(extra)
    return context


def _passage_form_item(request, report: Report, passage: Passage | None, *, label: str, editable: bool | None = None,
                       rows: int = 6, help_text: str = "") -> dict | None:
    """A text as the _passage partial shows it (editable or read-only)."""
    if passage is None:
        return None
    if editable is None:
        editable = can(request.user, "passage.edit", passage)
    return {"passage": passage, "label": label, "editable": editable, "rows": rows, "help_text": help_text}


# --- Lists and creation -----------------------------------------------------------------------


@login_required
@require_GET
def report_list(request):
    """The reports the user reaches: the school's own, or those of the district / the Sở."""
    year_id = int_or_none(request.GET.get("year"))
    status = request.GET.get("status", "") if request.GET.get("status") in Report.Status.values else ""
    kind = request.GET.get("kind", "") if request.GET.get("kind") in Report.Kind.values else ""
    query = request.GET.get("q", "").strip()[:100]
    qs = selectors.report_list(request.user, school_year_id=year_id, status=status, kind=kind, query=query)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "selfassessment/report_list.html", {
        "page": page,
        "params": {"year": year_id, "status": status, "kind": kind, "q": query},
        "years": selectors.school_year_choices(),
        "statuses": Report.Status.choices,
        "kinds": Report.Kind.choices,
        "can_create": can(request.user, "report.create"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    require(request.user, "report.create")
    schools = selectors.creatable_schools(request.user)
    years = selectors.school_year_choices()
    initial = {}
    school_pk = int_or_none(request.GET.get("school"))
    if school_pk and any(s.pk == school_pk for s in schools):
        initial["school"] = school_pk
    elif schools:
        initial["school"] = schools[0].pk
    current = current_among(years) or years.first()  # the current school year (schools.years)
    if current:
        initial["school_year"] = current.pk
    school_qs = selectors.schools_visible_to_for_create(request.user, schools)
    form = forms.ReportCreateForm(request.POST or None, initial=initial, schools=school_qs, school_years=years)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                school=data["school"], school_year=data["school_year"], kind=data["kind"], by=request.user,
                copy_previous=data["copy_previous"],
            )
        except services.ReportError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo báo cáo tự đánh giá năm học %(year)s theo %(reg)s.") % {
                "year": report.school_year.code, "reg": report.regulation_version})
            return redirect("selfassessment:report_detail", pk=report.pk)
    return render(request, "selfassessment/report_form.html", {
        "form": form,
        "previews": selectors.regulation_previews(schools, years),
        "existing": selectors.reports_for_school_home(request.user),
    })


# --- Overview, summary, checks ----------------------------------------------------------------


@login_required
@require_GET
def report_detail(request, pk: int):
    report = _report(request, pk)
    progress = selectors.report_progress(report)
    facts_form = forms.FactsForm(initial={"completed_cohorts": report.completed_cohorts, "expected": _facts_expected(report)})
    return render(request, "selfassessment/report_detail.html", _editor_context(
        request, report, section="overview",
        progress=progress,
        facts_form=facts_form,
        accreditation_explanation=levels.report_explanation(report, "accreditation"),
        national_explanation=levels.report_explanation(report, "national_standard"),
        previous=report.copied_from,
    ))


@login_required
@require_GET
def report_summary(request, pk: int):
    """Bảng tổng hợp kết quả tự đánh giá, as the official table lays it out."""
    report = _report(request, pk)
    summary = selectors.report_summary(report)
    return render(request, "selfassessment/report_summary.html", _editor_context(
        request, report, section="summary", summary=summary,
    ))


@login_required
@require_GET
def report_checks(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.check", report)
    problems = checks.report_problems(report)
    counts = {severity: sum(1 for p in problems if p.severity == severity) for severity in (checks.ERROR, checks.WARNING, checks.INFO)}
    return render(request, "selfassessment/report_checks.html", _editor_context(
        request, report, section="checks", parts=checks.problem_parts(report, problems), counts=counts,
        total=len(problems), open_all=len(problems) <= checks.OPEN_ALL_UP_TO, checked_at=timezone.now(),
    ))


@login_required
@require_http_methods(["GET", "POST"])
def report_regulation_change(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.change_regulation", report)
    versions = (
        RegulationVersion.objects.filter(is_repealed=False)
        .select_related("regulation")
        .order_by("regulation__code", "position")
    )
    versions = RegulationVersion.objects.filter(
        pk__in=[v.pk for v in versions if report.school.level in (v.regulation.school_levels or [])]
    ).select_related("regulation").order_by("regulation__code", "position")
    form = forms.RegulationChangeForm(request.POST or None, initial={"version": report.regulation_version_id},
                                      versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_regulation_change(report=report, version=form.cleaned_data["version"], by=request.user)
        except services.ReportError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã chuyển báo cáo sang %(v)s; các nội dung đã viết được giữ theo số tiêu chí.") % {
                "v": form.cleaned_data["version"]})
            return redirect("selfassessment:report_detail", pk=report.pk)
    return render(request, "selfassessment/report_regulation_form.html", _editor_context(
        request, report, section="overview", form=form,
    ))


@login_required
@require_POST
def report_facts_update(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.edit", report)
    form = forms.FactsForm(request.POST)
    if form.is_valid():
        seen = form.cleaned_data["expected"]
        kwargs = {"expected": int(seen) if seen.isdigit() else None} if "expected" in request.POST else {}
        try:
            saved = services.report_facts_update(report=report, completed_cohorts=form.cleaned_data["completed_cohorts"],
                                                 by=request.user, **kwargs)
        except services.ConflictError as exc:
            if _wants_json(request):
                theirs, mine = _facts_expected(exc.current), form.cleaned_data["completed_cohorts"]
                return JsonResponse({"status": "conflict", "message": exc.message, "current": {
                    "revision": theirs, "values": {"completed_cohorts": theirs},
                    "lines": [{"label": str(form.fields["completed_cohorts"].label), "theirs": theirs,
                               "mine": "" if mine is None else str(mine)}]}}, status=409)
            messages.error(request, exc.message)
        except services.ReportError as exc:
            if _wants_json(request):
                return JsonResponse({"status": "invalid", "message": exc.message}, status=400)
            messages.error(request, exc.message)
        else:
            if _wants_json(request):
                return JsonResponse({"status": "saved", "revision": _facts_expected(saved)})
            messages.success(request, _("Đã lưu và tính lại mức đánh giá."))
    else:
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": " ".join(e for errors in form.errors.values()
                                                                        for e in errors)}, status=400)
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("selfassessment:report_detail", pk=report.pk)


def _facts_expected(report: Report) -> str:
    return "" if report.completed_cohorts is None else str(report.completed_cohorts)


# --- Texts ------------------------------------------------------------------------------------


def _passage(request, report: Report, passage_pk: int) -> Passage:
    return get_object_or_404(Passage.objects.select_related("report", "updated_by"), pk=passage_pk, report=report)


def _passage_json(passage: Passage) -> dict:
    return {
        "id": passage.pk,
        "text": passage.text,
        "revision": passage.revision,
        "by": passage.updated_by.display_name if passage.updated_by else "",
        "at": timezone.localtime(passage.updated_at).strftime("%H:%M:%S %d/%m/%Y") if passage.updated_at else "",
        "citations": selectors.citation_warnings(passage),
    }


@login_required
@require_POST
def passage_save(request, pk: int, passage_pk: int):
    """Autosave of one text (JSON), or the plain form post without script (redirect / conflict page)."""
    report = _report(request, pk)
    passage = _passage(request, report, passage_pk)
    require(request.user, "passage.edit", passage)
    form = forms.PassageForm(request.POST)
    back = checks.passage_url(report, passage)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": _("Dữ liệu gửi lên không hợp lệ; hãy tải lại trang.")}, status=400)
        messages.error(request, _("Dữ liệu gửi lên không hợp lệ; hãy tải lại trang."))
        return redirect(back)
    text = form.cleaned_data["text"]
    try:
        saved = services.passage_save(passage=passage, text=text, base_revision=form.cleaned_data["revision"], by=request.user)
    except services.ConflictError as exc:
        current = exc.current
        if _wants_json(request):
            mine = services.normalise_text(text)
            payload = _passage_json(current)
            payload.update(values={"text": current.text}, lines=[{"label": "", "theirs": current.text, "mine": mine}])
            return JsonResponse({"status": "conflict", "message": exc.message, "current": payload, "mine": mine},
                                status=409)
        return render(request, "selfassessment/passage_conflict.html", _editor_context(
            request, report, section="conflict", passage=current, mine=services.normalise_text(text),
            message=exc.message, back=back, place=checks.passage_place(current),
        ), status=409)
    except services.ReportError as exc:
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": exc.message}, status=400)
        messages.error(request, exc.message)
        return redirect(back)
    if _wants_json(request):
        return JsonResponse({"status": "saved", **_passage_json(saved)})
    messages.success(request, _("Đã lưu: %(place)s.") % {"place": checks.passage_place(saved)})
    return redirect(back)


@login_required
@require_POST
def passage_mark_reviewed(request, pk: int, passage_pk: int):
    report = _report(request, pk)
    passage = _passage(request, report, passage_pk)
    require(request.user, "passage.edit", passage)
    services.passage_mark_reviewed(passage=passage, by=request.user)
    if _wants_json(request):
        return JsonResponse({"status": "reviewed"})
    messages.success(request, _("Đã xác nhận nội dung đã được rà soát."))
    return redirect(checks.passage_url(report, passage))


@login_required
@require_GET
def passage_history(request, pk: int, passage_pk: int):
    """Who wrote what and when, each step compared with the one before it."""
    report = _report(request, pk)
    passage = _passage(request, report, passage_pk)
    revisions = list(PassageRevision.objects.filter(passage=passage).select_related("by").order_by("-revision")[:200])
    steps = []
    for index, revision in enumerate(revisions):
        before = revisions[index + 1].text if index + 1 < len(revisions) else ""
        steps.append({"revision": revision, "diff": _word_diff(before, revision.text)})
    return render(request, "selfassessment/passage_history.html", _editor_context(
        request, report, section="history", passage=passage, steps=steps, place=checks.passage_place(passage),
        back=checks.passage_url(report, passage), can_restore=can(request.user, "passage.edit", passage),
    ))


def _word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in "same", "added", "removed", word by word (spacing kept).

    A rewrite that shares little with the text before it is shown as the old text struck through
    and the new one added, rather than as a confetti of coincidentally shared words.
    """
    import re

    a, b = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    matcher = difflib.SequenceMatcher(a=[w.strip() for w in a], b=[w.strip() for w in b], autojunk=False)
    if a and b and matcher.ratio() < 0.5:
        return [("removed", before), ("added", after)]
    result: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            result.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            result.append(("added", "".join(b[j1:j2])))
    return result


@login_required
@require_POST
def passage_restore(request, pk: int, passage_pk: int, revision_pk: int):
    report = _report(request, pk)
    passage = _passage(request, report, passage_pk)
    require(request.user, "passage.edit", passage)
    revision = get_object_or_404(PassageRevision, pk=revision_pk, passage=passage)
    base = int_or_none(request.POST.get("revision"))
    try:
        services.passage_restore(passage=passage, revision=revision, base_revision=base or 0, by=request.user)
    except services.ReportError as exc:
        messages.error(request, exc.message)
        return redirect("selfassessment:passage_history", pk=report.pk, passage_pk=passage.pk)
    messages.success(request, _("Đã khôi phục nội dung lưu lúc %(at)s.") % {
        "at": timezone.localtime(revision.saved_at).strftime("%H:%M %d/%m/%Y")})
    return redirect(checks.passage_url(report, passage))


# --- Criteria and verdicts --------------------------------------------------------------------


@login_required
@require_GET
def criterion_edit(request, pk: int, criterion_pk: int):
    """The criterion editor: official text, the current state per indicator, verdicts, level, plan."""
    report = _report(request, pk)
    if tt57.is_tt57(report):
        return redirect("selfassessment:tt57_criterion", pk=report.pk, criterion_pk=criterion_pk)
    outline = selectors.report_outline(report)
    assessment = selectors.outline_assessment(outline, criterion_pk)
    if assessment is None:
        raise Http404
    assessment.report = report
    item = selectors.criterion_page(report, assessment)
    editable = can(request.user, "criterion.edit", assessment)
    page_passages = [e.passage for b in item.levels for e in b.items] + [item.strengths, item.weaknesses]
    evidence_items, known = selectors.evidence_for_page(report, assessment.criterion,
                                                        selectors.cited_codes(page_passages))
    passages = []
    for block in item.levels:
        for entry in block.items:
            entry.form_item = _passage_form_item(request, report, entry.passage, label="", editable=editable, rows=4)
            entry.warnings = selectors.citation_warnings(entry.passage, known=known, criterion=assessment.criterion)
            if entry.passage:
                passages.append(entry.passage)
    strengths = _passage_form_item(request, report, item.strengths, label=_("2. Điểm mạnh"), editable=editable)
    weaknesses = _passage_form_item(request, report, item.weaknesses, label=_("3. Điểm yếu"), editable=editable)
    for extra in (strengths, weaknesses):
        if extra:
            extra["warnings"] = selectors.citation_warnings(extra["passage"], known=known, criterion=assessment.criterion)
    formset, actions_conflict = _actions_formset(request, f"criterion:{assessment.criterion_id}", item.actions)
    previous, following = selectors.neighbours(outline, assessment)
    return render(request, "selfassessment/criterion_edit.html", _editor_context(
        request, report, section="criterion", outline=outline,
        item=item,
        assessment=assessment,
        criterion=assessment.criterion,
        editable=editable,
        explanation=levels.criterion_explanation(assessment),
        strengths=strengths,
        weaknesses=weaknesses,
        formset=formset,
        actions_conflict=actions_conflict,
        actions_token=services.actions_token(item.actions),
        evidence_items=evidence_items,
        groups=selectors.groups_for_criterion(report, assessment.criterion),
        previous_criterion=previous,
        next_criterion=following,
        level_count=report.regulation_version.regulation.level_count,
        verdict_choices=forms.VERDICT_CHOICES,
    ))


def _levels_json(report: Report, criterion_id: int | None = None) -> dict:
    report.refresh_from_db(fields=["school_level", "accreditation_level", "national_standard", "level_blockers"])
    family = report_tags.report_family(report)
    data = {
        "school_level": report.school_level,
        # The badge's words, in the report's rule family (a TT57 report's level 0 is "Không đạt").
        "school_level_label": report_tags.level_label(report.school_level, family),
        "accreditation_level": report.accreditation_level,
        "national_standard": report.national_standard,
        "school_explanation": levels.report_explanation(report, "school_level"),
    }
    if criterion_id:
        assessment = report.criterion_assessments.filter(criterion_id=criterion_id).select_related("criterion").first()
        if assessment:
            data["criterion"] = {"id": criterion_id, "number": assessment.criterion.number, "level": assessment.level,
                                 "label": report_tags.level_label(assessment.level, family),
                                 "explanation": levels.criterion_explanation(assessment)}
    return data


@login_required
@require_POST
def indicator_verdict_set(request, pk: int, indicator_pk: int):
    report = _report(request, pk)
    indicator = get_object_or_404(
        Indicator.objects.select_related("criterion"), pk=indicator_pk,
        criterion__standard__version=report.regulation_version,
    )
    require(request.user, "criterion.edit", (report, indicator.criterion_id))
    form = forms.VerdictForm(request.POST)
    back = reverse("selfassessment:criterion_edit", kwargs={"pk": report.pk, "criterion_pk": indicator.criterion_id}) + f"#ind-{indicator.pk}"
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": _("Kết luận không hợp lệ.")}, status=400)
        messages.error(request, _("Kết luận không hợp lệ."))
        return redirect(back)
    data = form.cleaned_data
    kwargs = {"expected": data["expected_value"]} if data["has_expected"] else {}
    try:
        report = services.indicator_verdict_set(report=report, indicator=indicator, met=data["met_value"], by=request.user, **kwargs)
    except services.ConflictError as exc:
        current: IndicatorVerdict = exc.current
        if _wants_json(request):
            return JsonResponse({"status": "conflict", "message": exc.message, "current": _verdict_value(current.met)}, status=409)
        messages.error(request, exc.message)
        return redirect(back)
    except services.ReportError as exc:
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": exc.message}, status=400)
        messages.error(request, exc.message)
        return redirect(back)
    if _wants_json(request):
        return JsonResponse({"status": "saved", "verdict": _verdict_value(data["met_value"]),
                             **_levels_json(report, indicator.criterion_id)})
    messages.success(request, _("Đã lưu kết luận chỉ báo %(k)s Mức %(l)s.") % {"k": indicator.key, "l": indicator.level})
    return redirect(back)


def _verdict_value(met: bool | None) -> str:
    return {True: "dat", False: "khong_dat", None: ""}[met]


DRAFT_KEY = "selfassessment_actions_draft"


def _action_line(action) -> str:
    """One improvement item in words, as a conflict shows it."""
    if action is None:
        return ""
    get = action.get if isinstance(action, dict) else lambda f: getattr(action, f)
    when = " – ".join(d.strftime("%d/%m/%Y") if d else "…" for d in (get("start_on"), get("due_on")))
    parts = [get("action") or "", get("responsible") or "", when if when != "… – …" else "",
             get("resources") or "", get("expected_result") or ""]
    return " · ".join(p for p in parts if p)


def _actions_save(request, report: Report, *, criterion=None, level4=None, back: str):
    formset = forms.ImprovementActionFormSet(request.POST, prefix="actions")
    token_form = forms.TokenForm(request.POST)
    conflict = False
    if formset.is_valid() and token_form.is_valid():
        prefixed = formset.prefixed_items()
        items = [item for _prefix, item in prefixed]
        try:
            kept = services.improvement_actions_save(report=report, criterion=criterion, level4=level4, items=items,
                                                     token=token_form.cleaned_data["token"], by=request.user)
        except services.ConflictError as exc:
            if _wants_json(request):
                current = exc.current
                mine = [item for item in items if not item.get("delete")]
                lines = [{"label": str(i + 1), "theirs": _action_line(current[i] if i < len(current) else None),
                          "mine": _action_line(mine[i] if i < len(mine) else None)}
                         for i in range(max(len(current), len(mine)))]
                return JsonResponse({"status": "conflict", "message": exc.message, "current": {
                    "revision": services.actions_token(current), "lines": lines,
                    "by": ", ".join(sorted({a.updated_by.display_name for a in current if a.updated_by})),
                }}, status=409)
            conflict = True
            messages.error(request, exc.message)
        except services.ReportError as exc:
            if _wants_json(request):
                return JsonResponse({"status": "invalid", "message": exc.message}, status=400)
            messages.error(request, exc.message)
        else:
            if _wants_json(request):
                # New rows get their ids; deleted ones lose theirs (they are gone).
                saved = iter(kept)
                ids = {}
                for prefix, item in prefixed:
                    ids[f"{prefix}-id"] = "" if item.get("delete") else next(saved).pk
                stored = selectors.improvement_actions_of(report, criterion=criterion, level4=level4)
                return JsonResponse({"status": "saved", "revision": services.actions_token(stored), "set": ids})
            messages.success(request, _("Đã lưu kế hoạch cải tiến chất lượng."))
            return redirect(back)
    else:
        errors = [e for form in formset.forms for field_errors in form.errors.values() for e in field_errors]
        errors += list(formset.non_form_errors())
        message = _("Kế hoạch cải tiến chưa được lưu: %(errors)s") % {"errors": " ".join(errors) or _("dữ liệu không hợp lệ.")}
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": message}, status=400)
        messages.error(request, message)
    # Whatever was typed comes back on the page, never lost (beside what is stored, after a conflict).
    target = f"criterion:{criterion.pk}" if criterion is not None else f"level4:{level4.pk}"
    request.session[DRAFT_KEY] = {
        "target": target, "conflict": conflict,
        "data": {k: v for k, v in request.POST.items() if k.startswith("actions-")},
    }
    return redirect(back)


def _actions_formset(request, target: str, actions: list) -> tuple[forms.ImprovementActionFormSet, bool]:
    """The improvement items' formset: the stored rows, or the draft a refused save left behind."""
    draft = request.session.get(DRAFT_KEY)
    if draft and draft.get("target") == target:
        del request.session[DRAFT_KEY]
        formset = forms.ImprovementActionFormSet(draft["data"], prefix="actions")
        formset.is_valid()
        return formset, bool(draft.get("conflict"))
    return forms.ImprovementActionFormSet(initial=forms.action_initial(actions), prefix="actions"), False


@login_required
@require_POST
def improvement_actions_save(request, pk: int, criterion_pk: int):
    report = _report(request, pk)
    assessment = selectors.criterion_in_report(report, criterion_pk)
    if assessment is None:
        raise Http404
    assessment.report = report
    require(request.user, "criterion.edit", assessment)
    back = reverse("selfassessment:criterion_edit", kwargs={"pk": report.pk, "criterion_pk": criterion_pk}) + "#plan"
    return _actions_save(request, report, criterion=assessment.criterion, back=back)


@login_required
@require_GET
def standard_edit(request, pk: int, standard_pk: int):
    """A standard's opening and conclusion, with its criteria and their levels."""
    report = _report(request, pk)
    if tt57.is_tt57(report):
        return redirect("selfassessment:tt57_standard", pk=report.pk, standard_pk=standard_pk)
    standard = get_object_or_404(Standard, pk=standard_pk, version=report.regulation_version)
    passages = {p.key: p for p in Passage.objects.filter(report=report, standard=standard, criterion__isnull=True)
                .select_related("updated_by")}
    opening = _passage_form_item(request, report, passages.get(selectors.standard_key(standard.number, "opening")),
                                 label=_("Mở đầu"))
    conclusion = _passage_form_item(request, report, passages.get(selectors.standard_key(standard.number, "conclusion")),
                                    label=_("Kết luận về Tiêu chuẩn %(n)s") % {"n": standard.number})
    return render(request, "selfassessment/standard_edit.html", _editor_context(
        request, report, section="standard", standard=standard, opening=opening, conclusion=conclusion,
    ))


@login_required
@require_GET
def level4_edit(request, pk: int):
    """The Mức 4 requirements, each written the same way as a criterion."""
    report = _report(request, pk)
    items = selectors.level4_page(report)
    editable = can(request.user, "report.edit", report)
    for item in items:
        item.forms = [
            _passage_form_item(request, report, item.state, label=_("1. Mô tả hiện trạng"), editable=editable),
            _passage_form_item(request, report, item.strengths, label=_("2. Điểm mạnh"), editable=editable, rows=3),
            _passage_form_item(request, report, item.weaknesses, label=_("3. Điểm yếu"), editable=editable, rows=3),
        ]
        item.formset, item.actions_conflict = _actions_formset(request, f"level4:{item.requirement.pk}", item.actions)
        item.token = services.actions_token(item.actions)
    return render(request, "selfassessment/level4_edit.html", _editor_context(
        request, report, section="level4", items=items, editable=editable, verdict_choices=forms.VERDICT_CHOICES,
    ))


@login_required
@require_POST
def level4_verdict_set(request, pk: int, requirement_pk: int):
    report = _report(request, pk)
    requirement = get_object_or_404(Level4Requirement, pk=requirement_pk, version=report.regulation_version)
    require(request.user, "report.edit", report)
    form = forms.VerdictForm(request.POST)
    back = reverse("selfassessment:level4_edit", kwargs={"pk": report.pk}) + f"#l4-{requirement.pk}"
    if not form.is_valid():
        messages.error(request, _("Kết luận không hợp lệ."))
        return redirect(back)
    data = form.cleaned_data
    kwargs = {"expected": data["expected_value"]} if data["has_expected"] else {}
    try:
        report = services.level4_verdict_set(report=report, requirement=requirement, met=data["met_value"],
                                             by=request.user, **kwargs)
    except services.ReportError as exc:
        if _wants_json(request):
            status = 409 if isinstance(exc, services.ConflictError) else 400
            current: Level4Verdict | None = getattr(exc, "current", None)
            return JsonResponse({"status": "conflict" if status == 409 else "invalid", "message": exc.message,
                                 "current": _verdict_value(current.met) if current else ""}, status=status)
        messages.error(request, exc.message)
        return redirect(back)
    if _wants_json(request):
        return JsonResponse({"status": "saved", "verdict": _verdict_value(data["met_value"]), **_levels_json(report)})
    messages.success(request, _("Đã lưu kết luận yêu cầu Mức 4 số %(n)s.") % {"n": requirement.number})
    return redirect(back)


@login_required
@require_POST
def level4_actions_save(request, pk: int, requirement_pk: int):
    report = _report(request, pk)
    requirement = get_object_or_404(Level4Requirement, pk=requirement_pk, version=report.regulation_version)
    require(request.user, "report.edit", report)
    back = reverse("selfassessment:level4_edit", kwargs={"pk": report.pk}) + f"#l4-{requirement.pk}"
    return _actions_save(request, report, level4=requirement, back=back)


# --- Đặt vấn đề, Kết luận chung ----------------------------------------------------------------


@login_required
@require_GET
def report_general(request, pk: int):
    report = _report(request, pk)
    if tt57.is_tt57(report):
        return redirect("selfassessment:tt57_overview", pk=report.pk)
    passages = {p.key: p for p in Passage.objects.filter(report=report, key__in=["introduction", "conclusion"])
                .select_related("updated_by")}
    criteria_levels = [o.assessment.level for s in selectors.report_outline(report) for o in s.criteria
                       if o.assessment.level is not None]
    level_count = report.regulation_version.regulation.level_count
    return render(request, "selfassessment/report_general.html", _editor_context(
        request, report, section="general",
        introduction=_passage_form_item(
            request, report, passages.get("introduction"), label=_("A. Đặt vấn đề"), rows=10,
            help_text=_("Tình hình nhà trường, mục đích tự đánh giá, tóm tắt quá trình và những vấn đề nổi bật."),
        ),
        conclusion=_passage_form_item(
            request, report, passages.get("conclusion"), label=_("Phần III. Kết luận chung"), rows=10,
            help_text=_("Nêu số lượng và tỷ lệ tiêu chí đạt từng mức (bảng bên), mức đánh giá của trường và đề nghị công nhận."),
        ),
        counts=levels.level_counts(criteria_levels, level_count),
        criteria_total=len(criteria_levels),
    ))


# --- Council, working groups, plan -------------------------------------------------------------


@login_required
@require_GET
def report_council(request, pk: int):
    report = _report(request, pk)
    members = selectors.council_members(report)
    for member in members:
        member.token = services.member_token(member)
    return render(request, "selfassessment/report_council.html", _editor_context(
        request, report, section="council",
        members=members,
        council_size=sum(1 for m in members if m.role),
        groups=selectors.working_groups(report),
        decision_form=forms.CouncilDecisionForm(initial={
            "decision_number": report.council_decision_number, "decision_date": report.council_decision_date,
            "revision": report.council_revision}),
        unassigned=selectors.unassigned_criteria(report),
        can_manage_accounts=can(request.user, "account.manage"),
    ))


@login_required
@require_POST
def council_update(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.manage_council", report)
    form = forms.CouncilDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.council_update(report=report, decision_number=data["decision_number"],
                                            decision_date=data["decision_date"], by=request.user,
                                            base_revision=data["revision"])
        except services.ConflictError as exc:
            stored = exc.current
            if _wants_json(request):
                theirs = {"decision_number": stored.council_decision_number,
                          "decision_date": stored.council_decision_date.isoformat() if stored.council_decision_date else ""}
                mine = {"decision_number": data["decision_number"].strip(),
                        "decision_date": data["decision_date"].isoformat() if data["decision_date"] else ""}
                return JsonResponse({"status": "conflict", "message": exc.message, "current": {
                    "revision": stored.council_revision, "values": theirs,
                    "lines": _field_lines(form, theirs, mine)}}, status=409)
            messages.error(request, exc.message)
        else:
            if _wants_json(request):
                return JsonResponse({"status": "saved", "revision": saved.council_revision})
            messages.success(request, _("Đã lưu quyết định thành lập Hội đồng."))
    else:
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": _("Ngày quyết định không hợp lệ.")}, status=400)
        messages.error(request, _("Ngày quyết định không hợp lệ."))
    return redirect("selfassessment:report_council", pk=report.pk)


def _field_lines(form, theirs: dict, mine: dict) -> list[dict]:
    """The fields whose stored value differs from the typed one, labelled as the form labels them."""
    def shown(name, value):
        field = form.fields.get(name)
        choices = dict((str(k), str(v)) for k, v in getattr(field, "choices", ()) or ()) if field is not None else {}
        values = value if isinstance(value, list) else [value]
        return ", ".join(choices.get(str(v), str(v)) for v in values if v not in ("", None, False)) or ""

    return [{"label": str(form.fields[name].label) if name in form.fields else name,
             "theirs": shown(name, theirs[name]), "mine": shown(name, mine.get(name, ""))}
            for name in theirs if str(theirs[name]) != str(mine.get(name, ""))]


def _form_errors(form) -> str:
    return " ".join(f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
                    for name, errors in form.errors.items() for error in errors)


def _council_save(request, form, save: Callable[[], Any], *, token: Callable[[Any], str],
                  stored_values: Callable[[Any], dict], typed_values: Callable[[dict], dict],
                  edit_url: Callable[[Any], str], saved_message: str, done_url: str,
                  refresh_token: bool = False):
    """Save a council member or a working group from its valid form, as both pages answer.

    JSON (the in-place editor): 409 with the stored values and the lines that differ on a conflict,
    400 on a refusal, the new revision and the row's address once saved. A page: the message and
    the council page once saved; otherwise None, and the form carries the error (on a conflict,
    with ``refresh_token``, the stored revision too, so that sending it again overwrites).
    """
    try:
        saved = save()
    except services.ConflictError as exc:
        if _wants_json(request):
            theirs = stored_values(exc.current)
            mine = typed_values(theirs)
            return JsonResponse({"status": "conflict", "message": exc.message, "current": {
                "revision": token(exc.current), "values": theirs,
                "lines": _field_lines(form, theirs, mine)}}, status=409)
        form.add_error(None, exc.message)
        if refresh_token:
            form.data = form.data.copy()
            form.data["token"] = token(exc.current)
    except services.ReportError as exc:
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": exc.message}, status=400)
        form.add_error(None, exc.message)
    else:
        if _wants_json(request):
            address = edit_url(saved)
            return JsonResponse({"status": "saved", "revision": token(saved), "action": address, "location": address})
        messages.success(request, saved_message)
        return redirect(done_url)
    return None


def _member_values(stored: CouncilMember) -> dict:
    return {"full_name": stored.full_name, "title": stored.title, "role": stored.role, "duty": stored.duty,
            "in_secretary_group": stored.in_secretary_group, "user": stored.user_id or ""}


def _member_form(request, report: Report, member: CouncilMember):
    require(request.user, "report.manage_council", report)
    accounts = selectors.school_staff_accounts(report.school)
    initial = {"token": services.member_token(member)} if member.pk else {}
    form = forms.CouncilMemberForm(request.POST or None, instance=member, accounts=accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        creating = member.pk is None

        def typed(theirs: dict) -> dict:
            mine = {name: form.cleaned_data.get(name) for name in theirs}
            mine["user"] = mine["user"].pk if mine["user"] else ""
            return mine

        response = _council_save(
            request, form,
            lambda: services.council_member_save(report=report, member=form.save(commit=False), by=request.user,
                                                 token=form.cleaned_data.get("token") or None),
            token=services.member_token, stored_values=_member_values, typed_values=typed,
            edit_url=lambda saved: reverse("selfassessment:council_member_update",
                                           kwargs={"pk": report.pk, "member_pk": saved.pk}),
            saved_message=_("Đã thêm thành viên.") if creating else _("Đã lưu thông tin thành viên."),
            done_url=reverse("selfassessment:report_council", kwargs={"pk": report.pk}), refresh_token=True,
        )
        if response is not None:
            return response
    elif request.method == "POST" and _wants_json(request):
        return JsonResponse({"status": "invalid", "message": _form_errors(form)}, status=400)
    return render(request, "selfassessment/councilmember_form.html", _editor_context(
        request, report, section="council", form=form, member=member,
    ))


@login_required
@require_http_methods(["GET", "POST"])
def council_member_create(request, pk: int):
    report = _report(request, pk)
    return _member_form(request, report, CouncilMember(report=report))


@login_required
@require_http_methods(["GET", "POST"])
def council_member_update(request, pk: int, member_pk: int):
    report = _report(request, pk)
    member = get_object_or_404(CouncilMember, pk=member_pk, report=report)
    return _member_form(request, report, member)


@login_required
@require_POST
def council_member_delete(request, pk: int, member_pk: int):
    report = _report(request, pk)
    member = get_object_or_404(CouncilMember, pk=member_pk, report=report)
    member.report = report
    require(request.user, "report.manage_council", report)
    services.council_member_delete(member=member, by=request.user)
    messages.success(request, _("Đã xóa %(name)s khỏi danh sách.") % {"name": member.full_name})
    return redirect("selfassessment:report_council", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def council_member_account(request, pk: int, member_pk: int):
    """Give a member who is school staff an account (an e-mail lets them choose a password)."""
    report = _report(request, pk)
    member = get_object_or_404(CouncilMember, pk=member_pk, report=report)
    member.report = report
    require(request.user, "report.manage_council", report)
    require(request.user, "account.manage")
    if member.user_id:
        messages.info(request, _("Thành viên này đã có tài khoản."))
        return redirect("selfassessment:report_council", pk=report.pk)
    form = forms.MemberAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.council_member_account_create(
                member=member, username=form.cleaned_data["username"], email=form.cleaned_data["email"],
                by=request.user, request=request,
            )
        except services.ReportError as exc:
            form.add_error(None, exc.message)
        else:
            message = _("Đã tạo tài khoản %(u)s cho %(name)s.") % {"u": account.username, "name": member.full_name}
            if account.email:
                message += " " + _("Thư hướng dẫn đặt mật khẩu đã được gửi tới %(e)s.") % {"e": account.email}
            messages.success(request, message)
            return redirect("selfassessment:report_council", pk=report.pk)
    return render(request, "selfassessment/councilmember_account.html", _editor_context(
        request, report, section="council", form=form, member=member,
    ))


def _group_values(stored: WorkingGroup) -> dict:
    return {"name": stored.name, "leader": stored.leader_id or "",
            "members": sorted(stored.members.values_list("pk", flat=True)),
            "criteria": sorted(stored.criteria.values_list("pk", flat=True))}


def _group_form(request, report: Report, group: WorkingGroup):
    require(request.user, "report.manage_council", report)
    members = CouncilMember.objects.filter(report=report).order_by("position", "pk")
    criteria = selectors.report_criteria_queryset(report)
    initial = {}
    if group.pk:
        initial = {"token": services.group_token(group), "name": group.name, "leader": group.leader_id,
                   "members": list(group.members.values_list("pk", flat=True)),
                   "criteria": list(group.criteria.values_list("pk", flat=True))}
    form = forms.WorkingGroupForm(request.POST or None, initial=initial, members=members, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        creating = group.pk is None
        group.name, group.leader = data["name"], data["leader"]
        response = _council_save(
            request, form,
            lambda: services.working_group_save(report=report, group=group, members=data["members"],
                                                criteria=data["criteria"], by=request.user,
                                                token=data.get("token") or None),
            token=services.group_token, stored_values=_group_values,
            typed_values=lambda theirs: {
                "name": data["name"], "leader": data["leader"].pk if data["leader"] else "",
                "members": sorted(m.pk for m in data["members"]), "criteria": sorted(c.pk for c in data["criteria"])},
            edit_url=lambda saved: reverse("selfassessment:working_group_update",
                                           kwargs={"pk": report.pk, "group_pk": saved.pk}),
            saved_message=_("Đã thêm nhóm công tác.") if creating else _("Đã lưu nhóm công tác."),
            done_url=reverse("selfassessment:report_council", kwargs={"pk": report.pk}) + "#groups",
        )
        if response is not None:
            return response
    elif request.method == "POST" and _wants_json(request):
        return JsonResponse({"status": "invalid", "message": _form_errors(form)}, status=400)
    taken = selectors.criteria_taken_by_other_groups(report, group)
    return render(request, "selfassessment/workinggroup_form.html", _editor_context(
        request, report, section="council", form=form, group=group, taken=taken,
        criteria_by_standard=selectors.group_criteria_choices(form, criteria),
    ))


@login_required
@require_http_methods(["GET", "POST"])
def working_group_create(request, pk: int):
    report = _report(request, pk)
    return _group_form(request, report, WorkingGroup(report=report))


@login_required
@require_http_methods(["GET", "POST"])
def working_group_update(request, pk: int, group_pk: int):
    report = _report(request, pk)
    group = get_object_or_404(WorkingGroup, pk=group_pk, report=report)
    return _group_form(request, report, group)


@login_required
@require_POST
def working_group_delete(request, pk: int, group_pk: int):
    report = _report(request, pk)
    group = get_object_or_404(WorkingGroup, pk=group_pk, report=report)
    group.report = report
    require(request.user, "report.manage_council", report)
    services.working_group_delete(group=group, by=request.user)
    messages.success(request, _("Đã xóa nhóm công tác %(name)s.") % {"name": group.name})
    return redirect(reverse("selfassessment:report_council", kwargs={"pk": report.pk}) + "#groups")


def _plan_texts(request, report: Report) -> list[dict]:
    """The four written parts of the plan, with their headings (the page and its 400 re-render)."""
    passages = {p.key: p for p in Passage.objects.filter(report=report, kind=Passage.Kind.PLAN).select_related("updated_by")}
    labels = {
        "purpose": _("1. Mục đích tự đánh giá"), "scope": _("2. Phạm vi tự đánh giá"),
        "tools": _("3. Công cụ đánh giá"), "training": _("4. Tập huấn nghiệp vụ tự đánh giá"),
    }
    texts = [
        _passage_form_item(request, report, passages.get(selectors.plan_key(part)), label=labels[part], rows=4)
        for part in selectors.PLAN_PARTS
    ]
    return [t for t in texts if t]


@login_required
@require_GET
def report_plan(request, pk: int):
    report = _report(request, pk)
    criteria = selectors.report_criteria(report)
    resources = selectors.plan_resources(report)
    resources_form = forms.PlanResourcesForm(
        initial={"token": services.plan_token(report),
                 **{f"r_{cid}": r.resources for cid, r in resources.items()},
                 **{f"w_{cid}": r.needed_when for cid, r in resources.items()}},
        criteria=criteria,
    )
    steps = selectors.plan_steps(report)
    steps_formset = forms.PlanStepFormSet(
        initial=[{"week": s.week, "activity": s.activity, "responsible": s.responsible} for s in steps], prefix="steps"
    )
    return render(request, "selfassessment/report_plan.html", _editor_context(
        request, report, section="plan", texts=_plan_texts(request, report), resources_form=resources_form,
        steps_formset=steps_formset,
    ))


def _plan_lines(report: Report, criteria, typed: dict, steps: list[dict]) -> list[dict]:
    """The parts of the plan whose stored text differs from the typed one, as a conflict shows them."""
    stored = selectors.plan_resources(report)
    lines = []
    for criterion in criteria:
        row = stored.get(criterion.pk)
        theirs = " · ".join(p for p in ((row.resources, row.needed_when) if row else ()) if p)
        mine = " · ".join(p for p in typed.get(criterion.pk, ("", "")) if p)
        if theirs != mine:
            lines.append({"label": _("Nguồn lực tiêu chí %(n)s") % {"n": criterion.number}, "theirs": theirs, "mine": mine})
    stored_steps = [f"{s.week}: {s.activity}" + (f" ({s.responsible})" if s.responsible else "")
                    for s in selectors.plan_steps(report)]
    typed_steps = [f"{s['week']}: {s['activity']}" + (f" ({s['responsible']})" if s.get("responsible") else "")
                   for s in sorted(steps, key=lambda s: s["week"])]
    if stored_steps != typed_steps:
        lines.append({"label": _("6. Thời gian biểu (theo tuần)"), "theirs": "\n".join(stored_steps),
                      "mine": "\n".join(typed_steps)})
    return lines


@login_required
@require_POST
def plan_save(request, pk: int):
    report = _report(request, pk)
    require(request.user, "report.manage_council", report)
    criteria = selectors.report_criteria(report)
    resources_form = forms.PlanResourcesForm(request.POST, criteria=criteria)
    steps_formset = forms.PlanStepFormSet(request.POST, prefix="steps")
    status = 400  # invalid data; 409 when someone saved the plan since the page was loaded
    if resources_form.is_valid() and steps_formset.is_valid():
        steps = [f.cleaned_data for f in steps_formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            services.plan_save(report=report, resources=resources_form.resources(), steps=steps,
                               token=resources_form.cleaned_data["token"], by=request.user)
        except services.ConflictError as exc:
            if _wants_json(request):
                return JsonResponse({"status": "conflict", "message": exc.message, "current": {
                    "revision": services.plan_token(report),
                    "lines": _plan_lines(report, criteria, resources_form.resources(), steps)}}, status=409)
            messages.error(request, exc.message)
            status = 409
        except services.ReportError as exc:
            if _wants_json(request):
                return JsonResponse({"status": "invalid", "message": exc.message}, status=400)
            messages.error(request, exc.message)
        else:
            if _wants_json(request):
                return JsonResponse({"status": "saved", "revision": services.plan_token(report)})
            messages.success(request, _("Đã lưu kế hoạch tự đánh giá."))
            return redirect("selfassessment:report_plan", pk=report.pk)
    else:
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "message": _(
                "Kế hoạch chưa được lưu: hãy kiểm tra các ô được đánh dấu (tuần từ 1 đến 104, hoạt động không bỏ trống)."
            )}, status=400)
        messages.error(request, _("Kế hoạch chưa được lưu: hãy kiểm tra các ô được đánh dấu (tuần từ 1 đến 104, hoạt động không bỏ trống)."))
    return render(request, "selfassessment/report_plan.html", _editor_context(
        request, report, section="plan", texts=_plan_texts(request, report), resources_form=resources_form,
        steps_formset=steps_formset,
    ), status=status)


# --- Phần I -------------------------------------------------------------------------------------


def _data_problems(report: Report, stored: dict) -> list[dict]:
    """The Phần I checks that fail, in words, with the cell they point at."""
    years = schooldata.school_years(report.school_year.code)
    specs = {spec.key: spec for spec in schooldata.tables_for(report.school.level)}
    found = []
    for problem in schooldata.table_problems(report.school.level, years, {k: t.values for k, t in stored.items()}):
        spec = specs[problem.table]
        row = spec.row(problem.row)
        column = next((c.label for c in spec.columns or () if c.key == problem.column), problem.column)
        found.append({"problem": problem, "table": spec.title, "row": row.label if row else problem.row,
                      "column": column, "cell": (problem.table, problem.row, problem.column)})
    return found


def _data_tables(report: Report, bound: dict | None = None, problems: list[dict] | None = None):
    years = schooldata.school_years(report.school_year.code)
    stored = selectors.data_tables(report)
    flagged = {p["cell"] for p in problems or ()}
    tables = []
    for spec in schooldata.tables_for(report.school.level):
        table = stored.get(spec.key)
        form = (bound or {}).get(spec.key)
        values = table.values if table else {}
        grid = schooldata.computed_grid(spec, years, values)
        columns = [{"key": y, "label": y, "computed": False} for y in years] if spec.by_years else [
            {"key": c.key, "label": c.label, "computed": c.computed, "group": c.group} for c in spec.columns or ()]
        rows = []
        for row in spec.rows:
            cells = []
            for column in columns:
                name = forms.DataTableForm.field_name(row.key, column["key"])
                value = grid.get(row.key, {}).get(column["key"]) if not row.heading else None
                if form is not None and not row.computed and not row.heading:
                    value = form.data.get(name, "")
                cells.append({"name": name, "column": column["label"], "value": "" if value is None else value,
                              "computed": row.computed or column["computed"],
                              "error": form.errors.get(name) if form is not None else None,
                              "flagged": (spec.key, row.key, column["key"]) in flagged})
            rows.append({"row": row, "cells": cells})
        tables.append({"spec": spec, "table": table, "columns": columns, "rows": rows,
                       "revision": table.revision if table else 0})
    return tables


def _table_conflict(spec, years: list[str], table, mine: dict) -> dict:
    """What a stale save of a Phần I table shows: the stored cells by field name, and those that differ."""
    labels = {c.key: c.label for c in spec.columns or ()}
    values, lines = {}, []
    for row in spec.input_rows():
        for column in spec.input_columns(years):
            theirs = (table.values.get(row.key) or {}).get(column)
            typed = (mine.get(row.key) or {}).get(column)
            values[forms.DataTableForm.field_name(row.key, column)] = "" if theirs is None else str(theirs)
            if theirs != typed:
                lines.append({"label": f"{row.label} – {labels.get(column, column)}",
                              "theirs": "" if theirs is None else str(theirs), "mine": "" if typed is None else str(typed)})
    return {
        "revision": table.revision, "values": values, "lines": lines,
        "by": table.updated_by.display_name if table.updated_by else "",
        "at": timezone.localtime(table.updated_at).strftime("%H:%M %d/%m/%Y") if table.updated_at else "",
    }


@login_required
@require_GET
def report_data(request, pk: int):
    report = _report(request, pk)
    if tt57.is_tt57(report):
        return redirect("selfassessment:tt57_appendix", pk=report.pk)
    years = schooldata.school_years(report.school_year.code)
    problems = _data_problems(report, selectors.data_tables(report))
    return render(request, "selfassessment/report_data.html", _editor_context(
        request, report, section="data", tables=_data_tables(report, problems=problems), years=years, problems=problems,
        facts_form=forms.FactsForm(initial={"completed_cohorts": report.completed_cohorts, "expected": _facts_expected(report)}),
    ))


@login_required
@require_POST
def data_table_save(request, pk: int, key: str):
    report = _report(request, pk)
    require(request.user, "report.edit", report)
    spec = schooldata.table_for(report.school.level, key)
    if spec is None:
        raise Http404
    years = schooldata.school_years(report.school_year.code)
    form = forms.DataTableForm(request.POST, spec=spec, years=years)
    back = reverse("selfassessment:report_data", kwargs={"pk": report.pk}) + f"#table-{key}"
    if form.is_valid():
        try:
            table = services.data_table_save(report=report, key=key, raw=form.cleaned_data["raw"],
                                             base_revision=form.cleaned_data["revision"], by=request.user)
        except services.ConflictError as exc:
            if _wants_json(request):
                mine = schooldata.clean_values(spec, years, form.cleaned_data["raw"])
                return JsonResponse({"status": "conflict", "message": exc.message,
                                     "current": _table_conflict(spec, years, exc.current, mine)}, status=409)
            messages.error(request, exc.message)
        except services.ReportError as exc:
            if _wants_json(request):
                return JsonResponse({"status": "invalid", "message": exc.message}, status=400)
            messages.error(request, exc.message)
        else:
            if _wants_json(request):
                return JsonResponse({"status": "saved", "revision": table.revision})
            messages.success(request, _("Đã lưu bảng “%(t)s”.") % {"t": spec.title})
            return redirect(back)
    else:
        message = _("Bảng “%(t)s” chưa được lưu: có ô không phải số nguyên (đánh dấu đỏ).") % {"t": spec.title}
        if _wants_json(request):
            bad = [name for name in form.errors if name != "__all__"]
            return JsonResponse({"status": "invalid", "message": message, "fields": bad}, status=400)
        messages.error(request, message)
    # Re-render with what was typed so that nothing is lost.
    problems = _data_problems(report, selectors.data_tables(report))
    return render(request, "selfassessment/report_data.html", _editor_context(
        request, report, section="data", tables=_data_tables(report, {key: form}, problems), years=years,
        problems=problems,
        facts_form=forms.FactsForm(initial={"completed_cohorts": report.completed_cohorts, "expected": _facts_expected(report)}),
    ), status=400 if not form.is_valid() else 409)
