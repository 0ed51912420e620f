"""Who may export what: every persona against every rule of the exports."""

from __future__ import annotations

import pytest

from exports.models import ExportJob
from kiemdinh.permissions import can, check
from schools.models import Membership
from schools.scope import reset_scope
from selfassessment.models import CouncilMember

# One world for the module (exports/tests/conftest.py): the personas, the catalog and school A's written report.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("export_world")]

ALL = ["principal_a", "staff_a", "principal_b", "principal_c", "reviewer", "head", "other_reviewer", "officer",
       "sysadmin"]


def _allowed(personas, rule, obj):
    return {name for name in ALL if can(personas[name], rule, obj)}


def test_report_export_principal_district_sas_and_admin(personas, report_a):
    assert _allowed(personas, "report.export", report_a) == {"principal_a", "reviewer", "head", "officer", "sysadmin"}


def test_staff_of_a_working_group_only_may_not_export(personas, report_a):
    decision = check(personas["staff_a"], "report.export", report_a)
    assert not decision.allowed
    assert "Hiệu trưởng" in decision.reason


def test_the_council_secretary_may_export_and_export_the_draft(personas, report_a):
    staff = personas["staff_a"]
    CouncilMember.objects.create(report=report_a, full_name="Thư ký", role=CouncilMember.Role.SECRETARY, user=staff)
    report_a.__dict__.pop("_kd_roles", None)
    assert can(staff, "report.export", report_a)
    assert can(staff, "report.export_draft", report_a)


def test_draft_export_is_the_schools_alone(personas, report_a):
    assert _allowed(personas, "report.export_draft", report_a) == {"principal_a", "sysadmin"}
    reason = check(personas["reviewer"], "report.export_draft", report_a).reason
    assert "Bản nháp chỉ nhà trường được xuất" in reason


def test_other_school_and_district_are_refused_as_out_of_scope(personas, report_a):
    for name in ("principal_b", "principal_c", "other_reviewer"):
        decision = check(personas[name], "report.export", report_a)
        assert not decision.allowed and "không thuộc trường" in decision.reason


def test_dossier_and_summary_district_staff_of_the_unit_and_the_so(personas, round_a, district):
    expected = {"reviewer", "head", "officer", "sysadmin"}
    assert _allowed(personas, "dossier.build", round_a) == expected
    assert _allowed(personas, "summary.export", district) == expected
    assert _allowed(personas, "summary.export", None) == expected | {"other_reviewer"}


def test_a_job_is_downloadable_by_its_requester_and_its_units_audience(personas, district, other_district):
    job = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ", organisation=district,
                                   requested_by=personas["reviewer"])
    assert _allowed(personas, "export.download", job) == {"reviewer", "head", "officer", "sysadmin"}
    personal = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ", organisation=None,
                                        requested_by=personas["other_reviewer"])
    assert _allowed(personas, "export.download", personal) == {"other_reviewer", "sysadmin"}


def test_a_deactivated_membership_loses_the_export(personas, report_a):
    principal = personas["principal_a"]
    Membership.objects.filter(user=principal).update(is_active=False)
    reset_scope(principal)
    report_a.__dict__.pop("_kd_roles", None)
    assert not can(principal, "report.export", report_a)


@pytest.mark.django_db
def test_evaluation_export_principal_district_and_so(personas, school_a, catalog):
    from evaluations.models import ExternalEvaluation

    evaluation = ExternalEvaluation.objects.create(school=school_a, regulation_version=catalog.versions.get(is_base=True))
    assert _allowed(personas, "evaluation.export", evaluation) == {"principal_a", "reviewer", "head", "officer", "sysadmin"}
