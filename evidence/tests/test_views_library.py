"""The library pages: query counts, uploads through the browser, downloads, search JSON, Excel, renumbering."""

import datetime
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence import services
from evidence.models import Evidence
from evidence.tests import samples
from evidence.tests.factories import EvidenceFactory


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response


def _bulk(school, criteria, user, n, start=0):
    for i in range(n):
        criterion = list(criteria.values())[i % len(criteria)]
        item = EvidenceFactory(
            school=school, criterion=criterion, created_by=user, sequence=start + i + 1,
            name=f"Kế hoạch số {start + i}", valid_until=datetime.date(2020, 1, 1) if i % 4 == 0 else None,
        )
        if i % 3 == 0:
            item.shared_criteria.add(*[c for c in criteria.values() if c != criterion][:2])


@pytest.mark.parametrize("persona", ["principal_a", "reviewer"])
def test_library_page_query_count_does_not_grow_with_items(request, client, school_a, criteria, persona):
    user = request.getfixturevalue(persona)
    principal = request.getfixturevalue("principal_a")
    client.force_login(user)
    url = reverse("evidence:evidence_list", kwargs={"school_pk": school_a.pk})
    _bulk(school_a, criteria, principal, 3)
    few, _ = count_queries(client, url)
    _bulk(school_a, criteria, principal, 45, start=100)
    many, response = count_queries(client, url)
    assert many == few
    assert response.context["page"].paginator.count == 48


def test_library_index_query_count_does_not_grow_with_schools(client, officer, district, criteria, principal_a):
    from schools.tests.factories import SchoolFactory

    client.force_login(officer)
    url = reverse("evidence:library_index")
    SchoolFactory(reviewing_unit=district)
    few, _ = count_queries(client, url)
    for _ in range(12):
        school = SchoolFactory(reviewing_unit=district)
        EvidenceFactory(school=school, criterion=criteria["1.1"], sequence=1)
    many, _ = count_queries(client, url)
    assert many == few


def test_library_shows_the_official_columns_and_flags(client, school_a, principal_a, criteria):
    services.evidence_create(
        school=school_a, criterion=criteria["1.2"], by=principal_a, name="Quyết định thành lập Hội đồng trường",
        issued_number="15/QĐ-UBND", issued_on=datetime.date(2019, 10, 15), valid_until=datetime.date(2024, 10, 14),
        issuer="UBND quận", note="Nhiệm kỳ 2019-2024",
    )
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_list", kwargs={"school_pk": school_a.pk}))
    html = response.content.decode()
    for text in ["Số TT", "Mã minh chứng", "Tên minh chứng", "Nơi ban hành hoặc nhóm, cá nhân thực hiện", "Ghi chú",
                 "H1-1.2-01", "15/QĐ-UBND, 15/10/2019", "UBND quận", "Hết hiệu lực", "Tiêu chí 1.2"]:
        assert text in html, text


def test_library_filters_come_from_the_query_string(client, school_a, principal_a, criteria):
    services.evidence_create(school=school_a, criterion=criteria["1.1"], by=principal_a, name="Chiến lược phát triển")
    services.evidence_create(school=school_a, criterion=criteria["2.1"], by=principal_a, name="Bằng tốt nghiệp")
    client.force_login(principal_a)
    url = reverse("evidence:evidence_list", kwargs={"school_pk": school_a.pk})
    assert [e.name for e in client.get(url + "?standard=2").context["page"]] == ["Bằng tốt nghiệp"]
    assert [e.name for e in client.get(url + "?q=chien+luoc").context["page"]] == ["Chiến lược phát triển"]
    # Nonsense in the query string is ignored, never an error.
    response = client.get(url + "?standard=abc&box=-1&status=<script>&criterion=x&page=999")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2


def test_create_through_the_form_with_a_file(client, settings, school_a, staff_a, criteria):
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    upload = SimpleUploadedFile("Biên bản họp.docx", samples.docx(), content_type="text/html")
    response = client.post(url, {
        "criterion": criteria["1.1"].pk, "name": "  Biên bản   họp tổ  ", "issued_on": "2023-10-05", "box": "",
        "upload": upload,
    })
    item = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:evidence_detail", kwargs={"pk": item.pk})
    assert (item.code, item.name, item.box, item.file_name) == ("H1-1.1-01", "Biên bản họp tổ", 1, "Biên bản họp.docx")
    # The type is the one found in the content, not the browser's claim.
    assert item.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_save_and_add_another_returns_to_the_form_on_the_same_criterion(client, school_a, staff_a, criteria):
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    response = client.post(url, {"criterion": criteria["1.2"].pk, "name": "Quy chế", "save_add": "1"})
    assert response["Location"] == f"{url}?criterion={criteria['1.2'].pk}"
    form = client.get(response["Location"]).context["form"]
    assert form.initial["criterion"] == criteria["1.2"].pk


def test_a_disguised_file_is_refused_on_the_field_and_the_typing_is_kept(client, school_a, staff_a, criteria):
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    upload = SimpleUploadedFile("bao-cao.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(url, {"criterion": criteria["1.1"].pk, "name": "Báo cáo tổng kết", "upload": upload})
    assert response.status_code == 200
    assert "trang web hoặc mã lệnh" in response.context["form"].errors["upload"][0]
    assert 'value="Báo cáo tổng kết"' in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_oversized_upload_is_cut_off_and_the_other_fields_survive(client, settings, school_a, staff_a, criteria):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    big = SimpleUploadedFile("lon.pdf", samples.pdf() + b"\x00" * (3 * 1024 * 1024), content_type="application/pdf")
    response = client.post(url, {"criterion": criteria["1.1"].pk, "upload": big, "name": "Sổ theo dõi"})
    assert response.status_code == 200
    errors = response.context["form"].errors["upload"]
    assert "vượt giới hạn" in errors[0] and "1 MB" in errors[0]
    assert response.context["form"].data["name"] == "Sổ theo dõi"
    assert not Evidence.objects.exists()


def test_csrf_is_still_checked_on_the_upload_views(school_a, staff_a, criteria):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    assert client.post(url, {"criterion": criteria["1.1"].pk, "name": "x"}).status_code == 403
    item = services.evidence_create(school=school_a, criterion=criteria["1.1"], by=staff_a, name="Quy chế")
    assert client.post(reverse("evidence:evidence_update", kwargs={"pk": item.pk}), {"name": "y"}).status_code == 403
    assert not Evidence.objects.filter(name="x").exists()


def test_a_concurrent_edit_shows_both_versions_and_saves_nothing(client, school_a, principal_a, staff_a, criteria):
    item = services.evidence_create(school=school_a, criterion=criteria["1.1"], by=staff_a, name="Bản đầu")
    client.force_login(staff_a)
    url = reverse("evidence:evidence_update", kwargs={"pk": item.pk})
    version = client.get(url).context["form"]["version"].value()
    services.evidence_update(evidence=item, by=principal_a, name="Bản của hiệu trưởng")
    response = client.post(url, {"name": "Bản của giáo viên", "box": 1, "version": version})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bản của hiệu trưởng" in html and "Bản của giáo viên" in html and "Bản đang lưu" in html
    item.refresh_from_db()
    assert item.name == "Bản của hiệu trưởng"
    # Saving again from that page is a deliberate overwrite.
    response = client.post(url, {"name": "Bản của giáo viên", "box": 1, "version": response.context["form"].data["version"]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "Bản của giáo viên"


def test_download_is_an_attachment_with_a_safe_name_and_no_sniffing(client, school_a, principal_a, reviewer, c11):
    content = samples.pdf()
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Quyết định",
        upload=ContentFile(content, name="Quyết định thành lập hội đồng.pdf"),
    )
    client.force_login(reviewer)
    response = client.get(reverse("evidence:evidence_download", kwargs={"pk": item.pk}))
    assert response.status_code == 200
    assert response.content == content
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Quyet dinh thanh lap hoi dong.pdf"' in disposition
    assert "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")


def test_large_files_are_streamed(client, school_a, principal_a, c11):
    content = samples.pdf() + b"%" * (600 * 1024)
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Bản scan", upload=ContentFile(content, name="scan.pdf"),
    )
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_download", kwargs={"pk": item.pk}))
    assert response.streaming
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_of_another_districts_item_is_a_404(client, school_a, principal_a, other_reviewer, c11):
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Quyết định", upload=ContentFile(samples.pdf(), name="a.pdf")
    )
    client.force_login(other_reviewer)
    assert client.get(reverse("evidence:evidence_download", kwargs={"pk": item.pk})).status_code == 404


def test_download_without_a_file_or_with_a_lost_file_is_a_404(client, settings, school_a, principal_a, c11):
    paper = services.evidence_create(school=school_a, criterion=c11, by=principal_a, name="Bản giấy")
    scanned = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Scan", upload=ContentFile(samples.pdf(), name="a.pdf")
    )
    import os

    os.remove(os.path.join(settings.MEDIA_ROOT, scanned.file.name))
    client.force_login(principal_a)
    assert client.get(reverse("evidence:evidence_download", kwargs={"pk": paper.pk})).status_code == 404
    assert client.get(reverse("evidence:evidence_download", kwargs={"pk": scanned.pk})).status_code == 404


def test_media_files_have_no_url_of_their_own(client, settings, school_a, principal_a, c11):
    item = services.evidence_create(
        school=school_a, criterion=c11, by=principal_a, name="Quyết định", upload=ContentFile(samples.pdf(), name="a.pdf")
    )
    client.force_login(principal_a)
    assert client.get(settings.MEDIA_URL + item.file.name).status_code == 404


def test_search_json(client, school_a, principal_a, criteria):
    services.evidence_create(school=school_a, criterion=criteria["1.1"], by=principal_a, name="Chiến lược phát triển",
                             valid_until=datetime.date(2020, 1, 1))
    services.evidence_create(school=school_a, criterion=criteria["1.2"], by=principal_a, name="Quy chế")
    client.force_login(principal_a)
    url = reverse("evidence:evidence_search")
    data = client.get(url, {"school": school_a.pk, "q": "[H1-1.1"}).json()
    assert data["results"] == [{
        "id": Evidence.objects.get(code="H1-1.1-01").pk, "code": "H1-1.1-01", "name": "Chiến lược phát triển",
        "criterion": "1.1", "box": 1, "expired": True, "has_file": False,
        "url": reverse("evidence:evidence_detail", kwargs={"pk": Evidence.objects.get(code="H1-1.1-01").pk}),
    }]
    assert [r["code"] for r in client.get(url, {"school": school_a.pk, "q": "quy che"}).json()["results"]] == ["H1-1.2-01"]
    assert client.get(url, {"school": "abc"}).status_code == 400


def test_search_of_another_school_is_a_404(client, school_a, principal_c):
    client.force_login(principal_c)
    assert client.get(reverse("evidence:evidence_search"), {"school": school_a.pk, "q": "H"}).status_code == 404


def test_export_reads_back_with_the_official_columns(client, school_a, principal_a, criteria):
    from openpyxl import load_workbook

    first = services.evidence_create(
        school=school_a, criterion=criteria["1.1"], by=principal_a, name="Chiến lược phát triển nhà trường",
        issued_number="12/KH-THCS", issued_on=datetime.date(2020, 9, 10), issuer="Trường THCS A",
        upload=ContentFile(samples.pdf(), name="chien-luoc.pdf"),
    )
    services.evidence_share(evidence=first, criterion=criteria["5.1"], by=principal_a)
    services.evidence_create(school=school_a, criterion=criteria["1.10"], by=principal_a, name="Phương án PCCC",
                             valid_until=datetime.date(2021, 1, 1))
    services.evidence_create(school=school_a, criterion=criteria["1.2"], by=principal_a, name="Quy chế")
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_export", kwargs={"school_pk": school_a.pk}))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[4]][:6]
    assert header == [
        "Số TT", "Mã minh chứng", "Tên minh chứng",
        "Số, ngày ban hành hoặc thời điểm khảo sát, điều tra, phỏng vấn, quan sát",
        "Nơi ban hành hoặc nhóm, cá nhân thực hiện", "Ghi chú",
    ]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert [row[1] for row in rows] == ["H1-1.1-01", "H1-1.2-01", "H1-1.10-01"]
    assert rows[0][:5] == [1, "H1-1.1-01", "Chiến lược phát triển nhà trường", "12/KH-THCS, 10/09/2020", "Trường THCS A"]
    assert rows[0][7] == "5.1"
    assert rows[0][11] == first.sha256
    assert "Đã hết hiệu lực" in rows[2][5]
    assert sheet.freeze_panes == "C5"
    assert sheet.auto_filter.ref == "A4:L7"


def test_renumber_flow_previews_then_applies(client, school_a, principal_a, c11):
    items = [services.evidence_create(school=school_a, criterion=c11, by=principal_a, name=f"MC {i}") for i in range(3)]
    services.evidence_delete(evidence=items[0], by=principal_a)
    client.force_login(principal_a)
    preview = client.get(reverse("evidence:evidence_renumber_preview", kwargs={"school_pk": school_a.pk}))
    assert preview.context["mapping"] == [("H1-1.1-02", "H1-1.1-01"), ("H1-1.1-03", "H1-1.1-02")]
    assert Evidence.objects.filter(code="H1-1.1-03").exists()
    response = client.post(reverse("evidence:evidence_renumber", kwargs={"school_pk": school_a.pk}), follow=True)
    assert "Đã đánh lại 2 mã minh chứng" in response.content.decode()
    assert sorted(Evidence.objects.values_list("code", flat=True)) == ["H1-1.1-01", "H1-1.1-02"]


def test_detail_page_offers_share_and_move_to_the_principal_only(client, school_a, principal_a, staff_a, reviewer, c11):
    item = services.evidence_create(school=school_a, criterion=c11, by=staff_a, name="Biên bản")
    client.force_login(principal_a)
    context = client.get(reverse("evidence:evidence_detail", kwargs={"pk": item.pk})).context
    assert context["share_form"] is not None and context["move_form"] is not None
    client.force_login(staff_a)
    context = client.get(reverse("evidence:evidence_detail", kwargs={"pk": item.pk})).context
    assert context["share_form"] is not None and context["move_form"] is None
    client.force_login(reviewer)
    response = client.get(reverse("evidence:evidence_detail", kwargs={"pk": item.pk}))
    assert response.context["share_form"] is None and response.context["move_form"] is None
    assert reverse("evidence:evidence_update", kwargs={"pk": item.pk}) not in response.content.decode()


def test_delete_of_a_cited_item_shows_the_reason(client, school_a, principal_a, c11):
    from evidence.signals import evidence_usage

    item = services.evidence_create(school=school_a, criterion=c11, by=principal_a, name="Biên bản")

    def cited(sender, evidence, **kwargs):
        return ["Báo cáo tự đánh giá 2024-2025"]

    evidence_usage.connect(cited, dispatch_uid="test-view-cited")
    try:
        client.force_login(principal_a)
        response = client.post(reverse("evidence:evidence_delete", kwargs={"pk": item.pk}), follow=True)
    finally:
        evidence_usage.disconnect(dispatch_uid="test-view-cited")
    assert "đang được trích dẫn: Báo cáo tự đánh giá 2024-2025" in response.content.decode()
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_cite_demo_page_carries_the_search_url(client, school_a, principal_a):
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_cite_demo", kwargs={"school_pk": school_a.pk}))
    assert f'data-evidence-search-url="/evidence/search/?school={school_a.pk}"' in response.content.decode()
    assert "evidence/cite.js" in response.content.decode()


def test_create_form_previews_the_next_code(client, school_a, principal_a, criteria):
    services.evidence_create(school=school_a, criterion=criteria["1.1"], by=principal_a, name="Quy chế")
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk}))
    html = response.content.decode()
    start = html.index(">", html.index('id="evidence-code-previews"')) + 1
    data = json.loads(html[start : html.index("</script>", start)])
    assert data[str(criteria["1.1"].pk)]["code"] == "H1-1.1-02"
