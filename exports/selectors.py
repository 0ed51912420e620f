"""Reads of the exports: what a user may export, the content to render, the dossier's schools.

Every report is looked up through ``selfassessment.selectors.reports_visible_to`` (another
school's report is a 404); the content of an export is either a frozen version (``reviews``) or
the live draft, both as the dict of ``selfassessment.serializers.report_as_dict``.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Certificate, ReportingDeadline, RoundRegistration
from evaluations.selectors import (
    STATUS_LABELS,
    evaluation_result_rows,
    evaluations_visible_to,
    periodic_report_states,
    submission_status,
)
from reviews import workflow as review_workflow
from reviews.models import CommentThread, ReportVersion, ReviewAssignment
from schools.models import Organisation, School, SchoolYear, User
from schools.scope import scope_of
from schools.years import school_year_chosen, school_year_ending_in
from selfassessment.models import ImprovementAction, ImprovementProgress, Report, WorkingGroup
from selfassessment.selectors import reports_visible_to
from selfassessment.serializers import report_as_dict

from .document import Stamp
from .models import ExportJob

HASH_PREFIX_MIN = 12
_HEX = re.compile(r"^[0-9a-f]+$")


# --- Reports and their content ----------------------------------------------------------------


def report_for_export(user, pk: int) -> Report:
    """A report the user can see (raises Report.DoesNotExist otherwise: a 404)."""
    return reports_visible_to(user).get(pk=pk)


def report_versions(report: Report) -> list:
    """The report's submitted versions, newest first, without their (large) content."""
    return list(
        ReportVersion.objects.filter(report=report).defer("content").select_related("submitted_by").order_by("-number")
    )


def verify_url() -> str:
    return f"{settings.SITE_URL}{reverse('exports:verify')}"


def version_stamp(version) -> Stamp:
    return Stamp(
        version=version.number,
        content_hash=version.content_hash,
        submitted_at=timezone.localtime(version.created_at),
        verify_url=verify_url(),
    )


@dataclass
class ReportSource:
    """What an export of a report renders: the dict, and which content it is."""

    report: Report
    data: dict[str, Any]
    stamp: Stamp
    version: Any = None  # reviews.ReportVersion, or None for the live draft

    @property
    def is_draft(self) -> bool:
        return self.version is None


class NoSubmittedVersionError(LookupError):
    """The report was never submitted, so there is no version to export."""


def report_source(report: Report, *, version_number: int | None = None, draft: bool = False) -> ReportSource:
    """The content to export: the given version, the live draft, or by default the latest version.

    Raises ``ReportVersion.DoesNotExist`` for an unknown version number and
    ``NoSubmittedVersionError`` when no version exists and no draft was asked for.
    """
    if draft:
        return ReportSource(report, report_as_dict(report), Stamp(generated_at=timezone.localtime()))
    versions = ReportVersion.objects.filter(report=report)
    if version_number is not None:
        version = versions.get(number=version_number)
    else:
        version = versions.order_by("-number").first()
        if version is None:
            raise NoSubmittedVersionError(report.pk)
    return ReportSource(report, version.data, version_stamp(version), version)


def working_groups(report: Report) -> list[tuple[str, str]]:
    """(group name, "1.1,1.2,…") of the report's working groups, for their criterion sheets (one query)."""
    groups = WorkingGroup.objects.filter(report=report).prefetch_related("criteria").order_by("position", "pk")
    result = []
    for group in groups:
        numbers = [c.number for c in sorted(group.criteria.all(), key=lambda c: (c.standard_id, c.position))]
        if numbers:
            result.append((group.name, ",".join(numbers)))
    return result


def normalise_code(text: str) -> str:
    """What a person typed from a printed footer: spaces, dots and case do not matter."""
    return re.sub(r"[\s·.\-:]", "", (text or "").strip().lower())


def versions_by_hash(code: str) -> list:
    """Versions whose content hash starts with ``code`` (at least 12 hex digits; at most two returned)."""
    code = normalise_code(code)
    if len(code) < HASH_PREFIX_MIN or len(code) > 64 or not _HEX.match(code):
        return []
    # The content is loaded on purpose: the page re-checks it against the stored hash.
    return list(
        ReportVersion.objects.filter(content_hash__startswith=code)
        .select_related("report__school__reviewing_unit", "report__school_year", "submitted_by")
        .order_by("pk")[:2]
    )


# --- Background jobs -----------------------------------------------------------------------------


def jobs_visible_to(user) -> QuerySet[ExportJob]:
    """Jobs the user asked for, and those of the units they oversee (district staff, the Sở)."""
    scope = scope_of(user)
    qs = ExportJob.objects.select_related("requested_by", "organisation", "organisation__parent")
    if scope.sees_everything:
        return qs
    condition = Q(requested_by=user)
    if scope.district_unit_ids or scope.department_ids:
        condition |= (
            Q(organisation_id__in=scope.district_unit_ids)
            | Q(organisation_id__in=scope.department_ids)
            | Q(organisation__parent_id__in=scope.department_ids)
        )
    return qs.filter(condition)


def job_list(user) -> QuerySet[ExportJob]:
    return jobs_visible_to(user).order_by("-created_at", "-id")


def active_job_for(*, kind: str, params: dict, organisation, among: QuerySet[ExportJob] | None = None
                   ) -> ExportJob | None:
    """A job of the same kind and parameters still queued or running (asking twice builds once).

    ``among``: only jobs of this queryset (e.g. ``jobs_visible_to(user)``), so that nobody is sent to
    a job they may not open.
    """
    jobs = ExportJob.objects if among is None else among
    for job in jobs.filter(kind=kind, organisation=organisation, status__in=ExportJob.ACTIVE_STATUSES):
        if job.params == params:
            return job
    return None


def done_job_for(user, *, kind: str, params: dict, built_after: datetime.datetime | None = None
                 ) -> ExportJob | None:
    """A built job of the same kind and parameters the user may download, still within its time.

    The parameters of a report's job carry the content hash of its version, so an equal job holds
    the same document: it is offered again instead of being built twice. A spreadsheet of live
    figures (the district summary, the dashboard) is offered again only when it was built after
    ``built_after`` (a few minutes ago).
    """
    jobs = jobs_visible_to(user).filter(
        kind=kind, status=ExportJob.Status.DONE, expires_at__gt=timezone.now()
    ).exclude(file="").order_by("-finished_at", "-id")
    if built_after is not None:
        jobs = jobs.filter(finished_at__gt=built_after)
    for job in jobs:
        if job.params == params:
            return job
    return None


def rendered_report_job(params: dict, *, exclude_pk: int | None = None) -> ExportJob | None:
    """A built file of the same report version, format and content hash, whoever asked for it and
    still kept: the rendered document of that content, which a new job copies instead of rendering
    the version again (exports.builders)."""
    jobs = ExportJob.objects.filter(
        kind=ExportJob.Kind.REPORT, status=ExportJob.Status.DONE, expires_at__gt=timezone.now(),
        params__report=params.get("report"), params__version=params.get("version"),
        params__fmt=params.get("fmt"), params__content_hash=params.get("content_hash"),
    ).exclude(file="").exclude(sha256="")
    if exclude_pk is not None:
        jobs = jobs.exclude(pk=exclude_pk)
    return jobs.order_by("-finished_at", "-id").first()


def report_job_rendering_before(job: ExportJob, *, alive_since) -> ExportJob | None:
    """Another job building the same report version, format and content hash that a worker took
    before ``job`` (earlier start, or the same instant and a smaller id) and that is still alive
    (heartbeat since ``alive_since``): ``job`` waits for its file instead of rendering the version
    a second time. The order is total, so two such jobs never wait for each other."""
    params = job.params
    return ExportJob.objects.filter(
        kind=ExportJob.Kind.REPORT, status=ExportJob.Status.RUNNING, heartbeat_at__gte=alive_since,
        params__report=params.get("report"), params__version=params.get("version"),
        params__fmt=params.get("fmt"), params__content_hash=params.get("content_hash"),
    ).filter(
        Q(started_at__lt=job.started_at) | Q(started_at=job.started_at, pk__lt=job.pk)
    ).exclude(pk=job.pk).order_by("started_at", "pk").first()


# --- The dossier of a round ---------------------------------------------------------------------


@dataclass
class DossierEntry:
    """One registered school of a round and the version of its report the dossier carries."""

    school: School
    report: Report | None
    version: Any  # reviews.ReportVersion (with content), or None: the school has no accepted report
    # Why there is no version: the status of the school's report of the round's year, or none at all.
    report_status: str = ""

    @property
    def missing_reason(self) -> str:
        """Why the dossier holds nothing for this school, in words (empty when it holds a version)."""
        if self.version is not None:
            return ""
        if self.report is None:
            return str(_("Chưa có báo cáo tự đánh giá của năm học này"))
        return str(_("Báo cáo chưa được chấp nhận (đang ở trạng thái “%(status)s”)")
                   % {"status": self.report.get_status_display()})


# The statuses whose latest version is the one the district accepted (no new version can be made
# from them without an unlock, which moves the report out of these statuses).
DOSSIER_STATUSES = review_workflow.LOCKED  # accepted and beyond


def round_school_year(evaluation_round) -> SchoolYear | None:
    """The school year whose reports a round carries: the one ending in the round's calendar year
    (round 1 of 2027 carries the reports of 2026-2027), as a plan of that year does."""
    return school_year_ending_in(evaluation_round.year)


def round_entries(evaluation_round) -> list[DossierEntry]:
    """The round's schools in the order of the letter, each with the accepted (or forwarded) version
    of its report of the round's school year; a school with none has ``version`` None.

    Never a version still in review and never one of another year. When a school has both kinds of
    report that year, the one prepared for external evaluation is preferred among accepted ones.
    A fixed number of queries whatever the number of schools.
    """
    registrations = list(
        evaluation_round.registrations.select_related("school", "school__reviewing_unit").order_by(
            "school__level", "school__code"
        )
    )
    school_year = round_school_year(evaluation_round)
    school_ids = [r.school_id for r in registrations]
    reports = list(
        Report.objects.filter(school_id__in=school_ids, school_year=school_year)
        .select_related("school_year", "school")
        .order_by("school_id", "-updated_at", "-pk")
    ) if school_year is not None else []

    def rank(report: Report) -> tuple:
        return (report.status in DOSSIER_STATUSES, report.kind == Report.Kind.EXTERNAL)

    chosen: dict[int, Report] = {}
    for report in reports:
        current = chosen.get(report.school_id)
        if current is None or rank(report) > rank(current):
            chosen[report.school_id] = report
    accepted = [r for r in chosen.values() if r.status in DOSSIER_STATUSES]
    latest: dict[int, Any] = {}
    for version in ReportVersion.objects.filter(report__in=accepted).order_by("report_id", "number"):
        latest[version.report_id] = version
    entries = []
    for registration in registrations:
        report = chosen.get(registration.school_id)
        version = latest.get(report.pk) if report is not None else None
        entries.append(DossierEntry(registration.school, report, version, report.status if report else ""))
    return entries


# --- Spreadsheets from the live data --------------------------------------------------------------


def improvement_actions(report: Report) -> list[ImprovementAction]:
    """The report's improvement plan with its progress notes, in the order of the report (two queries)."""
    return list(
        ImprovementAction.objects.filter(report=report)
        .select_related("criterion__standard", "level4")
        .prefetch_related(Prefetch("progress_notes", queryset=ImprovementProgress.objects.order_by("-date", "-id")))
        .order_by("criterion__standard__position", "criterion__position", "level4__position", "position", "pk")
    )


def summary_units(user) -> list[Organisation]:
    """The reviewing units whose summary the user may export: their district office, or all under their Sở."""
    scope = scope_of(user)
    qs = Organisation.objects.exclude(kind=Organisation.Kind.DEPARTMENT).select_related("parent").order_by("name")
    if not scope.sees_everything:
        qs = qs.filter(Q(pk__in=scope.district_unit_ids) | Q(parent_id__in=scope.department_ids))
    return list(qs)


def summary_school_year(school_year_id: int | None) -> SchoolYear | None:
    """The chosen school year, else the current one (``schools.years``)."""
    return school_year_chosen(school_year_id)


@dataclass
class SummaryRow:
    """One school of the district summary spreadsheet (plain values: a Sở may export a thousand)."""

    unit: str
    code: str
    name: str
    level: str
    ownership: str
    report_status: str = ""
    version: int | None = None
    submitted_at: datetime.datetime | None = None
    reviewer: str = ""
    open_threads: int | None = None
    school_level: int | None = None
    accreditation_level: int | None = None
    national_standard: int | None = None
    # The self-assessment report's own deadline: the dossier date of its round of the year.
    self_deadline: datetime.date | None = None
    self_deadline_status: str = ""
    # Each periodic report of the year (báo cáo định kỳ): period -> (due date, deadline status,
    # the periodic report's own status or "").
    periodic: dict[str, tuple] = field(default_factory=dict)
    certificate_number: str = ""
    certificate_date: datetime.date | None = None
    certificate_accreditation: int | None = None
    certificate_national: int | None = None
    certificate_until: datetime.date | None = None
    certificate_state: str = ""


def district_summary_rows(units: list[Organisation], *, school_year: SchoolYear | None, kind: str,
                          today: datetime.date | None = None) -> list[SummaryRow]:
    """Every active school of ``units`` with its report for the year and kind, the version sent, the
    reviewer, open comments, self-assessed levels, the self-assessment report's deadline (its
    external-evaluation round's dossier date), each periodic report's deadline with that report's
    status, and the latest certificate: a fixed number of queries whatever the number of schools.
    The columns are the district dashboard's (``home.integrations``), read by the same rules.

    Whether a school met a deadline is the evaluations app's answer (``periodic_report_states``, the
    rule of ``deadline_met_by``).
    """
    today = today or timezone.localdate()
    unit_names = {u.pk: u.short_name or u.name for u in units}
    schools = list(
        School.objects.filter(reviewing_unit_id__in=unit_names, status=School.Status.ACTIVE)
        .order_by("reviewing_unit__name", "level", "code")
        .values_list("pk", "reviewing_unit_id", "code", "name", "level", "ownership")
    )
    level_labels, ownership_labels = dict(School.Level.choices), dict(School.Ownership.choices)
    reports: dict[int, dict] = {}
    if school_year is not None:
        # The open report of the year and kind, else the latest closed one.
        for row in (
            Report.objects.filter(school__reviewing_unit_id__in=unit_names, school_year=school_year, kind=kind)
            .order_by("school_id", "created_at", "pk")
            .annotate(first_submitted_at=Subquery(
                ReportVersion.objects.filter(report=OuterRef("pk"), number=1).order_by().values("created_at")[:1]))
            .values("pk", "school_id", "status", "school_level", "accreditation_level", "national_standard",
                    "first_submitted_at")
        ):
            current = reports.get(row["school_id"])
            if current is None or current["status"] == Report.Status.CLOSED or row["status"] != Report.Status.CLOSED:
                reports[row["school_id"]] = row
    report_ids = [r["pk"] for r in reports.values()]
    versions = latest_versions(report_ids) if report_ids else {}
    reviewers = {
        report_id: full_name or username
        for report_id, full_name, username in ReviewAssignment.objects.filter(
            report_id__in=report_ids, is_active=True
        ).values_list("report_id", "reviewer__full_name", "reviewer__username")
    } if report_ids else {}
    threads: dict[int, int] = defaultdict(int)
    if report_ids:
        for report_id in CommentThread.objects.filter(
            report_id__in=report_ids, status=CommentThread.Status.OPEN
        ).values_list("report_id", flat=True):
            threads[report_id] += 1
    deadlines_of: dict[int, list] = defaultdict(list)
    rounds_of: dict[int, tuple] = {}
    if school_year is not None:
        for deadline in ReportingDeadline.objects.for_reports().filter(unit_id__in=unit_names, school_year=school_year):
            deadlines_of[deadline.unit_id].append(deadline)
        for school_id, number, round_year, dossier_date in RoundRegistration.objects.filter(
            round__unit_id__in=unit_names, round__year=school_year.end_date.year
        ).order_by("round__number").values_list("school_id", "round__number", "round__year", "round__dossier_date"):
            rounds_of.setdefault(school_id, (number, round_year, dossier_date))
    deadline_ids = [d.pk for items in deadlines_of.values() for d in items]
    # Each periodic report's status and when it met its deadline (the rule of deadline_met_by).
    periodic_states = periodic_report_states(deadline_ids) if deadline_ids else {}
    certificates: dict[int, Any] = {}
    for certificate in Certificate.objects.filter(school_id__in=[s[0] for s in schools]).order_by(
        "school_id", "decision_date", "id"
    ):
        certificates[certificate.school_id] = certificate
    state_labels = {"valid": "Còn hiệu lực", "expiring": "Sắp hết hạn", "expired": "Hết hiệu lực"}
    rows = []
    status_labels = dict(Report.Status.choices)
    for pk, unit_id, code, name, level, ownership in schools:
        row = SummaryRow(unit_names[unit_id], code, name, str(level_labels.get(level, level)),
                         str(ownership_labels.get(ownership, ownership)))
        report = reports.get(pk)
        if report is not None:
            row.report_status = str(status_labels.get(report["status"], report["status"]))
            row.school_level = report["school_level"]
            row.accreditation_level = report["accreditation_level"]
            row.national_standard = report["national_standard"]
            row.open_threads = threads.get(report["pk"], 0)
            row.reviewer = reviewers.get(report["pk"]) or ""
            if report["pk"] in versions:
                row.version, row.submitted_at = versions[report["pk"]]
        if pk in rounds_of:
            number, round_year, due = rounds_of[pk]
            first = report["first_submitted_at"] if report is not None else None
            met_on = timezone.localdate(first) if first else None
            words = f"Đợt {number} năm {round_year}"
            row.self_deadline = due
            row.self_deadline_status = (
                f"{STATUS_LABELS[submission_status(due, met_on, today)]()} – {words}" if due else f"Chưa định ngày – {words}"
            )
        for deadline in deadlines_of.get(unit_id, ()):
            state, met_at = periodic_states.get((deadline.pk, pk), (None, None))
            status = submission_status(deadline.due_date, timezone.localdate(met_at) if met_at else None, today)
            row.periodic[deadline.period] = (
                deadline.due_date, str(STATUS_LABELS[status]()),
                str(status_labels.get(state, state)) if state else "Chưa mở báo cáo",
            )
        certificate = certificates.get(pk)
        if certificate is not None:
            row.certificate_number = certificate.decision_number
            row.certificate_date = certificate.decision_date
            row.certificate_accreditation = certificate.accreditation_level
            row.certificate_national = certificate.national_standard_level
            row.certificate_until = certificate.valid_until
            row.certificate_state = state_labels.get(certificate.validity_state(today), "")
        rows.append(row)
    return rows


def latest_versions(report_ids: list[int]) -> dict[int, Any]:
    """The latest version number and date of each report (one query)."""
    latest: dict[int, Any] = {}
    rows = ReportVersion.objects.filter(report_id__in=report_ids).order_by("report_id", "number").values_list(
        "report_id", "number", "created_at"
    )
    for report_id, number, created_at in rows:
        latest[report_id] = (number, created_at)
    return latest


def evaluations_for_export(user):
    return evaluations_visible_to(user)


def evaluation_rows(evaluation) -> tuple[list, dict]:
    """Per criterion the self-assessed and the external result; recommendations by criterion."""
    rows = evaluation_result_rows(evaluation)
    recommendations: dict[Any, list[str]] = defaultdict(list)
    for item in evaluation.recommendations.select_related("criterion").order_by("position", "id"):
        recommendations[item.criterion.number if item.criterion_id else ""].append(item.text)
    return rows, recommendations


def round_letter_info(evaluation_round, entries: list[DossierEntry], *, on: datetime.date | None = None):
    """The letter of a round (``official.LetterInfo``) from its schools and their submitted versions."""
    from .document import place_name
    from .official import LetterInfo, LetterSchool, regulation_reference

    unit = evaluation_round.unit
    department = unit.parent.name if unit.parent_id else "Sở Giáo dục và Đào tạo"
    schools, regulations = [], []
    for entry in entries:
        data = entry.version.data if entry.version is not None else {}
        part3 = data.get("part3") or {}
        regulation = data.get("regulation") or {}
        if regulation.get("document_number"):
            reference = regulation_reference(regulation["document_number"], regulation.get("title", ""))
            if reference not in regulations:
                regulations.append(reference)
        schools.append(LetterSchool(
            name=entry.school.name,
            level_label=str(entry.school.get_level_display()),
            level=entry.school.level,
            school_level=part3.get("school_level") if entry.version is not None else None,
            accreditation_level=part3.get("accreditation_level"),
            national_standard=part3.get("national_standard"),
            version=entry.version.number if entry.version is not None else None,
            content_hash=entry.version.content_hash if entry.version is not None else "",
            submitted_on=timezone.localdate(entry.version.created_at) if entry.version is not None else None,
        ))
    return LetterInfo(
        unit_name=unit.name,
        department_name=department,
        head_name=unit.head_name,
        office=unit.office,
        head_title=unit.head_label,
        round_number=evaluation_round.number,
        year=evaluation_round.year,
        place=place_name(unit.name, unit.province),
        schools=schools,
        regulations=sorted(regulations),
        date=on,
    )


def dashboard_filter_words(query) -> list[str]:
    """The filters of a district dashboard query (reviews.selectors.dashboard_query) in words, for
    the heading of its spreadsheet."""
    words = []
    if query.filters.level:
        words.append(str(dict(School.Level.choices)[query.filters.level]))
    if query.filters.status:
        words.append(_("Chưa có báo cáo") if query.filters.status == "none"
                     else str(dict(Report.Status.choices)[query.filters.status]))
    if query.filters.reviewer_id == 0:
        words.append(_("Chưa phân công"))
    elif query.filters.reviewer_id:
        reviewer = User.objects.filter(pk=query.filters.reviewer_id).first()
        if reviewer is not None:
            words.append(_("Chuyên viên: %(name)s") % {"name": reviewer.display_name})
    return words


def active_school_count(units) -> int:
    """How many active schools the units hold: the size of their spreadsheets (one row a school)."""
    return School.objects.filter(reviewing_unit__in=units, status=School.Status.ACTIVE).count()
