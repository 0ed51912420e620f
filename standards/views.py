"""Catalog pages: the regulations, one regulation's standards and criteria, the yearly schedule, imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiemdinh.permissions import can, require
from schools.models import School

from . import selectors, services
from .engine import family2026, ladder
from .engine.rules import ACCREDITATION, NATIONAL_STANDARD
from .explain import describe_change, quantitative_transition_note, rule_summary, school_level_rule_lines
from .exporters import CatalogJsonExporter, CatalogXlsxExporter, catalog_dict
from .forms import CatalogUploadForm, ScheduleForm
from .models import CatalogImport, Criterion, Regulation

LEVEL_LABELS = dict(School.Level.choices)


def family_label(name: str) -> str:
    labels = {
        "2018": _("Mức 1–4 (từ 2018)"),
        "legacy": _("Đạt / không đạt (trước 2018)"),
        "2026": _("Mức 1–2, có tiêu chí bắt buộc (từ năm học 2026-2027)"),
    }
    return labels.get(name, name)


def _download(rendered: tuple[str, str, bytes]) -> HttpResponse:
    filename, content_type, content = rendered
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def regulation_list(request):
    require(request.user, "catalog.view")
    regulations = selectors.regulation_list()
    in_force = selectors.versions_in_force_ids(timezone.localdate())
    for regulation in regulations:
        regulation.version_today = next((v for v in regulation.versions.all() if v.pk in in_force), None)
        regulation.level_labels = [LEVEL_LABELS.get(code, code) for code in regulation.school_levels]
        regulation.family_label = family_label(regulation.family)
    return render(request, "standards/regulation_list.html", {
        "regulations": regulations,
        "can_manage": can(request.user, "catalog.manage"),
    })


@login_required
@require_GET
def regulation_detail(request, pk: int):
    require(request.user, "catalog.view")
    try:
        regulation = selectors.regulation_get(pk)
    except Regulation.DoesNotExist:
        raise Http404 from None
    versions = list(regulation.versions.all())
    if not versions:
        raise Http404
    latest = selectors.version_in_force(versions, timezone.localdate())
    in_force_ids = selectors.versions_in_force_ids(timezone.localdate())
    in_force = next((v for v in versions if v.pk in in_force_ids), None)
    wanted = request.GET.get("version")
    version = next((v for v in versions if v.code == wanted), None) or latest or versions[0]
    version.regulation = regulation
    query = (request.GET.get("q") or "").strip()[:200]
    tree = selectors.version_tree(version, query=query)
    rules = regulation.rules
    rung_names = {ACCREDITATION: _("Cấp độ %(n)s"), NATIONAL_STANDARD: _("Chuẩn quốc gia Mức độ %(n)s")}
    ladders = [
        (title, [
            (rung.name or rung_names[section] % {"n": rung.level}, rung, rule_summary(rung))
            for rung in ladder(rules, section)
        ])
        for title, section in ((_("Cấp độ kiểm định"), ACCREDITATION), (_("Chuẩn quốc gia"), NATIONAL_STANDARD))
    ]
    school_rule_lines, transition_note = [], ""
    if regulation.family == family2026.NAME:
        numbers = list(
            Criterion.objects.filter(standard__version=version, is_repealed=False)
            .order_by("position").values_list("number", "mandatory")
        )
        school_rule_lines = school_level_rule_lines(
            rules, [number for number, mandatory in numbers if mandatory], len(numbers)
        )
        transition_note = quantitative_transition_note(regulation)
        ladders.append((_("Chuẩn quốc gia"), [
            (rung.name or rung_names[NATIONAL_STANDARD] % {"n": rung.level}, rung, rule_summary(rung))
            for rung in family2026.national_standard_ladder(rules)
        ]))
    source = regulation.source_data
    sources = source.get("source") if isinstance(source.get("source"), list) else []
    if not sources and isinstance(source.get("sources"), list):
        # TT57/2026 names its sources as repositories and paths rather than URLs.
        sources = [
            " ".join(str(s.get(k)) for k in ("id", "repo", "path") if s.get(k))
            for s in source["sources"] if isinstance(s, dict)
        ]
    return render(request, "standards/regulation_detail.html", {
        "regulation": regulation,
        "versions": versions,
        "version": version,
        "in_force": in_force,
        "tree": tree,
        "query": query,
        "match_count": sum(len(s.criteria) for s in tree),
        "level4": list(selectors.level4_requirements(version)),
        "ladders": [(title, rungs) for title, rungs in ladders if rungs],
        "sources": [s for s in sources if isinstance(s, str)],
        "level_labels": [LEVEL_LABELS.get(code, code) for code in regulation.school_levels],
        "family_label": family_label(regulation.family),
        "is_binary": regulation.level_count == 1,
        "school_rule_lines": school_rule_lines,
        "transition_note": transition_note,
        "can_manage": can(request.user, "catalog.manage"),
    })


@login_required
@require_GET
def regulation_export(request, pk: int):
    require(request.user, "catalog.view")
    regulation = get_object_or_404(Regulation, pk=pk)
    if request.GET.get("format") == "xlsx":
        return _download(CatalogXlsxExporter(catalog_dict(regulation)).render())
    return _download(CatalogJsonExporter(regulation).render())


def _default_year() -> str:
    today = timezone.localdate()
    first = today.year if today.month >= 8 else today.year - 1
    return f"{first}-{first + 1}"


@login_required
@require_GET
def regulation_schedule(request):
    """Which regulation (and version) each school level is assessed under in a school year."""
    require(request.user, "catalog.view")
    form = ScheduleForm(request.GET or None)
    year = form.cleaned_data["year"] if form.is_valid() and form.cleaned_data["year"] else _default_year()
    regulations = selectors.regulations_applicable()
    start, end = selectors.school_year_bounds(year)
    rows = [
        (label, selectors.regulation_periods(code, start, end, regulations=regulations, school_year=year))
        for code, label in School.Level.choices
    ]
    current_first = int(_default_year()[:4])
    years = [f"{y}-{y + 1}" for y in range(current_first + 1, 2012, -1)]
    overview = []
    for code in years:
        first = int(code[:4])
        cells = []
        for level, _label in School.Level.choices:
            periods = selectors.regulation_periods(
                level, *selectors.school_year_bounds_default(first), regulations=regulations, school_year=code
            )
            cells.append(periods)
        overview.append((code, cells))
    return render(request, "standards/regulation_schedule.html", {
        "form": form,
        "year": year,
        "start": start,
        "end": end,
        "rows": rows,
        "years": years,
        "levels": School.Level.choices,
        "overview": overview,
    })


@login_required
@require_http_methods(["GET", "POST"])
def catalog_import(request):
    require(request.user, "catalog.manage")
    form = CatalogUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        catalog_import, errors = services.catalog_import_create(
            content=upload.read(), file_name=upload.name, by=request.user
        )
        if catalog_import is not None:
            return redirect("standards:catalog_import_confirm", pk=catalog_import.pk)
    return render(request, "standards/catalog_import.html", {
        "form": form,
        "errors": errors,
        "imports": selectors.catalog_imports_recent(),
        "regulations": Regulation.objects.order_by("code"),
    }, status=400 if errors else 200)


@login_required
@require_GET
def catalog_import_template(request):
    require(request.user, "catalog.manage")
    regulation_id = request.GET.get("regulation")
    data = None
    if regulation_id:
        if not regulation_id.isdigit():
            raise Http404
        data = catalog_dict(get_object_or_404(Regulation, pk=int(regulation_id)))
    return _download(CatalogXlsxExporter(data).render())


@login_required
@require_http_methods(["GET", "POST"])
def catalog_import_confirm(request, pk: int):
    """GET shows what the import would change; POST applies it."""
    require(request.user, "catalog.manage")
    catalog_import = get_object_or_404(CatalogImport, pk=pk)
    if request.method == "POST":
        try:
            report = services.catalog_import_apply(catalog_import=catalog_import, by=request.user)
        except services.CatalogError as exc:
            messages.error(request, exc.message)
            return redirect("standards:catalog_import_confirm", pk=pk)
        messages.success(request, report.describe())
        regulation = Regulation.objects.get(code=catalog_import.regulation_code)
        return redirect("standards:regulation_detail", pk=regulation.pk)
    preview = selectors.catalog_import_preview(catalog_import)
    changes = [describe_change(change) for change in preview.diff.changes] if preview.diff else []
    spec = preview.spec
    return render(request, "standards/catalog_import_confirm.html", {
        "catalog_import": catalog_import,
        "preview": preview,
        "changes": changes,
        "counts": preview.diff.counts if preview.diff else {},
        "spec_counts": {
            "standards": len(spec.standards),
            "criteria": sum(1 for _c in spec.criteria()),
            "indicators": [spec.indicator_count(level) for level in range(1, spec.level_count + 1)],
            "level4": len(spec.level4),
            "versions": 1 + len(spec.amendments),
        } if spec else None,
        "regulation": Regulation.objects.filter(code=catalog_import.regulation_code).first(),
    })


@login_required
@require_POST
def catalog_import_discard(request, pk: int):
    require(request.user, "catalog.manage")
    catalog_import = get_object_or_404(CatalogImport, pk=pk)
    try:
        services.catalog_import_discard(catalog_import=catalog_import, by=request.user)
    except services.CatalogError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("Đã hủy lần nhập %(name)s.") % {"name": catalog_import.file_name})
    return redirect("standards:catalog_import")
