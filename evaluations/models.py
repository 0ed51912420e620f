"""The district's year of accreditation work beyond the report itself.

- ``AccreditationPlan`` (kế hoạch KĐCLGD năm): which schools of a reviewing unit undergo
  accreditation in a year, with targets by school level (Đống Đa 2024: 6 MN, 4 TH, 9 THCS).
- ``EvaluationRound`` (đợt đánh giá ngoài, đợt 1 / đợt 2) with its registered schools and its
  schedule of ``Milestone`` rows, owned by the schools (done per school: ``MilestoneCompletion``)
  or by the district office, as in the Long Biên 2016-2017 plan.
- ``ExternalEvaluation`` (đánh giá ngoài) by the Sở's team: members, visit dates, the external
  result of each criterion beside the self-assessed one, recommendations (kiến nghị), proposed
  levels.
- ``Certificate``: the Sở's recognition decision, valid 5 years (dates computed, never typed).
- ``ReportingDeadline`` (20/12 and 10/5 by default, set per unit and school year) and
  ``PeriodicReport`` (báo cáo định kỳ) with one ``PeriodicProgress`` line per improvement action,
  reviewed through the review workflow's transitions table (``services.periodic``).
- ``ReminderLog``: one row per reminder sent; its unique key makes sending idempotent.

Editable rows carry a ``revision`` counter: a form posts the revision it was rendered with and the
service refuses the save when someone else changed the row meanwhile.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from schools.models import School
from selfassessment.models import Report as SelfAssessmentReport

from . import certification, recognition

LEVEL_CHOICES_ACCREDITATION = [(1, _("Cấp độ 1")), (2, _("Cấp độ 2")), (3, _("Cấp độ 3")), (4, _("Cấp độ 4"))]
LEVEL_CHOICES_NATIONAL = [
    (0, _("Chưa đạt chuẩn quốc gia")), (1, _("Chuẩn quốc gia Mức độ 1")), (2, _("Chuẩn quốc gia Mức độ 2")),
]


class AccreditationPlan(models.Model):
    """The year's accreditation plan of a reviewing unit (kế hoạch kiểm định chất lượng giáo dục năm)."""

    unit = models.ForeignKey(
        "schools.Organisation", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="accreditation_plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"), help_text=_("Năm thực hiện kiểm định, ví dụ 2024."))
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch kiểm định năm")
        verbose_name_plural = _("kế hoạch kiểm định năm")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="evaluations_accreditationplan_unique_unit_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="evaluations_accreditationplan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.unit} – {self.year}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)


class PlanTarget(models.Model):
    """How many schools of one level the plan sets out to accredit."""

    plan = models.ForeignKey(AccreditationPlan, on_delete=models.CASCADE, related_name="targets")
    level = models.CharField(_("cấp học"), max_length=10, choices=School.Level.choices)
    count = models.PositiveSmallIntegerField(_("chỉ tiêu"))

    class Meta:
        verbose_name = _("chỉ tiêu theo cấp học")
        verbose_name_plural = _("chỉ tiêu theo cấp học")
        constraints = [
            models.UniqueConstraint(fields=["plan", "level"], name="evaluations_plantarget_unique_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.count}"


class PlannedSchool(models.Model):
    """A school in the year's plan."""

    class Purpose(models.TextChoices):
        FIRST = "first", _("Đánh giá lần đầu")
        RENEWAL = "renewal", _("Đánh giá lại (hết hạn công nhận)")
        UPGRADE = "upgrade", _("Đánh giá nâng mức")

    plan = models.ForeignKey(AccreditationPlan, on_delete=models.CASCADE, related_name="entries")
    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="plan_entries")
    purpose = models.CharField(_("mục đích"), max_length=10, choices=Purpose.choices, default=Purpose.FIRST)
    target_accreditation_level = models.PositiveSmallIntegerField(
        _("cấp độ phấn đấu"), null=True, blank=True, choices=LEVEL_CHOICES_ACCREDITATION
    )
    target_national_standard = models.PositiveSmallIntegerField(
        _("chuẩn quốc gia phấn đấu"), null=True, blank=True, choices=LEVEL_CHOICES_NATIONAL
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("trường trong kế hoạch")
        verbose_name_plural = _("trường trong kế hoạch")
        ordering = ["plan", "school__level", "school__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "school"], name="evaluations_plannedschool_unique_school"),
            models.CheckConstraint(
                condition=Q(target_accreditation_level__isnull=True) | Q(target_accreditation_level__gte=1,
                                                                          target_accreditation_level__lte=4),
                name="evaluations_plannedschool_accreditation_range",
            ),
            models.CheckConstraint(
                condition=Q(target_national_standard__isnull=True) | Q(target_national_standard__lte=2),
                name="evaluations_plannedschool_national_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.school}"


class EvaluationRound(models.Model):
    """An external-evaluation round (đợt đánh giá ngoài) of a reviewing unit with the Sở."""

    unit = models.ForeignKey(
        "schools.Organisation", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("đợt"))
    dossier_date = models.DateField(
        _("ngày nộp hồ sơ đăng ký"), null=True, blank=True,
        help_text=_("Ngày các trường nộp hồ sơ đăng ký KĐCLGD về Phòng GD&ĐT; lịch mặc định tính từ ngày này."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đợt đánh giá ngoài")
        verbose_name_plural = _("đợt đánh giá ngoài")
        ordering = ["-year", "number", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="evaluations_evaluationround_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="evaluations_evaluationround_number_range"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="evaluations_evaluationround_year_range"),
        ]

    def __str__(self) -> str:
        return _("Đợt %(number)s năm %(year)s") % {"number": self.number, "year": self.year}


class RoundRegistration(models.Model):
    """A school registered for external evaluation in a round (đăng ký đánh giá ngoài)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="registrations")
    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="round_registrations"
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trường đăng ký đánh giá ngoài")
        verbose_name_plural = _("trường đăng ký đánh giá ngoài")
        ordering = ["round", "school__level", "school__code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "school"], name="evaluations_roundregistration_unique_school"),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.school}"


class Milestone(models.Model):
    """One step of a round's schedule with its date and owner (nhà trường or Phòng GD&ĐT).

    A district milestone is done once (``done_at``); a school milestone is done per registered
    school (``MilestoneCompletion``).
    """

    class Owner(models.TextChoices):
        SCHOOL = "school", _("Nhà trường")
        DISTRICT = "district", _("Phòng GD&ĐT")

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="milestones")
    owner = models.CharField(_("bên thực hiện"), max_length=10, choices=Owner.choices)
    title = models.CharField(_("nội dung công việc"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    due_date = models.DateField(_("thời hạn"))
    position = models.PositiveSmallIntegerField(default=0)
    # The step of the default schedule this row came from (empty when added by hand).
    template_key = models.CharField(max_length=40, blank=True, editable=False)
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mốc thời gian")
        verbose_name_plural = _("mốc thời gian")
        ordering = ["round", "owner", "due_date", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner="district") | Q(done_at__isnull=True),
                name="evaluations_milestone_school_done_per_school",
            ),
            models.CheckConstraint(
                condition=Q(owner__in=["school", "district"]), name="evaluations_milestone_owner_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_school(self) -> bool:
        return self.owner == self.Owner.SCHOOL


class MilestoneCompletion(models.Model):
    """A school milestone done by one registered school."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="completions")
    registration = models.ForeignKey(RoundRegistration, on_delete=models.CASCADE, related_name="completions")
    done_at = models.DateTimeField(_("hoàn thành lúc"))
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("mốc đã hoàn thành")
        verbose_name_plural = _("mốc đã hoàn thành")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "registration"], name="evaluations_milestonecompletion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} – {self.registration.school_id}"


class ReportingDeadlineQuerySet(models.QuerySet):
    def for_reports(self):
        """The deadlines of a periodic report (semester I, year end): the only ones with PeriodicReports."""
        return self.filter(period__in=ReportingDeadline.REPORT_PERIODS)

    def for_tt57(self):
        """The deadlines of TT57 without a report of their own (approval 15/6, the two monitoring points)."""
        return self.exclude(period__in=ReportingDeadline.REPORT_PERIODS)


class ReportingDeadline(models.Model):
    """A dated duty of a reviewing unit's schools in a school year, configured by the unit.

    ``semester1`` / ``year_end``: the periodic report (báo cáo định kỳ) of the letters (20/12, 10/5);
    only these two create ``PeriodicReport`` rows. The TT57/2026 kinds are deadlines only, met by
    the school's own records: ``plan_approval`` (the self-assessment report approved by 15/6,
    điểm d khoản 3 Điều 9) and the two reviews of the improvement plan (Biểu 2 mục VI, "Cuối học
    kỳ I" and "Cuối năm học"). A unit keeps, moves, adds or removes any of them (``evaluations.deadlines57``).
    """

    class Period(models.TextChoices):
        SEMESTER_1 = "semester1", _("Học kỳ I")
        YEAR_END = "year_end", _("Cuối năm học")
        PLAN_APPROVAL = "plan_approval", _("Phê duyệt báo cáo tự đánh giá")
        MONITORING_SEMESTER_1 = "monitoring_semester1", _("Rà soát kế hoạch cải tiến cuối học kỳ I")
        MONITORING_YEAR_END = "monitoring_year_end", _("Rà soát kế hoạch cải tiến cuối năm học")

    REPORT_PERIODS = ("semester1", "year_end")

    unit = models.ForeignKey(
        "schools.Organisation", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reporting_deadlines"
    )
    school_year = models.ForeignKey(
        "schools.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT, related_name="reporting_deadlines"
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=24, choices=Period.choices)
    due_date = models.DateField(_("hạn nộp"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportingDeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("hạn báo cáo định kỳ")
        verbose_name_plural = _("hạn báo cáo định kỳ")
        ordering = ["due_date", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "school_year", "period"], name="evaluations_reportingdeadline_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period__in=["semester1", "year_end", "plan_approval", "monitoring_semester1",
                                        "monitoring_year_end"]),
                name="evaluations_reportingdeadline_period_valid",
            ),
        ]

    def __str__(self) -> str:
        if not self.is_report:
            return f"{self.get_period_display()} – {self.school_year.code}"
        return _("Báo cáo %(period)s") % {"period": self.period_title}

    @property
    def is_report(self) -> bool:
        """Whether schools hand in a periodic report for it (semester I, year end)."""
        return self.period in self.REPORT_PERIODS

    @property
    def period_title(self) -> str:
        """"học kỳ I năm học 2026-2027" or "cuối năm học 2026-2027"."""
        if self.period == self.Period.SEMESTER_1:
            return str(_("học kỳ I năm học %(year)s") % {"year": self.school_year.code})
        if self.period == self.Period.YEAR_END:
            return str(_("cuối năm học %(year)s") % {"year": self.school_year.code})
        return f"{self.get_period_display()} – {self.school_year.code}"

    @property
    def short_period(self) -> str:
        if self.period == self.Period.SEMESTER_1:
            return str(_("học kỳ I"))
        if self.period == self.Period.YEAR_END:
            return str(_("cuối năm học"))
        return str(self.get_period_display())


class PeriodicReport(models.Model):
    """A school's periodic report (báo cáo định kỳ) for one deadline: its self-assessment results and
    the progress of each improvement action, reviewed by the district like the self-assessment report.

    The statuses are those of the self-assessment report and move through the same transitions
    table (``reviews.workflow``, applied by ``services.periodic``); accepted is the end here.
    ``submitted_at`` is the first submission: it decides on time or late, a resubmission after a
    return does not change it. ``results`` and the progress lines are frozen at each submission,
    so later edits of the self-assessment report never change what was sent.
    """

    # The self-assessment report's statuses, declared once there (the workflow is the same).
    Status = SelfAssessmentReport.Status
    EDITABLE_STATUSES = SelfAssessmentReport.EDITABLE_STATUSES

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="periodic_reports")
    deadline = models.ForeignKey(ReportingDeadline, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The latest submission (a resubmission after a return); ``results`` were frozen then.
    last_submitted_at = models.DateTimeField(_("nộp gần nhất lúc"), null=True, blank=True)
    summary = models.TextField(_("tóm tắt kết quả tự đánh giá và thực hiện kế hoạch cải tiến"), blank=True)
    # The self-assessment report the results and the improvement actions come from (chosen when
    # the draft is opened: the school's current report of the deadline's school year or before).
    source_report = models.ForeignKey(
        "selfassessment.Report", verbose_name=_("báo cáo tự đánh giá"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # The results as sent (empty until the first submission): see ``evaluations.periodic``.
    results = models.JSONField(_("kết quả tự đánh giá đã nộp"), default=dict, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_note = models.TextField(_("nhận xét của Phòng GD&ĐT"), blank=True)
    accepted_at = models.DateTimeField(_("chấp nhận lúc"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["deadline", "school__code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "deadline"], name="evaluations_periodicreport_unique_school"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="evaluations_periodicreport_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "in_review", "returned", "resubmitted", "accepted",
                                        "forwarded", "closed"]),
                name="evaluations_periodicreport_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="evaluations_periodicreport_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} – {self.deadline}"

    @property
    def is_editable(self) -> bool:
        """The school writes only in a draft or a report returned for revision."""
        return self.status in self.EDITABLE_STATUSES


class PeriodicProgress(models.Model):
    """One improvement action of the school's plan as reported in a periodic report: the action as it
    stood (frozen at submission) and the school's text on its progress (tiến độ thực hiện)."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="progress_lines")
    # The tracked action; kept as text below so that a deleted action leaves the sent report intact.
    action = models.ForeignKey(
        "selfassessment.ImprovementAction", verbose_name=_("biện pháp cải tiến"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    position = models.PositiveSmallIntegerField(default=0)
    target = models.CharField(_("tiêu chí"), max_length=120, blank=True)
    action_text = models.TextField(_("nội dung, biện pháp cải tiến"))
    # The action's status (selfassessment.ImprovementAction.Status) when the report was last saved or sent.
    action_status = models.CharField(_("tình trạng"), max_length=12, blank=True)
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    progress = models.TextField(_("tiến độ thực hiện"), blank=True)

    class Meta:
        verbose_name = _("tiến độ biện pháp cải tiến")
        verbose_name_plural = _("tiến độ biện pháp cải tiến")
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "action"], condition=Q(action__isnull=False),
                name="evaluations_periodicprogress_unique_action",
            ),
        ]

    def __str__(self) -> str:
        return self.action_text[:60]


class ExternalEvaluation(models.Model):
    """An external evaluation (đánh giá ngoài) of a school by the Sở's team, and its result.

    Steps (domain.md): study the dossier, preliminary visit, official visit, draft report, the
    school's feedback on the draft, final report; then the Sở's decision (``Certificate``).
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Đang đánh giá")
        COMPLETED = "completed", _("Đã có báo cáo chính thức")

    # The moves between these are declared once: services.external.EXTERNAL_EVALUATION (kiemdinh.workflow).

    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="external_evaluations"
    )
    registration = models.OneToOneField(
        RoundRegistration, verbose_name=_("đăng ký"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="evaluation",
    )
    regulation_version = models.ForeignKey(
        "standards.RegulationVersion", verbose_name=_("bộ tiêu chuẩn"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    team_decision_number = models.CharField(_("số quyết định thành lập đoàn"), max_length=60, blank=True)
    team_decision_date = models.DateField(_("ngày quyết định thành lập đoàn"), null=True, blank=True)
    dossier_study_date = models.DateField(_("nghiên cứu hồ sơ"), null=True, blank=True)
    preliminary_visit_date = models.DateField(_("khảo sát sơ bộ"), null=True, blank=True)
    visit_start = models.DateField(_("khảo sát chính thức từ ngày"), null=True, blank=True)
    visit_end = models.DateField(_("đến ngày"), null=True, blank=True)
    draft_report_date = models.DateField(_("dự thảo báo cáo"), null=True, blank=True)
    school_feedback_date = models.DateField(_("nhà trường phản hồi dự thảo"), null=True, blank=True)
    final_report_date = models.DateField(_("báo cáo chính thức"), null=True, blank=True)
    strengths = models.TextField(_("điểm mạnh"), blank=True)
    weaknesses = models.TextField(_("điểm yếu"), blank=True)
    proposed_accreditation_level = models.PositiveSmallIntegerField(
        _("đề nghị công nhận cấp độ"), null=True, blank=True,
        choices=[(0, _("Không đề nghị công nhận"))] + LEVEL_CHOICES_ACCREDITATION,
    )
    proposed_national_standard = models.PositiveSmallIntegerField(
        _("đề nghị công nhận chuẩn quốc gia"), null=True, blank=True, choices=LEVEL_CHOICES_NATIONAL
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đánh giá ngoài")
        verbose_name_plural = _("đánh giá ngoài")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_start__isnull=True) | Q(visit_end__isnull=True) | Q(visit_end__gte=F("visit_start")),
                name="evaluations_externalevaluation_visit_ordered",
            ),
            models.CheckConstraint(
                condition=Q(proposed_accreditation_level__isnull=True) | Q(proposed_accreditation_level__lte=4),
                name="evaluations_externalevaluation_accreditation_range",
            ),
            models.CheckConstraint(
                condition=Q(proposed_national_standard__isnull=True) | Q(proposed_national_standard__lte=2),
                name="evaluations_externalevaluation_national_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["in_progress", "completed"]), name="evaluations_externalevaluation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(final_report_date__isnull=False),
                name="evaluations_externalevaluation_completed_has_report",
            ),
        ]

    def __str__(self) -> str:
        return _("Đánh giá ngoài %(school)s") % {"school": self.school}

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class TeamMember(models.Model):
    """A member of the external-evaluation team (đoàn đánh giá ngoài)."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Trưởng đoàn")
        SECRETARY = "secretary", _("Thư ký")
        MEMBER = "member", _("Thành viên")

    evaluation = models.ForeignKey(ExternalEvaluation, on_delete=models.CASCADE, related_name="team")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    role = models.CharField(_("nhiệm vụ"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    workplace = models.CharField(_("đơn vị công tác"), max_length=200, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("thành viên đoàn")
        verbose_name_plural = _("thành viên đoàn")
        ordering = ["evaluation", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"], condition=Q(role="leader"), name="evaluations_teammember_one_leader"
            ),
            models.UniqueConstraint(
                fields=["evaluation"], condition=Q(role="secretary"), name="evaluations_teammember_one_secretary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class CriterionResult(models.Model):
    """The external team's level for one criterion, beside the level the school assessed itself.

    ``self_level`` is the self-assessed level as it stands in the school's dossier; the page shows
    the one computed in the school's report when the report is in the system.
    """

    evaluation = models.ForeignKey(ExternalEvaluation, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey("standards.Criterion", verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("mức đánh giá ngoài"))
    self_level = models.PositiveSmallIntegerField(_("mức tự đánh giá"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("kết quả đánh giá ngoài theo tiêu chí")
        verbose_name_plural = _("kết quả đánh giá ngoài theo tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluations_criterionresult_unique"),
            models.CheckConstraint(condition=Q(level__lte=4), name="evaluations_criterionresult_level_range"),
            models.CheckConstraint(
                condition=Q(self_level__isnull=True) | Q(self_level__lte=4),
                name="evaluations_criterionresult_self_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level}"


class Recommendation(models.Model):
    """A recommendation (kiến nghị) of the external team; the school plans its improvement from it.

    ``action`` is the improvement action the school made of it in its report's plan (kế hoạch cải
    tiến chất lượng), followed there through the year.
    """

    evaluation = models.ForeignKey(ExternalEvaluation, on_delete=models.CASCADE, related_name="recommendations")
    criterion = models.ForeignKey(
        "standards.Criterion", verbose_name=_("tiêu chí"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("nội dung kiến nghị"))
    position = models.PositiveSmallIntegerField(default=0)
    action = models.ForeignKey(
        "selfassessment.ImprovementAction", verbose_name=_("biện pháp cải tiến"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    adopted_at = models.DateTimeField(_("đưa vào kế hoạch cải tiến lúc"), null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["evaluation", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class DecisionRecord(models.Model):
    """What every recognition decision of the Sở records, whichever regulation it follows: the
    decision (number, date, issuing body), the expiry computed from it, the note, the edit revision
    and who recorded it. A decision is unique per school by number and date and expires after it.

    A subclass names its ``school`` and its level fields, and computes its dates in
    ``compute_dates``; ``save`` runs it on every save, wherever the save comes from, and adds the
    ``COMPUTED_DATES`` to an ``update_fields`` that names one of the ``DATE_SOURCES``.
    """

    DATE_SOURCES: ClassVar[frozenset[str]] = frozenset({"decision_date"})
    COMPUTED_DATES: ClassVar[tuple[str, ...]] = ("valid_until",)

    school: models.ForeignKey[School, School]

    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    valid_until = models.DateField(_("hiệu lực đến"), editable=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-decision_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "decision_number", "decision_date"], name="%(app_label)s_%(class)s_unique_decision"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("decision_date")), name="%(app_label)s_%(class)s_valid_after_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} – {self.school}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.decision_date:
            self.compute_dates()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and self.DATE_SOURCES & set(update_fields):
                kwargs["update_fields"] = {*update_fields, *self.COMPUTED_DATES}
        super().save(*args, **kwargs)

    if TYPE_CHECKING:
        # Each kind of decision sets ``COMPUTED_DATES`` from the decision by its own regulation
        # (Certificate, Recognition57); the base has no rule of its own to fall back on.
        def compute_dates(self) -> None: ...

    def validity_state(self, today: datetime.date) -> str:
        return certification.validity_state(self.valid_until, today)


class Certificate(DecisionRecord):
    """A recognition decision (quyết định công nhận) and its certificate.

    ``valid_until`` and ``earliest_upgrade_date`` are computed from the decision date by
    ``certification`` whenever the row is saved; nobody types them.
    """

    COMPUTED_DATES = ("valid_until", "earliest_upgrade_date")

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="certificates")
    evaluation = models.ForeignKey(
        ExternalEvaluation, verbose_name=_("đợt đánh giá ngoài"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="certificates",
    )
    accreditation_level = models.PositiveSmallIntegerField(_("cấp độ kiểm định"), choices=LEVEL_CHOICES_ACCREDITATION)
    national_standard_level = models.PositiveSmallIntegerField(
        _("chuẩn quốc gia"), choices=LEVEL_CHOICES_NATIONAL, default=0
    )
    earliest_upgrade_date = models.DateField(_("được đăng ký nâng mức từ"), editable=False)

    class Meta(DecisionRecord.Meta):
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        constraints = [
            *DecisionRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(accreditation_level__gte=1, accreditation_level__lte=4),
                name="evaluations_certificate_accreditation_range",
            ),
            models.CheckConstraint(
                condition=Q(national_standard_level__lte=2), name="evaluations_certificate_national_range"
            ),
        ]
        indexes = [models.Index(fields=["school", "-decision_date"], name="evaluations_cert_school_date")]

    def compute_dates(self) -> None:
        self.valid_until = certification.valid_until(self.decision_date)
        self.earliest_upgrade_date = certification.earliest_upgrade_date(self.decision_date)


class ReminderLog(models.Model):
    """One reminder sent: the unique ``key`` makes a re-run, a second beat or a retried task a no-op.

    The key names the deadline, its due date, the recipient (a school, or the district office for
    its own milestones and for overdue summaries), the kind and the stage (days before/after).
    """

    class Kind(models.TextChoices):
        BEFORE = "before", _("Nhắc trước hạn")
        OVERDUE = "overdue", _("Quá hạn")
        SUMMARY = "summary", _("Tổng hợp quá hạn gửi Phòng GD&ĐT")

    key = models.CharField(max_length=160)
    reporting_deadline = models.ForeignKey(
        ReportingDeadline, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField(_("hạn"))
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("schools.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(_("số ngày trước/sau hạn"))
    day = models.DateField(_("ngày gửi"))
    recipients = models.PositiveSmallIntegerField(_("số người nhận"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhắc hạn đã gửi")
        verbose_name_plural = _("nhắc hạn đã gửi")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="evaluations_reminderlog_unique_key"),
            models.CheckConstraint(
                condition=Q(reporting_deadline__isnull=True, milestone__isnull=False)
                | Q(reporting_deadline__isnull=False, milestone__isnull=True),
                name="evaluations_reminderlog_one_deadline",
            ),
            models.UniqueConstraint(
                fields=["reporting_deadline", "due_date", "school", "kind", "days"],
                condition=Q(reporting_deadline__isnull=False, school__isnull=False),
                name="evaluations_reminderlog_unique_periodic_school",
            ),
            models.UniqueConstraint(
                fields=["milestone", "due_date", "school", "kind", "days"],
                condition=Q(milestone__isnull=False, school__isnull=False),
                name="evaluations_reminderlog_unique_milestone_school",
            ),
            models.UniqueConstraint(
                fields=["reporting_deadline", "due_date", "unit", "kind", "days"],
                condition=Q(reporting_deadline__isnull=False, school__isnull=True),
                name="evaluations_reminderlog_unique_periodic_unit",
            ),
            models.UniqueConstraint(
                fields=["milestone", "due_date", "unit", "kind", "days"],
                condition=Q(milestone__isnull=False, school__isnull=True),
                name="evaluations_reminderlog_unique_milestone_unit",
            ),
        ]
        indexes = [models.Index(fields=["day"], name="evaluations_reminder_day")]

    def __str__(self) -> str:
        return self.key


DEGREE_CHOICES_TT57 = [(1, _("Mức độ 1")), (2, _("Mức độ 2"))]
FACILITIES_CHOICES_TT57 = [
    (0, _("Chưa đáp ứng")), (1, _("Đáp ứng yêu cầu Mức độ 1")), (2, _("Đáp ứng yêu cầu Mức độ 2")),
]


class Facilities57(models.Model):
    """Điều kiện d khoản 1 Điều 16 TT57/2026, recorded by the Sở for one school: the recognition
    degree whose requirements on facilities, teaching equipment, school safety and the other legal
    conditions the school meets (0: none yet), with the Sở's note."""

    school = models.OneToOneField(
        "schools.School", verbose_name=_("trường"), on_delete=models.CASCADE, related_name="facilities57"
    )
    degree = models.PositiveSmallIntegerField(_("cơ sở vật chất, thiết bị, an toàn trường học"),
                                              choices=FACILITIES_CHOICES_TT57, default=0)
    note = models.TextField(_("ghi chú của Sở GD&ĐT"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now=True)

    class Meta:
        verbose_name = _("điều kiện cơ sở vật chất (TT57)")
        verbose_name_plural = _("điều kiện cơ sở vật chất (TT57)")
        constraints = [
            models.CheckConstraint(condition=Q(degree__lte=2), name="evaluations_facilities57_degree_range"),
        ]

    def __str__(self) -> str:
        return f"{self.school} – {self.get_degree_display()}"


class Recognition57(DecisionRecord):
    """A recognition of a school as meeting the national standard under TT57/2026 (Điều 16-19),
    decided by the Sở: Mức độ 1 or 2, valid 5 years from the decision date (khoản 2 Điều 19); a
    school recognised at Mức độ 1 may be considered for Mức độ 2 two years after (khoản 4 Điều 19).
    The dates are computed (``recognition``), never typed. ``conditions`` freezes the four
    conditions of khoản 1 Điều 16 as the system showed them when the decision was recorded.
    Certificates decided before 07/7/2026 stay ``Certificate`` rows with their own expiry."""

    DATE_SOURCES = frozenset({"decision_date", "degree"})
    COMPUTED_DATES = ("valid_until", "upgrade_eligible_on")

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT,
                               related_name="recognitions57")
    degree = models.PositiveSmallIntegerField(_("mức độ công nhận"), choices=DEGREE_CHOICES_TT57)
    upgrade_eligible_on = models.DateField(_("được xem xét công nhận Mức độ 2 từ"), null=True, blank=True, editable=False)
    conditions = models.JSONField(_("điều kiện khi công nhận"), default=dict, blank=True)
    conditions_note = models.TextField(_("căn cứ xác nhận điều kiện ngoài hệ thống"), blank=True)

    class Meta(DecisionRecord.Meta):
        verbose_name = _("công nhận đạt chuẩn quốc gia (TT57)")
        verbose_name_plural = _("công nhận đạt chuẩn quốc gia (TT57)")
        constraints = [
            *DecisionRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(degree__in=[1, 2]), name="evaluations_recognition57_degree_valid"),
            models.CheckConstraint(condition=Q(decision_date__gte=datetime.date(2026, 7, 7)),
                                   name="evaluations_recognition57_after_tt57"),
        ]

    def compute_dates(self) -> None:
        self.valid_until = recognition.valid_until(self.decision_date)
        self.upgrade_eligible_on = recognition.upgrade_eligible_on(self.degree, self.decision_date)
