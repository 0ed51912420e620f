"""Issue 14 item 3: the dashboards hold both regimes, TT57/2026 and the 2018 regulations, never mixed.

Per school: the TT57 report of the year (status, Không đạt / Mức 1 / Mức 2) beside the last accepted
2018 level (Mức 0-4, Cấp độ) and the certificate; a regime filter; one heatmap per regime (TT57's
mandatory criteria first); the monitoring roll-up of the TT57 improvement plans; a fixed number
of queries whatever the number of schools.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import selectors_regimes as regimes
from evaluations.models import Certificate
from schools.models import School
from schools.tests.factories import SchoolYearFactory
from selfassessment.models import CriterionAssessment, Report
from standards.models import Criterion, RegulationVersion

pytestmark = pytest.mark.django_db

D = datetime.date
MANDATORY = ["1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"]
TODAY = D(2026, 12, 6)


@pytest.fixture
def catalogs(db):
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt57_2026.json", DATA_DIR / "tt18_2018.json"])
    tt57 = RegulationVersion.objects.get(regulation__family="2026", regulation__appendix="II")
    tt18 = RegulationVersion.objects.filter(regulation__code="TT18/2018").order_by("-effective").first()
    return {"tt57": tt57, "tt18": tt18}


@pytest.fixture
def years(db):
    return {code: SchoolYearFactory(code=code, start_date=D(int(code[:4]), 9, 5), end_date=D(int(code[:4]) + 1, 5, 31))
            for code in ("2024-2025", "2025-2026", "2026-2027")}


@pytest.fixture
def frozen_today(monkeypatch):
    from django.utils import timezone

    from schools import years as school_years

    monkeypatch.setattr(school_years, "today", lambda: TODAY)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _report(school, year, version, *, status, level, accreditation=None, criterion_level=None, kind="periodic"):
    """A report written straight to the tables (read-side test data), with a level for each criterion."""
    report = Report.objects.create(school=school, school_year=year, kind=kind, regulation_version=version,
                                   regulation_date=year.start_date, status=status, school_level=level,
                                   accreditation_level=accreditation)
    criteria = Criterion.objects.filter(standard__version=version).order_by("standard__position", "position")
    CriterionAssessment.objects.bulk_create([
        CriterionAssessment(report=report, criterion=c, position=i,
                            level=criterion_level(c.number) if criterion_level else level)
        for i, c in enumerate(criteria)
    ])
    return report


def _certificate(school, level, decided):
    return Certificate.objects.create(school=school, decision_number=f"QĐ-{school.code}", decision_date=decided,
                                      issuing_body="Sở GD&ĐT Hà Nội", accreditation_level=level)


@pytest.fixture
def two_regimes(catalogs, years, district, school_a, school_b):
    """School A: TT57 "Không đạt" this year, 2018 Mức 2 (Cấp độ 2) in 2025-2026 and a certificate.
    School B: TT57 Mức 2 (a draft), 2018 Mức 4 accepted in 2024-2025 and a later draft not accepted.
    School C of the unit: no report at all."""
    tt57, tt18 = catalogs["tt57"], catalogs["tt18"]
    y24, y25, y26 = years["2024-2025"], years["2025-2026"], years["2026-2027"]
    school_c = School.objects.create(code="A-THCS-03", name="Trường THCS C3", level="thcs", reviewing_unit=district)
    a57 = _report(school_a, y26, tt57, status="submitted", level=0,
                  criterion_level=lambda n: 0 if n == "1.3" else 2)
    _report(school_a, y25, tt18, status="accepted", level=2, accreditation=2)
    _report(school_a, y24, tt18, status="forwarded", level=1, accreditation=1)
    _certificate(school_a, 2, D(2025, 6, 1))
    b57 = _report(school_b, y26, tt57, status="draft", level=2)
    _report(school_b, y24, tt18, status="accepted", level=4, accreditation=3)
    _report(school_b, y25, tt18, status="draft", level=1, accreditation=1)  # not accepted: not its level
    return {"a57": a57, "b57": b57, "school_c": school_c, **years}


def _board(district, year, regime=""):
    from reviews import selectors

    dashboard = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                             filters=selectors.DashboardFilter(), today=TODAY)
    return dashboard, regimes.district_board(unit=district, school_year=year, kind="periodic", rows=dashboard.rows,
                                             page_rows=dashboard.rows, regime=regime, today=TODAY)


def test_each_school_shows_its_tt57_year_beside_its_last_accepted_2018_level(district, two_regimes, school_a,
                                                                              school_b):
    _dashboard, board = _board(district, two_regimes["2026-2027"])
    a, b, c = board.row(school_a.pk), board.row(school_b.pk), board.row(two_regimes["school_c"].pk)
    assert (a.tt57.status, a.tt57.level, a.tt57.level_label) == ("submitted", 0, "Không đạt")
    assert (a.last_2018.school_year, a.last_2018.level, a.last_2018.level_label, a.last_2018.accreditation_label) == (
        "2025-2026", 2, "Mức 2", "Cấp độ 2")
    assert a.certificate.certificate.accreditation_level == 2 and a.certificate.state == "valid"
    # B: its TT57 Mức 2 and its 2018 Mức 4 of 2024-2025 (the 2025-2026 draft was never accepted).
    assert (b.tt57.level_label, b.tt57.status) == ("Mức 2", "draft")
    assert (b.last_2018.school_year, b.last_2018.level_label, b.last_2018.accreditation_label) == (
        "2024-2025", "Mức 4", "Cấp độ 3")
    assert b.certificate is None
    assert c.tt57 is None and c.last_2018 is None
    # The counts of each regime stand apart: TT57 0/1/2, 2018 0-4, never added together.
    assert board.tt57_counts == {"0": 1, "2": 1, "none": 1}
    assert board.y2018_counts == {"2": 1, "4": 1, "none": 1}
    assert [key for key, _name, _n in board.tt57_levels] == ["0", "1", "2", "none"]
    assert [key for key, _name, _n in board.y2018_levels] == ["0", "1", "2", "3", "4", "none"]


def test_an_earlier_year_shows_no_tt57_and_the_2018_level_of_that_time(district, two_regimes, school_a):
    _dashboard, board = _board(district, two_regimes["2024-2025"])
    row = board.row(school_a.pk)
    assert row.tt57 is None
    assert (row.last_2018.school_year, row.last_2018.level) == ("2024-2025", 1)


def test_one_heatmap_per_regime_with_tt57_mandatory_criteria_first(district, two_regimes, catalogs, school_a, school_b):
    _dashboard, board = _board(district, two_regimes["2026-2027"])
    by_regime = {hm.regime: hm for hm in board.heatmaps}
    assert set(by_regime) == {"tt57", "2018"}
    tt57 = by_regime["tt57"]
    assert len(tt57.numbers) == 15 and tt57.numbers[:8] == MANDATORY and tt57.mandatory == MANDATORY
    assert [n for n, mandatory in tt57.columns if mandatory] == MANDATORY
    assert tt57.legend == ((0, "Không đạt"), (1, "Mức 1"), (2, "Mức 2"))
    rows = {school.pk: cells for school, cells in tt57.rows}
    assert rows[school_a.pk][tt57.numbers.index("1.3")] == 0 and set(rows[school_b.pk]) == {2}
    y2018 = by_regime["2018"]
    assert 25 <= len(y2018.numbers) <= 28 and y2018.legend[-1] == (4, "Mức 4")
    assert y2018.numbers[:2] == ["1.1", "1.2"]
    version = catalogs["tt18"]
    assert y2018.regulation == ("TT18/2018" if version.is_base else f"TT18/2018 ({version.code})")
    rows_2018 = {school.pk: cells for school, cells in y2018.rows}
    assert set(rows_2018[school_a.pk]) == {2} and set(rows_2018[school_b.pk]) == {4}
    mean = {s["number"]: s for s in y2018.summary}["1.1"]
    assert (mean["n"], mean["mean"]) == (2, 3.0)


def test_the_regime_filter_keeps_one_regime(district, two_regimes, school_a):
    _dashboard, board = _board(district, two_regimes["2026-2027"], regime="tt57")
    assert board.show_tt57 and not board.show_2018
    assert {hm.regime for hm in board.heatmaps} == {"tt57"}
    _dashboard, board = _board(district, two_regimes["2026-2027"], regime="2018")
    assert board.show_2018 and not board.show_tt57 and board.monitoring == []
    assert {hm.regime for hm in board.heatmaps} == {"2018"}
    assert regimes.regime_chosen("nonsense") == "" and regimes.regime_chosen("tt57") == "tt57"


def _cell(html: str, school: str, col: str) -> str:
    row = html[html.index(f'data-school="{school}"'):]
    row = row[:row.index("</tr>")]
    cell = row[row.index(f'data-col="{col}"'):]
    return cell[:cell.index("</td>")]


def test_the_dashboard_page_puts_each_regime_under_its_own_header(client, reviewer, district, two_regimes,
                                                                   frozen_today):
    client.force_login(reviewer)
    html = client.get(reverse("reviews:district_dashboard")).content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    assert "TT57/2026 – năm học 2026-2027" in html and "Chế độ 2018 (TT17, 18, 19/2018)" in html
    assert "Không đạt" in _cell(html, "A-THCS-01", "tt57-level")
    assert 'data-tt57-level="0"' in _cell(html, "A-THCS-01", "tt57-level")
    assert "Mức 2" in _cell(html, "A-THCS-01", "y2018-level") and "2025-2026" in _cell(html, "A-THCS-01", "y2018-level")
    assert "Cấp độ 2" in _cell(html, "A-THCS-01", "y2018-certificate")
    # B's TT57 Mức 2 and 2018 Mức 4: each in its column, not the other's.
    assert "Mức 2" in _cell(html, "A-THCS-02", "tt57-level") and "Mức 4" not in _cell(html, "A-THCS-02", "tt57-level")
    assert "Mức 4" in _cell(html, "A-THCS-02", "y2018-level") and "Mức 2" not in _cell(html, "A-THCS-02", "y2018-level")
    assert 'data-heatmap="tt57"' in html and 'data-heatmap="2018"' in html
    heat = html[html.index('data-heatmap="tt57"'):]
    assert heat.index('data-criterion="4.2"') < heat.index('data-criterion="1.1"')
    only = client.get(reverse("reviews:district_dashboard") + "?regime=2018").content.decode()
    assert 'data-col="tt57-level"' not in only and 'data-heatmap="tt57"' not in only
    assert 'data-col="y2018-level"' in only and '<option value="2018" selected>' in only


def _sheet(response):
    body = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    header = list(rows[header_index])
    return header, {row[1]: row for row in rows[header_index + 1:] if row and row[0] is not None}


def test_the_dashboard_export_holds_the_regime_columns_shown(client, reviewer, district, two_regimes, frozen_today):
    client.force_login(reviewer)
    header, body = _sheet(client.get(reverse("exports:dashboard_xlsx")))
    col = header.index
    a = body["A-THCS-01"]
    assert a[col("TT57/2026: trạng thái báo cáo năm học 2026-2027")] == "Đã nộp"
    assert a[col("TT57/2026: mức của trường")] == "Không đạt"
    assert a[col("Chế độ 2018: mức gần nhất")] == "Mức 2"
    assert a[col("Chế độ 2018: năm học của mức")] == "2025-2026"
    assert a[col("Chế độ 2018: cấp độ kiểm định")] == "Cấp độ 2"
    assert a[col("Chứng nhận (chế độ 2018)")].startswith("Cấp độ 2 · Còn hiệu lực")
    assert body["A-THCS-02"][col("TT57/2026: mức của trường")] == "Mức 2"
    assert body["A-THCS-02"][col("Chế độ 2018: mức gần nhất")] == "Mức 4"
    assert "Mức tự đánh giá" not in header  # the column that held either regime's level is gone
    header, _body = _sheet(client.get(reverse("exports:dashboard_xlsx") + "?regime=tt57"))
    assert "TT57/2026: mức của trường" in header and "Chế độ 2018: mức gần nhất" not in header


def _bulk(unit, catalogs, years, count, start):
    """``count`` more schools with a TT57 report this year, two accepted 2018 reports and a certificate."""
    tt57, tt18 = catalogs["tt57"], catalogs["tt18"]
    schools = School.objects.bulk_create([
        School(code=f"Q-{start + i:04d}", name=f"Trường THCS Q{start + i}", level="thcs", reviewing_unit=unit)
        for i in range(count)
    ])
    statuses = ["draft", "submitted", "in_review", "accepted"]
    rows = []
    for i, school in enumerate(schools):
        rows.append(Report(school=school, school_year=years["2026-2027"], kind="periodic", regulation_version=tt57,
                           regulation_date=D(2026, 9, 5), status=statuses[i % 4], school_level=i % 3))
        for code in ("2024-2025", "2025-2026"):
            rows.append(Report(school=school, school_year=years[code], kind="periodic", regulation_version=tt18,
                               regulation_date=years[code].start_date, status="accepted", school_level=i % 5,
                               accreditation_level=1 + i % 3))
    reports = Report.objects.bulk_create(rows)
    criteria = {v.pk: list(Criterion.objects.filter(standard__version=v)) for v in (tt57, tt18)}
    CriterionAssessment.objects.bulk_create([
        CriterionAssessment(report=r, criterion=c, position=j, level=(r.pk + j) % (3 if r.regulation_version_id == tt57.pk else 5))
        for r in reports for j, c in enumerate(criteria[r.regulation_version_id])
    ])
    for school in schools[::2]:
        _certificate(school, 2, D(2024, 6, 1))


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_and_the_overview_keep_their_query_count_as_schools_grow(
        client, reviewer, officer, district, two_regimes, catalogs, frozen_today):
    _bulk(district, catalogs, two_regimes, 3, 0)  # 6 schools
    client.force_login(reviewer)
    dashboard, export = reverse("reviews:district_dashboard"), reverse("exports:dashboard_xlsx")
    small = _queries(client, dashboard), _queries(client, export)
    client.force_login(officer)
    overview = reverse("reviews:department_dashboard")
    small_overview = _queries(client, overview)
    _bulk(district, catalogs, two_regimes, 12, 100)  # three times the schools: 18
    client.force_login(reviewer)
    assert (_queries(client, dashboard), _queries(client, export)) == small
    client.force_login(officer)
    assert _queries(client, overview) == small_overview


def test_the_sở_overview_counts_each_regime_per_unit_and_lists_the_schools(client, officer, district, two_regimes,
                                                                           frozen_today):
    client.force_login(officer)
    response = client.get(reverse("reviews:department_dashboard"))
    html = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    board = regimes.department_board(units=[row.unit for row in response.context["dashboard"].units],
                                     school_year=two_regimes["2026-2027"], kind="periodic", today=TODAY)
    unit = next(u for u in board.units if u.unit.pk == district.pk)
    assert unit.schools == 3 and unit.tt57_counts == {"0": 1, "2": 1, "none": 1}
    assert unit.y2018_counts == {"2": 1, "4": 1, "none": 1} and unit.certificates == {"valid": 1, "expiring": 0, "expired": 0}
    assert [hm.regime for hm in board.heatmaps] == ["tt57", "2018"]
    assert board.heatmaps[0].numbers[:8] == MANDATORY
    assert "Không đạt" in _cell(html, "A-THCS-01", "tt57-level") and "Mức 2" in _cell(html, "A-THCS-01", "y2018-level")
    assert f'data-unit-regimes="{district.pk}"' in html
    only = client.get(reverse("reviews:department_dashboard") + "?regime=tt57").content.decode()
    assert 'data-col="y2018-level"' not in only and 'data-heatmap="2018"' not in only


@pytest.fixture
def monitored(catalogs, years, district, school_a, school_b, principal_a, principal_b):
    """2026-2027: A's plan has its end-of-semester-I check, B's plan has none (only a year-end row
    and a semester row without a result), C has a TT57 report and no plan."""
    from evaluations.models import ReportingDeadline
    from selfassessment import services_plan57

    y26 = years["2026-2027"]
    school_c = School.objects.create(code="A-THCS-03", name="Trường THCS C3", level="thcs", reviewing_unit=district)
    plans = {}
    for school, principal in ((school_a, principal_a), (school_b, principal_b)):
        report = _report(school, y26, catalogs["tt57"], status="draft", level=1)
        plans[school.code] = services_plan57.plan_create(report=report, by=principal)
    _report(school_c, y26, catalogs["tt57"], status="draft", level=1)
    services_plan57.check_save(plan=plans["A-THCS-01"], point="semester1", by=principal_a,
                               values={"content": "Rà soát cuối học kỳ I", "result": "Đã thực hiện 3/5 nội dung"})
    services_plan57.check_save(plan=plans["A-THCS-02"], point="year_end", by=principal_b,
                               values={"content": "Rà soát cuối năm", "result": "Hoàn thành"})
    services_plan57.check_save(plan=plans["A-THCS-02"], point="semester1", by=principal_b,
                               values={"content": "Sẽ rà soát", "result": ""})
    # The monitoring dates are the unit's deadlines (periods of helper EVAL57's TT57 deadlines).
    dated = "monitoring_semester1" in ReportingDeadline.Period.values
    if dated:
        ReportingDeadline.objects.create(unit=district, school_year=y26, period="monitoring_semester1",
                                         due_date=D(2026, 12, 31))
    return {"year": y26, "school_c": school_c, "dated": dated}


def test_the_monitoring_roll_up_lists_the_schools_without_an_end_of_semester_check(
        client, reviewer, officer, district, monitored, frozen_today):
    _dashboard, board = _board(district, monitored["year"])
    [semester] = board.monitoring  # the year-end point has no date yet: not asked for
    assert semester.point == "semester1"
    assert [s.code for s in semester.missing] == ["A-THCS-02"]
    assert semester.plans == 2 and [s.code for s in semester.without_plan] == ["A-THCS-03"]
    if monitored["dated"]:
        assert semester.due == D(2026, 12, 31) and not semester.overdue
        late = regimes.district_board(unit=district, school_year=monitored["year"], kind="periodic",
                                      rows=_dashboard.rows, page_rows=_dashboard.rows, today=D(2027, 1, 5))
        assert late.monitoring[0].overdue
    else:
        assert semester.due is None and not semester.overdue
    client.force_login(reviewer)
    html = client.get(reverse("reviews:district_dashboard")).content.decode()
    box = html[html.index('data-monitoring="semester1"'):]
    box = box[:box.index("</div>\n</div>") if "</div>\n</div>" in box else len(box)]
    assert "1/2 trường chưa ghi kết quả giám sát" in box and "A-THCS-02" in box
    assert 'data-monitoring-without-plan' in box and "A-THCS-03" in box
    client.force_login(officer)
    overview = regimes.department_board(units=[district], school_year=monitored["year"], kind="periodic", today=TODAY)
    assert [u.monitoring_missing for u in overview.units] == [1]
    assert "1/2 trường chưa ghi kết quả giám sát" in client.get(reverse("reviews:department_dashboard")).content.decode()


def test_the_sở_overview_pages_its_schools(client, officer, district, two_regimes, monkeypatch, frozen_today):
    monkeypatch.setattr(regimes, "DEPARTMENT_PAGE_SIZE", 2)
    client.force_login(officer)
    first = client.get(reverse("reviews:department_dashboard")).content.decode()
    assert 'data-school="A-THCS-01"' in first and 'data-school="A-THCS-03"' not in first
    assert "Trang 1/2" in first and "spage=2" in first
    second = client.get(reverse("reviews:department_dashboard") + "?spage=2&regime=2018").content.decode()
    assert 'data-school="A-THCS-03"' in second and 'data-school="A-THCS-01"' not in second
    assert 'data-col="tt57-level"' not in second
    # A page out of range shows the last one rather than an error.
    assert 'data-school="A-THCS-03"' in client.get(reverse("reviews:department_dashboard") + "?spage=99").content.decode()


def test_a_2018_report_handed_in_but_not_accepted_shows_marked_and_a_returned_one_not_at_all(
        client, reviewer, district, two_regimes, catalogs, school_a, school_b, frozen_today):
    """A's 2025-2026 report accepted stays its level; B's 2025-2026 draft becomes "in review": now
    its latest level, marked as not accepted; C's only 2018 report was returned: no level."""
    Report.objects.filter(school=school_b, school_year=two_regimes["2025-2026"]).update(status="in_review")
    _report(school_a, two_regimes["2025-2026"], catalogs["tt18"], status="submitted", level=3, kind="external")
    _report(two_regimes["school_c"], two_regimes["2025-2026"], catalogs["tt18"], status="returned", level=3)
    _dashboard, board = _board(district, two_regimes["2026-2027"])
    a, b = board.row(school_a.pk).last_2018, board.row(school_b.pk).last_2018
    assert (a.school_year, a.level, a.accepted) == ("2025-2026", 2, True)  # the accepted one of the year first
    assert (b.school_year, b.level, b.accepted, b.status_label) == ("2025-2026", 1, False, "Đang thẩm định")
    assert board.row(two_regimes["school_c"].pk).last_2018 is None
    client.force_login(reviewer)
    html = client.get(reverse("reviews:district_dashboard")).content.decode()
    assert "chưa được chấp nhận" in _cell(html, "A-THCS-02", "y2018-level")
    assert "chưa được chấp nhận" not in _cell(html, "A-THCS-01", "y2018-level")
    header, body = _sheet(client.get(reverse("exports:dashboard_xlsx")))
    assert body["A-THCS-02"][header.index("Chế độ 2018: năm học của mức")] == (
        "2025-2026 (Đang thẩm định, chưa được chấp nhận)")
    assert body["A-THCS-01"][header.index("Chế độ 2018: năm học của mức")] == "2025-2026"
