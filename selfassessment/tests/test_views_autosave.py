"""Autosave of every editing surface of a report (issue #13, finding 9): each form answers the
page's script in JSON — saved with the new revision, or 409 with what the other person stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from selfassessment import services
from selfassessment.models import DataTable, ImprovementAction, Passage

from .factories import criterion

pytestmark = pytest.mark.usefixtures("report_world")

JSON = {"HTTP_ACCEPT": "application/json"}


def url(name, report, **kwargs):
    return reverse(f"selfassessment:{name}", kwargs={"pk": report.pk, **kwargs})


@pytest.fixture
def writer(client, report, principal_a):
    client.force_login(principal_a)
    return client


def test_a_table_autosave_answers_its_new_revision(writer, report):
    response = writer.post(url("data_table_save", report, key="classes"),
                           {"revision": "0", "c__grade_6__2024-2025": "4"}, **JSON)
    assert response.status_code == 200 and response.json()["revision"] == 1
    assert DataTable.objects.get(report=report, key="classes").values == {"grade_6": {"2024-2025": 4}}


def test_a_stale_table_save_is_refused_with_the_stored_numbers(writer, report, staff_a, principal_a):
    save = url("data_table_save", report, key="classes")
    services.data_table_save(report=report, key="classes", raw={("grade_6", "2024-2025"): "9"}, base_revision=0,
                             by=principal_a)
    response = writer.post(save, {"revision": "0", "c__grade_6__2024-2025": "4", "c__grade_7__2024-2025": "3"}, **JSON)
    assert response.status_code == 409
    current = response.json()["current"]
    assert current["revision"] == 1 and current["values"]["c__grade_6__2024-2025"] == "9"
    assert {(line["theirs"], line["mine"]) for line in current["lines"]} == {("9", "4"), ("", "3")}
    assert DataTable.objects.get(report=report, key="classes").values == {"grade_6": {"2024-2025": 9}}  # not overwritten
    # The writer keeps their numbers: the same save on top of the revision they have now seen.
    again = writer.post(save, {"revision": "1", "c__grade_6__2024-2025": "4", "c__grade_7__2024-2025": "3"}, **JSON)
    assert again.status_code == 200
    assert DataTable.objects.get(report=report, key="classes").values["grade_6"]["2024-2025"] == 4


def test_bad_cells_are_refused_in_words_and_nothing_is_stored(writer, report):
    response = writer.post(url("data_table_save", report, key="classes"),
                           {"revision": "0", "c__grade_6__2024-2025": "bốn"}, **JSON)
    assert response.status_code == 400 and "không phải số nguyên" in response.json()["message"]
    assert DataTable.objects.get(report=report, key="classes").values == {}


def _plan(token, **rows):
    data = {"token": token, "actions-TOTAL_FORMS": str(len(rows)), "actions-INITIAL_FORMS": "0"}
    for index, (field_values) in enumerate(rows.values()):
        data.update({f"actions-{index}-{k}": v for k, v in field_values.items()})
    return data


def test_plan_autosave_gives_new_rows_their_ids_so_the_next_save_updates_them(writer, report):
    save = url("improvement_actions_save", report, criterion_pk=criterion(report, "1.1").pk)
    first = writer.post(save, _plan(services.actions_token([]), a={"action": "Bồi dưỡng"}, b={"action": ""}), **JSON)
    assert first.status_code == 200
    stored = ImprovementAction.objects.get(report=report)
    assert first.json()["set"] == {"actions-0-id": stored.pk}
    token = first.json()["revision"]
    assert token == services.actions_token([stored])
    second = writer.post(save, _plan(token, a={"id": str(stored.pk), "action": "Bồi dưỡng giáo viên"}), **JSON)
    assert second.status_code == 200
    assert list(ImprovementAction.objects.filter(report=report).values_list("pk", "action")) == [
        (stored.pk, "Bồi dưỡng giáo viên")]  # the same row, not a new one


def test_a_stale_plan_save_shows_the_other_persons_rows(writer, report, principal_a):
    c = criterion(report, "1.1")
    services.improvement_actions_save(report=report, criterion=c, by=principal_a, token=services.actions_token([]),
                                      items=[{"id": None, "action": "Của đồng nghiệp"}])
    response = writer.post(url("improvement_actions_save", report, criterion_pk=c.pk),
                           _plan(services.actions_token([]), a={"action": "Của tôi"}), **JSON)
    assert response.status_code == 409
    (line,) = response.json()["current"]["lines"]
    assert line["theirs"] == "Của đồng nghiệp" and line["mine"] == "Của tôi"
    assert list(ImprovementAction.objects.filter(report=report).values_list("action", flat=True)) == ["Của đồng nghiệp"]


def test_an_invalid_plan_row_is_refused_in_words(writer, report):
    response = writer.post(url("improvement_actions_save", report, criterion_pk=criterion(report, "1.1").pk),
                           _plan(services.actions_token([]), a={"action": "Sai", "start_on": "2026-05-01",
                                                                "due_on": "2025-01-01"}), **JSON)
    assert response.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in response.json()["message"]


def test_a_text_conflict_carries_the_stored_text_as_field_values(writer, report, principal_a):
    text = Passage.objects.get(report=report, key="introduction")
    services.passage_save(passage=text, text="Bản đã lưu.", base_revision=0, by=principal_a)
    response = writer.post(url("passage_save", report, passage_pk=text.pk), {"revision": "0", "text": "Bản mới."}, **JSON)
    assert response.status_code == 409
    current = response.json()["current"]
    assert current["values"] == {"text": "Bản đã lưu."} and current["revision"] == 1
    assert current["lines"] == [{"label": "", "theirs": "Bản đã lưu.", "mine": "Bản mới."}]


def test_the_council_decision_autosaves_on_its_revision_and_refuses_a_stale_one(writer, report, principal_a):
    save = url("council_update", report)
    first = writer.post(save, {"revision": "0", "decision_number": "12/QĐ", "decision_date": "2024-09-10"}, **JSON)
    assert first.status_code == 200 and first.json()["revision"] == 1
    stale = writer.post(save, {"revision": "0", "decision_number": "13/QĐ", "decision_date": "2024-09-10"}, **JSON)
    assert stale.status_code == 409
    current = stale.json()["current"]
    assert current["values"] == {"decision_number": "12/QĐ", "decision_date": "2024-09-10"}
    assert [(line["theirs"], line["mine"]) for line in current["lines"]] == [("12/QĐ", "13/QĐ")]
    report.refresh_from_db()
    assert report.council_decision_number == "12/QĐ"


def test_a_new_council_member_is_created_once_then_updated_by_autosave(writer, report):
    first = writer.post(url("council_member_create", report), {"full_name": "Nguyễn Văn", "role": "member"}, **JSON)
    assert first.status_code == 200
    member = report.council_members.get()
    assert first.json()["action"] == url("council_member_update", report, member_pk=member.pk)
    again = writer.post(first.json()["action"], {"full_name": "Nguyễn Văn An", "role": "member",
                                                 "token": first.json()["revision"]}, **JSON)
    assert again.status_code == 200
    assert list(report.council_members.values_list("full_name", flat=True)) == ["Nguyễn Văn An"]
    stale = writer.post(first.json()["action"], {"full_name": "Nguyễn An", "role": "member",
                                                 "token": first.json()["revision"]}, **JSON)
    assert stale.status_code == 409
    assert {"label": "Họ và tên", "theirs": "Nguyễn Văn An", "mine": "Nguyễn An"} in stale.json()["current"]["lines"]
    empty = writer.post(first.json()["action"], {"full_name": "", "token": again.json()["revision"]}, **JSON)
    assert empty.status_code == 400 and "Họ và tên" in empty.json()["message"]


def test_a_working_group_autosaves_and_a_stale_save_shows_the_stored_group(writer, report):
    first = writer.post(url("working_group_create", report), {"name": "Nhóm 1", "criteria": [criterion(report, "1.1").pk]},
                        **JSON)
    assert first.status_code == 200
    group = report.working_groups.get()
    stale = writer.post(first.json()["action"], {"name": "Nhóm một", "token": "0" * 20}, **JSON)
    assert stale.status_code == 409
    current = stale.json()["current"]
    assert current["values"]["name"] == "Nhóm 1" and current["values"]["criteria"] == [criterion(report, "1.1").pk]
    group.refresh_from_db()
    assert group.name == "Nhóm 1"


def test_the_self_assessment_plan_autosaves_and_a_stale_save_shows_what_differs(writer, report):
    c = criterion(report, "1.1")
    data = {"token": services.plan_token(report), f"r_{c.pk}": "Kinh phí 5 triệu", f"w_{c.pk}": "Tháng 10",
            "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0", "steps-0-week": "1", "steps-0-activity": "Họp"}
    first = writer.post(url("plan_save", report), data, **JSON)
    assert first.status_code == 200 and first.json()["revision"] == services.plan_token(report)
    stale = writer.post(url("plan_save", report), dict(data, **{f"r_{c.pk}": "Kinh phí 6 triệu"}), **JSON)
    assert stale.status_code == 409
    (line,) = stale.json()["current"]["lines"]
    assert line["theirs"] == "Kinh phí 5 triệu · Tháng 10" and line["mine"] == "Kinh phí 6 triệu · Tháng 10"


def test_the_completed_cohorts_autosave_and_a_stale_change_is_refused(writer, report, principal_a):
    save = url("report_facts_update", report)
    first = writer.post(save, {"expected": "", "completed_cohorts": "3"}, **JSON)
    assert first.status_code == 200 and first.json()["revision"] == "3"
    stale = writer.post(save, {"expected": "", "completed_cohorts": "4"}, **JSON)
    assert stale.status_code == 409 and stale.json()["current"]["values"] == {"completed_cohorts": "3"}
    report.refresh_from_db()
    assert report.completed_cohorts == 3
    # A page without the field (an old tab) still saves, as before.
    assert writer.post(save, {"completed_cohorts": "5"}).status_code == 302
    report.refresh_from_db()
    assert report.completed_cohorts == 5


def test_a_stale_council_member_page_save_shows_the_error_and_a_second_send_overwrites(writer, report):
    first = writer.post(url("council_member_create", report), {"full_name": "Nguyễn Văn", "role": "member"}, **JSON)
    member = report.council_members.get()
    stale_token = first.json()["revision"]
    writer.post(first.json()["action"], {"full_name": "Nguyễn Văn An", "role": "member", "token": stale_token}, **JSON)
    page = writer.post(first.json()["action"], {"full_name": "Nguyễn An", "role": "member", "token": stale_token})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.non_field_errors()
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn An" and form.data["token"] == services.member_token(member)
    again = writer.post(first.json()["action"], {"full_name": "Nguyễn An", "role": "member",
                                                 "token": form.data["token"]})
    assert again.status_code == 302 and again["Location"] == reverse("selfassessment:report_council",
                                                                       kwargs={"pk": report.pk})
    member.refresh_from_db()
    assert member.full_name == "Nguyễn An"


def test_a_stale_working_group_page_save_shows_the_error_and_keeps_the_stored_group(writer, report):
    first = writer.post(url("working_group_create", report), {"name": "Nhóm 1", "criteria": [criterion(report, "1.1").pk]},
                        **JSON)
    page = writer.post(first.json()["action"], {"name": "Nhóm một", "token": "0" * 20})
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    assert report.working_groups.get().name == "Nhóm 1"
    saved = writer.post(first.json()["action"], {"name": "Nhóm một", "criteria": [criterion(report, "1.1").pk],
                                                 "token": first.json()["revision"]})
    assert saved.status_code == 302 and saved["Location"].endswith("#groups")
    assert report.working_groups.get().name == "Nhóm một"
