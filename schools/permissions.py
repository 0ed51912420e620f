"""Permission rules of the schools app (registered in the one registry, kiemdinh.permissions)."""

from django.utils.translation import gettext_lazy as _

from kiemdinh.permissions import ALLOW, deny, rule

from . import roles
from .models import Membership, School
from .scope import holds_admin, school_in_scope, scope_of

NOT_DISTRICT = _("Chỉ cán bộ đơn vị thẩm định hoặc Sở GD&ĐT được thực hiện thao tác này.")


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


def _reaching_roles(scope, membership: Membership) -> set[str]:
    """The actor's roles whose reach covers the place of ``membership`` (its school or unit)."""
    reaching: set[str] = set()
    if membership.role in Membership.SCHOOL_ROLES:
        school = membership.school
        if school is None:
            return reaching
        if school.pk in scope.principal_school_ids:
            reaching.add(roles.PRINCIPAL)
        if school.reviewing_unit_id in scope.reviewer_unit_ids:
            reaching.add(roles.DISTRICT_REVIEWER)
        if school.reviewing_unit_id in scope.head_unit_ids:
            reaching.add(roles.DISTRICT_HEAD)
        if scope.department_ids and school_in_scope(scope, school):
            reaching.add(roles.DEPARTMENT_OFFICER)
    elif membership.role != Membership.Role.ADMIN:
        org = membership.organisation
        if org is None:
            return reaching
        if org.pk in scope.reviewer_unit_ids:
            reaching.add(roles.DISTRICT_REVIEWER)
        if org.pk in scope.head_unit_ids:
            reaching.add(roles.DISTRICT_HEAD)
        if org.pk in scope.department_ids or org.parent_id in scope.department_ids:
            reaching.add(roles.DEPARTMENT_OFFICER)
    return reaching


def manages_membership(user, membership: Membership) -> bool:
    """Whether the user may grant or revoke this role at this place (the role hierarchy, see
    schools.roles: a role strictly below one of the user's roles that reach the place)."""
    scope = scope_of(user)
    if scope.sees_everything:
        return True
    return any(membership.role in roles.grantable_by(own) for own in _reaching_roles(scope, membership))


def grantable_roles(user) -> list[str]:
    """The roles the user may grant somewhere (the choices of the role form), highest first."""
    scope = scope_of(user)
    held = set(scope.roles) | ({roles.ADMIN} if scope.sees_everything else set())
    grantable = set().union(*(roles.grantable_by(r) for r in held)) if held else set()
    grantable -= roles.NEVER_GRANTED_ON_PAGES
    return sorted(grantable, key=roles.rank, reverse=True)


def held_memberships(account) -> list[Membership]:
    """Every role the account holds or held (a revoked role can be given back, so it counts)."""
    return list(
        Membership.objects.filter(user=account).select_related("school", "school__reviewing_unit", "organisation")
    )


@rule("account.manage")
def account_manage(user, target_membership: Membership | None):
    """Create accounts (``None``: whether the user may create any) or grant this role at this place.

    District staff and the Sở for their units, a principal for their school's staff; each only
    roles below their own (schools.roles).
    """
    scope = scope_of(user)
    if scope.sees_everything:
        return ALLOW
    if target_membership is None:
        return ALLOW if grantable_roles(user) else deny(_("Bạn không có quyền quản lý tài khoản."))
    if target_membership.role == Membership.Role.ADMIN:
        return deny(_("Chỉ quản trị hệ thống được cấp quyền quản trị."))
    if manages_membership(user, target_membership):
        return ALLOW
    return deny(_("Bạn không có quyền quản lý vai trò này ở đơn vị đã chọn."))


@rule("account.edit")
def account_edit(user, account):
    """Change an account's identity (name, e-mail, username, active) or its roles.

    Only someone who manages every role the account holds, or an administrator: managing one
    of its roles is not enough, or a reviewer could add a school role to the head of the office
    and then change the head's e-mail (issue #13, finding 1).
    """
    scope = scope_of(user)
    if scope.sees_everything:
        return ALLOW
    held = held_memberships(account)
    if holds_admin(account, held):
        return deny(_("Chỉ quản trị hệ thống được sửa tài khoản quản trị."))
    if account.pk == user.pk:
        return deny(_("Thông tin của chính bạn được sửa ở trang Thông tin cá nhân; vai trò của bạn do cấp trên cấp."))
    if not held:
        return deny(_("Tài khoản chưa có vai trò nào; chỉ quản trị hệ thống được sửa."))
    for membership in held:
        if not manages_membership(user, membership):
            return deny(
                _("Tài khoản này giữ vai trò %(role)s – %(place)s mà bạn không quản lý; chỉ người quản lý "
                  "mọi vai trò của tài khoản mới được sửa nó.")
                % {"role": membership.role_label, "place": membership.target or ""}
            )
    return ALLOW


@rule("account.profile")
def account_profile(user, account):
    """Edit the personal details on the profile page: the account's own person only."""
    if account is not None and account.pk == user.pk:
        return ALLOW
    return deny(_("Chỉ chủ tài khoản được sửa thông tin cá nhân của mình."))


@rule("account.grant")
def account_grant(user, membership: Membership):
    """Give an existing account this role at this place: never to oneself, never to an account
    holding a role the granter does not manage (a role above or beside their own)."""
    if membership.user_id == user.pk:
        return deny(_("Bạn không thể tự cấp vai trò cho mình."))
    decision = account_manage(user, membership)
    if not decision:
        return decision
    return account_edit(user, membership.user)


@rule("account.revoke")
def account_revoke(user, membership: Membership):
    """Take a role back: the same conditions as granting it."""
    if membership.user_id == user.pk:
        return deny(_("Bạn không thể tự thu hồi vai trò của mình."))
    decision = account_manage(user, membership)
    if not decision:
        return decision
    return account_edit(user, membership.user)


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
