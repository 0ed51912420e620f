"""Reads of the exports: the content of an export, the dossier's schools, hashes, jobs in scope."""

from __future__ import annotations

import pytest

from exports import selectors
from exports.models import ExportJob
from exports.tests.builders import submit

# One world for the module (exports/tests/conftest.py): school A's report submitted as version 1.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submitted_world")]


def test_source_is_the_latest_version_by_default(report_a, principal_a, version_a):
    second = submit(report_a, principal_a)
    source = selectors.report_source(report_a)
    assert source.version.pk == second.pk and source.stamp.version == 2
    assert source.stamp.content_hash == second.content_hash
    assert selectors.report_source(report_a, version_number=1).version.pk == version_a.pk
    draft = selectors.report_source(report_a, draft=True)
    assert draft.is_draft and draft.stamp.is_draft and draft.data["report"]["id"] == report_a.pk


def test_source_of_a_report_never_submitted(draft_b):
    with pytest.raises(selectors.NoSubmittedVersionError):
        selectors.report_source(draft_b)


def test_versions_by_hash_needs_twelve_hex_digits(version_a):
    code = version_a.content_hash
    assert selectors.versions_by_hash(code[:12]) == [version_a]
    assert selectors.versions_by_hash(code[:11]) == []
    assert selectors.versions_by_hash(code.upper()) == [version_a]
    assert selectors.versions_by_hash(" ".join(code[i:i + 4] for i in range(0, 16, 4))) == [version_a]
    assert selectors.versions_by_hash("g" * 16) == []
    assert selectors.versions_by_hash("") == []


def test_round_entries_hold_only_accepted_versions_of_the_rounds_year(
    round_a, school_a, school_b, school_year, principal_a, report_a, version_a
):
    """Round 1 of 2025 carries the accepted report of 2024-2025; a version in review is not carried."""
    from reviews.tests.factories import school_year as year_of
    from selfassessment import services
    from selfassessment.models import Report

    for status in ("submitted", "in_review", "resubmitted", "returned"):
        Report.objects.filter(pk=report_a.pk).update(status=status)
        entries = selectors.round_entries(round_a)
        assert [(e.school, e.version) for e in entries] == [(school_a, None), (school_b, None)], status
        assert "Đang thẩm định" in entries[0].missing_reason or status != "in_review"
    assert "Chưa có báo cáo tự đánh giá của năm học này" in entries[1].missing_reason
    for status in ("accepted", "forwarded", "closed"):
        Report.objects.filter(pk=report_a.pk).update(status=status)
        assert [(e.school, e.version) for e in selectors.round_entries(round_a)] == [
            (school_a, version_a), (school_b, None)], status
    # A report of another year, accepted and newer, is never carried.
    later = services.report_create(school=school_a, school_year=year_of("2025-2026"), kind="periodic", by=principal_a)
    submit(later, principal_a)
    Report.objects.filter(pk=later.pk).update(status="accepted")
    assert selectors.round_entries(round_a)[0].version.pk == version_a.pk
    assert selectors.round_school_year(round_a) == school_year


def test_round_entries_prefer_the_accepted_external_report(round_a, school_a, school_year, principal_a, accepted_a):
    from selfassessment import services
    from selfassessment.models import Report

    external = services.report_create(school=school_a, school_year=school_year, kind="external", by=principal_a)
    external_version = submit(external, principal_a)
    # Still in review: the accepted periodic report stays in the dossier.
    Report.objects.filter(pk=external.pk).update(status="in_review")
    assert selectors.round_entries(round_a)[0].version.pk == accepted_a.pk
    Report.objects.filter(pk=external.pk).update(status="accepted")
    assert selectors.round_entries(round_a)[0].version.pk == external_version.pk


def test_round_entries_query_count_is_constant(round_a, district, django_assert_max_num_queries):
    from evaluations.models import RoundRegistration
    from schools.tests.factories import SchoolFactory

    for i in range(20):
        RoundRegistration.objects.create(round=round_a, school=SchoolFactory(code=f"A-Y-{i}", reviewing_unit=district))
    with django_assert_max_num_queries(3):
        assert len(selectors.round_entries(round_a)) == 22


def test_round_letter_info_from_the_versions(round_a, version_a, accepted_a):
    info = selectors.round_letter_info(round_a, selectors.round_entries(round_a))
    assert info.department_name == round_a.unit.parent.name
    first, second = info.schools
    assert (first.version, first.content_hash, first.school_level) == (1, version_a.content_hash, 1)
    assert second.version is None
    assert info.regulations == ["TEST/2018/TT-BGDĐT thử nghiệm TEST/2018"]


def test_jobs_visible_to_the_requester_and_the_units_audience(personas, district, other_district):
    mine = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="A", organisation=district,
                                    requested_by=personas["reviewer"])
    other = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="B", organisation=other_district,
                                     requested_by=personas["other_reviewer"])
    assert set(selectors.jobs_visible_to(personas["head"])) == {mine}
    assert set(selectors.jobs_visible_to(personas["officer"])) == {mine, other}
    assert set(selectors.jobs_visible_to(personas["other_reviewer"])) == {other}
    assert list(selectors.jobs_visible_to(personas["principal_a"])) == []
    assert set(selectors.jobs_visible_to(personas["sysadmin"])) == {mine, other}
