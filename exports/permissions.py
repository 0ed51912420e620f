"""Permission rules of the exports (registered in kiemdinh.permissions).

Who may take a report out of the system as a document:
- the school side: the principal, who signs the report, and the council's secretary and secretary
  group, who compile the whole of it (``selfassessment.permissions.report_role``). A staff member
  who is only in a working group writes a few criteria: handing them the whole report, with every
  evidence reference of the school, is not their call but the principal's, so they may not export;
- the district office of the school (reviewers and head) and the Sở above it, who receive and
  forward reports: they export what the school *submitted* (a frozen version), never the live
  draft the school is still writing (``report.export_draft`` is the school's alone);
- administrators.
Nobody outside the school's scope even sees the report (the selectors give 404).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from evaluations.models import EvaluationRound
from kiemdinh.permissions import ALLOW, check, deny, rule
from schools.models import Organisation
from schools.scope import school_in_scope, scope_of
from selfassessment.models import Report
from selfassessment.permissions import report_role

from .models import ExportJob

NOT_IN_SCOPE = _("Bạn không thuộc trường hoặc đơn vị quản lý trường này.")
NOT_EXPORTER = _(
    "Chỉ Hiệu trưởng, Thư ký Hội đồng tự đánh giá (và nhóm thư ký), đơn vị thẩm định và Sở GD&ĐT được xuất báo cáo."
)
DRAFT_SCHOOL_ONLY = _(
    "Bản nháp chỉ nhà trường được xuất; đơn vị thẩm định và Sở GD&ĐT xuất bản báo cáo nhà trường đã nộp."
)
NOT_DISTRICT = _("Chỉ cán bộ đơn vị thẩm định hoặc Sở GD&ĐT được thực hiện thao tác này.")


def _school_side(user, report) -> bool:
    return report_role(user, report).edits_everything


def _district_side(scope, school) -> bool:
    """District staff of the school's reviewing unit, the Sở above it, or an administrator."""
    if scope.sees_everything or school.reviewing_unit_id in scope.district_unit_ids:
        return True
    return bool(scope.department_ids) and school_in_scope(scope, school)


@rule("report.export")
def report_export(user, report):
    """Download a report (PDF, DOCX, XLSX) and the forms generated from it."""
    scope = scope_of(user)
    if not school_in_scope(scope, report.school):
        return deny(NOT_IN_SCOPE)
    if _district_side(scope, report.school) or _school_side(user, report):
        return ALLOW
    return deny(NOT_EXPORTER)


@rule("report.export_draft")
def report_export_draft(user, report):
    """Export the live draft (watermarked BẢN NHÁP): the school's writers only, and administrators."""
    scope = scope_of(user)
    if not school_in_scope(scope, report.school):
        return deny(NOT_IN_SCOPE)
    if scope.sees_everything or _school_side(user, report):
        return ALLOW
    if _district_side(scope, report.school):
        return deny(DRAFT_SCHOOL_ONLY)
    return deny(NOT_EXPORTER)


def _unit_reachable(scope, unit: Organisation | None) -> bool:
    if scope.sees_everything:
        return True
    if unit is None:
        return bool(scope.district_unit_ids or scope.department_ids)
    if unit.pk in scope.district_unit_ids:
        return True
    return bool(scope.department_ids) and (unit.pk in scope.department_ids or unit.parent_id in scope.department_ids)


@rule("summary.export")
def summary_export(user, unit: Organisation | None):
    """The district summary spreadsheet of a reviewing unit (None: every unit the user reaches)."""
    scope = scope_of(user)
    return ALLOW if _unit_reachable(scope, unit) else deny(NOT_DISTRICT)


@rule("dossier.build")
def dossier_build(user, evaluation_round):
    """Build the dossier (and the letter) of an external-evaluation round: its district and the Sở."""
    scope = scope_of(user)
    unit = evaluation_round.unit if evaluation_round is not None else None
    return ALLOW if _unit_reachable(scope, unit) else deny(NOT_DISTRICT)


@rule("export.download")
def export_download(user, job):
    """Download a background export: whoever asked for it, and the audience of its unit."""
    if job.requested_by_id == user.pk:
        return ALLOW
    scope = scope_of(user)
    if job.organisation_id and _unit_reachable(scope, job.organisation):
        return ALLOW
    if scope.sees_everything:
        return ALLOW
    return deny(_("Tệp này do người khác yêu cầu và không thuộc đơn vị của bạn."))


@rule("evaluation.export")
def evaluation_export(user, evaluation):
    """The external result beside the self-assessment: the school's principal, its district, the Sở."""
    scope = scope_of(user)
    school = evaluation.school
    if not school_in_scope(scope, school):
        return deny(NOT_IN_SCOPE)
    if _district_side(scope, school) or school.pk in scope.principal_school_ids:
        return ALLOW
    return deny(_("Chỉ Hiệu trưởng, đơn vị thẩm định và Sở GD&ĐT được xuất kết quả đánh giá ngoài."))


@rule("export.request")
def export_request(user, job):
    """Ask for a background export (an unsaved ``ExportJob``): the rule of what it takes out, asked about
    the object its parameters name (the report, the round) or its unit (a summary, a dashboard)."""
    params = job.params or {}
    if job.kind == ExportJob.Kind.REPORT:
        report = Report.objects.select_related("school").filter(pk=params.get("report")).first()
        return report_export(user, report) if report is not None else deny(NOT_IN_SCOPE)
    if job.kind == ExportJob.Kind.DOSSIER:
        evaluation_round = EvaluationRound.objects.select_related("unit").filter(pk=params.get("round")).first()
        return dossier_build(user, evaluation_round) if evaluation_round is not None else deny(NOT_DISTRICT)
    if job.kind == ExportJob.Kind.SUMMARY:
        return summary_export(user, job.organisation)
    if job.kind == ExportJob.Kind.DASHBOARD:
        return check(user, "dashboard.district", job.organisation)
    return deny(NOT_DISTRICT)


@rule("export.retry")
def export_retry(user, job):
    """Build a failed export again: whoever may open it (``export.download``)."""
    return export_download(user, job)


@rule("export.worker")
def export_worker(user, job):
    """The moves of a job's build (start, finish, fail, expire) are the worker's, never a person's."""
    return deny(_("Việc này do máy chủ tạo tệp xuất thực hiện."))
