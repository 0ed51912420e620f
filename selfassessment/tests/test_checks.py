"""Each consistency check: it finds its problem, links to the place, and stays quiet when all is well."""

import datetime

import pytest

from selfassessment import checks, services
from selfassessment.models import CouncilMember, IndicatorVerdict, Passage, Report, WorkingGroup

from .factories import add_evidence, criterion, indicator, load_catalog

pytestmark = pytest.mark.django_db


def write(report, key, text, by):
    p = Passage.objects.get(report=report, key=key)
    return services.passage_save(passage=p, text=text, base_revision=p.revision, by=by)


def problems(report, code=None):
    found = checks.report_problems(Report.objects.get(pk=report.pk))
    return [p for p in found if code is None or p.code == code]


# --- Evidence -----------------------------------------------------------------------------------


def test_a_cited_code_that_does_not_exist(report, principal_a):
    (item,) = add_evidence(report, "1.1", principal_a)
    saved = write(report, "indicator:1.1:1:a", f"Có kế hoạch [{item.code}; H1-1.1-07].", principal_a)
    found = problems(report, "citation_unknown")
    assert len(found) == 1
    assert "[H1-1.1-07]" in found[0].message and found[0].severity == checks.ERROR
    assert found[0].url.endswith(f"/criteria/{saved.criterion_id}/#p-{saved.pk}")
    assert found[0].where == "Tiêu chí 1.1 – Mức 1, chỉ báo a – Mô tả hiện trạng"


def test_a_cited_item_that_was_archived(report, principal_a):
    from evidence import services as evidence_services

    (item,) = add_evidence(report, "1.1", principal_a)
    write(report, "indicator:1.1:1:a", f"Có kế hoạch [{item.code}].", principal_a)
    assert not problems(report, "citation_unknown")
    evidence_services.evidence_archive(evidence=item, by=principal_a)
    (found,) = problems(report, "citation_unknown")
    assert "đã được lưu trữ" in found.message


def test_an_item_never_cited(report, principal_a):
    cited, idle = add_evidence(report, "1.1", principal_a, count=2)
    write(report, "indicator:1.1:1:a", f"Có kế hoạch [{cited.code}].", principal_a)
    found = problems(report, "evidence_not_cited")
    assert [p.message for p in found] == [f"Minh chứng [{idle.code}] “{idle.name}” chưa được trích dẫn ở đâu trong báo cáo."]
    assert found[0].url == f"/evidence/{idle.pk}/"


def test_a_citation_under_another_criterion_needs_a_declared_share(report, principal_a):
    from evidence import services as evidence_services

    (item,) = add_evidence(report, "1.1", principal_a)
    write(report, "indicator:1.2:1:a", f"Dùng lại [{item.code}].", principal_a)
    write(report, "standard:1:opening", f"Mở đầu có thể dẫn mọi minh chứng [{item.code}].", principal_a)
    (found,) = problems(report, "citation_not_shared")
    assert "thuộc tiêu chí 1.1, được trích dẫn ở tiêu chí 1.2" in found.message
    evidence_services.evidence_share(evidence=item, criterion=criterion(report, "1.2"), by=principal_a)
    assert not problems(report, "citation_not_shared")


def test_expired_and_future_dated_items_against_the_report_date(report, principal_a):
    assert report.regulation_date == datetime.date(2025, 5, 31)
    expired, future, fine = (
        add_evidence(report, "1.1", principal_a, valid_until=datetime.date(2024, 12, 31))[0],
        add_evidence(report, "1.1", principal_a, issued_on=datetime.date(2025, 8, 1))[0],
        add_evidence(report, "1.1", principal_a, issued_on=datetime.date(2024, 8, 1), valid_until=datetime.date(2026, 1, 1))[0],
    )
    write(report, "indicator:1.1:1:a", f"A [{expired.code}] B [{future.code}] C [{fine.code}] lại A [{expired.code}].", principal_a)
    assert [p.message for p in problems(report, "evidence_expired")] == [
        f"Minh chứng [{expired.code}] đã hết hiệu lực từ 31/12/2024."]
    (found,) = problems(report, "evidence_future")
    assert found.severity == checks.ERROR and "01/08/2025" in found.message


# --- Content --------------------------------------------------------------------------------------


def test_level_required_sections(report, principal_a):
    (item,) = add_evidence(report, "1.1", principal_a)
    found = problems(report, "section_empty")
    places = {p.where for p in found}
    assert "Tiêu chí 1.1 – Mức 1, chỉ báo a – Mô tả hiện trạng" in places
    assert "Tiêu chí 1.1 – Điểm mạnh" in places and "Tiêu chí 1.1 – Điểm yếu" in places
    assert "Đặt vấn đề" in places and "Kết luận chung" in places
    assert {p.where for p in problems(report, "plan_empty")} >= {"Tiêu chí 1.1 – Kế hoạch cải tiến chất lượng"}
    # A statement of something met must cite its evidence (an error); of something not met, should (a warning).
    services.indicator_verdict_set(report=report, indicator=indicator(report, "1.1", 1, "a"), met=True, by=principal_a)
    services.indicator_verdict_set(report=report, indicator=indicator(report, "1.1", 1, "b"), met=False, by=principal_a)
    write(report, "indicator:1.1:1:a", "Có kế hoạch nhưng không dẫn minh chứng.", principal_a)
    write(report, "indicator:1.1:1:b", "Chưa thực hiện.", principal_a)
    without = {p.where: p.severity for p in problems(report, "state_without_evidence")}
    assert without == {"Tiêu chí 1.1 – Mức 1, chỉ báo a – Mô tả hiện trạng": checks.ERROR,
                       "Tiêu chí 1.1 – Mức 1, chỉ báo b – Mô tả hiện trạng": checks.WARNING}
    write(report, "indicator:1.1:1:a", f"Có kế hoạch [{item.code}].", principal_a)
    write(report, "criterion:1.1:strengths", "Điểm mạnh.", principal_a)
    services.improvement_actions_save(report=report, criterion=criterion(report, "1.1"), by=principal_a,
                                      token=services.actions_token([]), items=[{"id": None, "action": "Cải tiến"}])
    places = {p.where for p in problems(report, "section_empty")}
    assert "Tiêu chí 1.1 – Mức 1, chỉ báo a – Mô tả hiện trạng" not in places
    assert "Tiêu chí 1.1 – Điểm mạnh" not in places
    assert "Tiêu chí 1.1 – Kế hoạch cải tiến chất lượng" not in {p.where for p in problems(report, "plan_empty")}


def test_an_indicator_without_verdict_and_unconfirmed_copied_verdicts(report, principal_a):
    missing = problems(report, "verdict_missing")
    assert len(missing) == IndicatorVerdict.objects.filter(report=report).count() == 23
    assert missing[0].url.endswith(f"#ind-{indicator(report, '1.1', 1, 'a').pk}")
    for v in IndicatorVerdict.objects.filter(report=report).select_related("indicator"):
        services.indicator_verdict_set(report=report, indicator=v.indicator, met=True, by=principal_a)
    assert not problems(report, "verdict_missing")
    IndicatorVerdict.objects.filter(report=report, indicator__criterion__number="2.1").update(needs_review=True)
    (found,) = problems(report, "verdict_unreviewed")
    assert found.where == "Tiêu chí 2.1" and "4 kết luận" in found.message


def test_numbers_of_part_one_that_do_not_add_up(report, principal_a):
    assert {p.where for p in problems(report, "table_empty")} >= {"Số lớp học"}
    services.data_table_save(report=report, key="staff", base_revision=0, by=principal_a,
                             raw={("teachers", "total"): "40", ("teachers", "women"): "45"})
    (found,) = problems(report, "table_mismatch")
    assert found.severity == checks.ERROR
    assert found.where.startswith("Cán bộ quản lý, giáo viên, nhân viên (tại thời điểm tự đánh giá) – Giáo viên")
    assert "Số nữ lớn hơn tổng số" in found.message and "tổng số: 40" in found.message
    assert found.url.endswith("/data/#table-staff")


def test_council_checks(report, principal_a):
    codes = {p.code for p in problems(report)}
    assert {"council_decision_missing", "council_too_small", "council_role_missing", "criteria_unassigned"} <= codes
    services.council_update(report=report, decision_number="1/QĐ", decision_date=datetime.date(2024, 9, 9), by=principal_a)
    members = [services.council_member_save(report=report, member=CouncilMember(full_name=f"TV {i}", role=role),
                                            by=principal_a)
               for i, role in enumerate(["chair", "vice_chair", "secretary", "member", "member", "member", "member"])]
    services.working_group_save(report=report, group=WorkingGroup(name="Tất cả"), members=members[:2],
                                criteria=[a.criterion for a in report.criterion_assessments.all()], by=principal_a)
    codes = {p.code for p in problems(report)}
    assert not codes & {"council_decision_missing", "council_too_small", "council_role_missing", "criteria_unassigned"}


def test_text_identical_to_last_year_is_flagged_for_review(regulation, school_a, last_year, school_year, principal_a):
    old = services.report_create(school=school_a, school_year=last_year, kind="periodic", by=principal_a)
    write(old, "criterion:1.1:strengths", "Tập thể đoàn kết.", principal_a)
    write(old, "criterion:1.1:weaknesses", "Hồ sơ chưa đầy đủ.", principal_a)
    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a,
                                    copy_previous=True)
    write(report, "criterion:1.1:weaknesses", "Hồ sơ   chưa đầy đủ.\n", principal_a)  # spacing does not count
    write(report, "criterion:1.1:strengths", "Tập thể đoàn kết, sáng tạo.", principal_a)
    found = problems(report, "same_as_last_year")
    assert [(p.where, p.severity) for p in found] == [("Tiêu chí 1.1 – Điểm yếu", checks.INFO)]


def test_text_left_in_a_criterion_gone_from_the_regulation(report, principal_a, sysadmin):
    write(report, "indicator:2.1:1:a", "Đã viết cho tiêu chí 2.1.", principal_a)
    smaller = load_catalog(code="SMALL/2018", standards=1)
    services.report_regulation_change(report=report, version=smaller.versions.get(), by=sysadmin)
    (found,) = problems(report, "orphan_text")
    assert found.where == "Tiêu chí 2.1 – Mức 1, chỉ báo a – Mô tả hiện trạng"


def test_errors_come_first_and_has_errors_says_whether_submission_is_blocked(report):
    found = problems(report)
    order = [checks.SEVERITY_ORDER[p.severity] for p in found]
    assert order == sorted(order)
    assert checks.has_errors(found)
    assert not checks.has_errors([p for p in found if p.severity != checks.ERROR])
