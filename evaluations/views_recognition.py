"""Views of the TT57/2026 recognition (Điều 16-19) and of the unit's configurable deadlines.

- ``recognition_list``: the Sở's page, each school with the four conditions of khoản 1 Điều 16,
  its facilities record, its latest TT57 recognition and its certificate of before 07/7/2026;
- ``recognition_school``: one school's conditions, the facilities form and the decision form;
- ``deadline_configure``: a unit's deadlines of a school year (keep, move, add, remove).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdinh.permissions import can, require
from schools.models import School, SchoolYear
from schools.selectors import schools_visible_to

from . import certification, deadlines57, recognition_selectors, selectors, services
from .forms import DeadlineAddForm, DeadlineRemoveForm, Facilities57Form, Recognition57Form
from .models import ReportingDeadline
from .services import recognition as recognition_services

# --- Recognition ----------------------------------------------------------------------------------


@login_required
@require_GET
def recognition_list(request):
    require(request.user, "recognition57.view")
    schools = schools_visible_to(request.user).filter(status=School.Status.ACTIVE).select_related("reviewing_unit")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(code__icontains=query))
    only_ready = request.GET.get("ready") == "1"
    rows = recognition_selectors.recognition_rows(list(schools.order_by("reviewing_unit__name", "level", "code")))
    if only_ready:
        rows = [row for row in rows if row.conditions.proposed_degree]
    return render(request, "evaluations/recognition_list.html", {
        "rows": rows, "query": query, "only_ready": only_ready, "today": timezone.localdate(),
        "can_record": can(request.user, "recognition57.record"),
    })


def _school(request, pk: int) -> School:
    return get_object_or_404(schools_visible_to(request.user).select_related("reviewing_unit"), pk=pk)


def _school_page(request, school: School, *, facilities_form=None, recognition_form=None, status: int = 200):
    today = timezone.localdate()
    (row,) = recognition_selectors.recognition_rows([school])
    record = row.facilities
    can_record = can(request.user, "recognition57.record", school)
    if can_record and facilities_form is None:
        facilities_form = Facilities57Form(initial={
            "degree": record.degree if record else 0, "note": record.note if record else "",
            "revision": record.revision if record else 0,
        }, auto_id="facilities_%s")
    if can_record and recognition_form is None:
        recognition_form = Recognition57Form()
    recognitions = list(recognition_selectors.recognitions_visible_to(request.user).filter(school=school))
    certificates = list(selectors.certificates_visible_to(request.user).filter(school=school))
    return render(request, "evaluations/recognition_school.html", {
        "school": school, "row": row, "can_record": can_record, "facilities_form": facilities_form,
        "recognition_form": recognition_form, "today": today,
        "lines": recognition_selectors.recognition_lines(recognitions, today),
        "certificates": [(c, certification.validity_state(c.valid_until, today)) for c in certificates],
    }, status=status)


@login_required
@require_GET
def recognition_school(request, pk: int):
    school = _school(request, pk)
    require(request.user, "recognition57.view", school)
    return _school_page(request, school)


@login_required
@require_POST
def facilities57_set(request, pk: int):
    school = _school(request, pk)
    require(request.user, "recognition57.record", school)
    form = Facilities57Form(request.POST, auto_id="facilities_%s")
    if not form.is_valid():
        return _school_page(request, school, facilities_form=form, status=400)
    data = form.cleaned_data
    try:
        recognition_services.facilities57_set(school=school, degree=data["degree"], note=data["note"], by=request.user,
                                              revision=data["revision"])
    except services.EvaluationsError as exc:
        form.add_error(None, str(exc))
        return _school_page(request, school, facilities_form=form, status=409)
    messages.success(request, _("Đã ghi nhận điều kiện cơ sở vật chất của %(school)s.") % {"school": school.name})
    return redirect("evaluations:recognition_school", pk=school.pk)


@login_required
@require_POST
def recognition57_create(request, pk: int):
    school = _school(request, pk)
    require(request.user, "recognition57.record", school)
    form = Recognition57Form(request.POST)
    if not form.is_valid():
        return _school_page(request, school, recognition_form=form, status=400)
    data = form.cleaned_data
    try:
        item = recognition_services.recognition57_record(
            school=school, by=request.user, decision_number=data["decision_number"], decision_date=data["decision_date"],
            issuing_body=data["issuing_body"], degree=data["degree"], confirmed=data["confirmed"],
            conditions_note=data["conditions_note"], note=data["note"],
        )
    except services.EvaluationsError as exc:
        form.add_error(None, str(exc))
        return _school_page(request, school, recognition_form=form, status=400)
    messages.success(request, _("Đã ghi quyết định công nhận %(school)s đạt chuẩn quốc gia %(degree)s, hiệu lực đến %(until)s.")
                     % {"school": school.name, "degree": item.get_degree_display(),
                        "until": item.valid_until.strftime("%d/%m/%Y")})
    return redirect("evaluations:recognition_school", pk=school.pk)


# --- The unit's deadlines of a school year ----------------------------------------------------------


def _unit_and_year(request, unit_pk: int, year: str):
    unit = get_object_or_404(selectors.units_overseen_by(request.user), pk=unit_pk)
    school_year = get_object_or_404(SchoolYear, code=year)
    return unit, school_year


def _configure_page(request, unit, school_year, *, add_form=None, status: int = 200):
    today = timezone.localdate()
    rows = deadlines57.configuration(unit, school_year, today)
    configured = {row.deadline.period for row in rows}
    free = [(value, label) for value, label in ReportingDeadline.Period.choices if value not in configured]
    can_manage = can(request.user, "deadline.manage", unit)
    if can_manage and add_form is None and free:
        add_form = DeadlineAddForm(periods=free, auto_id="add_%s")
    return render(request, "evaluations/deadline_configure.html", {
        "unit": unit, "school_year": school_year, "rows": rows, "can_manage": can_manage,
        "add_form": add_form if free else None, "today": today,
        "years": SchoolYear.objects.all()[:10],
    }, status=status)


@login_required
@require_GET
def deadline_configure(request, unit_pk: int, year: str):
    unit, school_year = _unit_and_year(request, unit_pk, year)
    require(request.user, "deadline.view", unit)
    return _configure_page(request, unit, school_year)


def _configure_url(unit, school_year) -> str:
    return reverse("evaluations:deadline_configure", args=[unit.pk, school_year.code])


@login_required
@require_POST
def deadline_add(request, unit_pk: int, year: str):
    unit, school_year = _unit_and_year(request, unit_pk, year)
    require(request.user, "deadline.manage", unit)
    configured = set(ReportingDeadline.objects.filter(unit=unit, school_year=school_year).values_list("period", flat=True))
    free = [(value, label) for value, label in ReportingDeadline.Period.choices if value not in configured]
    form = DeadlineAddForm(request.POST, periods=free, auto_id="add_%s")
    if not form.is_valid():
        return _configure_page(request, unit, school_year, add_form=form, status=400)
    data = form.cleaned_data
    try:
        deadline = services.reporting_deadline_add(unit=unit, school_year=school_year, period=data["period"],
                                                   due_date=data["due_date"], note=data["note"], by=request.user)
    except services.EvaluationsError as exc:
        form.add_error(None, str(exc))
        return _configure_page(request, unit, school_year, add_form=form, status=400)
    messages.success(request, _("Đã thêm hạn “%(period)s”: %(date)s.") % {
        "period": deadline.get_period_display(), "date": deadline.due_date.strftime("%d/%m/%Y")})
    return redirect(_configure_url(unit, school_year))


@login_required
@require_POST
def deadline_remove(request, pk: int):
    deadline = get_object_or_404(selectors.deadlines_visible_to(request.user), pk=pk)
    require(request.user, "deadline.manage", deadline)
    form = DeadlineRemoveForm(request.POST)
    url = _configure_url(deadline.unit, deadline.school_year)
    if not form.is_valid():
        messages.error(request, _("Không bỏ được hạn: hãy tải lại trang rồi thử lại."))
        return redirect(url)
    try:
        services.reporting_deadline_remove(deadline=deadline, by=request.user, revision=form.cleaned_data["revision"])
    except services.EvaluationsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã bỏ hạn “%(period)s”.") % {"period": deadline.get_period_display()})
    return redirect(url)

