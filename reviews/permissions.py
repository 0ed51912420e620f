"""Permission rules of the district review (registered in kiemdinh.permissions).

Rules answer *who* may act on a report they can see (seeing is the selectors' business: 404
otherwise); *when* (from which status) is the workflow table's business, checked by the
services, so a reviewer who presses "return" on a report that was just withdrawn gets a clear
message rather than a 403.

- The principal submits, withdraws and asks for an unlock; the school's people answer comments.
- The district office of the school's reviewing unit reviews: its head always; a reviewer when
  the report is assigned to them or to nobody yet. Forwarding to the Sở is the head's when the
  unit requires the head's final approval.
- The Sở closes a forwarded report after external evaluation and sees every dashboard.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemdinh.permissions import ALLOW, deny, rule
from schools.scope import school_in_scope, scope_of

NOT_IN_SCOPE = _("Bạn không thuộc trường hoặc đơn vị quản lý trường này.")
NOT_PRINCIPAL = _("Chỉ Hiệu trưởng nhà trường được thực hiện thao tác này.")
NOT_DISTRICT = _("Chỉ cán bộ đơn vị thẩm định quản lý trường được thực hiện thao tác này.")
NOT_SCHOOL_OR_DISTRICT = _("Chỉ nhà trường và đơn vị thẩm định quản lý trường được trao đổi góp ý.")


def active_assignment(report):
    """The report's active review assignment (cached on the object; views may preload it)."""
    cache = report.__dict__
    if "_kd_assignment" not in cache:
        from .models import ReviewAssignment

        cache["_kd_assignment"] = (
            ReviewAssignment.objects.filter(report_id=report.pk, is_active=True).select_related("reviewer").first()
        )
    return cache["_kd_assignment"]


def set_active_assignment(report, assignment) -> None:
    report.__dict__["_kd_assignment"] = assignment


def _unit_id(report) -> int:
    return report.school.reviewing_unit_id


def is_principal_of(user, report) -> bool:
    return report.school_id in scope_of(user).principal_school_ids


def is_school_member_of(user, report) -> bool:
    return report.school_id in scope_of(user).school_ids


def is_head_of(user, report) -> bool:
    return _unit_id(report) in scope_of(user).head_unit_ids


def is_district_staff_of(user, report) -> bool:
    return _unit_id(report) in scope_of(user).district_unit_ids


def _principal(user, report):
    return ALLOW if is_principal_of(user, report) else deny(NOT_PRINCIPAL)


def _reviewer(user, report):
    """The head of the unit, or a reviewer of it to whom the report is assigned or not assigned yet."""
    if not is_district_staff_of(user, report):
        return deny(NOT_DISTRICT)
    if is_head_of(user, report):
        return ALLOW
    assignment = active_assignment(report)
    if assignment is None or assignment.reviewer_id == user.pk:
        return ALLOW
    return deny(
        _("Báo cáo này đã được phân công cho %(name)s; chỉ người được phân công hoặc %(head)s được thẩm định.")
        % {"name": assignment.reviewer.display_name, "head": report.school.reviewing_unit.head_label}
    )


@rule("report.submit")
def report_submit(user, report):
    return _principal(user, report)


@rule("report.withdraw")
def report_withdraw(user, report):
    return _principal(user, report)


@rule("report.request_unlock")
def report_request_unlock(user, report):
    return _principal(user, report)


@rule("report.review")
def report_review(user, report):
    return _reviewer(user, report)


@rule("report.return")
def report_return(user, report):
    return _reviewer(user, report)


@rule("report.accept")
def report_accept(user, report):
    return _reviewer(user, report)


@rule("report.forward")
def report_forward(user, report):
    if not is_district_staff_of(user, report):
        return deny(NOT_DISTRICT)
    if is_head_of(user, report):
        return ALLOW
    if report.school.reviewing_unit.requires_head_approval:
        return deny(_("Đơn vị yêu cầu %(head)s phê duyệt: chỉ %(head)s được chuyển báo cáo lên Sở.")
                    % {"head": report.school.reviewing_unit.head_label})
    return _reviewer(user, report)


@rule("report.unlock")
def report_unlock(user, report):
    """Grant or refuse a school's unlock request."""
    return _reviewer(user, report)


@rule("report.assign")
def report_assign(user, report):
    """The head assigns anyone of the unit; a reviewer may take an unassigned report (the service checks which)."""
    return ALLOW if is_district_staff_of(user, report) else deny(NOT_DISTRICT)


@rule("report.close")
def report_close(user, report):
    """Close a forwarded report after the external evaluation: the Sở above the school's unit."""
    scope = scope_of(user)
    unit = report.school.reviewing_unit
    if unit.parent_id in scope.department_ids or unit.pk in scope.department_ids:
        return ALLOW
    return deny(_("Chỉ cán bộ Sở GD&ĐT được đóng hồ sơ sau đánh giá ngoài."))


@rule("comment.add")
def comment_add(user, obj):
    """Open a thread on a report (district staff), or answer a thread (the school or the district)."""
    from .models import CommentThread

    if isinstance(obj, CommentThread):
        report = obj.report
        if is_school_member_of(user, report) or is_district_staff_of(user, report):
            return ALLOW
        return deny(NOT_SCHOOL_OR_DISTRICT)
    if is_district_staff_of(user, obj):
        return ALLOW
    if is_school_member_of(user, obj):
        return deny(_("Nhà trường trả lời các góp ý của %(unit)s; góp ý mới do %(unit)s tạo.")
                    % {"unit": getattr(obj, "report", obj).school.reviewing_unit.display_name})
    return deny(NOT_DISTRICT)


@rule("comment.resolve")
def comment_resolve(user, thread):
    """Close a thread or open it again: the district that made the remark judges the correction."""
    report = thread.report
    if is_district_staff_of(user, report):
        return ALLOW
    if is_school_member_of(user, report):
        return deny(_("Chỉ %(unit)s đóng hoặc mở lại góp ý; nhà trường báo “Đã sửa” kèm trả lời.")
                    % {"unit": report.school.reviewing_unit.display_name})
    return deny(NOT_DISTRICT)


@rule("comment.mark_fixed")
def comment_mark_fixed(user, thread):
    """Say "Đã sửa" on a thread, with a reply: the school's people (they make the correction)."""
    report = thread.report
    if is_school_member_of(user, report):
        return ALLOW
    if is_district_staff_of(user, report):
        return deny(_("Nhà trường báo đã sửa; %(unit)s đóng góp ý khi việc sửa đạt yêu cầu.")
                    % {"unit": report.school.reviewing_unit.display_name})
    return deny(NOT_SCHOOL_OR_DISTRICT)


@rule("version.view")
def version_view(user, obj):
    """Read the submitted versions of a report (``obj``: the report or one of its versions)."""
    report = getattr(obj, "report", obj)
    return ALLOW if school_in_scope(scope_of(user), report.school) else deny(NOT_IN_SCOPE)


@rule("review.queue")
def review_queue(user, obj=None):
    return ALLOW if scope_of(user).district_unit_ids else deny(_("Chỉ cán bộ đơn vị thẩm định có hàng chờ thẩm định."))


@rule("review.settings")
def review_settings(user, unit):
    """How a unit reviews (e.g. the head's final approval): its head, or the Sở above it."""
    scope = scope_of(user)
    if unit.pk in scope.head_unit_ids or unit.parent_id in scope.department_ids:
        return ALLOW
    return deny(_("Chỉ %(head)s hoặc Sở GD&ĐT được thay đổi quy trình thẩm định của đơn vị.")
                % {"head": unit.head_label})


@rule("dashboard.district")
def dashboard_district(user, obj=None):
    """The district dashboard: the unit's staff (``obj``: a unit, or None for "any"), the Sở, admins."""
    scope = scope_of(user)
    if scope.sees_everything:
        return ALLOW
    if obj is None:
        allowed = bool(scope.district_unit_ids or scope.department_ids)
    else:
        allowed = obj.pk in scope.district_unit_ids or obj.parent_id in scope.department_ids
    return ALLOW if allowed else deny(_("Chỉ cán bộ đơn vị thẩm định hoặc Sở GD&ĐT được xem bảng điều khiển này."))


@rule("dashboard.department")
def dashboard_department(user, obj=None):
    scope = scope_of(user)
    if scope.sees_everything or scope.department_ids:
        return ALLOW
    return deny(_("Chỉ cán bộ Sở GD&ĐT được xem trang này."))
