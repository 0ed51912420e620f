"""The review workflow where the school works: the report overview carries the submit button and
the criterion editor shows the district's open comments on that criterion."""

import pytest
from django.urls import reverse

from standards.models import Criterion

pytestmark = pytest.mark.usefixtures("complete_world")  # one world for the module (reviews/tests/conftest.py)


def test_the_report_overview_offers_submission_to_the_principal_only_while_it_can_be_submitted(
    client, report, principal_a, reviewer
):
    overview = reverse("selfassessment:report_detail", args=[report.pk])
    submit = reverse("reviews:report_submit", args=[report.pk])
    client.force_login(principal_a)
    page = client.get(overview).content.decode()
    assert f'action="{submit}"' in page and "Nộp báo cáo" in page

    client.post(submit)
    page = client.get(overview).content.decode()
    assert f'action="{submit}"' not in page
    assert reverse("reviews:report_detail", args=[report.pk]) in page  # the way to follow the review


def test_the_criterion_editor_lists_the_open_comments_on_that_criterion(client, report, principal_a, reviewer):
    criterion = Criterion.objects.get(number="1.1", standard__version=report.regulation_version)
    client.force_login(principal_a)
    client.post(reverse("reviews:report_submit", args=[report.pk]))
    client.force_login(reviewer)
    client.post(reverse("reviews:thread_create", args=[report.pk]),
                {"text": "Thiếu minh chứng về số lớp", "version": 1, "criterion": criterion.pk})

    client.force_login(principal_a)
    page = client.get(reverse("selfassessment:criterion_edit", args=[report.pk, criterion.pk])).content.decode()
    assert "Thiếu minh chứng về số lớp" in page
    assert "Trả lời hoặc báo đã sửa" in page
