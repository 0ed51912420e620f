"""The two regimes (TT57/2026 and the 2018 regulations) on the dashboards of other apps.

The reviewing unit's dashboard and the Sở's overview are the review app's pages; what they show of
the regimes is read here from ``evaluations.selectors_regimes`` (a fixed number of queries, once per
page), so those views need not know about regimes, as with the improvement-plan summary.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from evaluations import selectors_regimes
from reviews.templatetags.reviews_tags import level_css

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
    """``{% department_regimes dashboard as regimes %}``: both regimes over every unit of the Sở, the rows
    of the dashboard's page of units, and a page of schools (``?regime=``, ``?spage=``)."""
    raw_page = _get(context, "spage")
    return selectors_regimes.department_board(
        units=dashboard.all_units, page_units=[row.unit for row in dashboard.units], school_year=dashboard.school_year,
        kind=dashboard.kind, regime=_get(context, "regime"), page=int(raw_page) if raw_page.isdigit() else 1,
    )


@register.simple_tag
def regime_choices():
    return selectors_regimes.REGIME_CHOICES


@register.filter
def regime_row(board, school_id):
    """``{% with rg=regimes|regime_row row.school.pk %}``: the school's cells (empty when it has none)."""
    return board.row(school_id)


def _localized(kind: str, value, memo: dict) -> str:
    """A heatmap value as the template filters wrote it (``mean1``: floatformat:1; ``css``: level_css;
    else localized), each distinct value once."""
    key = (kind, type(value), value)  # 2 and 2.0 are one dict key, but are written "2" and "2,0"
    if key not in memo:
        if kind == "mean1":
            memo[key] = conditional_escape(floatformat(value, 1))
        elif kind == "css":
            memo[key] = conditional_escape(level_css(value))
        else:
            memo[key] = conditional_escape(str(localize(value)))
    return memo[key]


@register.simple_tag
def heatmap_summary_cells(heatmap):
    """``{% heatmap_summary_cells hm %}``: the cells of the heatmap's mean row, the markup of the loop
    ``<td class="cell {{ s.level|level_css }}" title="{{ s.number }}: {{ s.mean }} ({{ s.n }})">{% if s.n %}
    {{ s.mean|floatformat:1 }}{% endif %}</td>`` it replaces (on the Sở overview that loop cost as much
    as all the heatmaps' rows)."""
    memo: dict[tuple[str, type, object], str] = {}
    parts = []
    for cell in heatmap.summary:
        mean = _localized("mean1", cell["mean"], memo) if cell["n"] else ""
        parts.append(f'<td class="cell {_localized("css", cell["level"], memo)}" title="{conditional_escape(cell["number"])}: '
                     f'{_localized("value", cell["mean"], memo)} ({_localized("value", cell["n"], memo)})">{mean}</td>')
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703  every value above is escaped


@register.simple_tag
def heatmap_rows(heatmap):
    """``{% heatmap_rows hm %}``: the rows of a units × criteria heatmap, the markup of the template
    loop it replaces, built in one pass. On a city's overview (126 units × ~28 criteria, both regimes)
    that loop rendered 14,000 cells, most of the page's time (bench/bench_city.py); the cell values
    repeat (means to two decimals), so each is localized once."""
    memo: dict[tuple[str, type, object], str] = {}

    def text(kind: str, value) -> str:
        return _localized(kind, value, memo)

    cell_memo: dict[tuple, str] = {}  # whole cells repeat too: a mean of a unit's schools, their count
    parts = []
    for unit, cells in heatmap.rows:
        parts.append(f'<tr><th class="school" scope="row">{conditional_escape(unit)}</th>')
        for cell in cells:
            if cell:
                level, mean, n = cell["level"], cell["mean"], cell["n"]
                key = (type(level), level, type(mean), mean, type(n), n)
                if key not in cell_memo:
                    cell_memo[key] = (f'<td class="cell {text("css", level)}" title="{text("value", mean)} '
                                      f'({text("value", n)})">{text("mean1", mean)}</td>')
                parts.append(cell_memo[key])
            else:
                parts.append('<td class="cell level-none" title=""></td>')
        parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703  every value above is escaped
