"""Issue 18, item 4: the reviewing unit's submission gate, run for real (not the suite's stub).

The unit chooses the sections a school must complete before it submits (default: council, plan,
Phần I, every criterion assessed); a submission is refused with the list of what is missing, and the
principal sees that list on the report before submitting.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.models import Event
from reviews import gates, services
from reviews.models import UnitSubmissionGate
from reviews.services import WorkflowError
from reviews.tests import factories
from selfassessment import services as sa
from selfassessment.models import CouncilMember, Report

pytestmark = pytest.mark.django_db

COUNCIL = [("Nguyễn Thị Lan", "Hiệu trưởng", CouncilMember.Role.CHAIR),
           ("Trần Văn Bình", "Phó Hiệu trưởng", CouncilMember.Role.VICE_CHAIR),
           ("Lê Thu Hà", "Tổ trưởng", CouncilMember.Role.SECRETARY)] + [
    (f"Giáo viên {i}", "Giáo viên", CouncilMember.Role.MEMBER) for i in range(1, 6)]


def _keys(report) -> list[str]:
    return [m.key for m in gates.missing_sections(factories.reload(report))]


def _council(report, by) -> None:
    sa.council_update(report=report, decision_number="12/QĐ-THCSA", decision_date=datetime.date(2024, 9, 10), by=by)
    for name, title, role in COUNCIL:
        sa.council_member_save(report=report, member=CouncilMember(full_name=name, title=title, role=role), by=by)


def _plan(report, by) -> None:
    for part in ("purpose", "scope", "tools", "training"):
        factories.write(report, f"plan:{part}", f"Nội dung {part} của kế hoạch tự đánh giá.", by)


def test_every_section_is_required_by_default(draft_report, district):
    report = draft_report
    assert gates.required_sections(district) == ["council", "plan", "part1", "criteria"]
    missing = gates.missing_sections(report)
    assert [m.key for m in missing] == ["council", "plan", "part1"]  # every indicator has its verdict
    assert missing[1].detail == "còn 4/4 mục chưa viết"
    assert missing[1].url == reverse("selfassessment:report_plan", kwargs={"pk": report.pk})


def test_each_section_is_complete_when_its_checks_pass(draft_report, principal_a, district, personas):
    report = draft_report
    services.submission_gate_set(unit=district, by=personas["head"], sections=["council", "plan", "criteria"])
    assert _keys(report) == ["council", "plan"]
    _council(report, principal_a)
    assert _keys(report) == ["plan"]
    factories.write(report, "plan:purpose", "Mục đích tự đánh giá.", principal_a)
    assert [m.detail for m in gates.missing_sections(factories.reload(report))] == ["còn 3/4 mục chưa viết"]
    _plan(report, principal_a)
    assert _keys(report) == []


def test_an_unassessed_criterion_blocks_when_criteria_are_required(principal_a, district, personas, school_year):
    report = factories.report_for(principal_a.memberships.get().school, principal_a)
    services.submission_gate_set(unit=district, by=personas["head"], sections=["criteria"])
    missing = gates.missing_sections(factories.reload(report))
    assert [m.key for m in missing] == ["criteria"] and "Chỉ báo chưa có kết luận" in missing[0].detail


def test_submit_is_refused_with_the_list_of_missing_sections(draft_report, principal_a):
    report = draft_report
    with pytest.raises(WorkflowError) as refused:
        services.report_submit(report=report, by=principal_a)
    message = refused.value.message
    assert message.startswith("Chưa nộp được: đơn vị thẩm định yêu cầu hoàn thành trước khi nộp:")
    for label in ("Hội đồng tự đánh giá", "Kế hoạch tự đánh giá", "Phần I – Cơ sở dữ liệu"):
        assert label in message
    assert Report.objects.get(pk=report.pk).status == "draft"


def test_a_unit_that_requires_nothing_lets_the_checks_decide(principal_a, district, personas, school_year):
    # Every criterion written and assessed, its texts citing evidence; no council, plan or Phần I.
    report = factories.complete(factories.report_for(principal_a.memberships.get().school, principal_a), principal_a,
                                council=False, plan=False, data=False)
    with pytest.raises(WorkflowError, match="Chưa nộp được"):
        services.report_submit(report=report, by=principal_a)
    services.submission_gate_set(unit=district, by=personas["head"], sections=[])
    # The consistency checks stay in force: one of their errors still refuses ...
    factories.write(report, "conclusion", "", principal_a)
    with pytest.raises(WorkflowError, match="1 lỗi phải sửa") as refused:
        services.report_submit(report=factories.reload(report), by=principal_a)
    assert "Chưa nộp được" not in refused.value.message
    # ... and with none of them left, the report goes up.
    factories.write(report, "conclusion", "Nhà trường tự đánh giá đạt Mức 3.", principal_a)
    version = services.report_submit(report=factories.reload(report), by=principal_a)
    assert version.number == 1 and Report.objects.get(pk=report.pk).status == "submitted"


def test_the_gate_setting_is_the_heads_or_the_departments(district, personas):
    gate = services.submission_gate_set(unit=district, by=personas["head"], sections=["plan", "council"])
    assert gate.required_sections == ["council", "plan"]  # in the list's order
    assert Event.objects.filter(action="reviews.unit.gate_changed", target_id=district.pk).count() == 1
    services.submission_gate_set(unit=district, by=personas["officer"], sections=["plan", "council"])
    assert Event.objects.filter(action="reviews.unit.gate_changed").count() == 1  # nothing changed
    for name in ("reviewer", "principal_a", "other_reviewer"):
        with pytest.raises(WorkflowError):
            services.submission_gate_set(unit=district, by=personas[name], sections=[])
    with pytest.raises(WorkflowError, match="không có trong danh sách"):
        services.submission_gate_set(unit=district, by=personas["head"], sections=["evidence"])
    assert UnitSubmissionGate.objects.get(unit=district).required_sections == ["council", "plan"]


def test_the_settings_page_sets_the_gate(client, district, personas):
    client.force_login(personas["head"])
    url = reverse("reviews:unit_settings", args=[district.pk])
    page = client.get(url).content.decode()
    assert "Phần nhà trường phải hoàn thành trước khi nộp báo cáo" in page
    assert page.count('name="required_sections"') == 4 and page.count("checked") >= 4
    response = client.post(url, {"required_sections": ["council", "criteria"]})
    assert response.status_code == 302
    assert gates.required_sections(district) == ["council", "criteria"]


def test_the_principal_sees_the_missing_sections_before_submitting(client, draft_report, principal_a):
    report = draft_report
    client.force_login(principal_a)
    for url in (reverse("selfassessment:report_detail", kwargs={"pk": report.pk}),
                reverse("reviews:report_detail", args=[report.pk])):
        page = client.get(url).content.decode()
        assert "yêu cầu hoàn thành trước khi nộp" in page, url
        for key in ("council", "plan", "part1"):
            assert f'data-missing="{key}"' in page, (url, key)
        assert 'data-missing="criteria"' not in page


def test_a_stale_settings_page_is_refused_and_shows_what_is_stored(client, district, personas):
    """Two heads open the settings page; the second save would silently undo the first (issue #13, 11)."""
    url = reverse("reviews:unit_settings", args=[district.pk])
    client.force_login(personas["head"])
    token = client.get(url).context["form"].initial["token"]
    services.unit_review_settings_save(unit=district, by=personas["officer"], expected=token,
                                       requires_head_approval=True, sections=["plan"])

    response = client.post(url, {"required_sections": ["council", "criteria"], "token": token})

    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được người khác lưu" in page and "phần phải hoàn thành: Kế hoạch tự đánh giá" in page
    assert gates.required_sections(district) == ["plan"]
    district.refresh_from_db()
    assert district.requires_head_approval is True
    # Saving again from the page it answered with is a deliberate overwrite.
    again = client.post(url, {"required_sections": ["council", "criteria"],
                              "token": response.context["form"].data["token"]})
    assert again.status_code == 302
    assert gates.required_sections(district) == ["council", "criteria"]


# --- A TT57/2026 report: the same sections, read by its own checks --------------------------------


@pytest.fixture
def tt57_report(db, school_a, principal_a):
    from schools.tests.factories import SchoolYearFactory
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    return sa.report_create(school=school_a, school_year=year, kind="periodic", by=principal_a,
                            today=datetime.date(2026, 10, 1))


def _tt57_complete(report, by, *, council=True, plan=True, data=True, criteria=True) -> None:
    from selfassessment import tt57_services
    from standards.models import Indicator

    if council:
        _council(report, by)  # eight members: one too many for Điều 9 (an odd number) ...
        report.council_members.filter(role=CouncilMember.Role.MEMBER).first().delete()  # ... now seven
    if plan:
        sa.plan_save(report=report, resources={}, steps=[{"week": 1, "activity": "Thành lập Hội đồng tự đánh giá.",
                                                          "responsible": "Hiệu trưởng"}],
                     token=sa.plan_token(report), by=by)
    if data:
        form = tt57_services.data_form(report)
        tt57_services.data_form_save(report=report, header=form.header,
                                     cells={("classes_total", "2026-2027"): "20"}, base_revision=form.revision, by=by)
    if criteria:
        for indicator in Indicator.objects.filter(criterion__standard__version=report.regulation_version, level=1):
            sa.indicator_verdict_set(report=report, indicator=indicator, met=False, by=by)


def test_a_complete_tt57_report_passes_the_default_gate(tt57_report, principal_a):
    """Biểu 1 has no written plan parts and keeps its numbers in Phần IV's data form: the default
    gate asks for what a TT57 report has (it refused every TT57 report before)."""
    assert _keys(tt57_report) == ["council", "plan", "part1", "criteria"]
    _tt57_complete(tt57_report, principal_a)
    assert _keys(tt57_report) == []


@pytest.mark.parametrize("left", ["council", "plan", "data", "criteria"])
def test_each_tt57_section_left_incomplete_is_named(tt57_report, principal_a, left):
    _tt57_complete(tt57_report, principal_a, **{left: False})
    missing = gates.missing_sections(factories.reload(tt57_report))
    expected = {"data": "part1"}.get(left, left)
    assert [m.key for m in missing] == [expected]
    labels = {"council": "Hội đồng tự đánh giá", "plan": "Kế hoạch tự đánh giá", "part1": "Phần IV – Biểu số liệu",
              "criteria": "Đánh giá đủ mọi tiêu chí"}
    assert missing[0].label == labels[expected]
    if expected == "plan":
        assert missing[0].detail == "chưa có lịch trình thực hiện"
    if expected == "part1":
        assert missing[0].url == reverse("selfassessment:tt57_appendix", kwargs={"pk": tt57_report.pk})
