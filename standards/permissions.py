"""Permission rules of the standards app (registered in the one registry, kiemdinh.permissions)."""

from django.utils.translation import gettext_lazy as _

from kiemdinh.permissions import ALLOW, deny, rule
from schools.scope import scope_of


@rule("catalog.view")
def catalog_view(user, obj=None):
    """The regulations are public law: every logged-in, active user may read the catalogs."""
    return ALLOW


@rule("catalog.manage")
def catalog_manage(user, obj=None):
    """Importing or correcting a catalog changes what every school is assessed against: admins only."""
    if scope_of(user).sees_everything:
        return ALLOW
    return deny(_("Chỉ quản trị hệ thống được nhập hoặc sửa bộ tiêu chuẩn."))
