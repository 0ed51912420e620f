"""Permission rules of the schools app (registered in the one registry, kiemdinh.permissions)."""

from django.utils.translation import gettext_lazy as _

from kiemdinh.permissions import ALLOW, deny, rule

from .models import Membership, School
from .scope import school_in_scope, scope_of

NOT_DISTRICT = _("Chỉ cán bộ Phòng GD&ĐT hoặc Sở GD&ĐT được thực hiện thao tác này.")


@rule("school.view")
def school_view(user, school: School):
    return ALLOW if school_in_scope(scope_of(user), school) else deny(_("Bạn không thuộc trường hoặc đơn vị quản lý trường này."))


@rule("school.manage")
def school_manage(user, school: School | None):
    """Create, edit and import schools: district staff of the school's unit, the Sở, admins."""
    scope = scope_of(user)
    if scope.sees_everything or scope.department_ids:
        return ALLOW if school is None or school_in_scope(scope, school) else deny(NOT_DISTRICT)
    if not scope.district_unit_ids:
        return deny(NOT_DISTRICT)
    if school is None or school.reviewing_unit_id in scope.district_unit_ids:
        return ALLOW
    return deny(NOT_DISTRICT)


@rule("account.manage")
def account_manage(user, target_membership: Membership | None):
    """Manage accounts: district staff and the Sở for their units; a principal for their school's staff."""
    scope = scope_of(user)
    if scope.sees_everything:
        return ALLOW
    if target_membership is None:
        if scope.district_unit_ids or scope.department_ids or scope.principal_school_ids:
            return ALLOW
        return deny(_("Bạn không có quyền quản lý tài khoản."))
    m = target_membership
    if m.role == Membership.Role.ADMIN:
        return deny(_("Chỉ quản trị hệ thống được cấp quyền quản trị."))
    if m.school_id:
        if m.school_id in scope.principal_school_ids and m.role == Membership.Role.SCHOOL_STAFF:
            return ALLOW
        if m.school.reviewing_unit_id in scope.district_unit_ids:
            return ALLOW
        if scope.department_ids and school_in_scope(scope, m.school):
            return ALLOW
    elif m.organisation_id:
        org = m.organisation
        if m.role in Membership.DISTRICT_ROLES and org.id in scope.head_unit_ids:
            return ALLOW
        if org.id in scope.department_ids or org.parent_id in scope.department_ids:
            return ALLOW
    return deny(_("Bạn không có quyền quản lý tài khoản này."))


@rule("school.list")
def school_list(user, obj=None):
    """The list of schools is for district staff, the Sở and admins (a principal sees their own)."""
    scope = scope_of(user)
    if scope.is_district or scope.sees_everything or scope.department_ids:
        return ALLOW
    return deny(NOT_DISTRICT)


@rule("admin.system")
def admin_system(user, obj=None):
    return ALLOW if scope_of(user).sees_everything else deny(_("Chỉ quản trị hệ thống được thực hiện thao tác này."))
