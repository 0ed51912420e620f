"""National-standard recognition under TT57/2026 (issue 14 item 4): the four conditions of khoản 1
Điều 16, the Sở's facilities record and decision, 5-year validity, Mức độ 2 after 2 years, and the
certificates of before 07/7/2026 kept with their own expiry."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.models import Event
from evaluations import recognition, recognition_selectors
from evaluations.models import Certificate, Recognition57
from evaluations.services import EvaluationsError
from evaluations.services import recognition as rs
from kiemdinh.permissions import PermissionDenied
from schools.tests.factories import SchoolYearFactory

DAY = datetime.date(2026, 9, 1)


# --- Pure rules ---------------------------------------------------------------------------------


def test_dates():
    assert recognition.valid_until(datetime.date(2026, 8, 1)) == datetime.date(2031, 8, 1)
    assert recognition.upgrade_eligible_on(1, datetime.date(2026, 8, 1)) == datetime.date(2028, 8, 1)
    assert recognition.upgrade_eligible_on(2, datetime.date(2026, 8, 1)) is None
    assert recognition.valid_until(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)


@pytest.mark.parametrize("years, run", [
    ([], []), ([2024], [2024]), ([2023, 2024, 2025], [2023, 2024, 2025]), ([2021, 2024, 2025], [2024, 2025]),
    ([2025, 2023, 2024, 2020], [2023, 2024, 2025]),
])
def test_longest_recent_run(years, run):
    assert recognition.longest_recent_run(years) == run


def _conditions(a=True, b=True, c=1, d=1):
    items = {
        "a": recognition.Condition("a", a, ""), "b": recognition.Condition("b", b, ""),
        "c": recognition.Condition("c", c >= 1, ""), "d": recognition.Condition("d", d >= 1, ""),
    }
    return recognition.Conditions(items, level_degree=c, facilities_degree=d)


def test_degree_problems():
    check = recognition.degree_problem
    after = datetime.date(2026, 9, 1)
    assert check(degree=1, decision_date=after, conditions=_conditions(), confirmed=False, current_degree1_on=None) is None
    assert check(degree=1, decision_date=datetime.date(2026, 7, 6), conditions=_conditions(), confirmed=False,
                 current_degree1_on=None) == "before_tt57"
    assert check(degree=2, decision_date=after, conditions=_conditions(c=2, d=1), confirmed=False,
                 current_degree1_on=None) == "facilities"
    assert check(degree=2, decision_date=after, conditions=_conditions(c=1, d=2), confirmed=False,
                 current_degree1_on=None) == "level"
    assert check(degree=1, decision_date=after, conditions=_conditions(b=False), confirmed=False,
                 current_degree1_on=None) == "unconfirmed"
    assert check(degree=1, decision_date=after, conditions=_conditions(b=False), confirmed=True,
                 current_degree1_on=None) is None
    assert check(degree=1, decision_date=after, conditions=_conditions(d=0), confirmed=True,
                 current_degree1_on=None) == "facilities"
    two = dict(conditions=_conditions(c=2, d=2), confirmed=False, current_degree1_on=datetime.date(2026, 8, 1))
    assert check(degree=2, decision_date=datetime.date(2028, 7, 31), **two) == "upgrade_wait"
    assert check(degree=2, decision_date=datetime.date(2028, 8, 1), **two) is None
    assert _conditions().proposed_degree == 1 and _conditions(c=2, d=2).proposed_degree == 2
    assert _conditions(a=False).proposed_degree == 0


# --- The conditions from the school's reports -----------------------------------------------------


@pytest.fixture
def tt57(db):
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])


def _report(school, principal, code, status, *, cohorts=None, level=None):
    from schools.models import SchoolYear
    from selfassessment import services as sa_services
    from selfassessment.models import Report

    first = int(code[:4])
    year = SchoolYear.objects.filter(code=code).first() or SchoolYearFactory(
        code=code, start_date=datetime.date(first, 9, 5), end_date=datetime.date(first + 1, 5, 31))
    report = sa_services.report_create(school=school, school_year=year, kind="periodic", by=principal,
                                       today=datetime.date(first, 10, 1))
    Report.objects.filter(pk=report.pk).update(status=status, completed_cohorts=cohorts, school_level=level)
    return report


@pytest.fixture
def ready_school(tt57, tt18, school_a, principal_a, officer):
    """School A: accepted reports 2023-2024 … 2026-2027 (the last under TT57, Mức 1), 12 cohorts,
    facilities recorded at Mức độ 1 by the Sở."""
    for code in ("2023-2024", "2024-2025", "2025-2026"):
        _report(school_a, principal_a, code, "accepted")
    _report(school_a, principal_a, "2026-2027", "forwarded", cohorts=12, level=1)
    rs.facilities57_set(school=school_a, degree=1, note="Đủ phòng học bộ môn", by=officer, revision=0)
    return school_a


def test_conditions_of_a_ready_school(ready_school, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        conditions = recognition_selectors.conditions_for([ready_school.pk])[ready_school.pk]
    assert conditions.all_met and conditions.proposed_degree == 1
    assert "12 khóa" in conditions.items["a"].detail
    assert "2023-2024, 2024-2025, 2025-2026, 2026-2027" in conditions.items["b"].detail
    assert conditions.items["c"].detail.startswith("Mức 1")


def test_conditions_of_a_school_without_data(school_b, db):
    conditions = recognition_selectors.conditions_for([school_b.pk])[school_b.pk]
    assert conditions.unmet() == ["a", "b", "c", "d"] and conditions.proposed_degree == 0


def test_a_gap_in_the_years_and_an_unaccepted_tt57_report(tt57, tt18, school_a, principal_a):
    _report(school_a, principal_a, "2023-2024", "accepted")
    _report(school_a, principal_a, "2025-2026", "accepted", cohorts=0)
    _report(school_a, principal_a, "2026-2027", "submitted", level=2)
    conditions = recognition_selectors.conditions_for([school_a.pk])[school_a.pk]
    assert conditions.unmet() == ["a", "b", "c", "d"]
    assert "chưa được chấp nhận" in conditions.items["c"].detail
    assert conditions.items["b"].detail.startswith("1 năm học")


def test_the_query_count_does_not_grow_with_schools(ready_school, school_b, school_c, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        rows = recognition_selectors.recognition_rows([ready_school, school_b, school_c])
    assert [bool(r.conditions.proposed_degree) for r in rows] == [True, False, False]


# --- Recording ----------------------------------------------------------------------------------


def test_the_so_records_a_recognition_with_computed_dates(ready_school, officer):
    item = rs.recognition57_record(school=ready_school, by=officer, decision_number="15/QĐ-SGDĐT",
                                   decision_date=datetime.date(2026, 11, 20), issuing_body="Sở GD&ĐT Hà Nội", degree=1)
    assert item.valid_until == datetime.date(2031, 11, 20)
    assert item.upgrade_eligible_on == datetime.date(2028, 11, 20)
    assert item.conditions["items"]["d"]["met"] and not item.conditions["confirmed"]
    assert Event.objects.filter(action="evaluations.recognition57.recorded").exists()


def test_degree_2_needs_level_2_facilities_and_two_years(ready_school, officer):
    from selfassessment.models import Report

    first = rs.recognition57_record(school=ready_school, by=officer, decision_number="1/QĐ", issuing_body="Sở",
                                    decision_date=datetime.date(2026, 11, 20), degree=1)
    with pytest.raises(EvaluationsError, match="điều kiện d"):
        rs.recognition57_record(school=ready_school, by=officer, decision_number="2/QĐ", issuing_body="Sở",
                                decision_date=datetime.date(2026, 12, 1), degree=2)
    rs.facilities57_set(school=ready_school, degree=2, note="", by=officer, revision=1)
    with pytest.raises(EvaluationsError, match="điều kiện c"):
        rs.recognition57_record(school=ready_school, by=officer, decision_number="2/QĐ", issuing_body="Sở",
                                decision_date=datetime.date(2026, 12, 1), degree=2)
    Report.objects.filter(school=ready_school, school_year__code="2026-2027").update(school_level=2)
    with pytest.raises(EvaluationsError, match="từ ngày 20/11/2028"):
        rs.recognition57_record(school=ready_school, by=officer, decision_number="2/QĐ", issuing_body="Sở",
                                decision_date=datetime.date(2026, 12, 1), degree=2)
    assert list(Recognition57.objects.all()) == [first]


def test_unmet_data_conditions_need_the_sos_confirmation_with_its_basis(tt57, school_b, officer):
    rs.facilities57_set(school=school_b, degree=1, note="", by=officer, revision=None)
    with pytest.raises(EvaluationsError, match="điều kiện c"):
        rs.recognition57_record(school=school_b, by=officer, decision_number="3/QĐ", issuing_body="Sở",
                                decision_date=datetime.date(2026, 11, 1), degree=1, confirmed=True, conditions_note="x")
    assert not Recognition57.objects.exists()


def test_confirmation_of_a_and_b(tt57, school_b, principal_b, officer):
    _report(school_b, principal_b, "2026-2027", "accepted", level=1)
    rs.facilities57_set(school=school_b, degree=1, note="", by=officer, revision=None)
    with pytest.raises(EvaluationsError, match="Chưa đủ điều kiện a, b"):
        rs.recognition57_record(school=school_b, by=officer, decision_number="4/QĐ", issuing_body="Sở",
                                decision_date=datetime.date(2026, 11, 1), degree=1)
    with pytest.raises(EvaluationsError, match="căn cứ"):
        rs.recognition57_record(school=school_b, by=officer, decision_number="4/QĐ", issuing_body="Sở",
                                decision_date=datetime.date(2026, 11, 1), degree=1, confirmed=True)
    item = rs.recognition57_record(school=school_b, by=officer, decision_number="4/QĐ", issuing_body="Sở",
                                   decision_date=datetime.date(2026, 11, 1), degree=1, confirmed=True,
                                   conditions_note="Hồ sơ TĐG 2023-2026 lưu tại Sở")
    assert item.conditions["confirmed"] and item.conditions_note


def test_a_decision_before_tt57_is_refused(ready_school, officer):
    with pytest.raises(EvaluationsError, match="07/7/2026"):
        rs.recognition57_record(school=ready_school, by=officer, decision_number="5/QĐ", issuing_body="Sở",
                                decision_date=datetime.date(2026, 7, 6), degree=1)


def test_only_the_so_records(ready_school, reviewer, head, principal_a, other_reviewer):
    for user in (reviewer, head, principal_a, other_reviewer):
        with pytest.raises(PermissionDenied):
            rs.recognition57_record(school=ready_school, by=user, decision_number="6/QĐ", issuing_body="Sở",
                                    decision_date=datetime.date(2026, 11, 1), degree=1)
        with pytest.raises(PermissionDenied):
            rs.facilities57_set(school=ready_school, degree=2, note="", by=user, revision=1)


def test_facilities_revision(school_a, officer, db):
    record = rs.facilities57_set(school=school_a, degree=1, note="", by=officer, revision=0)
    rs.facilities57_set(school=school_a, degree=2, note="Bổ sung thư viện", by=officer, revision=record.revision)
    with pytest.raises(EvaluationsError, match="người khác"):
        rs.facilities57_set(school=school_a, degree=0, note="", by=officer, revision=record.revision)
    with pytest.raises(EvaluationsError, match="người khác"):
        rs.facilities57_set(school=school_a, degree=1, note="", by=officer, revision=0)


# --- Pages --------------------------------------------------------------------------------------


def test_pages_and_the_old_certificates_keep_their_expiry(ready_school, officer, reviewer, client):
    old = Certificate.objects.create(school=ready_school, decision_number="99/QĐ-SGDĐT",
                                     decision_date=datetime.date(2023, 5, 10), issuing_body="Sở GD&ĐT",
                                     accreditation_level=2, national_standard_level=1)
    client.force_login(officer)
    listing = client.get(reverse("evaluations:recognition_list")).content.decode()
    assert ready_school.name in listing and "10/05/2028" in listing
    url = reverse("evaluations:recognition_school", args=[ready_school.pk])
    response = client.post(reverse("evaluations:recognition57_create", args=[ready_school.pk]), {
        "decision_number": "15/QĐ-SGDĐT", "decision_date": "20/11/2026", "issuing_body": "Sở GD&ĐT Hà Nội",
        "degree": "1", "conditions_note": "", "note": "",
    })
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert "20/11/2031" in page and "20/11/2028" in page  # TT57: 5 years, Mức độ 2 from 2 years
    assert old.valid_until.strftime("%d/%m/%Y") in page and "Bằng trước 07/7/2026" in page
    bad = client.post(reverse("evaluations:recognition57_create", args=[ready_school.pk]), {
        "decision_number": "16/QĐ", "decision_date": "01/12/2026", "issuing_body": "Sở", "degree": "2",
    })
    assert bad.status_code == 400 and "Chưa đủ điều kiện" in bad.content.decode()
    client.force_login(reviewer)
    assert client.get(url).status_code == 200
    assert "Ghi quyết định công nhận" not in client.get(url).content.decode()
    assert client.post(reverse("evaluations:facilities57_set", args=[ready_school.pk]),
                       {"degree": "2", "note": "", "revision": "1"}).status_code == 403


def test_the_certificate_list_shows_both_kinds_with_their_own_expiry(ready_school, officer, client):
    Certificate.objects.create(school=ready_school, decision_number="99/QĐ-SGDĐT", decision_date=datetime.date(2023, 5, 10),
                               issuing_body="Sở GD&ĐT", accreditation_level=2, national_standard_level=1)
    rs.recognition57_record(school=ready_school, by=officer, decision_number="15/QĐ-SGDĐT", issuing_body="Sở",
                            decision_date=datetime.date(2026, 11, 20), degree=1)
    client.force_login(officer)
    page = client.get(reverse("evaluations:certificate_list")).content.decode()
    assert "10/05/2028" in page  # the certificate of before TT57 keeps its own expiry
    assert "Chuẩn quốc gia Mức độ 1 (QĐ 15/QĐ-SGDĐT), hiệu lực đến 20/11/2031" in page
