"""Views of the evidence library: scoped lookup (404), permission (403), form, service, message, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiemdinh.params import int_or_none
from kiemdinh.permissions import can, require
from kiemdinh.storage import open_private
from schools.models import School
from schools.selectors import schools_visible_to, sole_school_id
from standards.models import RegulationVersion

from . import selectors, services, uploads
from .exporters import EvidenceListExporter
from .exporters_tt57 import Tt57EvidenceListExporter
from .forms import CriterionPickForm, EvidenceForm
from .models import Evidence, criterion_key
from .selectors import LibraryFilter, Status
from .upload_handlers import limit_upload_size, oversize_message

PAGE_SIZE = 50
SCHOOLS_PAGE_SIZE = 50
SMALL_FILE_BYTES = 512 * 1024


def _school(request, pk: int) -> School:
    return get_object_or_404(schools_visible_to(request.user), pk=pk)


def _evidence(request, pk: int) -> Evidence:
    return get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)


def _library_url(school: School) -> str:
    return reverse("evidence:evidence_list", kwargs={"school_pk": school.pk})


# --- the libraries a user reaches ---------------------------------------------------------------


@login_required
@require_GET
def library_index(request):
    """Start of the evidence section: a school member goes to their library, others pick a school."""
    require(request.user, "evidence.view")
    own = sole_school_id(request.user)
    if own is not None:
        return redirect("evidence:evidence_list", school_pk=own)
    schools = schools_visible_to(request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(code__icontains=query))
    schools = schools.annotate(
        evidence_count=Count("evidence_items", filter=Q(evidence_items__is_archived=False)),
        file_count=Count("evidence_items", filter=Q(evidence_items__is_archived=False) & ~Q(evidence_items__file="")),
    ).order_by("reviewing_unit__name", "level", "code")
    page = Paginator(schools, SCHOOLS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evidence/library_index.html", {"page": page, "query": query})


# --- one school's library -----------------------------------------------------------------------


def _filters(request, regulation: int | None = None) -> LibraryFilter:
    standard = int_or_none(request.GET.get("standard"))
    criterion = request.GET.get("criterion", "").strip()[:12]
    status = request.GET.get("status", "")
    return LibraryFilter(
        standard=standard if standard and standard < 100 else None,
        criterion=criterion if criterion.replace(".", "").isdigit() else "",
        box=int_or_none(request.GET.get("box")),
        query=request.GET.get("q", "").strip()[:100],
        status=status if status in Status.CHOICES else Status.ALL,
        regulation=regulation,
    )


def _shown_regulation(request, regulations, version):
    """Which regulation's items the list shows: the one asked for, else the one in force if the
    school has items under it (a school that moved to TT57 sees its MC codes first), else all."""
    by_id = {r.id: r for r in regulations}
    asked = int_or_none(request.GET.get("regulation"))
    if asked in by_id:
        return by_id[asked]
    if len(regulations) > 1 and version is not None and version.regulation_id in by_id:
        return by_id[version.regulation_id]
    return None


@login_required
@require_GET
def evidence_list(request, school_pk: int):
    school = _school(request, school_pk)
    require(request.user, "evidence.view", school)
    version = selectors.version_for_school(school)
    regulations = selectors.library_regulations(school)
    shown = _shown_regulation(request, regulations, version)
    filters = _filters(request, shown.id if shown else None)
    if shown is not None and version is not None and shown.id != version.regulation_id:
        # The 2018 items of a school now under TT57: filter by the criteria they are coded under.
        version = RegulationVersion.objects.filter(regulation_id=shown.id).select_related("regulation").order_by(
            "-effective").first()
    criteria = selectors.criteria_for_school(school, version=version)
    page = Paginator(selectors.evidence_library(school, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.can_change = can(request.user, "evidence.change", item)
    return render(
        request,
        "evidence/evidence_list.html",
        {
            "school": school,
            "version": version,
            "page": page,
            "filters": filters,
            "regulations": regulations if len(regulations) > 1 else [],
            "shown_regulation": shown,
            "round_citations": bool(shown and shown.scheme.style.open == "("),
            "statuses": [
                (Status.VALID, _("Còn hiệu lực")),
                (Status.EXPIRED, _("Hết hiệu lực")),
                (Status.WITH_FILE, _("Có tệp đính kèm")),
                (Status.WITHOUT_FILE, _("Chưa có tệp")),
                (Status.SHARED, _("Dùng chung nhiều tiêu chí")),
                (Status.ARCHIVED, _("Đã lưu trữ")),
            ],
            "standards": selectors.standards_for_filter(criteria),
            "criteria": criteria,
            "boxes": selectors.boxes_in_use(school),
            "stats": selectors.evidence_stats(school, regulation_id=shown.id if shown else None),
            "today": timezone.localdate(),
            "can_add": can(request.user, "evidence.add", school),
            "can_renumber": can(request.user, "evidence.renumber", school),
        },
    )


@csrf_exempt  # the CSRF check runs in _evidence_create, after the size limit is in place
@login_required
def evidence_create(request, school_pk: int):
    limit_upload_size(request, services.max_upload_bytes())
    return _evidence_create(request, school_pk)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _evidence_create(request, school_pk: int):
    school = _school(request, school_pk)
    require(request.user, "evidence.add", school)
    criteria = selectors.criteria_for_school(school)
    initial = {}
    wanted = int_or_none(request.GET.get("criterion"))
    if wanted and any(c.pk == wanted for c in criteria):
        initial["criterion"] = wanted
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        instance=Evidence(school=school),
        criteria=criteria,
        initial=initial,
        oversize=oversize_message(request),
        cancel_url=_library_url(school),
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.evidence_create(
                school=school,
                criterion=form.cleaned_data["criterion"],
                by=request.user,
                upload=form.cleaned_data.get("upload"),
                **form.service_fields(),
            )
        except services.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Đã thêm minh chứng %(code)s – %(name)s.") % {"code": evidence.code, "name": evidence.name}
            )
            if "save_add" in request.POST:
                return redirect(
                    reverse("evidence:evidence_create", kwargs={"school_pk": school.pk})
                    + f"?criterion={evidence.criterion_id}"
                )
            return redirect("evidence:evidence_detail", pk=evidence.pk)
    if not criteria:
        messages.warning(
            request, _("Chưa có bộ tiêu chuẩn áp dụng cho cấp học của trường; hãy báo quản trị hệ thống nạp bộ tiêu chuẩn.")
        )
    return render(
        request,
        "evidence/evidence_form.html",
        {
            "form": form,
            "school": school,
            "evidence": None,
            "conflict": None,
            "code_previews": selectors.code_previews(school, criteria),
        },
    )


@login_required
@require_GET
def evidence_detail(request, pk: int):
    evidence = _evidence(request, pk)
    require(request.user, "evidence.view", evidence)
    school = evidence.school
    can_share = can(request.user, "evidence.share", evidence)
    can_renumber = can(request.user, "evidence.renumber", school)
    share_form = move_form = None
    if can_share or can_renumber:
        criteria = selectors.criteria_for_school(school)
        home = criterion_key(evidence.criterion)
        shared = {criterion_key(c) for c in evidence.shared_criteria.all()}
        if can_share and not evidence.is_archived:
            share_form = CriterionPickForm(
                criteria=[c for c in criteria if criterion_key(c) != home and criterion_key(c) not in shared],
                label=_("Dùng chung cho tiêu chí"),
                auto_id="share_%s",
            )
        if can_renumber and not evidence.is_archived:
            move_form = CriterionPickForm(
                criteria=[c for c in criteria if criterion_key(c) != home],
                label=_("Chuyển sang tiêu chí"),
                auto_id="move_%s",
            )
    return render(
        request,
        "evidence/evidence_detail.html",
        {
            "evidence": evidence,
            "school": school,
            "share_form": share_form,
            "move_form": move_form,
            "can_change": can(request.user, "evidence.change", evidence),
            "can_share": can_share,
            "can_download": can(request.user, "evidence.download", evidence),
        },
    )


@csrf_exempt  # the CSRF check runs in _evidence_update, after the size limit is in place
@login_required
def evidence_update(request, pk: int):
    limit_upload_size(request, services.max_upload_bytes())
    return _evidence_update(request, pk)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _evidence_update(request, pk: int):
    evidence = _evidence(request, pk)
    require(request.user, "evidence.change", evidence)
    if evidence.is_archived:
        messages.error(request, _("Minh chứng đã được lưu trữ; hãy khôi phục trước khi sửa."))
        return redirect("evidence:evidence_detail", pk=evidence.pk)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        instance=evidence,
        oversize=oversize_message(request),
        cancel_url=reverse("evidence:evidence_detail", kwargs={"pk": evidence.pk}),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update(
                evidence=evidence,
                by=request.user,
                version=form.cleaned_data.get("version"),
                upload=form.cleaned_data.get("upload"),
                remove_file=bool(form.cleaned_data.get("remove_file")),
                **form.service_fields(),
            )
        except services.EvidenceConflictError as exc:
            conflict = exc.current
            form.add_error(None, str(exc))
            # Saving again from here is a deliberate choice to replace the other person's version.
            data = form.data.copy()
            data["version"] = str(conflict.version)
            form.data = data
        except services.EvidenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu minh chứng %(code)s.") % {"code": evidence.code})
            return redirect("evidence:evidence_detail", pk=evidence.pk)
    return render(
        request,
        "evidence/evidence_form.html",
        {"form": form, "school": evidence.school, "evidence": evidence, "conflict": conflict},
    )


@login_required
@require_GET
def evidence_download(request, pk: int):
    """The file, as an attachment, typed as the upload check found it, never rendered by the browser."""
    evidence = _evidence(request, pk)
    require(request.user, "evidence.download", evidence)
    if not evidence.file:
        raise Http404(_("Minh chứng này không có tệp đính kèm."))
    content_type = evidence.content_type or "application/octet-stream"
    try:
        handle = open_private(evidence.file)  # the local folder or the bucket, streamed
        if (evidence.file_size or 0) <= SMALL_FILE_BYTES:
            # Most evidence is a scan of a page or two: send it in one piece and close the file
            # now, rather than holding a handle until a client finishes reading.
            with handle:
                response = HttpResponse(handle.read(), content_type=content_type)
        else:
            response = FileResponse(handle, content_type=content_type)
    except (FileNotFoundError, OSError):
        raise Http404(_("Không tìm thấy tệp trên máy chủ; hãy báo quản trị hệ thống.")) from None
    response["Content-Disposition"] = uploads.content_disposition(evidence.file_name or f"{evidence.code}.bin")
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser ignored the attachment, the document could run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    response["X-Frame-Options"] = "DENY"
    if evidence.sha256:
        response["ETag"] = f'"{evidence.sha256}"'
    return response


@login_required
@require_POST
def evidence_share(request, pk: int):
    evidence = _evidence(request, pk)
    require(request.user, "evidence.share", evidence)
    form = CriterionPickForm(request.POST, criteria=selectors.criteria_for_school(evidence.school))
    if form.is_valid():
        criterion = form.cleaned_data["criterion"]
        try:
            services.evidence_share(evidence=evidence, criterion=criterion, by=request.user)
        except services.EvidenceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Minh chứng %(code)s được dùng chung cho tiêu chí %(number)s (giữ nguyên mã).")
                % {"code": evidence.code, "number": criterion.number},
            )
    else:
        messages.error(request, _("Hãy chọn một tiêu chí."))
    return redirect("evidence:evidence_detail", pk=evidence.pk)


@login_required
@require_POST
def evidence_unshare(request, pk: int, criterion_pk: int):
    evidence = _evidence(request, pk)
    require(request.user, "evidence.share", evidence)
    criterion = get_object_or_404(evidence.shared_criteria.all(), pk=criterion_pk)
    services.evidence_unshare(evidence=evidence, criterion=criterion, by=request.user)
    messages.success(
        request, _("Đã bỏ dùng chung minh chứng %(code)s cho tiêu chí %(number)s.")
        % {"code": evidence.code, "number": criterion.number},
    )
    return redirect("evidence:evidence_detail", pk=evidence.pk)


@login_required
@require_POST
def evidence_move(request, pk: int):
    evidence = _evidence(request, pk)
    require(request.user, "evidence.renumber", evidence.school)
    form = CriterionPickForm(request.POST, criteria=selectors.criteria_for_school(evidence.school))
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một tiêu chí."))
        return redirect("evidence:evidence_detail", pk=evidence.pk)
    try:
        mapping = services.evidence_move(evidence=evidence, criterion=form.cleaned_data["criterion"], by=request.user)
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
    else:
        old, new = next(iter(mapping.items()))
        messages.success(
            request,
            _("Đã chuyển minh chứng: mã %(old)s đổi thành %(new)s; các trích dẫn trong báo cáo đang soạn được sửa theo.")
            % {"old": old, "new": new},
        )
    return redirect("evidence:evidence_detail", pk=evidence.pk)


@login_required
@require_POST
def evidence_archive(request, pk: int):
    evidence = _evidence(request, pk)
    require(request.user, "evidence.change", evidence)
    services.evidence_archive(evidence=evidence, by=request.user)
    messages.success(
        request, _("Đã lưu trữ minh chứng %(code)s; mã này vẫn được giữ, không cấp cho minh chứng khác.")
        % {"code": evidence.code},
    )
    return redirect("evidence:evidence_detail", pk=evidence.pk)


@login_required
@require_POST
def evidence_restore(request, pk: int):
    evidence = _evidence(request, pk)
    require(request.user, "evidence.change", evidence)
    services.evidence_restore(evidence=evidence, by=request.user)
    messages.success(request, _("Đã khôi phục minh chứng %(code)s.") % {"code": evidence.code})
    return redirect("evidence:evidence_detail", pk=evidence.pk)


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = _evidence(request, pk)
    require(request.user, "evidence.change", evidence)
    school = evidence.school
    try:
        services.evidence_delete(evidence=evidence, by=request.user)
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
        return redirect("evidence:evidence_detail", pk=evidence.pk)
    messages.success(
        request,
        _("Đã xóa minh chứng %(code)s. Mã để trống sẽ được lấp khi đánh lại mã.") % {"code": evidence.code},
    )
    return redirect(_library_url(school))


@login_required
@require_GET
def evidence_renumber_preview(request, school_pk: int):
    """What a renumbering would change, for the principal to confirm."""
    school = _school(request, school_pk)
    require(request.user, "evidence.renumber", school)
    mapping = services.renumber_preview(school)
    return render(
        request,
        "evidence/evidence_renumber.html",
        {"school": school, "mapping": sorted(mapping.items(), key=lambda pair: pair[1])},
    )


@login_required
@require_POST
def evidence_renumber(request, school_pk: int):
    school = _school(request, school_pk)
    require(request.user, "evidence.renumber", school)
    try:
        mapping = services.evidence_renumber(school=school, by=request.user)
    except services.EvidenceError as exc:
        messages.error(request, str(exc))
        return redirect("evidence:evidence_renumber_preview", school_pk=school.pk)
    if mapping:
        messages.success(
            request,
            ngettext(
                "Đã đánh lại %(count)s mã minh chứng; trích dẫn trong các báo cáo đang soạn đã được sửa theo.",
                "Đã đánh lại %(count)s mã minh chứng; trích dẫn trong các báo cáo đang soạn đã được sửa theo.",
                len(mapping),
            ) % {"count": len(mapping)},
        )
    else:
        messages.info(request, _("Mã minh chứng đã liên tục, không có mã nào cần đổi."))
    return redirect(_library_url(school))


@login_required
@require_GET
def evidence_export(request, school_pk: int):
    school = _school(request, school_pk)
    require(request.user, "evidence.view", school)
    regulation = selectors.library_regulation(school, int_or_none(request.GET.get("regulation")))
    if regulation is not None and services.scheme_for_regulation(regulation).style.open == "(":
        items = selectors.evidence_for_regulation(school, regulation.pk)
        filename, content_type, content = Tt57EvidenceListExporter(school, regulation, items).render()
    else:
        items = selectors.evidence_for_school(school)
        if regulation is not None:
            items = items.filter(criterion__standard__version__regulation=regulation)
        filename, content_type, content = EvidenceListExporter(school, items).render()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = uploads.content_disposition(filename)
    return response


@login_required
@require_GET
def evidence_cite_demo(request, school_pk: int):
    """A page to try the citation helper (cite.js) on the school's codes."""
    school = _school(request, school_pk)
    require(request.user, "evidence.view", school)
    return render(
        request,
        "evidence/evidence_cite_demo.html",
        {
            "school": school,
            "search_url": reverse("evidence:evidence_search") + f"?school={school.pk}",
            "sample": selectors.evidence_for_school(school).first(),
        },
    )


@login_required
@require_GET
def evidence_search(request):
    """JSON for the citation autocomplete: ``?school=<id>&q=<text>`` -> at most 20 of the school's items."""
    school_pk = int_or_none(request.GET.get("school"))
    if school_pk is None:
        return JsonResponse({"error": _("Thiếu tham số school."), "results": []}, status=400)
    school = _school(request, school_pk)
    require(request.user, "evidence.view", school)
    today = timezone.localdate()
    results = [
        {
            "id": item.pk,
            "code": item.code,
            "name": item.name,
            "criterion": item.criterion.number,
            "box": item.box,
            "expired": item.is_expired(today),
            "has_file": bool(item.file),
            "url": reverse("evidence:evidence_detail", kwargs={"pk": item.pk}),
        }
        for item in selectors.evidence_search(
            school, request.GET.get("q", "")[:100], regulation_id=int_or_none(request.GET.get("regulation"))
        )
    ]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-cache"
    return response
