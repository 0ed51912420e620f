"""Permission rules of the evaluations app (registered in the one registry, kiemdinh.permissions).

Who does what:
- the district office (chuyên viên, trưởng phòng) of a reviewing unit manages its plan, rounds,
  milestones and reporting deadlines, and records evaluations and certificates of its schools;
- the Sở sees every unit below it and records external evaluations and certificates, but leaves
  the district's own planning to the district;
- a school's people see the plan entries, rounds and evaluations of their own school; the
  principal marks the school's milestones done.
Scoping (another unit's plan is a 404) is the selectors' job; these rules decide the 403s.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemdinh.permissions import ALLOW, deny, rule
from schools.models import Organisation, School
from schools.scope import ORGANISATIONS, Scope, school_in_scope, scope_of

from .models import (
    AccreditationPlan,
    Certificate,
    EvaluationRound,
    ExternalEvaluation,
    Milestone,
    PeriodicReport,
    ReportingDeadline,
    RoundRegistration,
)

DISTRICT_ONLY = _("Chỉ cán bộ đơn vị thẩm định quản lý đơn vị này được thực hiện thao tác này.")
NOT_IN_SCOPE = _("Bạn không thuộc trường hoặc đơn vị quản lý liên quan.")
DISTRICT_OR_DEPARTMENT = _("Chỉ cán bộ đơn vị thẩm định hoặc Sở GD&ĐT được thực hiện thao tác này.")


def _unit(obj) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, AccreditationPlan | EvaluationRound | ReportingDeadline):
        return obj.unit
    return None


def _department_reaches(scope: Scope, unit: Organisation) -> bool:
    return unit.id in scope.department_ids or unit.parent_id in scope.department_ids


def _manages_unit(scope: Scope, unit: Organisation | None) -> bool:
    """District staff of the unit (or anywhere when ``unit`` is None), or an administrator."""
    if scope.sees_everything:
        return True
    if unit is None:
        return bool(scope.district_unit_ids)
    return unit.id in scope.district_unit_ids


def _oversees_unit(scope: Scope, unit: Organisation | None) -> bool:
    """District staff of the unit, the Sở above it, or an administrator (``schools.scope.ORGANISATIONS``)."""
    if unit is None:
        return _manages_unit(scope, None) or bool(scope.department_ids)
    return scope.reaches(ORGANISATIONS, unit)


@rule("plan.view")
def plan_view(user, plan: AccreditationPlan | None):
    """The district and the Sở see plans; a school's people see a plan that includes their school."""
    scope = scope_of(user)
    if _oversees_unit(scope, _unit(plan)):
        return ALLOW
    if scope.school_ids and (plan is None or plan.entries.filter(school_id__in=scope.school_ids).exists()):
        return ALLOW
    return deny(NOT_IN_SCOPE)


@rule("plan.manage")
def plan_manage(user, obj: AccreditationPlan | Organisation | None):
    return ALLOW if _manages_unit(scope_of(user), _unit(obj)) else deny(DISTRICT_ONLY)


@rule("round.view")
def round_view(user, round_: EvaluationRound | None):
    scope = scope_of(user)
    if _oversees_unit(scope, _unit(round_)):
        return ALLOW
    if scope.school_ids and (
        round_ is None or round_.registrations.filter(school_id__in=scope.school_ids).exists()
    ):
        return ALLOW
    return deny(NOT_IN_SCOPE)


@rule("round.manage")
def round_manage(user, obj: EvaluationRound | Organisation | None):
    return ALLOW if _manages_unit(scope_of(user), _unit(obj)) else deny(DISTRICT_ONLY)


@rule("milestone.complete")
def milestone_complete(user, target: tuple[Milestone, RoundRegistration | None] | Milestone):
    """The owner side marks a milestone done: the school's principal (or its district office on its
    behalf, e.g. on receiving a dossier) for a school milestone, the district office for its own."""
    milestone, registration = target if isinstance(target, tuple) else (target, None)
    scope = scope_of(user)
    if _manages_unit(scope, milestone.round.unit):
        return ALLOW
    if milestone.owner == Milestone.Owner.DISTRICT:
        return deny(_("Mốc này do %(unit)s thực hiện.") % {"unit": milestone.round.unit.display_name})
    if registration is not None and registration.school_id in scope.principal_school_ids:
        return ALLOW
    return deny(_("Chỉ hiệu trưởng nhà trường được xác nhận mốc của trường."))


def _school_of(obj) -> School | None:
    if isinstance(obj, School):
        return obj
    if isinstance(obj, ExternalEvaluation | Certificate | RoundRegistration):
        return obj.school
    return None


@rule("evaluation.list")
def evaluation_list(user, obj=None):
    """The list of external evaluations: anyone who reaches some school (its list is scoped)."""
    return ALLOW if scope_of(user).reaches_any_school else deny(NOT_IN_SCOPE)


@rule("evaluation.view")
def evaluation_view(user, evaluation: ExternalEvaluation):
    return ALLOW if school_in_scope(scope_of(user), evaluation.school) else deny(NOT_IN_SCOPE)


@rule("evaluation.record")
def evaluation_record(user, obj: ExternalEvaluation | RoundRegistration | School | Organisation | None):
    """Record an external evaluation (team, visits, results, recommendations): the district office of
    the school's unit and the Sở, which forms the team and receives its report."""
    scope = scope_of(user)
    school = _school_of(obj)
    unit = school.reviewing_unit if school is not None else _unit(obj)
    if _oversees_unit(scope, unit):
        return ALLOW
    return deny(DISTRICT_OR_DEPARTMENT)


@rule("recommendation.adopt")
def recommendation_adopt(user, recommendation):
    """Turn a recommendation into an improvement action of the school's plan: its principal, once
    the team's report is final."""
    scope = scope_of(user)
    evaluation = recommendation.evaluation
    if not (scope.sees_everything or evaluation.school_id in scope.principal_school_ids):
        return deny(_("Chỉ hiệu trưởng nhà trường được đưa kiến nghị vào kế hoạch cải tiến của trường."))
    if not evaluation.is_completed:
        return deny(_("Đoàn chưa có báo cáo chính thức."))
    return ALLOW


@rule("certificate.view")
def certificate_view(user, obj: Certificate | School | None):
    scope = scope_of(user)
    school = _school_of(obj)
    if school is None:
        return ALLOW if _oversees_unit(scope, None) else deny(DISTRICT_OR_DEPARTMENT)
    return ALLOW if school_in_scope(scope, school) else deny(NOT_IN_SCOPE)


@rule("certificate.record")
def certificate_record(user, obj: Certificate | School | None):
    """Record a recognition decision: the Sở that issues it, or the district office of the school."""
    scope = scope_of(user)
    school = _school_of(obj)
    if _oversees_unit(scope, school.reviewing_unit if school is not None else None):
        return ALLOW
    return deny(DISTRICT_OR_DEPARTMENT)


@rule("deadline.view")
def deadline_view(user, obj: ReportingDeadline | Organisation | None):
    return ALLOW if _oversees_unit(scope_of(user), _unit(obj)) else deny(DISTRICT_OR_DEPARTMENT)


@rule("deadline.manage")
def deadline_manage(user, obj: ReportingDeadline | Organisation | None):
    """Set the unit's 20/12 and 10/5 dates: its district office."""
    return ALLOW if _manages_unit(scope_of(user), _unit(obj)) else deny(DISTRICT_ONLY)


@rule("upcoming.view")
def upcoming_view(user, school: School | None):
    """A school's own page of upcoming deadlines: its principal and staff."""
    scope = scope_of(user)
    if school is None:
        return ALLOW if scope.school_ids else deny(_("Trang này dành cho cán bộ nhà trường."))
    return ALLOW if school.pk in scope.school_ids or scope.sees_everything else deny(NOT_IN_SCOPE)


# --- Periodic reports (báo cáo định kỳ) -----------------------------------------------------------
#
# The school's principal writes, submits and withdraws; its staff read. The district office of the
# school's reviewing unit (its reviewers and head) reviews: start, return, accept, reopen. The Sở
# reads. *When* (from which status) is the workflow table's business, checked by the services.


def _periodic_school(obj) -> School:
    return obj if isinstance(obj, School) else obj.school


@rule("periodic_report.view")
def periodic_report_view(user, obj: PeriodicReport | School):
    """The school's people, the district office of its unit, the Sở above it."""
    return ALLOW if school_in_scope(scope_of(user), _periodic_school(obj)) else deny(NOT_IN_SCOPE)


@rule("periodic_report.read_content")
def periodic_report_read_content(user, report: PeriodicReport):
    """What the report states: the school's people always; the district and the Sở once it was
    handed in (a draft stays the school's until it is sent)."""
    scope = scope_of(user)
    if not school_in_scope(scope, report.school):
        return deny(NOT_IN_SCOPE)
    if report.status != PeriodicReport.Status.DRAFT or scope.sees_everything or report.school_id in scope.school_ids:
        return ALLOW
    return deny(_("Báo cáo định kỳ còn là bản nháp của nhà trường, chưa nộp."))


@rule("periodic_report.edit")
@rule("periodic_report.submit")
@rule("periodic_report.withdraw")
def periodic_report_principal(user, obj: PeriodicReport | School):
    """Open the draft, write it, hand it in (báo cáo định kỳ) and withdraw it: the school's principal."""
    scope = scope_of(user)
    if scope.sees_everything or _periodic_school(obj).pk in scope.principal_school_ids:
        return ALLOW
    return deny(_("Chỉ hiệu trưởng nhà trường được soạn, nộp hoặc rút báo cáo định kỳ."))


@rule("periodic_report.review")
@rule("periodic_report.return")
@rule("periodic_report.accept")
@rule("periodic_report.unlock")
def periodic_report_reviewer(user, obj: PeriodicReport | School):
    """Start the review, return, accept, or reopen an accepted report (accepted → returned): the
    district office managing the school."""
    if _manages_unit(scope_of(user), _periodic_school(obj).reviewing_unit):
        return ALLOW
    return deny(_("Chỉ cán bộ đơn vị thẩm định quản lý trường được thẩm định báo cáo định kỳ."))


# --- National-standard recognition under TT57/2026 (Điều 16-19) -----------------------------------

DEPARTMENT_ONLY = _("Chỉ Sở GD&ĐT được xem xét, công nhận trường đạt chuẩn quốc gia (Điều 17 Thông tư 57/2026).")


@rule("recognition57.view")
def recognition57_view(user, obj: School | None):
    """The conditions and recognitions: the Sở, the district office of the school, an administrator."""
    scope = scope_of(user)
    unit = obj.reviewing_unit if isinstance(obj, School) else None
    return ALLOW if _oversees_unit(scope, unit) else deny(DISTRICT_OR_DEPARTMENT)


@rule("recognition57.record")
def recognition57_record(user, obj: School | None):
    """Record the facilities condition (d) and a recognition decision: the Sở above the school only."""
    scope = scope_of(user)
    if scope.sees_everything:
        return ALLOW
    if obj is None:
        return ALLOW if scope.department_ids else deny(DEPARTMENT_ONLY)
    unit = obj.reviewing_unit
    return ALLOW if unit is not None and _department_reaches(scope, unit) else deny(DEPARTMENT_ONLY)
