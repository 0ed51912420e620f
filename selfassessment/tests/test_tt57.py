"""TT57/2026 reports (Biểu 1): structure, texts and verdicts, levels, data form, checks, pages."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import School
from schools.tests.factories import SchoolFactory, SchoolYearFactory
from selfassessment import checks, services, tt57, tt57_services
from selfassessment.models import CouncilMember, IndicatorVerdict, Passage, PassageRevision, Report
from standards.models import Criterion, Indicator
from standards.services import DATA_DIR, catalogs_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def tt57_catalog(db):
    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])


@pytest.fixture
def year_2026(db):
    return SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))


@pytest.fixture
def tt57_report(tt57_catalog, school_a, year_2026, principal_a) -> Report:
    return services.report_create(school=school_a, school_year=year_2026, kind="periodic", by=principal_a,
                                  today=datetime.date(2026, 10, 1))


def _indicator(report: Report, number: str, level: int) -> Indicator:
    return Indicator.objects.get(criterion__standard__version=report.regulation_version, criterion__number=number, level=level)


def _passage(report: Report, number: str, level: int) -> Passage:
    return Passage.objects.get(report=report, key=f"indicator:{number}:{level}:a")


def _set_all(report: Report, by, levels: dict[str, int]) -> None:
    """Give every criterion the level in ``levels`` (default Mức 1) through the verdict service."""
    for criterion in Criterion.objects.filter(standard__version=report.regulation_version):
        level = levels.get(criterion.number, 1)
        services.indicator_verdict_set(report=report, indicator=_indicator(report, criterion.number, 1), met=level >= 1, by=by)
        if level >= 1:
            services.indicator_verdict_set(report=report, indicator=_indicator(report, criterion.number, 2), met=level >= 2, by=by)


# --- Structure and services ------------------------------------------------------------------------


def test_lower_secondary_2026_report_is_tt57_with_biểu_1_texts(tt57_report):
    assert tt57.is_tt57(tt57_report)
    assert tt57_report.regulation_version.regulation.appendix == "II"
    keys = set(Passage.objects.filter(report=tt57_report).values_list("key", flat=True))
    assert {"overview:general", "overview:context_local", "overview:process_confirmation", "conclusion",
            "proposal:managing_body", "proposal:commune", "standard:1:strengths", "standard:4:priorities",
            "indicator:1.1:1:a", "indicator:4.2:2:a"} <= keys
    # No 2018 per-criterion strengths/weaknesses, no Đặt vấn đề.
    assert not any(k.startswith("criterion:") for k in keys)
    assert "introduction" not in keys
    assert len([k for k in keys if k.startswith("indicator:")]) == 30


def test_general_information_is_prefilled_from_the_school_with_a_history_step(tt57_report, school_a):
    passage = Passage.objects.get(report=tt57_report, key="overview:general")
    assert school_a.name in passage.text
    assert passage.revision == 1
    step = PassageRevision.objects.get(passage=passage)
    assert step.source == PassageRevision.Source.PREFILL


def test_preschool_2026_report_uses_phu_luc_i(tt57_catalog, district, year_2026):
    from schools.tests.factories import MembershipFactory, UserFactory

    school = SchoolFactory(code="A-MN-01", name="Trường MN A", level=School.Level.PRESCHOOL, reviewing_unit=district)
    user = UserFactory(username="principal_mn")
    MembershipFactory(user=user, role="principal", school=school)
    report = services.report_create(school=school, school_year=year_2026, kind="periodic", by=user,
                                    today=datetime.date(2026, 10, 1))
    assert tt57.is_tt57(report)
    assert report.regulation_version.regulation.appendix == "I"


def test_verdicts_recompute_criterion_and_school_levels(tt57_report, principal_a):
    report = tt57_report
    services.indicator_verdict_set(report=report, indicator=_indicator(report, "1.3", 1), met=True, by=principal_a)
    services.indicator_verdict_set(report=report, indicator=_indicator(report, "1.3", 2), met=False, by=principal_a)
    assessment = report.criterion_assessments.get(criterion__number="1.3")
    assert assessment.level == 1
    from selfassessment import levels as level_words

    # One unlettered requirement per level: no "chỉ báo a" in the reason.
    assert level_words.criterion_explanation(assessment) == ["Yêu cầu Mức 2 của tiêu chí 1.3 chưa đạt."]
    report.refresh_from_db()
    assert report.school_level == 0
    # Every criterion at Mức 1: the school reaches Mức 1.
    _set_all(report, principal_a, {})
    report.refresh_from_db()
    assert report.school_level == 1
    # One mandatory criterion back to Không đạt: the school falls to 0, and the reason names it.
    services.indicator_verdict_set(report=report, indicator=_indicator(report, "2.1", 1), met=False, by=principal_a)
    report.refresh_from_db()
    assert report.school_level == 0
    from selfassessment import levels

    assert any("2.1" in line for line in levels.report_explanation(report, "school_level"))


def test_level_2_not_counted_without_level_1(tt57_report, principal_a):
    report = tt57_report
    services.indicator_verdict_set(report=report, indicator=_indicator(report, "1.1", 2), met=True, by=principal_a)
    assert report.criterion_assessments.get(criterion__number="1.1").level == 0


def test_hint_ticked_by_hand_is_stored_and_untick(tt57_report, principal_a):
    criterion = Criterion.objects.get(standard__version=tt57_report.regulation_version, number="1.1")
    tt57_services.hint_set(report=tt57_report, criterion=criterion, index=2, covered=True, by=principal_a)
    assert tt57_report.criterion_assessments.get(criterion=criterion).hints_covered == [2]
    tt57_services.hint_set(report=tt57_report, criterion=criterion, index=2, covered=False, by=principal_a)
    assert tt57_report.criterion_assessments.get(criterion=criterion).hints_covered == []
    with pytest.raises(services.ReportError):
        tt57_services.hint_set(report=tt57_report, criterion=criterion, index=99, covered=True, by=principal_a)


def test_hint_matches_cited_evidence_by_shared_terms():
    names = {"MC.1.1.01": "Kế hoạch năm học 2026-2027 của nhà trường", "MC.1.1.02": "Biên bản họp phụ huynh"}
    assert tt57.hint_matches("Kế hoạch năm học, kế hoạch giáo dục hoặc kế hoạch phát triển của nhà trường", names) == ["MC.1.1.01"]
    assert tt57.hint_matches("Sơ đồ tổ chức", names) == []


def test_data_form_saves_with_revision_check_and_refuses_bad_numbers(tt57_report, principal_a, staff_a):
    data = tt57_services.data_form(tt57_report)
    assert not data.saved and data.header["name"] == tt57_report.school.name
    years = tt57_services.form_years(tt57_report)
    assert years == ["2024-2025", "2025-2026", "2026-2027"]
    table = tt57_services.data_form_save(report=tt57_report, header={"name": "Trường THCS A"},
                                         cells={("classes_total", "2026-2027"): "24", ("q_3_1_2", "2026-2027"): "97,5"},
                                         base_revision=0, by=principal_a)
    assert table.revision == 1
    assert table.values["years"]["classes_total"] == {"2026-2027": "24"}
    assert table.values["years"]["q_3_1_2"] == {"2026-2027": "97.5"}
    # A save typed on the old revision with other values is a conflict; nothing is lost silently.
    with pytest.raises(services.ConflictError):
        tt57_services.data_form_save(report=tt57_report, header={}, cells={("classes_total", "2026-2027"): "25"},
                                     base_revision=0, by=principal_a)
    with pytest.raises(services.ReportError, match="phải là một số"):
        tt57_services.data_form_save(report=tt57_report, header={}, cells={("classes_total", "2026-2027"): "abc"},
                                     base_revision=1, by=principal_a)
    # The quantitative indicator shows on its criterion's page data.
    assert tt57_services.quant_values(tt57_report)["q_3_1_2"]["2026-2027"] == "97.5"


def test_data_form_prefilled_from_an_earlier_tt57_report(tt57_report, principal_a, school_a):
    tt57_services.data_form_save(report=tt57_report, header={}, cells={("pupils_total", "2025-2026"): "800",
                                                                       ("pupils_total", "2026-2027"): "820"},
                                 base_revision=0, by=principal_a)
    Report.objects.filter(pk=tt57_report.pk).update(status=Report.Status.ACCEPTED)
    next_year = SchoolYearFactory(code="2027-2028", start_date=datetime.date(2027, 9, 5), end_date=datetime.date(2028, 5, 31))
    report = services.report_create(school=school_a, school_year=next_year, kind="periodic", by=principal_a,
                                    today=datetime.date(2027, 10, 1))
    data = tt57_services.data_form(report)
    assert data.years_values["pupils_total"] == {"2025-2026": "800", "2026-2027": "820"}
    assert data.prefilled_from == ["2026-2027"]


def test_only_writers_of_an_editable_report_write(tt57_report, staff_a, principal_a):
    from kiemdinh.permissions import PermissionDenied

    criterion = Criterion.objects.get(standard__version=tt57_report.regulation_version, number="1.1")
    with pytest.raises(PermissionDenied):
        tt57_services.hint_set(report=tt57_report, criterion=criterion, index=0, covered=True, by=staff_a)
    Report.objects.filter(pk=tt57_report.pk).update(status=Report.Status.SUBMITTED)
    tt57_report.refresh_from_db()
    with pytest.raises(PermissionDenied):
        tt57_services.approval_set(report=tt57_report, approved_on=datetime.date(2027, 6, 1), by=principal_a)


# --- Checks ------------------------------------------------------------------------------------


def _codes(problems, code):
    return [p for p in problems if p.code == code]


def test_checks_tt57(tt57_report, principal_a, school_a):
    from evidence.models import Evidence

    report = tt57_report
    problems = checks.report_problems(report)
    # Mandatory criteria unassessed: errors; the others: warnings.
    mandatory = {p.where for p in _codes(problems, "mandatory_unassessed")}
    assert mandatory == {f"Tiêu chí {n}" for n in ("1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2")}
    assert all(p.severity == checks.ERROR for p in _codes(problems, "mandatory_unassessed"))
    assert _codes(problems, "criterion_unassessed")[0].severity == checks.WARNING
    # Phần I and Phần III empty; the prefilled parts are not reported.
    empty = {p.where for p in _codes(problems, "section_empty") if p.severity == checks.ERROR}
    assert any("Phần I" in w and "2a" in w for w in empty)
    assert not any("1. Thông tin chung" in w for w in empty)
    assert _codes(problems, "council_size") and len(_codes(problems, "council_role_count")) == 2

    # Mức 1 Đạt without evidence; then with an unknown code; then with a known one.
    services.indicator_verdict_set(report=report, indicator=_indicator(report, "1.1", 1), met=True, by=principal_a)
    passage = _passage(report, "1.1", 1)
    services.passage_save(passage=passage, text="Nhà trường có kế hoạch năm học.", base_revision=0, by=principal_a)
    problems = checks.report_problems(report)
    assert [p.where for p in _codes(problems, "met_without_evidence")] == ["Tiêu chí 1.1 – Mức 1"]
    passage.refresh_from_db()
    services.passage_save(passage=passage, text="Nhà trường có kế hoạch năm học (MC.1.1.01).", base_revision=1, by=principal_a)
    problems = checks.report_problems(report)
    assert not _codes(problems, "met_without_evidence")
    assert [p.message for p in _codes(problems, "citation_unknown")] == [
        "Mã minh chứng (MC.1.1.01) không có trong danh mục minh chứng của trường."]
    criterion = Criterion.objects.get(standard__version=report.regulation_version, number="1.1")
    Evidence.objects.create(school=school_a, name="Kế hoạch năm học 2026-2027", box=1, criterion=criterion, sequence=1,
                            code="MC.1.1.01")
    assert not _codes(checks.report_problems(report), "citation_unknown")


def test_council_rule_tt57(tt57_report, principal_a):
    report = tt57_report
    for i, role in enumerate(["chair", "secretary", "member", "member"]):
        CouncilMember.objects.create(report=report, position=i, full_name=f"Thành viên {i}", role=role)
    problems = checks.report_problems(report)
    assert "4 thành viên" in _codes(problems, "council_size")[0].message
    CouncilMember.objects.create(report=report, position=9, full_name="Thành viên 9", role="member")
    problems = checks.report_problems(report)
    assert not _codes(problems, "council_size") and not _codes(problems, "council_role_count")
    CouncilMember.objects.create(report=report, position=10, full_name="Thành viên 10", role="member")
    assert _codes(checks.report_problems(report), "council_size")  # 6: even
    report = tt57_services.approval_set(report=report, approved_on=datetime.date(2027, 6, 20), by=principal_a)
    late = _codes(checks.report_problems(report), "approval_late")
    assert late and late[0].severity == checks.ERROR and "15/06/2027" in late[0].message
    report = tt57_services.approval_set(report=report, approved_on=datetime.date(2027, 6, 10), by=principal_a)
    assert not _codes(checks.report_problems(report), "approval_late")


def test_a_stale_approval_date_is_refused_and_the_stored_one_kept(client, tt57_report, principal_a):
    """Two members of the council open Phần III; the second save must not undo the first (issue #13, 11)."""
    client.force_login(principal_a)
    url = reverse("selfassessment:tt57_approval_set", kwargs={"pk": tt57_report.pk})
    page = client.get(reverse("selfassessment:tt57_conclusion", kwargs={"pk": tt57_report.pk}))
    shown = page.context["approval_form"].initial["expected"]
    assert 'name="expected"' in page.content.decode()
    assert client.post(url, {"approved_on": "2027-06-01", "expected": shown}).status_code == 302
    response = client.post(url, {"approved_on": "2027-06-12", "expected": shown}, follow=True)
    assert "vừa được người khác lưu (01/06/2027)" in response.content.decode()
    tt57_report.refresh_from_db()
    assert tt57_report.approved_on == datetime.date(2027, 6, 1)
    client.post(url, {"approved_on": "2027-06-12", "expected": "2027-06-01"})
    tt57_report.refresh_from_db()
    assert tt57_report.approved_on == datetime.date(2027, 6, 12)


# --- Pages -------------------------------------------------------------------------------------


def _criterion_url(report, number):
    criterion = Criterion.objects.get(standard__version=report.regulation_version, number=number)
    return reverse("selfassessment:tt57_criterion", kwargs={"pk": report.pk, "criterion_pk": criterion.pk})


def test_pages_render_for_the_principal(client, tt57_report, principal_a):
    client.force_login(principal_a)
    report = tt57_report
    for name in ("tt57_overview", "tt57_conclusion", "tt57_appendix", "report_detail", "report_checks", "report_council"):
        response = client.get(reverse(f"selfassessment:{name}", kwargs={"pk": report.pk}))
        assert response.status_code == 200, name
    response = client.get(_criterion_url(report, "1.3"))
    content = response.content.decode()
    assert "Tiêu chí bắt buộc" in content
    assert "chưa đối chiếu văn bản chính thức" in content
    assert "31/12/2028" in content  # khoản 4 Điều 27 beside the quantitative indicators
    # The 2018 pages send a TT57 report to its own pages.
    old = reverse("selfassessment:criterion_edit", kwargs={"pk": report.pk, "criterion_pk": response.context["criterion"].pk})
    assert client.get(old).url == _criterion_url(report, "1.3")


def test_other_school_gets_404_and_reader_cannot_post(client, tt57_report, principal_b, reviewer):
    client.force_login(principal_b)
    assert client.get(_criterion_url(tt57_report, "1.1")).status_code == 404
    assert client.get(reverse("selfassessment:tt57_overview", kwargs={"pk": tt57_report.pk})).status_code == 404
    client.force_login(reviewer)
    assert client.get(_criterion_url(tt57_report, "1.1")).status_code == 200
    url = reverse("selfassessment:tt57_approval_set", kwargs={"pk": tt57_report.pk})
    assert client.post(url, {"approved_on": "2027-06-01"}).status_code == 403
    url = reverse("selfassessment:tt57_appendix", kwargs={"pk": tt57_report.pk})
    assert client.post(url, {"revision": "0"}).status_code == 403


def test_2018_report_has_no_tt57_pages(client, report, principal_a):
    client.force_login(principal_a)
    assert client.get(reverse("selfassessment:tt57_overview", kwargs={"pk": report.pk})).status_code == 404


def test_appendix_post_keeps_typed_values_on_error(client, tt57_report, principal_a):
    client.force_login(principal_a)
    url = reverse("selfassessment:tt57_appendix", kwargs={"pk": tt57_report.pk})
    response = client.post(url, {"revision": "0", "c__pupils_total__2026-2027": "8x0", "c__classes_total__2026-2027": "24"})
    assert response.status_code == 400
    assert 'value="8x0"' in response.content.decode() and 'value="24"' in response.content.decode()
    response = client.post(url, {"revision": "0", "c__pupils_total__2026-2027": "800"})
    assert response.status_code == 302
    assert tt57_services.data_form(tt57_report).years_values["pupils_total"] == {"2026-2027": "800"}


def test_criterion_page_queries_constant_as_evidence_grows(client, tt57_report, principal_a, school_a):
    from evidence.models import Evidence

    client.force_login(principal_a)
    report = tt57_report
    criterion = Criterion.objects.get(standard__version=report.regulation_version, number="1.1")
    url = _criterion_url(report, "1.1")

    def cite(n: int):
        codes = []
        for _i in range(n):
            seq = Evidence.objects.filter(school=school_a).count() + 1
            code = f"MC.1.1.{seq:02d}"
            Evidence.objects.create(school=school_a, name=f"Kế hoạch số {seq}", box=1, criterion=criterion, sequence=seq, code=code)
            codes.append(code)
        passage = _passage(report, "1.1", 1)
        services.passage_save(passage=passage, text=passage.text + f" Có minh chứng ({', '.join(codes)}).",
                              base_revision=passage.revision, by=principal_a)

    cite(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    cite(12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and "MC.1.1.13" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_verdict_json_answers_levels_for_the_page(client, tt57_report, principal_a):
    client.force_login(principal_a)
    indicator = _indicator(tt57_report, "1.1", 1)
    url = reverse("selfassessment:indicator_verdict_set", kwargs={"pk": tt57_report.pk, "indicator_pk": indicator.pk})
    response = client.post(url, {"met": "dat", "expected": ""}, HTTP_ACCEPT="application/json")
    data = response.json()
    assert data["criterion"]["level"] == 1
    assert IndicatorVerdict.objects.get(report=tt57_report, indicator=indicator).met is True


def test_report_lists_name_a_tt57_school_level_0_khong_dat(client, tt57_report, principal_a):
    from selfassessment.selectors import reports_for_school_home

    tt57_report.refresh_from_db()
    assert tt57_report.school_level == 0
    client.force_login(principal_a)
    row = client.get(reverse("selfassessment:report_list")).content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "Không đạt" in row and "Chưa đạt" not in row
    from django.template.loader import render_to_string

    home = reports_for_school_home(principal_a)[tt57_report.school_id]
    html = render_to_string("selfassessment/partials/_school_reports.html",
                            {"school": tt57_report.school, "reports": home, "user": principal_a})
    assert "Không đạt" in html and "Chưa đạt" not in html


def test_report_overview_marks_the_mandatory_criteria(client, tt57_report, principal_a):
    client.force_login(principal_a)
    content = client.get(reverse("selfassessment:report_detail", kwargs={"pk": tt57_report.pk})).content.decode()

    def row(number: str) -> str:
        criterion = Criterion.objects.get(standard__version=tt57_report.regulation_version, number=number)
        link = reverse("selfassessment:criterion_edit", kwargs={"pk": tt57_report.pk, "criterion_pk": criterion.pk})
        return content.split(f'href="{link}"')[1].split("</tr>")[0]

    assert "mandatory-badge" in row("1.3") and "Bắt buộc" in row("1.3")  # 1.3 is a tiêu chí bắt buộc
    assert "mandatory-badge" not in row("1.1")


def test_level_0_is_named_khong_dat_in_the_badges_and_the_verdict_json(client, tt57_report, principal_a):
    client.force_login(principal_a)
    indicator = _indicator(tt57_report, "1.1", 1)
    url = reverse("selfassessment:indicator_verdict_set", kwargs={"pk": tt57_report.pk, "indicator_pk": indicator.pk})
    data = client.post(url, {"met": "khong_dat", "expected": ""}, HTTP_ACCEPT="application/json").json()
    assert data["criterion"]["level"] == 0 and data["criterion"]["label"] == "Không đạt"
    assert data["school_level"] == 0 and data["school_level_label"] == "Không đạt"
    content = client.get(_criterion_url(tt57_report, "1.1")).content.decode()
    header = content.split('id="school-level"')[1].split("</div>")[0]
    criterion_badge = content.split('id="criterion-level"')[1].split("</span></span>")[0]
    assert "Không đạt" in header and "Chưa đạt" not in header
    assert "Không đạt" in criterion_badge
    outline = content.split(f'data-criterion-level="{indicator.criterion_id}"')[1].split("</span></span>")[0]
    assert "Không đạt" in outline and "Chưa đạt" not in outline


# --- Demo ----------------------------------------------------------------------------------------


def test_demo_finished_tt57_report_passes_the_checks_and_a_half_written_one_does_not(tt57_report, principal_a, school_a):
    import random

    from demo import selfassessment as demo

    demo._tt57_write(tt57_report, school_a, principal_a, random.Random(3), finished=True)
    report = Report.objects.get(pk=tt57_report.pk)
    errors = [(p.code, p.where, p.message) for p in checks.report_problems(report) if p.severity == checks.ERROR]
    assert errors == []
    assert report.school_level in (1, 2) and report.approved_on == datetime.date(2026, 11, 27)
    assert not IndicatorVerdict.objects.filter(report=report, indicator__level=1, met__isnull=True).exists()
    assert tt57_services.data_form(report).saved

    other = SchoolYearFactory(code="2027-2028", start_date=datetime.date(2027, 9, 5), end_date=datetime.date(2028, 5, 31))
    half = services.report_create(school=school_a, school_year=other, kind="periodic", by=principal_a,
                                  today=datetime.date(2027, 10, 1))
    demo._tt57_write(half, school_a, principal_a, random.Random(4), finished=False)
    half = Report.objects.get(pk=half.pk)
    assert IndicatorVerdict.objects.filter(report=half, met__isnull=False).exists()
    assert checks.has_errors(checks.report_problems(half))
