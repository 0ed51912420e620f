"""The periodic report's pages: what each role sees and can do, forms, conflicts, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.models import PeriodicReport
from evaluations.tests.factories import periodic_in_status

D = datetime.date
INVALID = "INVALID_TEMPLATE_VARIABLE"


def page_url(deadline, school) -> str:
    return reverse("evaluations:periodic_report_detail", args=[deadline.pk, school.pk])


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert INVALID not in body
    return body


def test_before_the_report_exists_the_principal_may_open_it(client, sa_report, semester1, school_a, principal_a,
                                                             reviewer):
    body = _get(client, principal_a, page_url(semester1, school_a))
    assert reverse("evaluations:periodic_report_open", args=[semester1.pk, school_a.pk]) in body
    assert "Bổ sung thiết bị dạy học" in body  # the preview of what it will state
    body = _get(client, reviewer, page_url(semester1, school_a))
    assert "Nhà trường chưa lập báo cáo định kỳ" in body and "Bổ sung thiết bị dạy học" not in body
    client.force_login(principal_a)
    response = client.post(reverse("evaluations:periodic_report_open", args=[semester1.pk, school_a.pk]))
    assert response.status_code == 302 and response["Location"] == page_url(semester1, school_a)
    assert PeriodicReport.objects.get().status == "draft"


@pytest.mark.parametrize("persona, form, buttons, content", [
    ("principal_a", True, ["Lưu và nộp báo cáo"], True),
    ("staff_a", False, [], True),
    ("reviewer", False, [], False),
    ("officer", False, [], False),
])
def test_the_draft_as_each_role_sees_it(client, personas, sa_report, semester1, school_a, principal_a,
                                        persona, form, buttons, content):
    report = services.periodic_report_open(school=school_a, deadline=semester1, by=principal_a)
    services.periodic_report_save(report=report, by=principal_a, revision=None, summary="Tóm tắt riêng của trường")
    body = _get(client, personas[persona], page_url(semester1, school_a))
    assert (reverse("evaluations:periodic_report_save", args=[report.pk]) in body) == form
    assert ("Tóm tắt riêng của trường" in body) == content
    for label in buttons:
        assert label in body
    if not content:
        assert "Nhà trường đang soạn báo cáo, chưa nộp" in body


@pytest.mark.parametrize("persona, actions, absent", [
    ("principal_a", ["periodic_report_withdraw"], ["periodic_report_start_review", "periodic_report_save"]),
    ("staff_a", [], ["periodic_report_withdraw", "periodic_report_start_review"]),
    ("reviewer", ["periodic_report_start_review"], ["periodic_report_withdraw"]),
    ("head", ["periodic_report_start_review"], ["periodic_report_withdraw"]),
    ("officer", [], ["periodic_report_withdraw", "periodic_report_start_review"]),
    ("sysadmin", ["periodic_report_withdraw", "periodic_report_start_review"], []),
])
def test_a_submitted_report_as_each_role_sees_it(client, personas, sa_report, semester1, school_a,
                                                 principal_a, persona, actions, absent):
    report = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    body = _get(client, personas[persona], page_url(semester1, school_a))
    for name in actions:
        assert reverse(f"evaluations:{name}", args=[report.pk]) in body
    for name in absent:
        assert reverse(f"evaluations:{name}", args=[report.pk]) not in body
    assert "Bổ sung thiết bị dạy học" in body and "Kết quả đã lưu cố định lúc nộp" in body
    if not actions:
        assert "Không có thao tác nào dành cho bạn" in body


def test_the_school_reads_the_return_reason_and_can_send_again(client, sa_report, semester1, school_a,
                                                               principal_a, reviewer):
    report = periodic_in_status("returned", school_a, semester1, principal_a, reviewer)
    body = _get(client, principal_a, page_url(semester1, school_a))
    assert "Bổ sung tiến độ" in body and "Lưu và nộp lại" in body
    action = sa_report.improvement_actions.get(action="Tập huấn giáo viên")
    response = client.post(reverse("evaluations:periodic_report_save", args=[report.pk]), {
        "summary": "Đã bổ sung", "revision": report.revision, f"progress-{action.pk}": "Đã tập huấn", "then": "submit",
    }, follow=True)
    report.refresh_from_db()
    assert report.status == "resubmitted" and report.summary == "Đã bổ sung"
    assert report.progress_lines.get(action=action).progress == "Đã tập huấn"
    assert "Đã nộp báo cáo định kỳ cho Phòng GD&amp;ĐT quận A." in response.content.decode()  # the school's own unit


def test_a_late_submission_is_accepted_with_a_warning(client, semester1, school_a, principal_a, monkeypatch):
    report = services.periodic_report_open(school=school_a, deadline=semester1, by=principal_a)
    after_due = timezone.make_aware(datetime.datetime(2026, 12, 21, 8, 0))
    monkeypatch.setattr(timezone, "now", lambda: after_due)
    client.force_login(principal_a)
    response = client.post(reverse("evaluations:periodic_report_save", args=[report.pk]),
                           {"summary": "Nộp muộn", "revision": report.revision, "then": "submit"}, follow=True)
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_at == after_due
    assert "được ghi nhận là nộp muộn" in response.content.decode()


def test_a_conflicting_save_keeps_what_was_typed(client, sa_report, semester1, school_a, principal_a):
    report = services.periodic_report_open(school=school_a, deadline=semester1, by=principal_a)
    stale = report.revision
    services.periodic_report_save(report=report, by=principal_a, revision=stale, summary="Bản đã lưu trước")
    client.force_login(principal_a)
    response = client.post(reverse("evaluations:periodic_report_save", args=[report.pk]),
                           {"summary": "Nội dung vừa gõ", "revision": stale})
    body = response.content.decode()
    assert response.status_code == 409 and INVALID not in body
    assert "người khác cập nhật" in body and "Nội dung vừa gõ" in body
    report.refresh_from_db()
    assert report.summary == "Bản đã lưu trước"


def test_an_overlong_progress_text_is_a_form_error(client, sa_report, semester1, school_a, principal_a):
    report = services.periodic_report_open(school=school_a, deadline=semester1, by=principal_a)
    action = sa_report.improvement_actions.first()
    client.force_login(principal_a)
    response = client.post(reverse("evaluations:periodic_report_save", args=[report.pk]),
                           {"summary": "Tóm tắt", "revision": report.revision, f"progress-{action.pk}": "x" * 5001})
    assert response.status_code == 400 and "Báo cáo chưa được lưu" in response.content.decode()
    report.refresh_from_db()
    assert report.summary == "" and report.revision == 1


def test_the_district_returns_with_a_reason_and_accepts_with_a_note(client, semester1, school_a, principal_a,
                                                                    reviewer):
    report = periodic_in_status("in_review", school_a, semester1, principal_a, reviewer)
    url = reverse("evaluations:periodic_report_return", args=[report.pk])
    assert "Lý do trả lại" in _get(client, reviewer, url)
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200 and "Hãy nêu lý do" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "in_review"
    assert client.post(url, {"reason": "Bổ sung tiến độ tiêu chí 1.1"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"
    services.periodic_report_submit(report=report, by=principal_a)
    client.post(reverse("evaluations:periodic_report_start_review", args=[report.pk]))
    client.post(reverse("evaluations:periodic_report_accept", args=[report.pk]), {"note": "Đạt yêu cầu"})
    report.refresh_from_db()
    assert (report.status, report.review_note) == ("accepted", "Đạt yêu cầu")
    body = _get(client, principal_a, page_url(semester1, school_a))
    assert "Đạt yêu cầu" in body and "chấp nhận báo cáo lúc" in body


def test_reopening_without_a_reason_is_refused_with_a_message(client, semester1, school_a, principal_a, reviewer):
    report = periodic_in_status("accepted", school_a, semester1, principal_a, reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("evaluations:periodic_report_unlock", args=[report.pk]), {"reason": ""}, follow=True)
    assert "Hãy nêu lý do" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "accepted"
    client.post(reverse("evaluations:periodic_report_unlock", args=[report.pk]), {"reason": "Sửa số liệu"})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "Sửa số liệu")


def test_a_move_the_status_no_longer_allows_is_a_message(client, semester1, school_a, principal_a, reviewer):
    report = periodic_in_status("in_review", school_a, semester1, principal_a, reviewer)
    client.force_login(principal_a)
    response = client.post(reverse("evaluations:periodic_report_withdraw", args=[report.pk]), follow=True)
    assert "Không thể thực hiện" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "in_review"


def test_the_school_and_the_district_pages_link_to_the_report(client, semester1, school_a, principal_a, reviewer,
                                                              monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 12, 1))
    assert page_url(semester1, school_a) in _get(client, principal_a, reverse("evaluations:upcoming"))
    assert page_url(semester1, school_a) in _get(client, reviewer, reverse("evaluations:deadline_detail",
                                                                          args=[semester1.pk]))


def _add_actions(report, n: int, start: int) -> None:
    from selfassessment.models import ImprovementAction, ImprovementProgress

    criterion = report.improvement_actions.first().criterion
    for i in range(n):
        action = ImprovementAction.objects.create(report=report, criterion=criterion, position=start + i,
                                                  action=f"Biện pháp {start + i}")
        ImprovementProgress.objects.create(action=action, date=D(2026, 11, 1), text="Đang làm")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_the_report_page_keeps_its_query_count_as_the_plan_grows(client, sa_report, semester1, school_a,
                                                                  principal_a, reviewer, state):
    report = services.periodic_report_open(school=school_a, deadline=semester1, by=principal_a)
    client.force_login(principal_a)
    url = page_url(semester1, school_a)
    if state == "submitted":
        _add_actions(sa_report, 2, 10)
        services.periodic_report_submit(report=report, by=principal_a)
        few = _count(client, url)
        services.periodic_report_withdraw(report=report, by=principal_a)
        _add_actions(sa_report, 25, 100)
        services.periodic_report_submit(report=report, by=principal_a)
        assert PeriodicReport.objects.get().progress_lines.count() == 30
    else:
        _add_actions(sa_report, 2, 10)
        few = _count(client, url)
        _add_actions(sa_report, 25, 100)
    assert _count(client, url) == few
