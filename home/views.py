"""Start pages and dashboards: the pages that read from several apps (the top layer)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from evaluations.selectors import upcoming_deadlines_for_school
from kiemdinh.params import int_or_none
from kiemdinh.permissions import can, require
from reviews import selectors as review_selectors
from schools.models import School, SchoolYear
from schools.scope import scope_of
from schools.selectors import schools_visible_to
from schools.years import current_among, school_year_chosen
from selfassessment.models import Report
from selfassessment.selectors import reports_for_school_home

DASHBOARD_PAGE_SIZE = 50


@login_required
def home(request):
    """Send each role to its own start page."""
    scope = scope_of(request.user)
    if scope.sees_everything or scope.department_ids:
        return redirect("reviews:department_dashboard")
    if scope.district_unit_ids:
        return redirect("reviews:district_dashboard")
    if scope.school_ids:
        return redirect("schools:school_home")
    return redirect("schools:profile")


@login_required
def school_home(request):
    """Start page of a principal or school staff member: their school(s)."""
    scope = scope_of(request.user)
    schools = list(schools_visible_to(request.user).filter(pk__in=scope.school_ids))
    if not schools:
        return redirect("home")
    reports = reports_for_school_home(request.user)
    today = timezone.localdate()
    for school in schools:
        school.home_reports = reports.get(school.pk, [])
        school.upcoming = upcoming_deadlines_for_school(school, today)
    return render(request, "home/school_home.html", {"schools": schools})


def _without(params, key: str) -> str:
    """The query string without one parameter (the "current year" link keeps every other filter)."""
    params = params.copy()
    params.pop(key, None)
    return params.urlencode()


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in Report.Kind.values else Report.Kind.PERIODIC


@login_required
@require_GET
def district_dashboard(request):
    """Every school of one reviewing unit with its report status, level, deadline and certificate."""
    require(request.user, "dashboard.district")
    years = list(SchoolYear.objects.order_by("-start_date"))  # the year switch; the year is chosen among them
    query = review_selectors.dashboard_query(request.user, request.GET, school_years=years)
    if query is None:
        raise Http404
    require(request.user, "dashboard.district", query.unit)
    unit, units, filters = query.unit, query.units, query.filters
    page_number = max(int_or_none(request.GET.get("page")) or 1, 1)
    start = (page_number - 1) * DASHBOARD_PAGE_SIZE
    dashboard = review_selectors.district_dashboard(
        unit, school_year=query.school_year, kind=query.kind, filters=filters, period=query.period,
        page_slice=slice(start, start + DASHBOARD_PAGE_SIZE),
    )
    page = Paginator(dashboard.rows, DASHBOARD_PAGE_SIZE).get_page(page_number)
    params = request.GET.copy()
    params.pop("page", None)
    current = current_among(years)
    return render(request, "home/district_dashboard.html", {
        "dashboard": dashboard, "page": page, "page_rows": dashboard.rows[start:start + DASHBOARD_PAGE_SIZE],
        "current_year": current, "querystring_without_year": _without(params, "year"),
        "units": units, "unit": unit, "filters": filters, "years": years,
        "kinds": Report.Kind.choices, "levels": School.Level.choices,
        "statuses": review_selectors.status_filter_choices(),
        "querystring": params.urlencode(), "can_department": can(request.user, "dashboard.department"),
        "can_settings": can(request.user, "review.settings", unit),
    })


@login_required
@require_GET
def department_dashboard(request):
    """The same view one level up: every reviewing unit of the Sở, a page of units at a time (``?q=``
    searches their names, ``?sort=`` orders them, ``?upage=`` pages), the totals of the whole Sở."""
    require(request.user, "dashboard.department")
    years = list(SchoolYear.objects.order_by("-start_date"))  # the year switch; the year is chosen among them
    year = school_year_chosen(request.GET.get("year"), school_years=years)
    dashboard = review_selectors.department_dashboard(
        request.user, school_year=year, kind=_kind(request), unit_query=request.GET.get("q", ""),
        sort=request.GET.get("sort", ""), page=max(int_or_none(request.GET.get("upage")) or 1, 1),
    )
    params = request.GET.copy()
    return render(request, "home/department_dashboard.html", {
        "current_year": current_among(years), "querystring_without_year": _without(params, "year"),
        "querystring_without_upage": _without(params, "upage"),
        "dashboard": dashboard, "years": years, "kinds": Report.Kind.choices,
        "statuses": Report.Status.choices, "unit_sorts": review_selectors.UNIT_SORT_CHOICES,
    })
