"""Recognition certificates: the latest of each school and their validity."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from schools.models import Organisation, School
from schools.selectors import schools_visible_to

from .. import certification
from ..models import (
    Certificate,
)

# --- Certificates -----------------------------------------------------------------------------

# How a certificate's validity state (``certification.validity_state``) is worded and coloured on
# every page: the evaluations pages' badges, the district dashboard, the exports.
VALIDITY_LABELS = {
    certification.VALID: gettext_lazy("Còn hiệu lực"),
    certification.EXPIRING: gettext_lazy("Sắp hết hạn"),
    certification.EXPIRED: gettext_lazy("Hết hiệu lực"),
}
VALIDITY_CSS = {
    certification.VALID: "text-bg-success",
    certification.EXPIRING: "text-bg-warning",
    certification.EXPIRED: "text-bg-danger",
}


def validity_label(state: str | None) -> str:
    """"Còn hiệu lực", "Sắp hết hạn" or "Hết hiệu lực" (the state itself when unknown)."""
    return str(VALIDITY_LABELS[state]) if state in VALIDITY_LABELS else (state or "")


def validity_css(state: str | None, default: str = "text-bg-light") -> str:
    """The badge colour of a validity state."""
    return VALIDITY_CSS.get(state or "", default)


def latest_certificates(school_ids: Iterable[int]) -> dict[int, Certificate]:
    """The latest recognition decision of each school (one query)."""
    latest: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(school_id__in=list(school_ids)).order_by("school_id", "decision_date", "id"):
        latest[certificate.school_id] = certificate
    return latest


@dataclass
class CertificateRow:
    school: School
    certificate: Certificate | None
    state: str | None
    days_left: int | None


def certificate_rows(
    schools: QuerySet[School], today: datetime.date, *, state: str = ""
) -> list[CertificateRow]:
    """Each school with its latest certificate and its validity on ``today`` (two queries).

    ``state``: "valid", "expiring", "expired" or "none" keeps only those rows.
    """
    latest_id = Certificate.objects.filter(school=OuterRef("pk")).order_by("-decision_date", "-id").values("pk")[:1]
    school_list = list(schools.annotate(latest_certificate_id=Subquery(latest_id)).order_by("reviewing_unit__name", "level", "code"))
    certificates = Certificate.objects.in_bulk([s.latest_certificate_id for s in school_list if s.latest_certificate_id])
    rows = []
    for school in school_list:
        certificate = certificates.get(school.latest_certificate_id)
        row_state = certificate.validity_state(today) if certificate else None
        days = (certificate.valid_until - today).days if certificate else None
        if state and (row_state or "none") != state:
            continue
        rows.append(CertificateRow(school, certificate, row_state, days))
    return rows


def expiring_certificates_for_unit(unit: Organisation, today: datetime.date) -> list[CertificateRow]:
    """The unit's schools whose latest recognition expires within six months or has expired
    within the last year: the re-evaluations due (dashboard)."""
    schools = School.objects.filter(reviewing_unit=unit, status=School.Status.ACTIVE).select_related("reviewing_unit")
    rows = [
        row for row in certificate_rows(schools, today)
        if row.state in (certification.EXPIRING, certification.EXPIRED) and row.days_left is not None
        and row.days_left >= -366
    ]
    return sorted(rows, key=lambda row: row.days_left)


def expiring_certificates_for_user(user, today: datetime.date) -> list[CertificateRow]:
    """The same across every school the user sees (the Sở's overview)."""
    rows = [
        row for row in certificate_rows(schools_visible_to(user).filter(status=School.Status.ACTIVE), today)
        if row.state in (certification.EXPIRING, certification.EXPIRED) and row.days_left is not None
        and row.days_left >= -366
    ]
    return sorted(rows, key=lambda row: row.days_left)
