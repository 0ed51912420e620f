"""Plans and rounds in the browser: a district user sets up the year's plan and a round with its
milestones; a principal marks their milestones; bad input and stale forms lose nothing."""

import datetime

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import AccreditationPlan, EvaluationRound, Milestone, MilestoneCompletion, PlannedSchool


def test_district_user_sets_up_the_years_plan(client, reviewer, district, school_a, school_b):
    client.force_login(reviewer)
    response = client.post(reverse("evaluations:plan_create"), {
        "unit": district.pk, "year": 2024, "title": "Kế hoạch KĐCLGD năm 2024", "document_number": "412/PGDĐT",
        "document_date": "2024-03-25", "target_mn": "6", "target_th": "4", "target_thcs": "9",
    })
    plan = AccreditationPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:plan_schools_add", args=[plan.pk])
    assert {t.level: t.count for t in plan.targets.all()} == {"mn": 6, "th": 4, "thcs": 9}
    page = client.get(response["Location"])
    assert "Trường THCS A" in page.content.decode()
    response = client.post(response["Location"], {"schools": [school_a.pk, school_b.pk], "purpose": "first"})
    assert response.status_code == 302
    detail = client.get(reverse("evaluations:plan_detail", args=[plan.pk])).content.decode()
    assert "Trường THCS A" in detail and "Trường THCS B" in detail
    assert PlannedSchool.objects.filter(plan=plan).count() == 2


def test_plan_form_errors_are_shown_in_vietnamese(client, reviewer, district):
    client.force_login(reviewer)
    response = client.post(reverse("evaluations:plan_create"), {"unit": district.pk, "year": "1990", "title": "", "target_mn": "-1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Năm phải từ 2000 đến 2100." in body and "Chỉ tiêu không được âm." in body
    assert not AccreditationPlan.objects.exists()


def test_a_duplicate_plan_is_a_form_error_not_a_crash(client, reviewer, district):
    services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("evaluations:plan_create"), {"unit": district.pk, "year": 2024, "title": "KH 2"})
    assert response.status_code == 200 and "đã có kế hoạch" in response.content.decode()


def test_a_stale_plan_form_is_refused_and_keeps_the_input(client, reviewer, head, district):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    old_revision = plan.revision
    services.plan_update(plan=plan, by=head, revision=plan.revision, title="Bản của trưởng phòng", targets={})
    client.force_login(reviewer)
    response = client.post(reverse("evaluations:plan_update", args=[plan.pk]),
                           {"title": "Bản cũ của chuyên viên", "revision": old_revision})
    body = response.content.decode()
    assert response.status_code == 200 and "vừa được người khác cập nhật" in body and "Bản cũ của chuyên viên" in body
    plan.refresh_from_db()
    assert plan.title == "Bản của trưởng phòng"


def test_school_people_see_only_their_schools_row_of_the_plan(client, reviewer, district, school_a, school_b, principal_a):
    plan = services.plan_create(unit=district, year=2024, title="KH", by=reviewer)
    services.plan_schools_add(plan=plan, schools=[school_a, school_b], by=reviewer)
    client.force_login(principal_a)
    body = client.get(reverse("evaluations:plan_detail", args=[plan.pk])).content.decode()
    assert "Trường THCS A" in body and "Trường THCS B" not in body
    assert reverse("evaluations:plan_update", args=[plan.pk]) not in body


def test_district_user_sets_up_a_round_with_its_milestones(client, reviewer, district, school_a):
    client.force_login(reviewer)
    response = client.post(reverse("evaluations:round_create"), {
        "unit": district.pk, "year": 2027, "number": 1, "dossier_date": "2027-01-09", "with_default_schedule": "on",
    })
    round_ = EvaluationRound.objects.get()
    assert round_.milestones.count() == 9
    client.post(reverse("evaluations:round_schools_add", args=[round_.pk]), {"schools": [school_a.pk]})
    response = client.post(reverse("evaluations:milestone_create", args=[round_.pk]), {
        "owner": "school", "title": "Nộp bản cứng báo cáo có chữ ký", "due_date": "2027-01-20",
    })
    assert response.status_code == 302
    body = client.get(reverse("evaluations:round_detail", args=[round_.pk])).content.decode()
    assert "Nộp bản cứng báo cáo có chữ ký" in body and "Trường THCS A" in body
    assert "Gửi công văn đề nghị đánh giá ngoài" in body


def test_round_needs_a_dossier_date_for_the_default_schedule(client, reviewer, district):
    client.force_login(reviewer)
    response = client.post(reverse("evaluations:round_create"), {
        "unit": district.pk, "year": 2027, "number": 1, "with_default_schedule": "on",
    })
    assert response.status_code == 200 and "Cần ngày nộp hồ sơ đăng ký" in response.content.decode()
    assert not EvaluationRound.objects.exists()


@pytest.fixture
def round_a(district, reviewer, school_a, school_b):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=datetime.date(2027, 1, 9))
    services.round_schools_register(round_=round_, schools=[school_a, school_b], by=reviewer)
    return round_


def test_principal_sees_their_column_and_marks_a_milestone_done(client, round_a, principal_a, school_a):
    client.force_login(principal_a)
    body = client.get(reverse("evaluations:round_detail", args=[round_a.pk])).content.decode()
    assert "Trường THCS A" in body and "Trường THCS B" not in body
    milestone = round_a.milestones.get(template_key="school_submit_dossier")
    registration = round_a.registrations.get(school=school_a)
    response = client.post(reverse("evaluations:milestone_complete", args=[milestone.pk]), {"registration": registration.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"#milestone-{milestone.pk}")
    assert MilestoneCompletion.objects.filter(milestone=milestone, registration=registration).exists()
    response = client.post(reverse("evaluations:milestone_reopen", args=[milestone.pk]), {"registration": registration.pk})
    assert not MilestoneCompletion.objects.exists()


def test_principal_cannot_post_another_schools_registration(client, round_a, principal_a, school_b):
    client.force_login(principal_a)
    milestone = round_a.milestones.get(template_key="school_submit_dossier")
    registration = round_a.registrations.get(school=school_b)
    response = client.post(reverse("evaluations:milestone_complete", args=[milestone.pk]), {"registration": registration.pk})
    assert response.status_code == 404
    assert not MilestoneCompletion.objects.exists()


def test_a_school_milestone_post_without_school_is_a_message(client, round_a, reviewer):
    client.force_login(reviewer)
    milestone = round_a.milestones.get(template_key="school_submit_dossier")
    response = client.post(reverse("evaluations:milestone_complete", args=[milestone.pk]), {"registration": "abc"}, follow=True)
    assert "Hãy chọn trường" in response.content.decode()


def test_milestone_edit_moves_the_date(client, round_a, reviewer):
    milestone = round_a.milestones.get(template_key="school_submit_dossier")
    client.force_login(reviewer)
    client.post(reverse("evaluations:milestone_update", args=[milestone.pk]), {
        "title": milestone.title, "due_date": "2027-01-12", "revision": milestone.revision,
    })
    milestone.refresh_from_db()
    assert milestone.due_date == datetime.date(2027, 1, 12)
    assert milestone.owner == Milestone.Owner.SCHOOL


@pytest.mark.parametrize("model", ["accreditationplan", "evaluationround", "milestone", "reportingdeadline",
                                   "periodicreport", "externalevaluation", "certificate", "reminderlog"])
def test_admin_pages_are_read_only(client, sysadmin, round_a, model):
    client.force_login(sysadmin)
    assert client.get(reverse(f"admin:evaluations_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:evaluations_{model}_add")).status_code == 403


def test_the_department_officer_finds_the_dossier_link_on_a_round_and_the_principal_does_not(
    client, round_a, officer, principal_a
):
    dossier = reverse("exports:round_exports", args=[round_a.pk])
    client.force_login(officer)
    body = client.get(reverse("evaluations:round_detail", args=[round_a.pk])).content.decode()
    assert dossier in body
    assert reverse("evaluations:round_update", args=[round_a.pk]) not in body  # reads, does not manage
    client.force_login(principal_a)
    assert dossier not in client.get(reverse("evaluations:round_detail", args=[round_a.pk])).content.decode()
