"""The Sở's overview of a whole city (issue 19 item 5): the units a page at a time, searched and
ordered with the units needing attention first, the totals of the whole Sở on every page, a fixed
number of queries however many units, and the figures over every school kept in the cache only
as long as their data has not changed.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations import selectors_regimes as regimes
from evaluations.tests.test_regimes import (  # noqa: F401  (fixtures)
    TODAY,
    _certificate,
    _report,
    catalogs,
    frozen_today,
    monitored,
    years,
)
from reviews import selectors as review_selectors
from schools.models import School
from schools.tests.factories import UnitFactory
from selfassessment.models import CriterionAssessment, Report

pytestmark = pytest.mark.django_db

D = datetime.date


def _units(department, catalogs, years, count, *, start=0, accepted_every=0, names=None):  # noqa: F811
    """``count`` units of one school each, the school with a TT57 report this year (accepted in every
    ``accepted_every``-th unit, submitted elsewhere)."""
    units = []
    for i in range(start, start + count):
        unit = UnitFactory(code=f"u-{i:03d}", name=(names or {}).get(i, f"Phòng GD&ĐT số {i:03d}"), parent=department)
        school = School.objects.create(code=f"U{i:03d}-THCS", name=f"Trường THCS U{i:03d}", level="thcs",
                                       reviewing_unit=unit)
        accepted = bool(accepted_every) and i % accepted_every == 0
        _report(school, years["2026-2027"], catalogs["tt57"], status="accepted" if accepted else "submitted", level=1)
        units.append(unit)
    return units


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def _counts(client, url):
    """The queries of the page with the cache empty, then with the figures in the cache."""
    cache.clear()
    return _get(client, url)[1], _get(client, url)[1]


def _unit_rows(html):
    return re.findall(r'data-unit-regimes="(\d+)"', html)


def test_the_overview_pages_its_units_keeps_the_whole_sở_totals_and_a_constant_query_count(
        client, officer, department, catalogs, years, frozen_today):  # noqa: F811
    client.force_login(officer)
    url = reverse("reviews:department_dashboard") + f"?year={years['2026-2027'].pk}"
    _units(department, catalogs, years, 3)
    few = _counts(client, url)
    _units(department, catalogs, years, 27, start=3)  # 30 units: more than a page of 25
    assert _counts(client, url) == few
    assert few[1] < few[0]  # the figures of every school come from the cache the second time
    first, second = client.get(url).content.decode(), client.get(url + "&upage=2").content.decode()
    assert len(_unit_rows(first)) == 25 and len(_unit_rows(second)) == 5
    assert not set(_unit_rows(first)) & set(_unit_rows(second))
    assert "Đơn vị: trang 1/2" in first and "upage=2" in first and "Đơn vị: trang 2/2" in second
    for html in (first, second):  # every page shows the totals of the whole Sở
        totals = html[html.index("data-totals"):]
        totals = totals[:totals.index("</tr>")]
        assert "Toàn Sở (30 đơn vị)" in totals and re.search(r">30</td>", totals)
        assert 'data-tt57-count="1">Mức 1: 30<' in html  # the TT57 counts of every school, not the page's
    # The heatmap rows are the page's units; its means are the whole Sở's.
    heat = second[second.index('data-heatmap="tt57"'):]
    heat = heat[:heat.index("</table>")]
    assert heat.count('<th class="school" scope="row">') == 5 + 1  # five units and "Trung bình toàn Sở"
    assert "(30)" in heat[heat.index("Trung bình toàn Sở"):]
    # A page past the last shows the last one.
    assert _unit_rows(client.get(url + "&upage=99").content.decode()) == _unit_rows(second)


def test_the_units_needing_attention_come_first_and_a_search_ignores_diacritics(
        client, officer, department, catalogs, years, frozen_today, monkeypatch):  # noqa: F811
    client.force_login(officer)
    names = {0: "Ủy ban nhân dân phường Hàng Bạc", 1: "Ủy ban nhân dân phường Đống Đa", 2: "Ủy ban nhân dân xã Yên Bài"}
    units = _units(department, catalogs, years, 3, accepted_every=2, names=names)  # 0 and 2 accepted, 1 not
    url = reverse("reviews:department_dashboard") + f"?year={years['2026-2027'].pk}"
    html = client.get(url).content.decode()
    assert _unit_rows(html) == [str(units[1].pk), str(units[0].pk), str(units[2].pk)]  # 0 % accepted first
    by_name = client.get(url + "&sort=name").content.decode()
    assert _unit_rows(by_name) == [str(units[0].pk), str(units[1].pk), str(units[2].pk)]
    found = client.get(url + "&q=dong+da").content.decode()
    assert _unit_rows(found) == [str(units[1].pk)] and "1/3 đơn vị khớp tìm kiếm" in found
    assert "Toàn Sở (3 đơn vị)" in found  # the totals stay those of the whole Sở
    none = client.get(url + "&q=kh%C3%B4ng+c%C3%B3").content.decode()
    assert _unit_rows(none) == [] and "Không có đơn vị nào khớp tìm kiếm." in none
    # The reports forwarded to the Sở are listed whatever the page of units (their columns read in one query).
    Report.objects.filter(school__reviewing_unit=units[2]).update(status="forwarded")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url + "&q=dong+da").content.decode()
    box = html[html.index("Báo cáo đã chuyển Sở"):]
    assert "Trường THCS U002" in box and "Ủy ban nhân dân xã Yên Bài" in box and "Trường THCS U001" not in box
    assert sum("selfassessment_report" in q["sql"] and '"status" = \'forwarded\'' in q["sql"]
               for q in queries.captured_queries) == 1
    # Only those waiting longest are listed; the rest are one click away, in the report list.
    monkeypatch.setattr(review_selectors, "FORWARDED_SHOWN", 1)
    Report.objects.filter(school__reviewing_unit=units[0]).update(status="forwarded")
    html = client.get(url).content.decode()
    box = html[html.index("Báo cáo đã chuyển Sở"):]
    assert "Trường THCS U000" in box and "Trường THCS U002" not in box
    assert 'data-forwarded-total>2<' in box and "Xem cả 2 báo cáo đã chuyển Sở" in box
    link = re.search(r'data-forwarded-all><a href="([^"]+)"', box).group(1).replace("&amp;", "&")
    listed = client.get(link).content.decode()
    assert "Trường THCS U000" in listed and "Trường THCS U002" in listed and "Trường THCS U001" not in listed
    dashboard = review_selectors.department_dashboard(officer, school_year=years["2026-2027"], kind="periodic",
                                                      unit_query="HANG BAC", page=5, page_size=1)
    assert [row.unit.pk for row in dashboard.units] == [units[0].pk] and dashboard.unit_page == 1
    assert dashboard.totals.schools == 3 and dashboard.totals.accepted == 2  # accepted, and forwarded beyond it
    assert dashboard.forwarded_total == 2


def test_the_cached_figures_change_with_every_change_of_their_data(
        officer, department, district, catalogs, years, monitored, school_a, school_b, principal_b):  # noqa: F811
    """Reports, criterion levels, certificates, plan monitoring, schools: each change is seen at once."""
    year = monitored["year"]

    def board():
        return regimes.department_board(units=[district], school_year=year, kind="periodic", today=TODAY)

    def unit():
        return board().units[0]

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        before = board()
    with CaptureQueriesContext(connection) as warm:
        assert board().units[0] == before.units[0]
    assert len(warm) < len(cold)
    assert (before.units[0].schools, before.units[0].tt57_counts, before.units[0].monitoring_missing) == (
        3, {"1": 3}, 1)
    # A report's level (saved as the self-assessment app saves it): only the TT57 part is computed again.
    keys = regimes._department_keys([district.pk], year, "periodic", TODAY)
    report = Report.objects.get(school=school_a, school_year=year)
    report.school_level = 2
    report.save()
    assert unit().tt57_counts == {"1": 2, "2": 1}
    changed = regimes._department_keys([district.pk], year, "periodic", TODAY)
    assert [part for part in keys if keys[part] != changed[part]] == ["tt57"]
    # The criterion levels recomputed: the report's levels_computed_at is stamped with them.
    heat_before = board().heatmaps[0].rows[0][1]
    CriterionAssessment.objects.filter(report=report).update(level=2)
    Report.objects.filter(pk=report.pk).update(levels_computed_at=timezone.now())
    assert board().heatmaps[0].rows[0][1] != heat_before
    # A certificate.
    assert unit().certificates == {"valid": 0, "expiring": 0, "expired": 0}
    _certificate(school_b, 2, D(2025, 6, 1))
    assert unit().certificates == {"valid": 1, "expiring": 0, "expired": 0}
    # A monitoring check recorded for B's plan (Biểu 2).
    from selfassessment import services_plan57
    from selfassessment.models import Plan57

    services_plan57.check_save(plan=Plan57.objects.get(report__school=school_b), point="semester1",
                               by=principal_b,
                               values={"content": "Rà soát cuối học kỳ I", "result": "Hoàn thành"})
    assert unit().monitoring_missing == 0
    # A school closed.
    monitored["school_c"].status = School.Status.CLOSED
    monitored["school_c"].save()
    assert unit().schools == 2
    # Another day: a certificate's validity and an overdue date are the day's.
    later = regimes.department_board(units=[district], school_year=year, kind="periodic", today=D(2031, 1, 1))
    assert later.units[0].certificates == {"valid": 0, "expiring": 0, "expired": 1}


def test_the_level_words_are_read_once_per_language_and_in_the_readers_language():
    from django.utils import translation

    with translation.override("vi"):
        vietnamese = regimes.level_words("tt57")
        assert regimes.level_words("tt57") is vietnamese and vietnamese[0] == "Không đạt"
    with translation.override("en"):
        english = regimes.level_words("tt57")
    assert english[0] != "Không đạt" and english.keys() == vietnamese.keys()


def test_hostile_search_sort_and_page_give_the_page_not_an_error(
        client, officer, department, catalogs, years, frozen_today):  # noqa: F811
    client.force_login(officer)
    _units(department, catalogs, years, 3)
    url = reverse("reviews:department_dashboard") + f"?year={years['2026-2027'].pk}"
    for query in ("&q=%3Cscript%3Ealert(1)%3C/script%3E", "&q=" + "x" * 5000, "&sort=drop", "&upage=-3",
                  "&upage=abc", "&upage=99999999999999999999"):
        response = client.get(url + query)
        body = response.content.decode()
        assert response.status_code == 200, query
        assert "<script>alert(1)" not in body
    # A search that matches nothing says so.
    assert "Không có đơn vị nào khớp tìm kiếm." in client.get(url + "&q=khongco").content.decode()
