"""The two regimes (TT57/2026 and the 2018 regulations) on the dashboards of other apps.

The reviewing unit's dashboard and the Sở's overview are the review app's pages; what they show of
the regimes is read here from ``evaluations.selectors_regimes`` (a fixed number of queries, once per
page), so those views need not know about regimes, as with the improvement-plan summary.
"""

from django import template

from evaluations import selectors_regimes

register = template.Library()


def _get(context, name: str) -> str:
    request = context.get("request")
    return request.GET.get(name, "") if request is not None else ""


@register.simple_tag(takes_context=True)
def district_regimes(context, dashboard, page_rows):
    """``{% district_regimes dashboard page_rows as regimes %}``: both regimes of the dashboard's schools,
    filtered by ``?regime=``."""
    return selectors_regimes.district_board(
        unit=dashboard.unit, school_year=dashboard.school_year, kind=dashboard.kind, rows=dashboard.rows,
        page_rows=page_rows, regime=_get(context, "regime"),
    )


@register.simple_tag(takes_context=True)
def department_regimes(context, dashboard):
    """``{% department_regimes dashboard as regimes %}``: both regimes unit by unit and a page of schools
    (``?regime=``, ``?spage=``)."""
    raw_page = _get(context, "spage")
    return selectors_regimes.department_board(
        units=[row.unit for row in dashboard.units], school_year=dashboard.school_year, kind=dashboard.kind,
        regime=_get(context, "regime"), page=int(raw_page) if raw_page.isdigit() else 1,
    )


@register.simple_tag
def regime_choices():
    return selectors_regimes.REGIME_CHOICES


@register.filter
def regime_row(board, school_id):
    """``{% with rg=regimes|regime_row row.school.pk %}``: the school's cells (empty when it has none)."""
    return board.row(school_id)
