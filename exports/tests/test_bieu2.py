"""Biểu 2 of TT57/2026 (the improvement plan) exported as its own document, PDF and Word, landscape."""

from __future__ import annotations

import datetime

import pytest

from exports.document import Stamp
from exports.exporters.plan57 import ImprovementPlan57Exporter, plan_document
from exports.tests.readers import docx_document, docx_text, needs_poppler, pdf_page_sizes, pdf_text
from selfassessment.tests.test_tt57 import tt57_catalog, tt57_report, year_2026  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan57(tt57_report, principal_a):  # noqa: F811 (the fixture imported above)
    from selfassessment import services_plan57 as ps

    plan = ps.plan_create(report=tt57_report, by=principal_a)
    ps.plan_sections_save(plan=plan, values={"basis_other": "Nghị quyết của Hội đồng trường năm học 2026-2027."},
                          revision=None, by=principal_a)
    issue = ps.issue_save(plan=plan, by=principal_a, values={
        "criteria": "1.3", "current_state": "Dữ liệu quản lý còn phân tán.", "weakness": "Chưa số hóa hồ sơ.",
        "cause": "Thiếu thiết bị lưu trữ."})
    action = ps.action_save(plan=plan, by=principal_a, values={
        "issue": issue, "content": "Số hóa hồ sơ quản lý", "objective": "100% hồ sơ được số hóa",
        "activities": "Scan và lưu trữ trên hệ thống", "indicator": "Tỉ lệ hồ sơ số hóa",
        "start_on": datetime.date(2026, 10, 1), "end_on": datetime.date(2027, 5, 31), "responsible": "Tổ văn phòng",
        "resources": "Kinh phí thường xuyên", "expected_evidence": "Danh mục hồ sơ số hóa"})
    ps.check_save(plan=plan, by=principal_a, point="semester1", values={
        "action": action, "content": "Tiến độ số hóa", "result": "Đã số hóa 60% hồ sơ", "adjustment": "",
        "assessor": "Phó Hiệu trưởng"})
    plan.refresh_from_db()
    return plan


def _draft(report):
    from exports import selectors

    return selectors.report_source(report, draft=True)


@needs_poppler
def test_pdf_has_sections_i_to_viii_and_three_tables_on_landscape_pages(plan57):
    report = plan57.report
    source = _draft(report)
    exporter = ImprovementPlan57Exporter(plan_document(report, source), source.data, source.stamp, "pdf")
    filename, content_type, content = exporter.render()
    assert filename.startswith("ke-hoach-cai-tien-chat-luong-") and filename.endswith("-ban-nhap.pdf")
    flat = " ".join(pdf_text(content).split())
    for words in ("KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG GIÁO DỤC NĂM HỌC 2026-2027", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "I. THÔNG TIN CHUNG", "II. CĂN CỨ XÂY DỰNG KẾ HOẠCH", "III. MỤC ĐÍCH, YÊU CẦU",
                  "IV. TÓM TẮT CÁC VẤN ĐỀ TRỌNG TÂM CẦN CẢI TIẾN", "V. KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG",
                  "VI. THEO DÕI VÀ ĐÁNH GIÁ THỰC HIỆN (GIÁM SÁT NỘI BỘ)", "VII. TỔ CHỨC THỰC HIỆN",
                  "VIII. CƠ CHẾ ĐÁNH GIÁ VÀ BÁO CÁO", "Nghị quyết của Hội đồng trường năm học 2026-2027.",
                  "Nguyên nhân của hạn chế", "Chưa số hóa hồ sơ.", "Số hóa hồ sơ quản lý", "Mức độ thực hiện (10)",
                  "01/10/2026 – 31/05/2027", "Cuối học kỳ I", "Cuối năm học", "Đã số hóa 60% hồ sơ",
                  "Người đánh giá", "a) Thực hiện rà soát, đánh giá tối thiểu 02 lần trong năm học;", "HIỆU TRƯỞNG",
                  "BẢN NHÁP"):
        assert words in flat, words
    width, height = pdf_page_sizes(content)[0]
    assert width > height


def test_word_is_landscape_with_the_same_tables(plan57):
    report = plan57.report
    source = _draft(report)
    content = ImprovementPlan57Exporter(plan_document(report, source), source.data, source.stamp, "docx").render()[2]
    text = docx_text(content)
    for words in ("I. THÔNG TIN CHUNG", "VIII. CƠ CHẾ ĐÁNH GIÁ VÀ BÁO CÁO", "Số hóa hồ sơ quản lý",
                  "Thông tin, dữ liệu hoặc minh chứng dự kiến (9)", "Đã số hóa 60% hồ sơ", "Cuối năm học"):
        assert words in text, words
    document = docx_document(content)
    assert all(s.page_width > s.page_height for s in document.sections)
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["TT", "Tiêu chuẩn", "Tiêu chí liên quan (nếu có)", "Đánh giá hiện trạng", "Điểm hạn chế",
            "Nguyên nhân của hạn chế"] in headers
    assert any(len(h) == 10 and h[-1] == "Mức độ thực hiện (10)" for h in headers)
    assert ["Thời điểm", "Nội dung theo dõi", "Kết quả thực hiện", "Điều chỉnh (nếu có)", "Người đánh giá"] in headers


def test_a_version_prints_the_frozen_plan_and_none_without_it(plan57, principal_a):
    from exports import selectors
    from exports.tests import builders

    report = plan57.report
    version = builders.submit(report, principal_a)
    source = selectors.report_source(report)
    assert source.version == version
    assert [a.content for a in plan_document(report, source).actions] == ["Số hóa hồ sơ quản lý"]
    # The live plan changes after submission; the version's print does not.
    from selfassessment import services_plan57 as ps

    ps.action_save(plan=plan57, by=principal_a, values={"content": "Nội dung thêm sau khi nộp"})
    assert [a.content for a in plan_document(report, selectors.report_source(report)).actions] == [
        "Số hóa hồ sơ quản lý"]
    # A version frozen before the snapshot carried Biểu 2 prints none.
    version.data.pop("plan57", None)
    assert plan_document(report, selectors.ReportSource(report, version.data, Stamp(version=1), version)) is None


@needs_poppler
def test_round_dossier_holds_the_tt57_report_as_biểu_1_and_its_biểu_2(plan57, principal_a, district, reviewer,
                                                                          monkeypatch):
    import io
    import zipfile

    from evaluations.models import EvaluationRound, RoundRegistration
    from exports import services
    from exports.models import ExportJob
    from exports.tasks import export_job_run
    from exports.tests import builders

    report = plan57.report
    version = builders.submit(report, principal_a)
    builders.accept(report)
    evaluation_round = EvaluationRound.objects.create(unit=district, year=2027, number=1)
    RoundRegistration.objects.create(round=evaluation_round, school=report.school)
    monkeypatch.setattr(export_job_run, "delay", lambda job_id: None)
    job, _created = services.export_job_request(
        kind=ExportJob.Kind.DOSSIER, params={"round": evaluation_round.pk, "include_files": False},
        title="Hồ sơ đợt 1", organisation=district, by=reviewer)
    assert services.export_job_execute(job.pk) == ExportJob.Status.DONE
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    code = report.school.code.lower()
    report_name = next(n for n in names if "/bao-cao-tu-danh-gia-" in n)
    plan_name = next(n for n in names if "/ke-hoach-cai-tien-chat-luong-" in n)
    assert report_name.endswith(f"{code}-2026-2027-v1.pdf") and plan_name.endswith(f"{code}-2026-2027-v1.pdf")
    report_text = " ".join(pdf_text(archive.read(report_name)).split())
    assert "PHẦN II TỰ ĐÁNH GIÁ" in report_text and "Mô tả hiện trạng" in report_text
    plan_text = " ".join(pdf_text(archive.read(plan_name)).split())
    assert "V. KẾ HOẠCH CẢI TIẾN CHẤT LƯỢNG" in plan_text and "Số hóa hồ sơ quản lý" in plan_text
    assert f"Phiên bản 1 · mã kiểm tra {version.content_hash[:16]}" in plan_text
    assert plan_name.rsplit("/", 1)[1] in archive.read("MANIFEST.txt").decode("utf-8")


def test_download_view_gives_the_draft_to_the_school_and_the_version_to_the_district(plan57, client, principal_a,
                                                                                       reviewer, staff_a):
    from django.urls import reverse

    from exports.tests import builders

    report = plan57.report
    url = reverse("exports:plan57_download", kwargs={"pk": report.pk, "fmt": "docx"})
    client.force_login(principal_a)
    response = client.get(url + "?draft=1")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert "Số hóa hồ sơ quản lý" in docx_text(b"".join(response.streaming_content))
    # Nothing submitted yet: the district has nothing to download; the school staff never.
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(staff_a)
    assert client.get(url).status_code == 403
    builders.submit(report, principal_a)
    client.force_login(reviewer)
    response = client.get(url + "?version=1")
    assert response.status_code == 200 and "-v1.docx" in response["Content-Disposition"]
    assert client.get(reverse("exports:plan57_download", kwargs={"pk": report.pk, "fmt": "xlsx"})).status_code == 404
    # The export page and the report pages' menu offer it.
    page = client.get(reverse("exports:report_exports", kwargs={"pk": report.pk})).content.decode()
    assert 'id="plan57-exports"' in page and url + "?version=1" in page
    client.force_login(principal_a)
    menu = client.get(reverse("selfassessment:report_detail", kwargs={"pk": report.pk}), follow=True).content.decode()
    assert reverse("exports:plan57_download", kwargs={"pk": report.pk, "fmt": "pdf"}) in menu


def test_download_view_refuses_a_report_without_plan_and_a_2018_report(tt57_report, report_a, client,  # noqa: F811
                                                                         principal_a):
    from django.urls import reverse

    client.force_login(principal_a)
    for report in (tt57_report, report_a):
        url = reverse("exports:plan57_download", kwargs={"pk": report.pk, "fmt": "pdf"})
        assert client.get(url + "?draft=1").status_code == 404
    page = client.get(reverse("exports:report_exports", kwargs={"pk": report_a.pk})).content.decode()
    assert "plan57-exports" not in page


def test_district_summary_shows_the_regulation_and_biểu_2_monitoring(plan57, client, reviewer, school_b):
    from django.urls import reverse

    from exports.tests.readers import sheet_rows, workbook

    report = plan57.report
    client.force_login(reviewer)
    response = client.get(reverse("exports:district_summary_download") + f"?school_year={report.school_year.pk}")
    assert response.status_code == 200
    sheet = workbook(b"".join(response.streaming_content))["Tổng hợp"]
    header = [c.value for c in sheet[5]]
    assert header[-4:] == ["Quy định đánh giá", "Biểu 2 – Kế hoạch cải tiến (TT57)", "Theo dõi Biểu 2 cuối học kỳ I",
                           "Theo dõi Biểu 2 cuối năm học"]
    rows = {r[2]: r for r in sheet_rows(sheet) if isinstance(r[0], int)}
    assert list(rows[report.school.code][-4:]) == [report.regulation_version.regulation.code, "Đã lập", "Đã ghi",
                                                   "Chưa ghi"]
    assert list(rows[school_b.code][-4:]) == [None, None, None, None]
