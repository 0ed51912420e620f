"""Permission rules of the evidence library (registered in kiemdinh.permissions).

The object of a rule is the school (for the library as a whole: view, add, renumber, export) or
an evidence item. Scoping comes first (``selectors.evidence_visible_to``: what a user cannot see
is a 404); these rules decide what a user may do with what they see (403 with the reason).

- view / download / export: the school's members, district staff of the school's unit, the Sở
  above it, administrators;
- add and share: the principal and the staff of that school (a working-group member collects the
  evidence of their criteria and declares reuse of the others' items);
- change (edit, replace the file, archive, delete): the principal, and the person who created the
  item while they still belong to the school;
- renumber and move to another criterion (they change codes that reports cite): the principal.

District staff and the Sở read but never change a school's evidence.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kiemdinh.permissions import ALLOW, deny, rule
from schools.models import School
from schools.scope import school_in_scope, scope_of

from .models import Evidence

NOT_IN_SCOPE = _("Bạn không thuộc trường hoặc đơn vị quản lý trường này.")
SCHOOL_ONLY = _("Chỉ cán bộ, giáo viên của trường được cập nhật minh chứng của trường.")
PRINCIPAL_OR_CREATOR = _("Chỉ hiệu trưởng hoặc người đã tạo minh chứng này được sửa nó.")
PRINCIPAL_ONLY = _("Chỉ hiệu trưởng được đánh lại mã minh chứng, vì việc này thay đổi mã đã trích dẫn trong báo cáo.")


def _school_of(obj) -> School | None:
    if isinstance(obj, Evidence):
        return obj.school
    if isinstance(obj, School):
        return obj
    return None


@rule("evidence.view")
def evidence_view(user, obj):
    school = _school_of(obj)
    if school is None:
        # Without an object: whether the user may see some school's library at all.
        return ALLOW if scope_of(user).reaches_any_school else deny(NOT_IN_SCOPE)
    return ALLOW if school_in_scope(scope_of(user), school) else deny(NOT_IN_SCOPE)


@rule("evidence.download")
def evidence_download(user, obj):
    return evidence_view(user, obj)


@rule("evidence.add")
def evidence_add(user, obj):
    school = _school_of(obj)
    if school is None:
        return ALLOW if scope_of(user).school_ids else deny(SCHOOL_ONLY)
    return ALLOW if school.pk in scope_of(user).school_ids else deny(SCHOOL_ONLY)


@rule("evidence.share")
def evidence_share(user, evidence: Evidence):
    return evidence_add(user, evidence)


@rule("evidence.change")
def evidence_change(user, evidence: Evidence):
    scope = scope_of(user)
    if not isinstance(evidence, Evidence):
        return deny(PRINCIPAL_OR_CREATOR)
    if evidence.school_id in scope.principal_school_ids:
        return ALLOW
    if evidence.school_id in scope.staff_school_ids and evidence.created_by_id == user.pk:
        return ALLOW
    if evidence.school_id in scope.school_ids:
        return deny(PRINCIPAL_OR_CREATOR)
    return deny(SCHOOL_ONLY)


@rule("evidence.renumber")
def evidence_renumber(user, obj):
    school = _school_of(obj)
    if school is not None and school.pk in scope_of(user).principal_school_ids:
        return ALLOW
    return deny(PRINCIPAL_ONLY)
