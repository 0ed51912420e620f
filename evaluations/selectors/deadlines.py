"""The one answer to "has this school met this deadline?" (``deadline_met_by``) and the deadline
status of each school (on time, late, missing, pending) the dashboards and the deadline pages show."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from schools.models import Organisation, School, SchoolYear
from schools.years import school_year_current

from ..models import (
    Milestone,
    MilestoneCompletion,
    PeriodicReport,
    ReportingDeadline,
    RoundRegistration,
)
from .scope import units_overseen_by

# Statuses of a periodic report that count as "submitted" for its deadline: the school handed it
# in (a report returned for revision was still handed in on the day it was first submitted).
SUBMITTED_STATUSES = frozenset(PeriodicReport.Status.values) - {PeriodicReport.Status.DRAFT}


# --- The one answer to "has this school met this deadline?" -----------------------------------


def periodic_ref(deadline_id: int) -> str:
    return f"periodic:{deadline_id}"


def milestone_ref(milestone_id: int) -> str:
    return f"milestone:{milestone_id}"


def periodic_report_states(
    periodic_ids: Iterable[int],
) -> dict[tuple[int, int], tuple[str, datetime.datetime | None]]:
    """Each periodic report of these deadlines: {(deadline id, school id): (its status, when it met the
    deadline or None)} in one query. Met means handed in (any status after draft) at its first
    submission (``submitted_at``): the rule ``deadline_met_by`` gives every page."""
    states = {}
    for deadline_id, school_id, status, submitted_at in PeriodicReport.objects.filter(
        deadline_id__in=list(periodic_ids)
    ).values_list("deadline_id", "school_id", "status", "submitted_at"):
        met = submitted_at if status in SUBMITTED_STATUSES and submitted_at is not None else None
        states[(deadline_id, school_id)] = (status, met)
    return states


def deadline_met_by(
    *, periodic_ids: Iterable[int] = (), milestone_ids: Iterable[int] = ()
) -> dict[str, dict[int, datetime.datetime]]:
    """Who met each deadline and when: {ref: {id: met_at}} (two queries at most).

    - a periodic deadline is met by a school whose periodic report for it was handed in (any
      status after draft, a report returned for revision included) at its first submission
      (``submitted_at``; a resubmission does not move it, a withdrawal before review cancels it);
    - a school milestone by a registered school that marked it done;
    - a district milestone by its unit (the id in the inner dict is the unit id) once done.
    The reminders, the deadline pages, the school's pages and the district dashboard
    (``home.integrations``) all ask this function: change the rule here and nowhere else.
    """
    result: dict[str, dict[int, datetime.datetime]] = defaultdict(dict)
    periodic_ids = list(periodic_ids)
    milestone_ids = list(milestone_ids)
    if periodic_ids:
        for (deadline_id, school_id), (_status, met_at) in periodic_report_states(periodic_ids).items():
            if met_at is not None:
                result[periodic_ref(deadline_id)][school_id] = met_at
    if milestone_ids:
        for milestone_id, unit_id, done_at in Milestone.objects.filter(
            pk__in=milestone_ids, owner=Milestone.Owner.DISTRICT, done_at__isnull=False
        ).values_list("pk", "round__unit_id", "done_at"):
            result[milestone_ref(milestone_id)][unit_id] = done_at
        for milestone_id, school_id, done_at in MilestoneCompletion.objects.filter(
            milestone_id__in=milestone_ids
        ).values_list("milestone_id", "registration__school_id", "done_at"):
            result[milestone_ref(milestone_id)][school_id] = done_at
    return dict(result)


def pick_deadline(deadlines: list[ReportingDeadline], period: str, today: datetime.date) -> ReportingDeadline | None:
    """The deadline of ``period`` when asked for, else the next one still to come, else the last one
    passed (``deadlines`` in date order): the one a dashboard shows."""
    if period:
        for deadline in deadlines:
            if deadline.period == period:
                return deadline
    upcoming = [d for d in deadlines if d.due_date >= today]
    if upcoming:
        return upcoming[0]
    return deadlines[-1] if deadlines else None


def self_assessment_rounds(
    unit_ids: Iterable[int], school_year: SchoolYear
) -> dict[int, tuple[int, int, datetime.date | None]]:
    """The self-assessment report's deadline of each school registered in a round of the school year
    (the round of calendar year N carries the reports of the year ending in N; the first round when
    several): {school id: (round number, round year, dossier date or None)} (one query)."""
    rounds: dict[int, tuple[int, int, datetime.date | None]] = {}
    for school_id, number, round_year, dossier_date in RoundRegistration.objects.filter(
        round__unit_id__in=list(unit_ids), round__year=school_year.end_date.year
    ).order_by("round__number").values_list("school_id", "round__number", "round__year", "round__dossier_date"):
        rounds.setdefault(school_id, (number, round_year, dossier_date))
    return rounds


def school_has_met(school: School, deadline: ReportingDeadline | Milestone) -> bool:
    """Whether one school met one deadline (a convenience over ``deadline_met_by``)."""
    if isinstance(deadline, ReportingDeadline):
        return school.pk in deadline_met_by(periodic_ids=[deadline.pk]).get(periodic_ref(deadline.pk), {})
    return school.pk in deadline_met_by(milestone_ids=[deadline.pk]).get(milestone_ref(deadline.pk), {})


# --- Deadline status (district dashboard) -----------------------------------------------------

PENDING = "pending"
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
STATUS_LABELS = {
    PENDING: lambda: _("Chưa nộp (còn hạn)"),
    ON_TIME: lambda: _("Nộp đúng hạn"),
    LATE: lambda: _("Nộp muộn"),
    MISSING: lambda: _("Chưa nộp (quá hạn)"),
}
# The colour of each status (pending: the caller's, by how close the day is): its badge, and the row of
# a school behind (late or missing) in a list.
STATUS_TONE = {ON_TIME: "success", LATE: "warning", MISSING: "danger"}
STATUS_CSS = {status: f"text-bg-{tone}" for status, tone in STATUS_TONE.items()}
BEHIND = frozenset({LATE, MISSING})


def status_css(status: str, default: str = "text-bg-light border") -> str:
    """The badge colour of an on-time / late / missing / pending status."""
    return STATUS_CSS.get(status, default)


def submission_status(due: datetime.date, met_on: datetime.date | None, today: datetime.date) -> str:
    """On time / late / missing / still pending, comparing local dates (a report sent at 23:30 on
    the due day is on time)."""
    if met_on is not None:
        return ON_TIME if met_on <= due else LATE
    return MISSING if today > due else PENDING


@dataclass
class SchoolStatus:
    school: School
    status: str
    met_at: datetime.datetime | None = None
    # The school's periodic report for the deadline (filled by ``deadline_status_of``): its review
    # status and latest submission; None when the school has not opened one.
    report_status: str | None = None
    last_submitted_at: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]()

    @property
    def row_css(self) -> str:
        """``table-danger`` / ``table-warning`` for a school behind, else blank."""
        return f"table-{STATUS_TONE[self.status]}" if self.status in BEHIND else ""

    @property
    def report_sent(self) -> bool:
        """Whether the school has a periodic report that is not a draft (one the district may read)."""
        return self.report_status not in (None, PeriodicReport.Status.DRAFT)


@dataclass
class DeadlineStatus:
    deadline: ReportingDeadline
    rows: list[SchoolStatus]
    counts: dict[str, int]
    days_left: int

    @property
    def behind(self) -> list[SchoolStatus]:
        return [row for row in self.rows if row.status in BEHIND]


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    from django.utils import timezone

    return timezone.localdate(moment) if moment is not None else None


def deadline_statuses(deadlines: list[ReportingDeadline], schools: list[School], today: datetime.date) -> list[DeadlineStatus]:
    met = deadline_met_by(periodic_ids=[d.pk for d in deadlines])
    result = []
    for deadline in sorted(deadlines, key=lambda d: d.due_date):
        by_school = met.get(periodic_ref(deadline.pk), {})
        rows = [
            SchoolStatus(s, submission_status(deadline.due_date, _local_date(by_school.get(s.pk)), today), by_school.get(s.pk))
            for s in schools
        ]
        counts = {key: 0 for key in STATUS_LABELS}
        for row in rows:
            counts[row.status] += 1
        result.append(DeadlineStatus(deadline, rows, counts, (deadline.due_date - today).days))
    return result


def active_schools(unit_id: int) -> list[School]:
    return list(School.objects.filter(reviewing_unit_id=unit_id, status=School.Status.ACTIVE).order_by("level", "code"))


def deadline_status_for_unit(unit: Organisation, today: datetime.date) -> list[DeadlineStatus]:
    """For the unit's periodic deadlines of the current school year: each active school on time,
    late, missing or still pending (four queries whatever the number of schools)."""
    year = school_year_current(today)
    if year is None:
        return []
    deadlines = list(
        ReportingDeadline.objects.for_reports().filter(unit=unit, school_year=year).select_related("school_year", "unit")
    )
    if not deadlines:
        return []
    return deadline_statuses(deadlines, active_schools(unit.pk), today)


def deadline_status_of(deadline: ReportingDeadline, today: datetime.date) -> DeadlineStatus:
    """One deadline with the status of each active school of its unit and the review status of each
    school's periodic report (three queries whatever the number of schools)."""
    status = deadline_statuses([deadline], active_schools(deadline.unit_id), today)[0]
    by_school = {
        school_id: (report_status, last)
        for school_id, report_status, last in PeriodicReport.objects.filter(deadline=deadline)
        .order_by().values_list("school_id", "status", "last_submitted_at")
    }
    for row in status.rows:
        row.report_status, row.last_submitted_at = by_school.get(row.school.pk, (None, None))
    return status


def deadline_overview(user, school_year: SchoolYear, today: datetime.date) -> list[tuple[Organisation, list]]:
    """The deadlines page: per unit the user oversees, its two deadlines of the year with counts.

    [(unit, [(period, deadline or None, counts or None)])]; a constant number of queries.
    """
    units = list(units_overseen_by(user))
    deadlines = {
        (d.unit_id, d.period): d
        for d in ReportingDeadline.objects.for_reports().filter(unit__in=units, school_year=school_year)
        .select_related("school_year")
    }
    met = deadline_met_by(periodic_ids=[d.pk for d in deadlines.values()])
    active: dict[int, list[int]] = defaultdict(list)
    for school_id, unit_id in School.objects.filter(reviewing_unit__in=units, status=School.Status.ACTIVE).values_list(
        "pk", "reviewing_unit_id"
    ):
        active[unit_id].append(school_id)
    overview = []
    for unit in units:
        periods = []
        for period in ReportingDeadline.REPORT_PERIODS:
            deadline = deadlines.get((unit.pk, period))
            counts = None
            if deadline is not None:
                by_school = met.get(periodic_ref(deadline.pk), {})
                counts = {key: 0 for key in STATUS_LABELS}
                for school_id in active[unit.pk]:
                    counts[submission_status(deadline.due_date, _local_date(by_school.get(school_id)), today)] += 1
            periods.append((period, deadline, counts))
        overview.append((unit, periods))
    return overview
