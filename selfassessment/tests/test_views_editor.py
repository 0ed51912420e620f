"""The editor in the browser's place: pages, autosave and conflicts, verdicts, working groups, query counts."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfassessment import services
from selfassessment.models import (
    CouncilMember,
    DataTable,
    ImprovementAction,
    IndicatorVerdict,
    Passage,
    PassageRevision,
    Report,
    WorkingGroup,
)

from .factories import add_evidence, criterion, indicator, load_catalog, school_person

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def url(name, report, **kwargs):
    return reverse(f"selfassessment:{name}", kwargs={"pk": report.pk, **kwargs})


def passage(report, key):
    return Passage.objects.get(report=report, key=key)


def test_a_principal_creates_the_report_from_the_form(client, regulation, school_a, school_year, principal_a):
    client.force_login(principal_a)
    page = client.get(reverse("selfassessment:report_create"))
    assert page.status_code == 200
    assert "TEST/2018" in page.content.decode()  # the regulation that will apply is shown
    response = client.post(reverse("selfassessment:report_create"),
                           {"school": school_a.pk, "school_year": school_year.pk, "kind": "periodic"})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == url("report_detail", report)
    again = client.post(reverse("selfassessment:report_create"),
                        {"school": school_a.pk, "school_year": school_year.pk, "kind": "periodic"})
    assert again.status_code == 200 and "đang mở" in again.content.decode()
    assert Report.objects.count() == 1


def test_the_criterion_editor_shows_the_criterion_to_write(client, report, principal_a):
    (item,) = add_evidence(report, "1.1", principal_a, name="Kế hoạch chiến lược")
    client.force_login(principal_a)
    page = client.get(url("criterion_edit", report, criterion_pk=criterion(report, "1.1").pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tiêu chí 1.1: Tiêu chí thử 1.1" in html and "Chỉ báo a mức 1 của 1.1;" in html
    assert html.count('data-autosave data-autosave-key="report:') == 6  # four indicators, strengths, weaknesses
    assert f'data-evidence-search-url="/evidence/search/?school={report.school_id}"' in html
    assert html.count("data-verdict") >= 4
    assert "Kế hoạch chiến lược" in html and item.code in html
    assert 'name="actions-TOTAL_FORMS"' in html


def test_autosave_answers_json_and_refuses_a_stale_save_with_both_versions(client, report, principal_a):
    client.force_login(principal_a)
    target = passage(report, "criterion:1.1:strengths")
    save = url("passage_save", report, passage_pk=target.pk)
    first = client.post(save, {"text": "Bản đầu [H9-9.9-99]", "revision": "0"}, **JSON)
    assert first.status_code == 200
    data = first.json()
    assert data["status"] == "saved" and data["revision"] == 1
    assert data["citations"][0]["kind"] == "unknown"  # the page shows the wrong code at once
    stale = client.post(save, {"text": "Bản của người thứ hai", "revision": "0"}, **JSON)
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"]["text"] == "Bản đầu [H9-9.9-99]" and body["current"]["revision"] == 1
    assert body["mine"] == "Bản của người thứ hai"
    assert passage(report, "criterion:1.1:strengths").text == "Bản đầu [H9-9.9-99]"


def test_without_script_a_save_redirects_and_a_conflict_shows_both_versions(client, report, principal_a):
    client.force_login(principal_a)
    target = passage(report, "introduction")
    save = url("passage_save", report, passage_pk=target.pk)
    response = client.post(save, {"text": "Đặt vấn đề", "revision": "0"})
    assert response.status_code == 302 and response["Location"].endswith(f"/general/#p-{target.pk}")
    conflict = client.post(save, {"text": "Bản khác", "revision": "0"})
    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "Đặt vấn đề" in html and "Bản khác" in html and 'name="revision" value="1"' in html


def test_bad_input_to_autosave_is_a_clear_message(client, report, principal_a):
    client.force_login(principal_a)
    save = url("passage_save", report, passage_pk=passage(report, "introduction").pk)
    assert client.post(save, {"text": "x"}, **JSON).status_code == 400
    too_long = client.post(save, {"text": "x" * (services.MAX_TEXT_LENGTH + 5), "revision": "0"}, **JSON)
    assert too_long.status_code == 400 and "quá dài" in too_long.json()["message"]


def test_a_verdict_answers_the_new_levels(client, report, principal_a):
    client.force_login(principal_a)
    c = criterion(report, "1.1")
    for key in ("a", "b"):
        response = client.post(url("indicator_verdict_set", report, indicator_pk=indicator(report, "1.1", 1, key).pk),
                               {"met": "dat", "expected": ""}, **JSON)
        assert response.status_code == 200
    data = response.json()
    assert data["verdict"] == "dat"
    assert data["criterion"] == {"id": c.pk, "number": "1.1", "level": 1, "label": "Mức 1",
                                 "explanation": ["Chỉ báo a Mức 2 của tiêu chí 1.1 chưa đạt."]}
    assert data["school_level"] == 0
    assert data["school_level_label"] == "Chưa đạt"  # the 2018 wording, as the page's badge says it
    stale = client.post(url("indicator_verdict_set", report, indicator_pk=indicator(report, "1.1", 1, "a").pk),
                        {"met": "khong_dat", "expected": ""}, **JSON)
    assert stale.status_code == 409 and stale.json()["current"] == "dat"


def test_a_working_group_member_writes_their_criteria_and_gets_403_elsewhere(client, report, principal_a, school_a):
    writer = school_person(school_a, "nhom_1")
    member = services.council_member_save(report=report, member=CouncilMember(full_name="Nhóm 1", role="member"),
                                          by=principal_a, user=writer)
    services.working_group_save(report=report, group=WorkingGroup(name="Nhóm 1"), members=[member],
                                criteria=[criterion(report, "1.1")], by=principal_a)
    client.force_login(writer)
    own = passage(report, "indicator:1.1:1:a")
    other = passage(report, "indicator:1.2:1:a")
    assert client.post(url("passage_save", report, passage_pk=own.pk), {"text": "Của nhóm", "revision": "0"},
                       **JSON).status_code == 200
    denied = client.post(url("passage_save", report, passage_pk=other.pk), {"text": "Không được", "revision": "0"})
    assert denied.status_code == 403 and "không thuộc nhóm công tác của bạn" in denied.content.decode()
    assert client.post(url("indicator_verdict_set", report, indicator_pk=indicator(report, "1.2", 1).pk),
                       {"met": "dat"}).status_code == 403
    assert client.post(url("passage_save", report, passage_pk=passage(report, "introduction").pk),
                       {"text": "x", "revision": "0"}).status_code == 403
    # They still read the other criteria, without a writing box.
    page = client.get(url("criterion_edit", report, criterion_pk=criterion(report, "1.2").pk))
    assert page.status_code == 200 and "data-autosave" not in page.content.decode()
    assert "không thuộc nhóm công tác của bạn" in page.content.decode()
    assert "data-autosave" in client.get(url("criterion_edit", report, criterion_pk=criterion(report, "1.1").pk)).content.decode()


def test_nobody_from_another_school_sees_anything_of_it(client, report, principal_b, principal_c, other_reviewer):
    target = passage(report, "introduction")
    for user in (principal_b, principal_c, other_reviewer):
        client.force_login(user)
        for address in (url("report_detail", report), url("criterion_edit", report, criterion_pk=criterion(report, "1.1").pk),
                        url("passage_history", report, passage_pk=target.pk), url("report_checks", report)):
            assert client.get(address).status_code == 404, (user, address)
        assert client.post(url("passage_save", report, passage_pk=target.pk), {"text": "x", "revision": "0"}).status_code == 404
        assert report.pk not in [r.pk for r in client.get(reverse("selfassessment:report_list")).context["page"]]


def test_a_criterion_of_another_version_is_404(client, report, principal_a):
    foreign = load_catalog(code="OTHER/2018").versions.get().standards.get(number=1).criteria.first()
    client.force_login(principal_a)
    assert client.get(url("criterion_edit", report, criterion_pk=foreign.pk)).status_code == 404


def test_history_shows_who_changed_what_and_restores(client, report, principal_a):
    client.force_login(principal_a)
    target = passage(report, "introduction")
    services.passage_save(passage=target, text="Trường thành lập năm 1960.", base_revision=0, by=principal_a)
    PassageRevision.objects.update(saved_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    services.passage_save(passage=target, text="Trường thành lập năm 1962.", base_revision=1, by=principal_a)
    page = client.get(url("passage_history", report, passage_pk=target.pk))
    html = page.content.decode()
    assert "<del>1960.</del>" in html and "<ins>1962.</ins>" in html
    first = PassageRevision.objects.get(revision=1)
    response = client.post(url("passage_restore", report, passage_pk=target.pk, revision_pk=first.pk), {"revision": "2"})
    assert response.status_code == 302
    assert passage(report, "introduction").text == "Trường thành lập năm 1960."


def test_improvement_plan_formset_saves_and_keeps_a_refused_draft(client, report, principal_a):
    client.force_login(principal_a)
    c = criterion(report, "1.1")
    save = url("improvement_actions_save", report, criterion_pk=c.pk)
    data = {"token": services.actions_token([]), "actions-TOTAL_FORMS": "2", "actions-INITIAL_FORMS": "0",
            "actions-0-action": "Bồi dưỡng", "actions-0-start_on": "2025-09-01", "actions-0-due_on": "2026-05-31",
            "actions-1-action": ""}
    assert client.post(save, data).status_code == 302
    assert [a.action for a in ImprovementAction.objects.filter(report=report)] == ["Bồi dưỡng"]
    bad = dict(data, **{"actions-0-action": "Sai ngày", "actions-0-due_on": "2025-01-01",
                        "token": services.actions_token(ImprovementAction.objects.filter(report=report))})
    response = client.post(save, bad, follow=True)
    html = response.content.decode()
    assert "Kế hoạch cải tiến chưa được lưu" in html and "Sai ngày" in html  # nothing typed is lost
    assert [a.action for a in ImprovementAction.objects.filter(report=report)] == ["Bồi dưỡng"]
    stale = dict(data, **{"actions-0-action": "Của tôi"})  # the token of the empty list: stale now
    html = client.post(save, stale, follow=True).content.decode()
    assert "vừa được người khác thay đổi" in html and "Của tôi" in html and "Bồi dưỡng" in html


def test_part_one_grid_saves_and_bad_input_keeps_what_was_typed(client, report, principal_a):
    client.force_login(principal_a)
    save = url("data_table_save", report, key="classes")
    assert client.post(save, {"revision": "0", "c__grade_6__2024-2025": "4", "c__grade_7__2024-2025": "3"}).status_code == 302
    page = client.get(url("report_data", report)).content.decode()
    assert 'data-sum="grade_6,grade_7,grade_8,grade_9"' in page and ">7<" in page.replace(" ", "")
    bad = client.post(save, {"revision": "1", "c__grade_6__2024-2025": "bốn", "c__grade_7__2024-2025": "5"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'value="bốn"' in html and 'value="5"' in html and "không phải số nguyên" in html
    assert DataTable.objects.get(report=report, key="classes").values["grade_7"]["2024-2025"] == 3


def test_council_member_group_and_plan_through_the_pages(client, report, principal_a, school_a, staff_a):
    client.force_login(principal_a)
    response = client.post(url("council_member_create", report), {
        "full_name": "Trần Thị Thư", "title": "Giáo viên", "role": "secretary", "duty": "Thư ký", "user": staff_a.pk})
    assert response.status_code == 302
    member = CouncilMember.objects.get(report=report)
    assert member.user == staff_a and member.role == "secretary"
    duplicate = client.post(url("council_member_create", report), {"full_name": "X", "role": "", "user": staff_a.pk})
    assert duplicate.status_code == 200 and "đã gắn với một thành viên khác" in duplicate.content.decode()
    c11, c12 = criterion(report, "1.1"), criterion(report, "1.2")
    response = client.post(url("working_group_create", report), {"name": "Nhóm 1", "leader": member.pk,
                                                                 "members": [member.pk], "criteria": [c11.pk, c12.pk]})
    assert response.status_code == 302
    assert sorted(WorkingGroup.objects.get(report=report).criteria.values_list("number", flat=True)) == ["1.1", "1.2"]
    page = client.get(url("report_plan", report))
    token = page.context["resources_form"]["token"].value()
    response = client.post(url("plan_save", report), {
        "token": token, f"r_{c11.pk}": "Hồ sơ chiến lược", f"w_{c11.pk}": "Tháng 9/2024",
        "steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0", "steps-0-week": "1", "steps-0-activity": "Họp",
        "steps-1-week": "", "steps-1-activity": ""})
    assert response.status_code == 302
    assert report.plan_resources.get().resources == "Hồ sơ chiến lược"
    assert [s.activity for s in report.plan_steps.all()] == ["Họp"]
    # The secretary (staff_a, now with an account in the council) writes everywhere.
    client.force_login(staff_a)
    intro = passage(report, "introduction")
    assert client.post(url("passage_save", report, passage_pk=intro.pk), {"text": "Thư ký viết", "revision": "0"},
                       **JSON).status_code == 200


def test_every_report_page_renders_for_a_reader(client, report, reviewer):
    client.force_login(reviewer)
    standard = criterion(report, "1.1").standard
    for address in (url("report_detail", report), url("report_summary", report), url("report_checks", report),
                    url("report_general", report), url("report_council", report), url("report_plan", report),
                    url("report_data", report), url("level4_edit", report), url("standard_edit", report, standard_pk=standard.pk),
                    url("criterion_edit", report, criterion_pk=criterion(report, "1.1").pk)):
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert "INVALID_TEMPLATE_VARIABLE" not in html, address
        assert "data-autosave" not in html and "<textarea" not in html, address  # read only


def test_every_report_page_renders_for_the_writer(client, report, principal_a):
    client.force_login(principal_a)
    standard = criterion(report, "1.1").standard
    for address in (url("report_detail", report), url("report_summary", report), url("report_checks", report),
                    url("report_general", report), url("report_council", report), url("report_plan", report),
                    url("report_data", report), url("level4_edit", report), url("standard_edit", report, standard_pk=standard.pk),
                    url("council_member_create", report), url("working_group_create", report)):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode(), address


# --- Query counts: the pages do not grow with criteria, texts or evidence -----------------------


def _grow(school, principal, school_year, *, evidence: int):
    report = services.report_create(school=school, school_year=school_year, kind="periodic", by=principal)
    for number in ("1.1", "1.2"):
        add_evidence(report, number, principal, count=evidence)
    for v in IndicatorVerdict.objects.filter(report=report).select_related("indicator"):
        services.indicator_verdict_set(report=report, indicator=v.indicator, met=True, by=principal)
    for p in Passage.objects.filter(report=report, criterion__number="1.1"):
        services.passage_save(passage=p, text=f"Nội dung [{report.school.evidence_items.first().code}]",
                              base_revision=p.revision, by=principal)
    services.improvement_actions_save(report=report, criterion=criterion(report, "1.1"), by=principal,
                                      token=services.actions_token([]),
                                      items=[{"id": None, "action": f"Biện pháp {i}"} for i in range(evidence)])
    return report


def _queries(client, user, address) -> int:
    client.force_login(user)
    client.get(address)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured.captured_queries)


def test_editor_pages_keep_a_constant_query_count_as_criteria_and_evidence_grow(
    client, school_a, school_b, school_year, principal_a, principal_b
):
    load_catalog(code="SMALL/2018", standards=1, criteria=2, effective="2018-10-10")
    small = _grow(school_a, principal_a, school_year, evidence=2)
    load_catalog(code="BIG/2018", standards=5, criteria=7, effective="2019-01-01")
    big = _grow(school_b, principal_b, school_year, evidence=40)
    assert big.criterion_assessments.count() == 35 and small.criterion_assessments.count() == 2
    pages = ["criterion_edit", "report_detail", "report_summary", "level4_edit", "report_general", "report_data",
             "report_council", "report_plan"]
    for name in pages:
        kwargs_small = {"criterion_pk": criterion(small, "1.1").pk} if name == "criterion_edit" else {}
        kwargs_big = {"criterion_pk": criterion(big, "1.1").pk} if name == "criterion_edit" else {}
        few = _queries(client, principal_a, url(name, small, **kwargs_small))
        many = _queries(client, principal_b, url(name, big, **kwargs_big))
        assert few == many, f"{name}: {few} queries with few rows, {many} with many"


def test_report_list_keeps_a_constant_query_count(client, regulation, district, school_year, reviewer):
    from conftest import _persona
    from schools.models import Membership, School

    def make(n):
        for i in range(n):
            school = School.objects.create(code=f"L-{n}-{i}", name=f"Trường {n}-{i}", level="thcs", reviewing_unit=district)
            principal = _persona(f"p{n}_{i}", Membership.Role.PRINCIPAL, school=school)
            services.report_create(school=school, school_year=school_year, kind="periodic", by=principal)

    make(2)
    few = _queries(client, reviewer, reverse("selfassessment:report_list"))
    make(12)
    many = _queries(client, reviewer, reverse("selfassessment:report_list"))
    assert few == many


def test_json_of_conflict_is_valid_utf8(client, report, principal_a):
    client.force_login(principal_a)
    target = passage(report, "introduction")
    client.post(url("passage_save", report, passage_pk=target.pk), {"text": "Tiếng Việt có dấu", "revision": "0"}, **JSON)
    stale = client.post(url("passage_save", report, passage_pk=target.pk), {"text": "Khác", "revision": "0"}, **JSON)
    assert json.loads(stale.content.decode("utf-8"))["current"]["text"] == "Tiếng Việt có dấu"


def test_the_start_page_partial_lists_the_reports_and_offers_creation_to_the_principal(rf, report, principal_a, staff_a):
    from django.template.loader import render_to_string

    from selfassessment.selectors import reports_for_school_home

    reports = reports_for_school_home(principal_a)[report.school_id]
    html = render_to_string("selfassessment/partials/_school_reports.html",
                            {"school": report.school, "reports": reports, "user": principal_a})
    assert url("report_detail", report) in html and "2024-2025" in html and "0/51" in html
    assert f"{reverse('selfassessment:report_create')}?school={report.school_id}" in html
    html = render_to_string("selfassessment/partials/_school_reports.html",
                            {"school": report.school, "reports": reports, "user": staff_a})
    assert "Tạo báo cáo" not in html and "INVALID" not in html


def test_the_outline_links_every_criterion_to_its_editor(client, report, principal_a):
    client.force_login(principal_a)
    html = client.get(url("report_detail", report)).content.decode()
    for number in ("1.1", "1.2", "2.3"):
        assert f'href="{url("criterion_edit", report, criterion_pk=criterion(report, number).pk)}"' in html


def test_word_diff_marks_changed_words_and_shows_a_rewrite_whole():
    from selfassessment.views import _word_diff

    assert _word_diff("Trường thành lập năm 1960.", "Trường thành lập năm 1962.") == [
        ("same", "Trường thành lập năm "), ("removed", "1960."), ("added", "1962.")]
    assert _word_diff("Một hai ba bốn", "Năm sáu bảy tám hai") == [("removed", "Một hai ba bốn"),
                                                                    ("added", "Năm sáu bảy tám hai")]
    assert _word_diff("", "Mới") == [("added", "Mới")]


def test_a_refused_plan_save_shows_the_plan_again_with_its_headings(client, report, principal_a):
    """The 400 re-render labels the four written parts as the page does, not by their keys."""
    client.force_login(principal_a)
    token = client.get(url("report_plan", report)).context["resources_form"]["token"].value()
    response = client.post(url("plan_save", report), {
        "token": token, "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
        "steps-0-week": "500", "steps-0-activity": "Họp"})  # week out of 1-104
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kế hoạch chưa được lưu" in html
    labels = [item["label"] for item in response.context["texts"]]
    assert labels == ["1. Mục đích tự đánh giá", "2. Phạm vi tự đánh giá", "3. Công cụ đánh giá",
                      "4. Tập huấn nghiệp vụ tự đánh giá"]
    for label in labels:
        assert f">{label}</label>" in html or f">{label} <span" in html
    assert ">purpose</label>" not in html and ">scope</label>" not in html


def test_a_stale_plan_save_without_javascript_is_a_conflict_and_keeps_the_headings(client, report, principal_a):
    client.force_login(principal_a)
    token = client.get(url("report_plan", report)).context["resources_form"]["token"].value()
    services.plan_save(report=report, resources={}, steps=[{"week": 1, "activity": "Họp"}], token=token, by=principal_a)
    response = client.post(url("plan_save", report), {
        "token": token, "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
        "steps-0-week": "2", "steps-0-activity": "Tập huấn"})
    assert response.status_code == 409
    assert [item["label"] for item in response.context["texts"]][:2] == ["1. Mục đích tự đánh giá",
                                                                          "2. Phạm vi tự đánh giá"]
    assert [s.activity for s in report.plan_steps.all()] == ["Họp"]
