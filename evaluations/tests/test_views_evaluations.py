"""External evaluations, certificates, deadlines and the school's page in the browser."""

import datetime

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Certificate, ExternalEvaluation, ReportingDeadline

D = datetime.date


@pytest.fixture
def evaluation(district, reviewer, officer, school_a, tt18):
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=D(2027, 1, 9))
    (registration,) = services.round_schools_register(round_=round_, schools=[school_a], by=reviewer)
    return services.evaluation_start(by=officer, registration=registration)


def test_officer_records_the_results_side_by_side(client, evaluation, officer):
    client.force_login(officer)
    page = client.get(reverse("evaluations:evaluation_results", args=[evaluation.pk]))
    form = page.context["form"]
    data = {"revision": evaluation.revision}
    for row, *_fields in form.rows:
        data[f"level_{row.criterion.pk}"] = "2"
        data[f"self_{row.criterion.pk}"] = "3" if row.criterion.number == "1.2" else "2"
    response = client.post(reverse("evaluations:evaluation_results", args=[evaluation.pk]), data)
    assert response.status_code == 302
    body = client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert body.count('class="table-warning"') == 1  # criterion 1.2: Mức 3 assessed by the school, Mức 2 by the team
    assert "Mức đánh giá của trường" in body and "Mức 2" in body


def test_a_level_without_external_result_is_a_form_error(client, evaluation, officer):
    client.force_login(officer)
    form = client.get(reverse("evaluations:evaluation_results", args=[evaluation.pk])).context["form"]
    row = form.rows[0][0]
    response = client.post(reverse("evaluations:evaluation_results", args=[evaluation.pk]),
                           {"revision": evaluation.revision, f"self_{row.criterion.pk}": "2", f"level_{row.criterion.pk}": "9"})
    assert response.status_code == 200
    assert not evaluation.results.exists()


def test_team_form(client, evaluation, officer):
    client.force_login(officer)
    data = {"revision": evaluation.revision, "team-TOTAL_FORMS": "9", "team-INITIAL_FORMS": "0",
            "team-MIN_NUM_FORMS": "9", "team-MAX_NUM_FORMS": "9"}
    for i in range(9):
        data.update({f"team-{i}-full_name": "", f"team-{i}-role": "member", f"team-{i}-workplace": "", f"team-{i}-position": ""})
    data.update({"team-0-full_name": "Nguyễn Văn Thành", "team-0-role": "leader",
                 "team-1-full_name": "Lê Thị Nguyệt", "team-1-role": "leader"})
    response = client.post(reverse("evaluations:evaluation_team", args=[evaluation.pk]), data)
    assert response.status_code == 200 and "một trưởng đoàn" in response.content.decode()
    data["team-1-role"] = "secretary"
    response = client.post(reverse("evaluations:evaluation_team", args=[evaluation.pk]), data)
    assert response.status_code == 302
    assert [m.full_name for m in evaluation.team.all()] == ["Nguyễn Văn Thành", "Lê Thị Nguyệt"]


def test_completing_an_incomplete_record_explains_why(client, evaluation, officer):
    client.force_login(officer)
    response = client.post(reverse("evaluations:evaluation_complete", args=[evaluation.pk]), follow=True)
    assert "Đoàn đánh giá ngoài cần từ 5 đến 9 người" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == ExternalEvaluation.Status.IN_PROGRESS


def test_the_principal_reads_the_evaluation_but_cannot_edit_it(client, evaluation, principal_a):
    client.force_login(principal_a)
    body = client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "Kết quả theo tiêu chí" in body
    assert reverse("evaluations:evaluation_results", args=[evaluation.pk]) not in body


def test_certificate_form_computes_the_dates(client, officer, school_a):
    client.force_login(officer)
    page = client.get(reverse("evaluations:certificate_create") + f"?school={school_a.pk}")
    assert page.context["form"].initial["issuing_body"] == "Sở Giáo dục và Đào tạo Thử nghiệm"
    response = client.post(reverse("evaluations:certificate_create"), {
        "school": school_a.pk, "decision_number": "1159/QĐ-SGDĐT", "decision_date": "2025-03-10",
        "issuing_body": "Sở GD&ĐT Hà Nội", "accreditation_level": "2", "national_standard_level": "1",
    }, follow=True)
    certificate = Certificate.objects.get()
    assert (certificate.valid_until, certificate.earliest_upgrade_date) == (D(2030, 3, 10), D(2026, 3, 10))
    assert "10/03/2030" in response.content.decode()


def test_certificate_form_rejects_inconsistent_levels(client, officer, school_a):
    client.force_login(officer)
    response = client.post(reverse("evaluations:certificate_create"), {
        "school": school_a.pk, "decision_number": "1/QĐ", "decision_date": "2025-03-10", "issuing_body": "Sở",
        "accreditation_level": "1", "national_standard_level": "1",
    })
    assert response.status_code == 200 and "Cấp độ 2 trở lên" in response.content.decode()
    assert not Certificate.objects.exists()


def test_deadline_page_sets_up_and_moves_the_dates(client, reviewer, district, year_2026):
    client.force_login(reviewer)
    client.post(reverse("evaluations:deadline_setup"), {"unit": district.pk, "school_year": year_2026.pk})
    semester1 = ReportingDeadline.objects.get(period="semester1")
    assert semester1.due_date == D(2026, 12, 20)
    body = client.get(reverse("evaluations:deadline_list") + "?year=2026-2027").content.decode()
    assert "20/12/2026" in body and "10/05/2027" in body
    response = client.post(reverse("evaluations:deadline_update", args=[semester1.pk]),
                           {"due_date": "2028-01-05", "revision": semester1.revision})
    assert "không thuộc năm học 2026-2027" in response.content.decode()
    response = client.post(reverse("evaluations:deadline_update", args=[semester1.pk]),
                           {"due_date": "2027-05-20", "revision": semester1.revision})
    assert "phải trước hạn báo cáo cuối năm (10/05/2027)" in response.content.decode()
    response = client.post(reverse("evaluations:deadline_update", args=[semester1.pk]), {"due_date": "", "revision": semester1.revision})
    assert response.status_code == 200
    response = client.post(reverse("evaluations:deadline_update", args=[semester1.pk]),
                           {"due_date": "2026-12-18", "revision": semester1.revision})
    assert response.status_code == 302
    semester1.refresh_from_db()
    assert semester1.due_date == D(2026, 12, 18)


def test_principal_sees_their_deadlines(client, principal_a, semester1):
    client.force_login(principal_a)
    body = client.get(reverse("evaluations:upcoming")).content.decode()
    assert "20/12/2026" in body


def test_partials_render_with_their_documented_context(rf, district, school_a, school_b, semester1):
    from django.template.loader import render_to_string

    from evaluations import selectors

    request = rf.get("/")
    today = D(2026, 12, 22)
    html = render_to_string("evaluations/partials/_upcoming_deadlines.html",
                            {"deadlines": selectors.upcoming_deadlines_for_school(school_a, today)}, request=request)
    assert "quá hạn 2 ngày" in html
    html = render_to_string("evaluations/partials/_district_deadline_status.html",
                            {"deadline_status": selectors.deadline_status_for_unit(district, today)}, request=request)
    assert "Trường THCS A" in html and "Quá hạn chưa nộp: 2" in html
    html = render_to_string("evaluations/partials/_expiring_certificates.html",
                            {"certificates": selectors.expiring_certificates_for_unit(district, today)}, request=request)
    assert "Không có trường nào hết hạn" in html
