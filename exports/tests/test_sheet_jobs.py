"""The district summary and the dashboard spreadsheets of many schools are background jobs (issue 18
item 10, issue 19 item 3); those of few schools still download at once.

``EXPORT_SHEET_JOB_SCHOOLS`` is the size from which a spreadsheet is a job: the tests set it to the
number of schools they hold, so that one more school makes the difference.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import Event
from exports import services
from exports.models import ExportJob
from exports.tests.test_runner import _drain, _status

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _text(content: bytes) -> str:
    return " ".join(str(cell) for row in _rows(content) for cell in row if cell is not None)


def _flash(client) -> str:
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(client.get(reverse("exports:job_list")).wsgi_request))


@pytest.fixture
def large(settings):
    """Two schools (A and B in district A) are 'many': their spreadsheets are jobs."""
    settings.EXPORT_SHEET_JOB_SCHOOLS = 2


def _ask_summary(client, user, district, **extra):
    client.force_login(user)
    return client.post(reverse("exports:district_summary_request"),
                       {"unit": district.pk, "school_year": "", "kind": "periodic", **extra})


# --- The district summary ----------------------------------------------------------------------------


def test_a_summary_of_few_schools_downloads_at_once(client, reviewer, district, school_a, school_b, school_year):
    response = _ask_summary(client, reviewer, district)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("exports:district_summary_download") + "?")
    assert f"unit={district.pk}" in response["Location"] and "kind=periodic" in response["Location"]
    download = client.get(response["Location"])
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert school_a.name in _text(_body(download))
    assert not ExportJob.objects.exists()


def test_a_summary_of_many_schools_is_a_job_with_its_progress_page(client, reviewer, district, school_a, school_b,
                                                                    school_year, large):
    response = _ask_summary(client, reviewer, district)
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:job_detail", kwargs={"uuid": job.uuid})
    assert job.kind == ExportJob.Kind.SUMMARY and job.status == ExportJob.Status.QUEUED
    assert job.params == {"units": [district.pk], "school_year": school_year.pk, "kind": "periodic"}
    assert job.organisation == district and job.requested_by == reviewer
    page = client.get(response["Location"]).content.decode()
    assert "data-job-bar" in page and "Về trang bảng tổng hợp" in page
    assert not Event.objects.filter(action="exports.summary.exported").exists()  # nothing built in the request

    assert services.export_job_execute(job.pk) == ExportJob.Status.DONE
    job.refresh_from_db()
    download = client.get(reverse("exports:job_download", kwargs={"uuid": job.uuid}))
    text = _text(_body(download))
    assert school_a.name in text and school_b.name in text and school_year.code in text
    event = Event.objects.get(action="exports.summary.exported")
    assert event.actor == reviewer and event.data["schools"] == 2
    page = client.get(reverse("exports:job_detail", kwargs={"uuid": job.uuid})).content.decode()
    assert "Số liệu tại thời điểm tạo tệp" in page
    # Once expired, the job says where to ask for it again.
    services.export_jobs_expire_due(now=job.expires_at + datetime.timedelta(seconds=1))
    response = client.get(reverse("exports:job_download", kwargs={"uuid": job.uuid}), follow=True)
    assert "Tạo lại từ trang bảng tổng hợp" in response.content.decode()  # the job page's own word


def test_the_same_choice_built_a_few_minutes_ago_is_offered_again(client, reviewer, head, district, school_a,
                                                                   school_b, school_year, large):
    first = _ask_summary(client, reviewer, district)
    job = ExportJob.objects.get()
    assert _ask_summary(client, reviewer, district)["Location"] == first["Location"]  # still queued: the same
    services.export_job_execute(job.pk)
    assert _ask_summary(client, reviewer, district)["Location"] == first["Location"]
    assert "vừa được tạo" in _flash(client)
    # The head of the same district opens the district's file too.
    assert _ask_summary(client, head, district)["Location"] == first["Location"]
    assert ExportJob.objects.count() == 1
    # Another report kind is another file.
    _ask_summary(client, reviewer, district, kind="external")
    assert ExportJob.objects.count() == 2
    # Live figures: a file older than the reuse time is built again.
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(minutes=11))
    again = _ask_summary(client, reviewer, district)
    assert again["Location"] != first["Location"] and ExportJob.objects.count() == 3


def test_the_direct_url_of_a_large_summary_builds_nothing_in_the_request(client, reviewer, district, school_a,
                                                                         school_b, school_year, large):
    client.force_login(reviewer)
    response = client.get(reverse("exports:district_summary_download") + f"?unit={district.pk}&kind=periodic")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "được tạo nền" in page and 'action="' + reverse("exports:district_summary_request") + '"' in page
    assert not ExportJob.objects.exists()
    assert not Event.objects.filter(action="exports.summary.exported").exists()


def test_the_summary_request_s_audience_and_bad_input(client, reviewer, other_reviewer, principal_a, officer,
                                                      district, other_district, school_a, school_b, school_year,
                                                      large):
    assert _ask_summary(client, principal_a, district).status_code == 403
    assert _ask_summary(client, other_reviewer, district).status_code == 400  # not one of their units
    assert _ask_summary(client, reviewer, district, kind="nonsense").status_code == 400
    assert _ask_summary(client, reviewer, district, school_year="x").status_code == 400
    assert not ExportJob.objects.exists()
    client.force_login(reviewer)
    assert client.get(reverse("exports:district_summary_request")).status_code == 405
    # The Sở's officer over every district: one job whose file the Sở's audience may open.
    client.force_login(officer)
    response = client.post(reverse("exports:district_summary_request"), {"unit": "", "kind": "periodic"})
    job = ExportJob.objects.get()
    assert sorted(job.params["units"]) == sorted([district.pk, other_district.pk])
    assert job.organisation == district.parent
    assert client.get(response["Location"]).status_code == 200
    client.force_login(reviewer)  # district A's reviewer may not open the whole Sở's file
    assert client.get(response["Location"]).status_code == 404


def test_a_summary_job_holds_only_units_its_requester_still_reaches(reviewer, district, other_district,
                                                                    school_year):
    job = ExportJob.objects.create(kind=ExportJob.Kind.SUMMARY, title="Tổng hợp", organisation=other_district,
                                   requested_by=reviewer, params={"units": [other_district.pk],
                                                                  "school_year": None, "kind": "periodic"})
    assert services.export_job_execute(job.pk) == ExportJob.Status.FAILED
    job.refresh_from_db()
    assert "không còn quyền" in job.error and not job.file


@pytest.mark.django_db(transaction=True)  # the runner's thread reads committed rows
def test_on_the_embedded_default_the_summary_request_only_queues(client, reviewer, district, school_a, school_b,
                                                                 school_year, large, request):
    door = request.getfixturevalue("runner")  # the runner, held at its door
    response = _ask_summary(client, reviewer, district)
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:job_detail", kwargs={"uuid": job.uuid})
    assert job.status == ExportJob.Status.QUEUED and not job.file
    _drain(door)
    status = _status(client, job)
    assert status["status"] == "done" and status["progress"] == 100
    assert school_b.name in _text(_body(client.get(status["download_url"])))


# --- The dashboard ---------------------------------------------------------------------------------


def _ask_dashboard(client, user, query=""):
    client.force_login(user)
    return client.post(reverse("exports:dashboard_request") + query)


def test_a_dashboard_of_few_schools_downloads_at_once(client, reviewer, district, school_a, school_b, school_year):
    query = f"?unit={district.pk}&year={school_year.pk}&level=thcs"
    response = _ask_dashboard(client, reviewer, query)
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:dashboard_xlsx") + query
    download = client.get(response["Location"])
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert not ExportJob.objects.exists()


def test_a_dashboard_of_many_schools_is_a_job_of_the_same_query(client, reviewer, district, school_a, school_b,
                                                                school_year, large):
    query = f"?unit={district.pk}&year={school_year.pk}&kind=periodic"
    response = _ask_dashboard(client, reviewer, query)
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:job_detail", kwargs={"uuid": job.uuid})
    assert job.kind == ExportJob.Kind.DASHBOARD and job.organisation == district
    assert job.params == {"unit": district.pk, "year": school_year.pk, "kind": "periodic", "period": "",
                          "level": "", "status": "", "reviewer": None, "regime": ""}
    page = client.get(response["Location"]).content.decode()
    assert "Về bảng điều khiển" in page and f"unit={district.pk}" in page

    assert services.export_job_execute(job.pk) == ExportJob.Status.DONE
    rows = _rows(_body(client.get(reverse("exports:job_download", kwargs={"uuid": job.uuid}))))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    assert sorted(r[1] for r in rows[start + 1:] if r and r[0] is not None) == sorted([school_a.code, school_b.code])
    assert Event.objects.get(action="exports.dashboard.exported").actor == reviewer

    # The same query (however written) is the same file; another filter is another file.
    assert _ask_dashboard(client, reviewer, f"?year={school_year.pk}&unit={district.pk}")["Location"] == \
        response["Location"]
    assert _ask_dashboard(client, reviewer, query + "&regime=nonsense")["Location"] == response["Location"]
    _ask_dashboard(client, reviewer, query + "&level=thcs")
    assert ExportJob.objects.count() == 2
    job = ExportJob.objects.get(params__level="thcs")
    services.export_job_execute(job.pk)
    rows = _rows(_body(client.get(reverse("exports:job_download", kwargs={"uuid": job.uuid}))))
    assert "Trung học cơ sở" in " ".join(str(c) for r in rows[:start] for c in r if c)  # the filter in words


def test_the_dashboard_s_direct_url_of_many_schools_sends_back_to_the_dashboard(client, reviewer, district,
                                                                                school_a, school_b, school_year,
                                                                                large):
    client.force_login(reviewer)
    response = client.get(reverse("exports:dashboard_xlsx") + f"?unit={district.pk}")
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:district_dashboard") + f"?unit={district.pk}"
    assert not ExportJob.objects.exists()


def test_the_dashboard_request_s_audience(client, principal_a, other_reviewer, reviewer, district, school_a,
                                          school_b, school_year, large):
    assert _ask_dashboard(client, principal_a).status_code == 403
    # Another district's reviewer asking for unit A gets their own unit (the dashboard's rule).
    _ask_dashboard(client, other_reviewer, f"?unit={district.pk}")
    assert all(job.organisation_id != district.pk for job in ExportJob.objects.all())
    client.force_login(reviewer)
    assert client.get(reverse("exports:dashboard_request")).status_code == 405


def test_the_dashboard_button_posts_its_query(client, reviewer, district, school_a, school_year):
    client.force_login(reviewer)
    page = client.get(reverse("reviews:district_dashboard") + "?level=thcs").content.decode()
    action = reverse("exports:dashboard_request") + "?level=thcs"
    assert f'<form method="post" action="{action}' in page and "data-dashboard-export" in page
