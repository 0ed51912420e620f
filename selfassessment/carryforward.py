"""Start this year's TT57/2026 report from an earlier one (“Bắt đầu báo cáo … theo Thông tư 57”).

What travels, and how it is confirmed:

- the school data and the texts that mean the same under both regulations: copied by
  ``services.report_create(copy_previous=True)`` (Phần I tables where the keys match, general
  texts), each marked "cần rà soát";
- the council, working groups and plan steps: copied as a proposal (every member "cần rà soát"),
  which the principal confirms here (``council_proposal_confirm``) or member by member;
- the evidence library: ``evidence.carryover`` proposes a TT57 criterion for every item; the
  principal confirms each (or ticks several and confirms them together); only then does an item
  get its ``MC.a.b.nn`` code, referring to the same stored file.

The earlier report is not touched: it stays under its own regulation, readable and exportable.
Pressing the button twice gives the same report: the school row is locked, an open report of
the year is reused, and the evidence proposals are made once per item.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from evidence import carryover
from evidence.models import EvidenceCarryOver
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import can, require
from schools.models import School, SchoolYear, User
from standards.models import RegulationVersion
from standards.selectors import regulation_for

from . import services
from .models import CouncilMember, DataTable, Report
from .selectors import previous_report, regulation_date_for

TT57_FAMILY = "2026"


@dataclass(frozen=True)
class Offer:
    """A school that may start its TT57 report from an earlier one (or continue one it started)."""

    school: School
    school_year: SchoolYear
    version: RegulationVersion
    source: Report
    existing: Report | None

    @property
    def started(self) -> bool:
        return self.existing is not None


def is_tt57(report: Report) -> bool:
    return report.regulation_version.regulation.family == TT57_FAMILY


def current_school_year(today: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(start_date__lte=today).order_by("-start_date").first()


def carry_forward_offer(school: School, *, today: datetime.date | None = None) -> Offer | None:
    """The offer for ``school`` today: this school year falls under TT57 and an earlier report exists."""
    today = today or timezone.localdate()
    year = current_school_year(today)
    if year is None or school.status != School.Status.ACTIVE:
        return None
    version = regulation_for(school.level, regulation_date_for(year, today), school_year=year.code)
    if version is None or version.regulation.family != TT57_FAMILY:
        return None
    source = previous_report(school, year, Report.Kind.PERIODIC)
    if source is None:
        return None
    existing = (
        Report.objects.filter(school=school, school_year=year, kind=Report.Kind.PERIODIC)
        .exclude(status=Report.Status.CLOSED)
        .select_related("regulation_version__regulation", "copied_from__school_year")
        .first()
    )
    return Offer(school=school, school_year=year, version=version, source=source, existing=existing)


def offers_for(user, *, today: datetime.date | None = None) -> list[Offer]:
    """Offers for the schools the user is principal of (the button on the report list)."""
    from .selectors import creatable_schools

    offers = []
    for school in creatable_schools(user):
        if can(user, "report.carry_forward", school):
            offer = carry_forward_offer(school, today=today)
            if offer is not None:
                offers.append(offer)
    return offers


@transaction.atomic
def report_carry_forward(*, school: School, by: User, today: datetime.date | None = None) -> tuple[Report, bool]:
    """Create (or find) this year's TT57 report from the school's latest earlier one; propose the evidence codes.

    Returns (report, created). Idempotent: a second call finds the report the first one made and
    adds proposals only for items added to the library since.
    """
    require(by, "report.carry_forward", school)
    school = School.objects.select_for_update().get(pk=school.pk)
    offer = carry_forward_offer(school, today=today)
    if offer is None:
        raise services.ReportError(
            _("Trường chưa có báo cáo của năm học trước, hoặc năm học hiện tại chưa áp dụng Thông tư 57; "
              "hãy tạo báo cáo mới theo cách thông thường.")
        )
    if offer.existing is not None:
        if not is_tt57(offer.existing):
            raise services.ReportError(
                _("Trường đã có báo cáo năm học %(year)s theo %(reg)s; đề nghị quản trị hệ thống chuyển báo cáo đó "
                  "sang Thông tư 57 trước khi chuyển minh chứng.")
                % {"year": offer.school_year.code, "reg": offer.existing.regulation_version.regulation.code}
            )
        report, created = offer.existing, False
    else:
        report = services.report_create(
            school=school, school_year=offer.school_year, kind=Report.Kind.PERIODIC, by=by, copy_previous=True,
            today=today,
        )
        if not is_tt57(report):  # the regulation changed between the offer and the creation
            raise services.ReportError(_("Năm học %(year)s chưa áp dụng Thông tư 57.") % {"year": offer.school_year.code})
        created = True
        event_record(
            actor=by, action="selfassessment.report.carried_forward", target=report, school=school,
            summary=Text(N_("Bắt đầu báo cáo %(year)s theo %(reg)s từ báo cáo %(source)s"), {"year": report.school_year.code, "reg": report.regulation_version.regulation.code,
               "source": offer.source.school_year.code}),
            data={"source_report": offer.source.pk, "regulation": report.regulation_version.regulation.code},
        )
    carryover.carry_overs_propose(school=school, version=report.regulation_version, by=by)
    return report, created


@transaction.atomic
def council_proposal_confirm(*, report: Report, by: User) -> int:
    """Confirm the council carried from last year as this year's (members no longer "cần rà soát")."""
    require(by, "report.manage_council", report)
    changed = CouncilMember.objects.filter(report=report, needs_review=True).update(needs_review=False)
    if changed:
        Report.objects.filter(pk=report.pk).update(council_revision=report.council_revision + 1)
        event_record(
            actor=by, action="selfassessment.council.confirmed", target=report, school=report.school,
            summary=Text(N_("Xác nhận %(count)s thành viên Hội đồng chuyển từ năm trước"), {"count": changed}),
        )
    return changed


# --- the confirmation page -----------------------------------------------------------------------


@dataclass(frozen=True)
class CarryForwardPage:
    report: Report
    source: Report | None
    members: list[CouncilMember]
    members_to_review: int
    tables_carried: int
    carry_overs: list[EvidenceCarryOver]
    counts: carryover.CarryOverCounts
    criteria: list  # the TT57 criteria to choose from
    unproposed: int  # library items without a proposal yet (a report started another way, items added since)


def carry_forward_page(report: Report) -> CarryForwardPage:
    """Everything the confirmation page shows, in a fixed number of queries."""
    regulation = report.regulation_version.regulation
    members = list(CouncilMember.objects.filter(report=report).order_by("position", "pk"))
    return CarryForwardPage(
        report=report,
        source=report.copied_from,
        members=members,
        members_to_review=sum(1 for m in members if m.needs_review),
        tables_carried=DataTable.objects.filter(report=report, needs_review=True).count(),
        carry_overs=list(carryover.carry_overs_for(report.school, regulation)),
        counts=carryover.carry_over_counts(report.school, regulation),
        criteria=carryover.target_criteria(report.regulation_version, report.school),
        unproposed=carryover.unproposed_count(report.school, regulation),
    )
