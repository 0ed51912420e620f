"""Issue 18 item 9 (e): the checks page lists its problems by part of the report and by criterion,
counts first, each group folding, each problem a link to the place where it is fixed."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from selfassessment import checks
from selfassessment.models import Report

from .factories import criterion

pytestmark = pytest.mark.django_db


def test_problems_are_grouped_by_part_then_criterion_in_report_order(report):
    report = Report.objects.get(pk=report.pk)
    problems = checks.report_problems(report)
    parts = checks.problem_parts(report, problems)
    labels = [part.label for part in parts]
    # The parts come in the order of the editor's outline.
    outline = ["Hội đồng, nhóm công tác", "Kế hoạch tự đánh giá", "Phần I. Cơ sở dữ liệu", "Đặt vấn đề, Kết luận chung",
               "Tiêu chuẩn 1", "Tiêu chuẩn 2", "Mức 4", "Minh chứng"]
    found = [next((i for i, name in enumerate(outline) if label.startswith(name)), None) for label in labels]
    assert None not in found and found == sorted(found), labels
    assert {"Hội đồng, nhóm công tác", "Phần I. Cơ sở dữ liệu", "Đặt vấn đề, Kết luận chung"} <= set(labels)
    standards = [label for label in labels if label.startswith("Tiêu chuẩn")]
    assert [label.split(":")[0] for label in standards] == ["Tiêu chuẩn 1", "Tiêu chuẩn 2"]
    first = parts[labels.index(standards[0])]
    criteria = [g.label.split(".")[0:2] for g in first.groups if g.label.startswith("Tiêu chí")]
    assert criteria == [["Tiêu chí 1", "1"], ["Tiêu chí 1", "2"], ["Tiêu chí 1", "3"]]
    # Every problem of a criterion's group is fixed on that criterion's page.
    for group in first.groups:
        if group.label.startswith("Tiêu chí 1.2"):
            url = reverse("selfassessment:criterion_edit", kwargs={"pk": report.pk, "criterion_pk": criterion(report, "1.2").pk})
            assert group.problems and all(p.url.startswith(url) for p in group.problems)
    # Nothing lost, nothing twice; the counts add up.
    grouped = [p for part in parts for p in part.problems]
    assert sorted(map(id, grouped)) == sorted(map(id, problems))
    assert sum(part.counts["error"] for part in parts) == sum(1 for p in problems if p.severity == checks.ERROR)


def test_the_checks_page_shows_counts_first_then_folding_groups_with_links(client, report, principal_a):
    client.force_login(principal_a)
    response = client.get(reverse("selfassessment:report_checks", kwargs={"pk": report.pk}))
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    summary = page.xpath("//table[contains(@class,'check-summary')]")[0]
    parts = page.xpath("//details[contains(@class,'check-part')]")
    # The counts table comes before the first group, and links to each part.
    order = list(page.iter())
    assert order.index(summary) < order.index(parts[0])
    assert [a.get("href") for a in summary.xpath(".//a")] == [f"#{p.get('id')}" for p in parts]
    groups = page.xpath("//details[contains(@class,'check-group')]")
    assert any("Tiêu chí 1.1" in g.xpath("./summary")[0].text_content() for g in groups)
    # Many problems: the criteria are folded, showing their counts only.
    assert len(page.xpath("//details[contains(@class,'check-part')]//li")) > checks.OPEN_ALL_UP_TO
    assert all(g.get("open") is None for g in groups)
    assert all(g.xpath("./summary//span[contains(@class,'badge')]") for g in groups)
    c12 = reverse("selfassessment:criterion_edit", kwargs={"pk": report.pk, "criterion_pk": criterion(report, "1.2").pk})
    group = next(g for g in groups if "Tiêu chí 1.2" in g.xpath("./summary")[0].text_content())
    assert group.xpath(".//li//a") and all(a.get("href").startswith(c12) for a in group.xpath(".//li//a"))
