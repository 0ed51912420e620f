"""Writes of the TT57/2026 recognition: the Sở's facilities record (condition d) and its decision."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kiemdinh import validation
from kiemdinh.permissions import require
from schools.models import School

from .. import recognition, recognition_selectors
from ..models import Facilities57, Recognition57
from .common import ConcurrentEditError, EvaluationsError, _bump, _event, _fmt

if TYPE_CHECKING:
    from schools.models import User

MAX_NOTE = 2000


def _clean(text: str, limit: int) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise EvaluationsError(_("Nội dung dài quá %(n)s ký tự.") % {"n": limit})
    return text


@transaction.atomic
def facilities57_set(*, school: School, degree: int, note: str, by: User, revision: int | None) -> Facilities57:
    """Record (or change) the facilities condition of a school; ``revision`` is the one the form showed
    (None or 0 when there was no record yet)."""
    require(by, "recognition57.record", school)
    if degree not in (0, 1, 2):
        raise EvaluationsError(_("Mức đáp ứng không hợp lệ."))
    note = _clean(note, MAX_NOTE)
    School.objects.select_for_update().filter(pk=school.pk).first()
    current = Facilities57.objects.select_for_update().filter(school=school).first()
    if current is None:
        if revision:
            raise ConcurrentEditError()
        current = Facilities57(school=school, degree=degree, note=note, recorded_by=by)
        validation.full_clean(current)
        current.save()
        _event("facilities57.recorded", by=by, target=current, school=school, to_state=str(degree),
               summary=_("Ghi nhận điều kiện cơ sở vật chất – %(school)s") % {"school": school.name})
        return current
    if revision is not None and current.revision != revision:
        raise ConcurrentEditError()
    before = current.degree
    current.degree, current.note, current.recorded_by = degree, note, by
    _bump(current)
    validation.full_clean(current)
    current.save()
    _event("facilities57.updated", by=by, target=current, school=school, from_state=str(before), to_state=str(degree),
           summary=_("Ghi nhận điều kiện cơ sở vật chất – %(school)s") % {"school": school.name})
    return current


PROBLEMS = {
    "degree": lambda c, **k: _("Mức độ công nhận phải là Mức độ 1 hoặc Mức độ 2."),
    "before_tt57": lambda c, **k: _(
        "Quyết định trước ngày 07/7/2026 là quyết định theo quy định cũ: hãy ghi ở mục Quyết định công nhận."),
    "facilities": lambda c, **k: _(
        "Chưa đủ điều kiện d): Sở GD&ĐT chưa ghi nhận trường đáp ứng yêu cầu cơ sở vật chất của mức độ này."),
    "level": lambda c, **k: _(
        "Chưa đủ điều kiện c): mức đánh giá của báo cáo theo Thông tư 57 đã được chấp nhận không đạt mức độ đề nghị "
        "(Mức 1 ứng với Mức độ 1, Mức 2 ứng với Mức độ 2)."),
    "unconfirmed": lambda c, **k: _(
        "Chưa đủ điều kiện %(keys)s): hãy xác nhận theo hồ sơ ngoài hệ thống và ghi căn cứ, hoặc chưa công nhận."
    ) % {"keys": ", ".join(c.unmet_confirmable)},
    "upgrade_wait": lambda c, **k: _(
        "Trường được công nhận Mức độ 1 ngày %(date)s: chỉ xem xét công nhận Mức độ 2 từ ngày %(from)s "
        "(khoản 4 Điều 19).") % {"date": _fmt(k["degree1_on"]), "from": _fmt(recognition.upgrade_eligible_on(1, k["degree1_on"]))},
}


@transaction.atomic
def recognition57_record(
    *, school: School, by: User, decision_number: str, decision_date: datetime.date, issuing_body: str, degree: int,
    confirmed: bool = False, conditions_note: str = "", note: str = "", today: datetime.date | None = None,
) -> Recognition57:
    """Record the Sở's decision recognising ``school`` at ``degree`` under TT57, after checking the
    four conditions of khoản 1 Điều 16 as the system knows them (a and b may be confirmed by the Sở
    from records outside the system, with the basis written), the degree the level allows, and the
    2-year wait before Mức độ 2 (khoản 4 Điều 19). The conditions are frozen on the record."""
    require(by, "recognition57.record", school)
    decision_number = _clean(decision_number, 60)
    issuing_body = _clean(issuing_body, 200)
    conditions_note = _clean(conditions_note, MAX_NOTE)
    note = _clean(note, 255)
    if not decision_number or not issuing_body:
        raise EvaluationsError(_("Hãy nhập số quyết định và cơ quan ban hành."))
    if confirmed and not conditions_note:
        raise EvaluationsError(_("Hãy ghi căn cứ xác nhận điều kiện."))
    School.objects.select_for_update().filter(pk=school.pk).first()
    conditions = recognition_selectors.conditions_for([school.pk])[school.pk]
    degree1_on = recognition_selectors.current_degree1_on(school.pk, decision_date)
    problem = recognition.degree_problem(degree=degree, decision_date=decision_date, conditions=conditions,
                                         confirmed=confirmed, current_degree1_on=degree1_on)
    if problem is not None:
        raise EvaluationsError(PROBLEMS[problem](conditions, degree1_on=degree1_on))
    item = Recognition57(
        school=school, decision_number=decision_number, decision_date=decision_date, issuing_body=issuing_body,
        degree=degree, conditions={**conditions.as_data(), "confirmed": bool(confirmed and conditions.unmet_confirmable)},
        conditions_note=conditions_note if confirmed else "", note=note, created_by=by,
    )
    item.valid_until = recognition.valid_until(decision_date)
    item.upgrade_eligible_on = recognition.upgrade_eligible_on(degree, decision_date)
    validation.full_clean(item, validate_constraints=False)
    if Recognition57.objects.filter(school=school, decision_number=decision_number, decision_date=decision_date).exists():
        raise EvaluationsError(_("Quyết định này đã được ghi cho trường."))
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise EvaluationsError(_("Quyết định này đã được ghi cho trường.")) from None
    _event("recognition57.recorded", by=by, target=item, school=school, to_state=str(degree),
           summary=_("Công nhận đạt chuẩn quốc gia Mức độ %(degree)s – %(school)s (QĐ %(number)s)") % {
               "degree": degree, "school": school.name, "number": decision_number},
           data={"conditions": item.conditions})
    return item
