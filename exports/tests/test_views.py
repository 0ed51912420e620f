"""The export pages and downloads, as the people who use them."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from exports.models import ExportJob
from exports.tests.readers import docx_text, needs_poppler, pdf_text, sheet_rows, workbook

# One world for the module (exports/tests/conftest.py): the personas, the catalog and school A's written report.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_world")]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _url(report, fmt="pdf"):
    return reverse("exports:report_download", kwargs={"pk": report.pk, "fmt": fmt})


# --- Report downloads ------------------------------------------------------------------------------


@needs_poppler
def test_principal_downloads_the_latest_version_as_an_attachment(client, principal_a, report_a, version_a):
    client.force_login(principal_a)
    response = client.get(_url(report_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-tu-danh-gia-a-thcs-01-2024-2025-v1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    text = " ".join(pdf_text(_body(response)).split())
    assert f"Phiên bản 1 · mã kiểm tra {version_a.content_hash[:16]}" in text
    event = Event.objects.get(action="exports.report.exported")
    assert event.actor == principal_a and event.data["version"] == 1 and event.data["format"] == "pdf"


@needs_poppler
def test_the_version_is_frozen_later_edits_do_not_show(client, principal_a, report_a, version_a):
    from exports.tests.builders import write

    write(report_a, "introduction", "Đoạn viết sau khi nộp, chưa nộp lại.", principal_a)
    client.force_login(principal_a)
    frozen = " ".join(pdf_text(_body(client.get(_url(report_a) + "?version=1"))).split())
    draft = " ".join(pdf_text(_body(client.get(_url(report_a) + "?draft=1"))).split())
    assert "Đoạn viết sau khi nộp" not in frozen
    assert "Đoạn viết sau khi nộp" in draft
    assert "BẢN NHÁP – chưa nộp" in draft


def test_unknown_version_is_404(client, principal_a, report_a, version_a):
    client.force_login(principal_a)
    assert client.get(_url(report_a) + "?version=7").status_code == 404
    assert client.get(reverse("exports:report_download", kwargs={"pk": report_a.pk, "fmt": "odt"})).status_code == 404


def test_district_gets_the_version_never_the_draft(client, reviewer, report_a, version_a):
    client.force_login(reviewer)
    assert client.get(_url(report_a, "docx")).status_code == 200
    response = client.get(_url(report_a, "docx") + "?draft=1")
    assert response.status_code == 403
    assert "Bản nháp chỉ nhà trường được xuất" in response.content.decode()


def test_a_report_never_submitted(client, principal_b, reviewer, draft_b):
    client.force_login(reviewer)
    response = client.get(_url(draft_b, "docx"))
    assert response.status_code == 403
    assert "Báo cáo chưa được nộp" in response.content.decode()
    client.force_login(principal_b)
    response = client.get(_url(draft_b, "docx"))
    assert response.status_code == 200
    assert "ban-nhap.docx" in response["Content-Disposition"]
    assert Event.objects.get(action="exports.report.exported").data["version"] is None


def test_working_group_staff_and_other_schools_are_refused(client, staff_a, principal_c, report_a, version_a):
    client.force_login(staff_a)
    response = client.get(_url(report_a, "docx"))
    assert response.status_code == 403 and "Thư ký Hội đồng" in response.content.decode()
    client.force_login(principal_c)
    assert client.get(_url(report_a, "docx")).status_code == 404
    assert not Event.objects.filter(action="exports.report.exported").exists()


def test_export_page_lists_versions_and_draft(client, principal_a, reviewer, report_a, version_a):
    client.force_login(principal_a)
    page = client.get(reverse("exports:report_exports", kwargs={"pk": report_a.pk})).content.decode()
    assert version_a.content_hash[:16] in page
    assert "?draft=1" in page and "?version=1" in page
    # The Word file's table of contents is a field Word updates on opening, after asking.
    assert "Mục lục sẽ được cập nhật khi mở tệp: chọn Có/Yes" in page
    client.force_login(reviewer)
    page = client.get(reverse("exports:report_exports", kwargs={"pk": report_a.pk})).content.decode()
    assert "?draft=1" not in page and "Bản nháp chỉ nhà trường được xuất" in page


def test_criterion_sheets_of_chosen_criteria(client, principal_a, report_a, version_a):
    client.force_login(principal_a)
    url = reverse("exports:report_form", kwargs={"pk": report_a.pk, "form": "criterion-sheets", "fmt": "docx"})
    text = docx_text(_body(client.get(url + "?criteria=1.1,2.1")))
    assert text.count("PHIẾU ĐÁNH GIÁ TIÊU CHÍ") == 2
    assert "Tiêu chí 2.1:" in text and "Tiêu chí 1.2:" not in text


def test_summary_and_evidence_sheets_of_the_version(client, reviewer, report_a, version_a):
    client.force_login(reviewer)
    summary = workbook(_body(client.get(reverse("exports:report_sheet", kwargs={"pk": report_a.pk, "sheet": "summary"}))))
    rows = {r[1]: r for r in sheet_rows(summary["Tổng hợp"]) if r[1] and r[1][0].isdigit()}
    assert rows["2.1"][7] == "Đạt Mức 1" and rows["1.1"][7] == "Đạt Mức 3"
    assert rows["1.2"][6] == "--"
    evidence = workbook(_body(client.get(reverse("exports:report_sheet", kwargs={"pk": report_a.pk, "sheet": "evidence"}))))
    codes = [r[1] for r in sheet_rows(evidence["Danh mục minh chứng"]) if isinstance(r[0], int)]
    assert codes[:2] == ["H1-1.1-01", "H1-1.1-02"] and len(codes) == 12
    assert client.get(reverse("exports:report_sheet", kwargs={"pk": report_a.pk, "sheet": "nope"})).status_code == 404


def test_improvement_plan_tracking_sheet(client, principal_a, report_a):
    from selfassessment.models import ImprovementAction, ImprovementProgress

    action = ImprovementAction.objects.filter(report=report_a).order_by("pk").first()
    ImprovementAction.objects.filter(pk=action.pk).update(status="in_progress", start_on=datetime.date(2024, 9, 1),
                                                          due_on=datetime.date(2024, 12, 31))
    ImprovementProgress.objects.create(action=action, date=datetime.date(2024, 12, 1), text="Đã rà soát 50% hồ sơ")
    client.force_login(principal_a)
    response = client.get(reverse("exports:report_sheet", kwargs={"pk": report_a.pk, "sheet": "improvement"}))
    assert response["Content-Disposition"].endswith('ke-hoach-cai-tien-a-thcs-01-2024-2025.xlsx"')
    sheet = workbook(_body(response))["Kế hoạch cải tiến"]
    rows = [r for r in sheet_rows(sheet) if isinstance(r[0], int)]
    assert len(rows) == ImprovementAction.objects.filter(report=report_a).count()
    first = rows[0]
    assert first[1] == "Tiêu chí 1.1" and first[8] == "Đang thực hiện" and first[9] == "x"
    assert first[12] == "Đã rà soát 50% hồ sơ"
    assert sheet.freeze_panes == "D6"


def test_external_result_sheet_beside_the_self_assessment(client, head, school_a, report_a):
    from evaluations.models import CriterionResult, ExternalEvaluation, Recommendation
    from standards.models import Criterion

    version = report_a.regulation_version
    evaluation = ExternalEvaluation.objects.create(school=school_a, regulation_version=version,
                                                   proposed_accreditation_level=2, strengths="Đội ngũ vững vàng.")
    c11 = Criterion.objects.get(standard__version=version, number="1.1")
    CriterionResult.objects.create(evaluation=evaluation, criterion=c11, level=2, self_level=3, note="Thiếu minh chứng")
    Recommendation.objects.create(evaluation=evaluation, criterion=c11, text="Bổ sung kế hoạch chiến lược")
    client.force_login(head)
    response = client.get(reverse("exports:evaluation_sheet", kwargs={"pk": evaluation.pk}))
    book = workbook(_body(response))
    rows = {r[1]: r for r in sheet_rows(book["So sánh theo tiêu chí"]) if r[1] and r[1][0].isdigit()}
    assert rows["1.1"][3:8] == ["Mức 3", "Mức 2", "-1", "Thiếu minh chứng", "Bổ sung kế hoạch chiến lược"]
    assert rows["1.2"][4] == "Chưa có kết quả"
    conclusion = dict((r[0], r[1]) for r in sheet_rows(book["Kết luận của đoàn"]) if r[0])
    assert conclusion["Đề nghị cấp độ kiểm định"] == "Cấp độ 2" and conclusion["Điểm mạnh"] == "Đội ngũ vững vàng."


# --- District summary ---------------------------------------------------------------------------------


def test_district_summary_has_every_school_with_status_version_reviewer(client, reviewer, school_a, school_b,
                                                                     version_a, draft_b, school_year):
    from reviews.models import ReviewAssignment

    ReviewAssignment.objects.create(report=version_a.report, reviewer=reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("exports:district_summary_download") + f"?school_year={school_year.pk}")
    assert response.status_code == 200
    sheet = workbook(_body(response))["Tổng hợp"]
    rows = {r[2]: r for r in sheet_rows(sheet) if isinstance(r[0], int)}
    assert set(rows) == {school_a.code, school_b.code}
    a, b = rows[school_a.code], rows[school_b.code]
    assert a[6] == "Đang soạn thảo" and a[7] == 1 and a[9] == reviewer.display_name and a[11] == "Mức 1"
    assert b[6] == "Đang soạn thảo" and b[7] is None and b[27] == "Chưa có"
    assert sheet.freeze_panes == "E6" and sheet.auto_filter.ref == "A5:AF7"
    # Both regimes: the regulation of the report (a 2018 report has no Biểu 2 columns).
    assert list(a[28:]) == [version_a.report.regulation_version.regulation.code, None, None, None]
    assert Event.objects.filter(action="exports.summary.exported").count() == 1


def test_district_summary_query_count_does_not_grow_with_schools(client, reviewer, district, school_year):
    from schools.tests.factories import SchoolFactory

    client.force_login(reviewer)
    url = reverse("exports:district_summary_download") + f"?school_year={school_year.pk}"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for i in range(3):
        SchoolFactory(code=f"A-X-{i}", reviewing_unit=district)
    few = count()
    for i in range(3, 40):
        SchoolFactory(code=f"A-X-{i}", reviewing_unit=district)
    assert count() == few


def test_district_summary_refuses_a_unit_out_of_reach_and_bad_input(client, reviewer, other_district):
    client.force_login(reviewer)
    response = client.get(reverse("exports:district_summary_download") + f"?unit={other_district.pk}")
    assert response.status_code == 400 and other_district.name not in response.content.decode()
    assert client.get(reverse("exports:district_summary_download") + "?school_year=abc").status_code == 400
    assert not Event.objects.filter(action="exports.summary.exported").exists()


# --- Rounds, dossier, jobs -------------------------------------------------------------------------------


@needs_poppler
def test_round_letter_lists_the_round_schools(client, head, round_a, version_a, accepted_a):
    client.force_login(head)
    response = client.get(reverse("exports:round_letter", kwargs={"pk": round_a.pk, "fmt": "pdf"}))
    text = " ".join(pdf_text(_body(response)).split())
    assert "Trường THCS A" in text and "Trường THCS B" in text and version_a.content_hash[:16] in text
    assert Event.objects.filter(action="exports.round.letter_exported").count() == 1


def test_dossier_from_the_button_to_the_download(client, reviewer, round_a, version_a, accepted_a,
                                                 django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    page = client.get(reverse("exports:round_exports", kwargs={"pk": round_a.pk})).content.decode()
    assert "Không có báo cáo được chấp nhận" in page and version_a.content_hash[:16] in page
    assert "Chưa có báo cáo tự đánh giá của năm học này" in page and "năm học 2024-2025" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:dossier_build", kwargs={"pk": round_a.pk}), {"include_files": ""})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job_detail", kwargs={"uuid": job.uuid})
    status = json.loads(client.get(reverse("exports:job_status", kwargs={"uuid": job.uuid})).content)
    assert status["status"] == "done" and status["progress"] == 100 and status["download_url"]
    detail = client.get(reverse("exports:job_detail", kwargs={"uuid": job.uuid})).content.decode()
    assert "data-export-job" in detail and "exports/progress.js" in detail and job.sha256 in detail
    download = client.get(status["download_url"])
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(_body(download)))
    assert "MANIFEST.txt" in archive.namelist()
    assert Event.objects.filter(action="exports.dossier.downloaded").count() == 1


def test_the_round_page_lists_its_builds_however_many_other_rounds_have(client, reviewer, district, round_a):
    """More than 50 newer builds of other rounds do not push the round's own off its page."""
    from django.utils import timezone

    from evaluations.models import EvaluationRound

    other = EvaluationRound.objects.create(unit=district, year=2025, number=2)

    def build(round_, n):
        return ExportJob(kind=ExportJob.Kind.DOSSIER, title=f"Hồ sơ {n}", params={"round": round_.pk},
                         organisation=district, requested_by=reviewer, status=ExportJob.Status.FAILED)

    own = ExportJob.objects.bulk_create([build(round_a, n) for n in range(2)])
    others = ExportJob.objects.bulk_create([build(other, n) for n in range(60)])
    ExportJob.objects.filter(pk__in=[j.pk for j in others]).update(created_at=timezone.now() + datetime.timedelta(hours=1))
    client.force_login(reviewer)
    response = client.get(reverse("exports:round_exports", kwargs={"pk": round_a.pk}))
    assert [job.pk for job in response.context["jobs"]] == sorted((j.pk for j in own), reverse=True)
    page = response.content.decode()
    for job in own:
        assert reverse("exports:job_detail", kwargs={"uuid": job.uuid}) in page
    assert not any(reverse("exports:job_detail", kwargs={"uuid": job.uuid}) in page for job in others)


def test_a_running_job_shows_its_progress_and_polls(client, reviewer, district):
    job = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ", organisation=district,
                                   requested_by=reviewer, status=ExportJob.Status.RUNNING, progress=42,
                                   step="Đang tạo báo cáo của Trường THCS A (1/2)")
    client.force_login(reviewer)
    page = client.get(reverse("exports:job_detail", kwargs={"uuid": job.uuid})).content.decode()
    assert 'data-progress="42"' in page and "Đang tạo báo cáo của Trường THCS A" in page
    assert 'http-equiv="refresh"' in page  # the no-JavaScript fallback
    assert "style=" not in page  # CSP: the bar's width is set by progress.js
    status = json.loads(client.get(reverse("exports:job_status", kwargs={"uuid": job.uuid})).content)
    assert status == {**status, "status": "running", "progress": 42, "active": True, "download_url": ""}
    response = client.get(reverse("exports:job_download", kwargs={"uuid": job.uuid}))
    assert response.status_code == 302


def test_an_expired_job_cannot_be_downloaded(client, reviewer, district):
    job = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ", organisation=district,
                                   requested_by=reviewer, status=ExportJob.Status.EXPIRED)
    client.force_login(reviewer)
    response = client.get(reverse("exports:job_download", kwargs={"uuid": job.uuid}), follow=True)
    assert "đã hết hạn tải" in response.content.decode()


def test_job_list_query_count_does_not_grow_with_jobs(client, reviewer, district):
    client.force_login(reviewer)
    url = reverse("exports:job_list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def make(n):
        for i in range(n):
            ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title=f"Hồ sơ {i}", organisation=district,
                                     requested_by=reviewer)

    make(2)
    few = count()
    make(25)
    assert count() == few


# --- Verification of a printed copy ----------------------------------------------------------------


def test_verification_is_public_and_names_the_version(client, version_a):
    response = client.get(reverse("exports:verify") + f"?code={version_a.content_hash[:16].upper()}")
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "Mã kiểm tra hợp lệ" in page and "Trường THCS A" in page and "năm học 2024-2025" in page
    assert "khớp mã băm" in page
    # Only who and when: not the content of the report.
    assert "Nhà trường thực hiện đầy đủ yêu cầu" not in page


@pytest.mark.parametrize(
    ("code", "message"),
    [("abc123", "ít nhất 12 ký tự"), ("xyz0123456789xyz", "chỉ gồm chữ số"), ("f" * 65, "64 ký tự")],
)
def test_verification_refuses_bad_codes_with_a_clear_message(client, version_a, code, message):
    page = client.get(reverse("exports:verify") + f"?code={code}").content.decode()
    assert message in page and "Mã kiểm tra hợp lệ" not in page


def test_verification_of_an_unknown_code(client, version_a):
    page = client.get(reverse("exports:verify") + "?code=000000000000").content.decode()
    assert "Không có phiên bản báo cáo nào mang mã này" in page


def test_verification_accepts_spaces_and_the_full_hash(client, version_a):
    spaced = " ".join(version_a.content_hash[i:i + 4] for i in range(0, 16, 4))
    assert "Mã kiểm tra hợp lệ" in client.get(reverse("exports:verify"), {"code": spaced}).content.decode()
    assert "Mã kiểm tra hợp lệ" in client.get(reverse("exports:verify"), {"code": version_a.content_hash}).content.decode()
