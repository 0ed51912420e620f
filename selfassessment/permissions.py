"""Permission rules of the self-assessment reports (registered in kiemdinh.permissions).

Who may do what with a report they can see (seeing is the selectors' business: 404 otherwise):
- everyone whose scope reaches the school views it (the school's people, the district office,
  the Sở), read-only for all but the writers below;
- the principal starts reports; the principal and the council's secretary (and the secretary
  group) write everything in a report the school holds (draft or returned);
- a working-group member writes only the criteria of their group;
- only an administrator changes the regulation a report is assessed against.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kiemdinh.permissions import ALLOW, deny, rule
from schools.scope import school_in_scope, scope_of

from .models import CriterionAssessment, Passage, Report

NOT_IN_SCOPE = _("Bạn không thuộc trường hoặc đơn vị quản lý trường này.")
NOT_WRITER = _("Chỉ Hiệu trưởng, Thư ký Hội đồng tự đánh giá hoặc nhóm thư ký được chỉnh sửa phần này của báo cáo.")
NOT_GROUP = _("Tiêu chí này không thuộc nhóm công tác của bạn; bạn chỉ được chỉnh sửa các tiêu chí nhóm mình phụ trách.")


@dataclass(frozen=True)
class ReportRole:
    """What one user is in one report: computed once per report object and user."""

    in_scope: bool = False
    is_principal: bool = False
    # Principal, council secretary or secretary group: writes every part of the report.
    edits_everything: bool = False
    # Criteria (standards.Criterion ids) of the user's working groups.
    criterion_ids: frozenset[int] = frozenset()

    @property
    def is_writer(self) -> bool:
        return self.edits_everything or bool(self.criterion_ids)


def report_role(user, report: Report) -> ReportRole:
    """The user's role in the report, cached on the report object (reset by the council services)."""
    if user is None or not user.is_authenticated:
        return ReportRole()
    cache = report.__dict__.setdefault("_kd_roles", {})
    if user.pk in cache:
        return cache[user.pk]
    scope = scope_of(user)
    in_scope = school_in_scope(scope, report.school)
    is_principal = report.school_id in scope.principal_school_ids
    edits_everything = is_principal
    criterion_ids: frozenset[int] = frozenset()
    if report.school_id in scope.school_ids:
        # Council roles only count for the school's own people (an account that left the school
        # keeps no right through an old council list).
        # One query: the member (at most one per report and account) with a row per criterion of
        # each of its working groups (one row of None when it has none).
        from .models import CouncilMember

        rows = list(
            CouncilMember.objects.filter(report=report, user=user)
            .order_by()
            .values_list("role", "in_secretary_group", "working_groups__report_id", "working_groups__criteria")
        )
        if rows:
            member_role, in_secretary_group, _, _ = rows[0]
            edits_everything = edits_everything or CouncilMember.compiles_everything(member_role, in_secretary_group)
            criterion_ids = frozenset(
                criterion_id
                for _role, _group, group_report_id, criterion_id in rows
                if criterion_id is not None and group_report_id == report.pk
            )
    role = ReportRole(in_scope, is_principal, edits_everything, criterion_ids)
    cache[user.pk] = role
    return role


def reset_report_roles(report: Report) -> None:
    report.__dict__.pop("_kd_roles", None)


def _not_editable(report: Report):
    return deny(
        _("Báo cáo đang ở trạng thái “%(status)s”; chỉ báo cáo đang soạn thảo hoặc bị trả lại mới được chỉnh sửa.")
        % {"status": report.get_status_display()}
    )


@rule("report.view")
def report_view(user, report: Report):
    return ALLOW if report_role(user, report).in_scope else deny(NOT_IN_SCOPE)


@rule("report.create")
def report_create(user, school):
    """Start a report: the principal of the school (``school`` None: of any school)."""
    scope = scope_of(user)
    if school is None:
        allowed = bool(scope.principal_school_ids)
    else:
        allowed = school.pk in scope.principal_school_ids
    return ALLOW if allowed else deny(_("Chỉ Hiệu trưởng nhà trường được tạo báo cáo tự đánh giá."))


@rule("report.carry_forward")
def report_carry_forward(user, school):
    """Start this year's TT57 report from an earlier one and carry the evidence: the school's principal."""
    allowed = school is not None and school.pk in scope_of(user).principal_school_ids
    return ALLOW if allowed else deny(
        _("Chỉ Hiệu trưởng nhà trường được bắt đầu báo cáo theo Thông tư 57 từ báo cáo năm trước.")
    )


@rule("report.edit")
def report_edit(user, report: Report):
    """Write the parts of the report that belong to no single criterion (and any criterion)."""
    role = report_role(user, report)
    if not role.in_scope:
        return deny(NOT_IN_SCOPE)
    if not role.edits_everything:
        return deny(NOT_WRITER)
    if not report.is_editable:
        return _not_editable(report)
    return ALLOW


@rule("criterion.edit")
def criterion_edit(user, obj):
    """Write one criterion: ``obj`` is a CriterionAssessment or a (report, criterion) pair."""
    if isinstance(obj, CriterionAssessment):
        report, criterion_id = obj.report, obj.criterion_id
    else:
        report, criterion = obj
        criterion_id = criterion.pk if hasattr(criterion, "pk") else criterion
    role = report_role(user, report)
    if not role.in_scope:
        return deny(NOT_IN_SCOPE)
    if not (role.edits_everything or criterion_id in role.criterion_ids):
        return deny(NOT_GROUP if role.criterion_ids else NOT_WRITER)
    if not report.is_editable:
        return _not_editable(report)
    return ALLOW


@rule("passage.edit")
def passage_edit(user, passage: Passage):
    """A text of a criterion follows criterion.edit; every other text report.edit."""
    if passage.criterion_id:
        return criterion_edit(user, (passage.report, passage.criterion_id))
    return report_edit(user, passage.report)


@rule("report.manage_council")
def report_manage_council(user, report: Report):
    """The council, working groups and plan: the principal and the secretary."""
    return report_edit(user, report)


@rule("report.change_regulation")
def report_change_regulation(user, report: Report):
    if not scope_of(user).sees_everything:
        return deny(_("Chỉ quản trị hệ thống được thay đổi bộ tiêu chuẩn áp dụng cho báo cáo."))
    if not report.is_editable:
        return _not_editable(report)
    return ALLOW


@rule("report.check")
def report_check(user, report: Report):
    """Run the consistency checks: whoever may read the report (the checks only read)."""
    return report_view(user, report)


# --- Improvement-plan tracking (kế hoạch cải tiến chất lượng) ---------------------------------
#
# Following the plan happens after the report is sent, so none of these rules looks at the
# report's status: a submitted or accepted report's plan is still tracked.

NOT_TRACKER = _(
    "Chỉ Hiệu trưởng, Thư ký Hội đồng tự đánh giá (nhóm thư ký) hoặc nhóm công tác phụ trách tiêu chí "
    "được cập nhật việc thực hiện kế hoạch cải tiến."
)


@rule("improvement.view")
def improvement_view(user, report: Report):
    """The improvement plan of a report and its tracking: whoever reads the report."""
    return report_view(user, report)


@rule("improvement.track")
def improvement_track(user, action):
    """Change an action's status, dates, owner; add progress notes. ``action.report`` must be loaded.

    The principal and the secretary (group) track every action; a working-group member the
    actions of the criteria of their group. District staff and the Sở only read.
    """
    role = report_role(user, action.report)
    if not role.in_scope:
        return deny(NOT_IN_SCOPE)
    if role.edits_everything or (action.criterion_id and action.criterion_id in role.criterion_ids):
        return ALLOW
    return deny(NOT_TRACKER)


@rule("improvement.rollup")
def improvement_rollup(user, unit=None):
    """The improvement plans of a reviewing unit's schools: its staff, the Sở above it, administrators
    (``unit`` None: of any unit)."""
    scope = scope_of(user)
    if scope.sees_everything:
        return ALLOW
    if unit is None:
        allowed = bool(scope.district_unit_ids or scope.department_ids)
    else:
        allowed = unit.pk in scope.district_unit_ids or unit.parent_id in scope.department_ids
    return ALLOW if allowed else deny(
        _("Chỉ cán bộ đơn vị thẩm định hoặc Sở GD&ĐT được xem tình hình thực hiện kế hoạch cải tiến của các trường.")
    )


# --- TT57/2026 Biểu 2: the improvement plan of a TT57 report -------------------------------------
#
# Its content travels with the report: written exactly when the report may be (report.edit). Its
# monitoring (table VI, Mức độ thực hiện) goes on during the year, whatever the report's status.

NOT_MONITOR = _(
    "Chỉ Hiệu trưởng, Thư ký Hội đồng tự đánh giá hoặc nhóm thư ký được ghi kết quả theo dõi thực hiện "
    "kế hoạch cải tiến."
)


@rule("plan57.view")
def plan57_view(user, report: Report):
    """Biểu 2 of a report: whoever reads the report."""
    return report_view(user, report)


@rule("plan57.edit")
def plan57_edit(user, report: Report):
    """Sections II, IV, V, VII of Biểu 2: the report's writers, while the report may be written in."""
    return report_edit(user, report)


@rule("plan57.monitor")
def plan57_monitor(user, report: Report):
    """Table VI and each action's Mức độ thực hiện: the principal and the secretary (group), in any status."""
    role = report_role(user, report)
    if not role.in_scope:
        return deny(NOT_IN_SCOPE)
    if not role.edits_everything:
        return deny(NOT_MONITOR)
    if report.status == Report.Status.CLOSED:
        return deny(_("Báo cáo đã đóng; không ghi thêm kết quả theo dõi."))
    return ALLOW
