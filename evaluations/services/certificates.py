"""Recognition decisions (quyết định công nhận) and their computed dates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdinh import validation
from kiemdinh.permissions import require
from schools.models import School

from .. import certification
from ..models import (
    Certificate,
)
from .common import EvaluationsError, _bump, _event, _locked, _validation_message

if TYPE_CHECKING:
    from schools.models import User


def _check_certificate(certificate: Certificate) -> None:
    problem = certification.levels_problem(
        certificate.decision_date, certificate.accreditation_level, certificate.national_standard_level
    )
    if problem == "national_above_accreditation":
        raise EvaluationsError(_(
            "Theo Thông tư 17, 18, 19/2018, chuẩn quốc gia Mức độ %(n)s tương ứng kết quả đánh giá Mức %(m)s: "
            "cấp độ kiểm định phải từ Cấp độ %(m)s trở lên."
        ) % {"n": certificate.national_standard_level, "m": certificate.national_standard_level + 1})
    if problem:
        raise EvaluationsError(_("Cấp độ hoặc mức độ chuẩn quốc gia không hợp lệ."))
    evaluation = certificate.evaluation if certificate.evaluation_id else None
    if evaluation is not None and evaluation.school_id != certificate.school_id:
        raise EvaluationsError(_("Đợt đánh giá ngoài đã chọn không phải của trường này."))
    if certificate.decision_date > timezone.localdate():
        raise EvaluationsError(_("Ngày quyết định không được ở tương lai."))


CERTIFICATE_FIELDS = (
    "decision_number", "decision_date", "issuing_body", "accreditation_level", "national_standard_level", "evaluation",
    "note",
)


def _save_certificate(certificate: Certificate) -> Certificate:
    _check_certificate(certificate)
    duplicate = _("Quyết định số %(n)s ngày %(d)s của trường này đã được ghi nhận.") % {
        "n": certificate.decision_number, "d": certificate.decision_date.strftime("%d/%m/%Y")}
    if Certificate.objects.filter(
        school_id=certificate.school_id, decision_number=certificate.decision_number,
        decision_date=certificate.decision_date,
    ).exclude(pk=certificate.pk).exists():
        raise EvaluationsError(duplicate)
    try:
        validation.full_clean(certificate, exclude=["valid_until", "earliest_upgrade_date"])
        with transaction.atomic():
            certificate.save()
    except ValidationError as exc:
        raise EvaluationsError(_validation_message(exc))
    except IntegrityError:  # a concurrent save of the same decision
        raise EvaluationsError(duplicate)
    return certificate


@transaction.atomic
def certificate_record(*, school: School, by: User, **fields: Any) -> Certificate:
    """Record a recognition decision; validity and the earliest upgrade date are computed."""
    require(by, "certificate.record", school)
    unknown = set(fields) - set(CERTIFICATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    certificate = _save_certificate(Certificate(school=school, created_by=by, **fields))
    _event("certificate.recorded", by=by, target=certificate, school=school, summary=certificate.decision_number,
           data={"decision_date": certificate.decision_date.isoformat(), "accreditation_level": certificate.accreditation_level,
                 "national_standard_level": certificate.national_standard_level})
    return certificate


@transaction.atomic
def certificate_update(*, certificate: Certificate, by: User, revision: int | None, **fields: Any) -> Certificate:
    require(by, "certificate.record", certificate)
    unknown = set(fields) - set(CERTIFICATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    current = _locked(Certificate, certificate.pk, revision)
    for name, value in fields.items():
        setattr(current, name, value)
    _bump(current)
    saved = _save_certificate(current)
    _event("certificate.updated", by=by, target=saved, school=saved.school, summary=saved.decision_number,
           data={"fields": sorted(fields)})
    return saved
