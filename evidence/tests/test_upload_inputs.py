"""Issue 13 finding 8: a long file name keeps the form, spooled uploads are cleaned, dates are bounded."""

from __future__ import annotations

import datetime
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from evidence import upload_handlers
from evidence.models import Evidence
from evidence.tests import samples

# 1,000 Vietnamese letters: past Django's 1 KB bound on a multipart part header. Django's test client
# (like UploadedFile) cuts names to 255 characters, so the requests are written by hand.
LONG_STEM = "Biên bản họp hội đồng tự đánh giá chất lượng giáo dục nhà trường " * 20
LONG_NAME = LONG_STEM[:1000] + ".docx"
BOUNDARY = "----kiemdinhBoundary7MA4YWxkTrZu0gW"


def post_multipart(client, url: str, fields: dict, file_field: str, file_name: str, content: bytes):
    """POST a form as a browser does, with the file name exactly as given."""
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    body.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
               "Content-Type: application/octet-stream\r\n\r\n".encode())
    body.write(content)
    body.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return client.generic("POST", url, body.getvalue(), content_type=f"multipart/form-data; boundary={BOUNDARY}")


def test_a_long_file_name_is_shortened_keeping_its_extension_and_the_evidence_is_saved(client, school_a, staff_a,
                                                                                        criteria):
    assert len(LONG_NAME.encode()) > 1300
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    response = post_multipart(client, url, {"criterion": criteria["1.1"].pk, "name": "Biên bản họp hội đồng"},
                              "upload", LONG_NAME, samples.docx())
    assert response.status_code == 302, response.content.decode()[:500]
    item = Evidence.objects.get()
    assert item.file_name.endswith(".docx") and len(item.file_name) <= 150
    assert item.file_name.startswith("Biên bản họp hội đồng tự đánh giá")


def test_a_long_file_name_with_a_form_error_keeps_the_typing(client, school_a, staff_a, criteria):
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    response = post_multipart(client, url, {"criterion": criteria["1.1"].pk, "name": "Sổ theo dõi",
                                            "issued_on": "1899-12-31"}, "upload", LONG_NAME, samples.docx())
    assert response.status_code == 200
    assert response.context["form"].errors["issued_on"]
    assert 'value="Sổ theo dõi"' in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_part_header_no_browser_sends_still_gets_the_vietnamese_400_page(client, school_a, staff_a, criteria):
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    name = "a" * (upload_handlers.PART_HEADER_MAX_BYTES + 100) + ".pdf"
    response = post_multipart(client, url, {"criterion": criteria["1.1"].pk}, "upload", name, samples.pdf())
    assert response.status_code == 400
    assert "Yêu cầu quá lớn hoặc không hợp lệ" in response.content.decode()


def test_a_long_file_name_on_the_school_import_gets_the_page_not_a_bare_400(client, reviewer, district):
    client.force_login(reviewer)
    response = post_multipart(client, reverse("schools:school_import"), {}, "file", LONG_STEM[:1000] + ".xlsx",
                              b"not a workbook")
    assert response.status_code == 200
    assert "không phải là tệp Excel" in response.content.decode()


# --- temporary upload files -------------------------------------------------------------------------


@pytest.fixture
def temp_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")  # missing: made on demand
    return tmp_path / "upload-tmp"


def test_large_uploads_are_spooled_into_the_projects_own_temporary_directory(temp_dir, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    handler = upload_handlers.TemporaryFileUploadHandler()
    handler.new_file("upload", "bao-cao.pdf", "application/pdf", 5000)
    try:
        assert os.path.dirname(handler.file.temporary_file_path()) == str(temp_dir)
        assert list(temp_dir.iterdir())  # what a killed worker would leave behind
    finally:
        handler.file.close()
    assert not list(temp_dir.iterdir())  # a request that ends deletes its file


def test_an_upload_past_the_memory_limit_goes_through_the_temporary_directory(client, temp_dir, settings, school_a,
                                                                             staff_a, criteria):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    response = client.post(url, {
        "criterion": criteria["1.1"].pk, "name": "Báo cáo",
        "upload": SimpleUploadedFile("bao-cao.pdf", samples.pdf() + b"\n%" + b"0" * 4000 + b"\n"),
    })
    assert response.status_code == 302
    assert temp_dir.is_dir() and not list(temp_dir.iterdir())


def _leftover(folder, name: str, hours_old: float):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"%PDF-1.4 half an upload")
    moment = time.time() - hours_old * 3600
    os.utime(path, (moment, moment))
    return path


def test_the_cleanup_command_deletes_only_old_leftovers(temp_dir, settings):
    settings.FILE_UPLOAD_TEMP_MAX_AGE_HOURS = 6
    old = _leftover(temp_dir, "tmpabc.upload.pdf", hours_old=7)
    fresh = _leftover(temp_dir, "tmpdef.upload.pdf", hours_old=1)  # an upload that may still be running
    out = io.StringIO()
    call_command("evidence_temp_uploads_clean", "--dry-run", stdout=out)
    assert "tmpabc.upload.pdf" in out.getvalue() and old.exists()
    call_command("evidence_temp_uploads_clean", stdout=io.StringIO())
    assert not old.exists() and fresh.exists()
    call_command("evidence_temp_uploads_clean", "--hours", "0.5", stdout=io.StringIO())
    assert not fresh.exists() and temp_dir.is_dir()


def test_the_cleanup_is_a_periodic_job_and_safe_to_repeat(temp_dir, settings):
    from kiemdinh.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["evidence-temp-uploads-clean"]
    from evidence.tasks import temp_uploads_clean_due

    assert entry["task"] == temp_uploads_clean_due.name and entry["schedule"] <= 3600
    assert app.conf.beat_schedule["evidence-temp-uploads-clean"]["task"] == temp_uploads_clean_due.name
    _leftover(temp_dir, "tmpold.upload.docx", hours_old=24)
    assert temp_uploads_clean_due.delay().get() == 1
    assert temp_uploads_clean_due.delay().get() == 0
    settings.FILE_UPLOAD_TEMP_DIR = str(temp_dir / "never-made")
    assert temp_uploads_clean_due.delay().get() == 0


# --- dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["issued_on", "valid_until"])
@pytest.mark.parametrize("value", ["1899-12-31", "0001-01-01", "2101-01-01", "9999-12-31"])
def test_evidence_dates_outside_1900_2100_are_a_form_error(client, school_a, staff_a, criteria, field, value):
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    response = client.post(url, {"criterion": criteria["1.1"].pk, "name": "Quyết định thành lập trường", field: value})
    assert response.status_code == 200
    assert "1900" in response.context["form"].errors[field][0]
    assert not Evidence.objects.exists()


def test_an_old_founding_decision_is_still_accepted(client, school_a, staff_a, criteria):
    client.force_login(staff_a)
    url = reverse("evidence:evidence_create", kwargs={"school_pk": school_a.pk})
    response = client.post(url, {"criterion": criteria["1.1"].pk, "name": "Quyết định thành lập trường",
                                 "issued_on": "1965-09-05"})
    assert response.status_code == 302
    assert Evidence.objects.get().issued_on == datetime.date(1965, 9, 5)

