"""Navigation for the header: what the user's roles reach, computed from their scope.

In the top layer: the menu leads into every app and reads the scope (schools) and the unread
notifications (notifications)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.selectors import unread_count
from schools.scope import scope_of
from schools.selectors import memberships_of

# (url name, label, icon, who sees it). Later parts add their entries here, in one place.
_NAV = [
    ("schools:school_home", _("Trường của tôi"), "house-door", "school"),
    ("reviews:district_dashboard", _("Bảng điều khiển"), "speedometer2", "district"),
    ("reviews:report_queue", _("Thẩm định"), "inboxes", "district"),
    ("reviews:department_dashboard", _("Tổng quan Sở"), "buildings", "department"),
    ("evaluations:upcoming", _("Hạn sắp tới"), "alarm", "school"),
    ("evaluations:plan_list", _("Kế hoạch"), "clipboard-check", "manager"),
    ("selfassessment:improvement_rollup", _("Cải tiến"), "graph-up-arrow", "manager"),
    ("schools:school_list", _("Trường học"), "building", "manager"),
    ("schools:account_list", _("Tài khoản"), "people", "account_manager"),
    ("selfassessment:report_list", _("Báo cáo"), "journal-text", "member"),
    ("evidence:library_index", _("Minh chứng"), "folder2-open", "member"),
    ("standards:regulation_list", _("Bộ tiêu chuẩn"), "journal-bookmark", "anyone"),
]


def _audiences(scope) -> set[str]:
    audiences = {"anyone"}
    if scope.reaches_any_school:
        audiences.add("member")
    if scope.school_ids:
        audiences.add("school")
    if scope.district_unit_ids:
        audiences |= {"district", "manager", "account_manager"}
    if scope.department_ids or scope.sees_everything:
        audiences |= {"department", "manager", "account_manager"}
    if scope.principal_school_ids:
        audiences.add("account_manager")
    return audiences


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_scope": None, "user_memberships": [], "unread_notifications": 0}
    scope = scope_of(user)
    audiences = _audiences(scope)
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for name, label, icon, audience in _NAV:
        if audience in audiences:
            items.append({"url": reverse(name), "label": label, "icon": icon, "active": current == name})

    return {
        "nav_items": items,
        "user_scope": scope,
        "user_memberships": _memberships(user),
        "unread_notifications": unread_count(user),
    }


def _memberships(user):
    cached = getattr(user, "_kiemdinh_memberships", None)
    if cached is None:  # the scope was cached without them (reset_scope clears both)

        cached = list(memberships_of(user))
        user._kiemdinh_memberships = cached
    return cached
