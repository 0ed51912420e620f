"""The self-assessment report (báo cáo tự đánh giá) and everything written in it.

A ``Report`` belongs to a school and a school year and is assessed against one version of one
regulation (``standards.RegulationVersion``). Its writing lives in small rows so that several
people can work at once without overwriting each other:

- every text of the report is a ``Passage`` (the current state of one indicator, the strengths of
  one criterion, the opening of a standard, Đặt vấn đề...), with a ``revision`` number that makes
  a stale save detectable and a ``PassageRevision`` history of who wrote what and when;
- every verdict is an ``IndicatorVerdict`` (by foreign key to the catalog's indicator) or a
  ``Level4Verdict``; levels are never typed, only computed by the standards engine and cached
  (``Report.school_level``, ``CriterionAssessment.level``) in the transaction that changes a
  verdict;
- the improvement plan is a list of ``ImprovementAction`` rows, the ones the improvement-plan
  tracking follows later (``ImprovementProgress``);
- the council, the working groups and the self-assessment plan; Phần I's tables (``DataTable``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Report(models.Model):
    """A self-assessment report of one school for one school year."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Tự đánh giá định kỳ")
        EXTERNAL = "external", _("Tự đánh giá để đăng ký đánh giá ngoài")

    class Status(models.TextChoices):
        # The whole workflow, declared once; the transitions are the review app's (part 4).
        DRAFT = "draft", _("Đang soạn thảo")
        SUBMITTED = "submitted", _("Đã nộp")
        IN_REVIEW = "in_review", _("Đang thẩm định")
        RETURNED = "returned", _("Trả lại để chỉnh sửa")
        RESUBMITTED = "resubmitted", _("Đã nộp lại")
        ACCEPTED = "accepted", _("Đã chấp nhận")
        FORWARDED = "forwarded", _("Đã gửi Sở GD&ĐT")
        CLOSED = "closed", _("Đã đóng")

    # Only a report the school holds may be written in; every other status is the district's.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})

    school = models.ForeignKey("schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="reports")
    school_year = models.ForeignKey(
        "schools.SchoolYear", verbose_name=_("năm học"), on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(_("loại báo cáo"), max_length=10, choices=Kind.choices, default=Kind.PERIODIC)
    regulation_version = models.ForeignKey(
        "standards.RegulationVersion", verbose_name=_("bộ tiêu chuẩn"), on_delete=models.PROTECT, related_name="reports"
    )
    # The date the regulation was chosen for (the version in force for the school's level then).
    regulation_date = models.DateField(_("ngày xác định văn bản áp dụng"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Bumped by every change of the report's content: a cheap "has anything changed since" token.
    version = models.PositiveIntegerField(_("phiên bản nội dung"), default=1)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("tạo từ báo cáo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Facts the level engine's preconditions need (Điều 34, 37): number of cohorts that have completed
    # the programme; unknown until the school states it.
    completed_cohorts = models.PositiveSmallIntegerField(_("số khóa học sinh đã hoàn thành chương trình"), null=True, blank=True)

    # Council founding decision (Quyết định thành lập hội đồng tự đánh giá).
    council_decision_number = models.CharField(_("số quyết định thành lập hội đồng"), max_length=60, blank=True)
    council_decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    # Token for the council, groups and plan tables (edited as whole forms, see services).
    council_revision = models.PositiveIntegerField(default=0)
    # The day the council approved the report (TT57/2026: by 15/6 of the school year, điểm d khoản 3 Điều 9).
    approved_on = models.DateField(_("ngày phê duyệt báo cáo"), null=True, blank=True)

    # Levels computed by the standards engine, cached for lists and dashboards; recomputed in the
    # same transaction as every verdict change (services.report_levels_refresh).
    school_level = models.PositiveSmallIntegerField(_("mức đánh giá"), null=True, blank=True)
    accreditation_level = models.PositiveSmallIntegerField(_("cấp độ kiểm định"), null=True, blank=True)
    national_standard = models.PositiveSmallIntegerField(_("mức độ chuẩn quốc gia"), null=True, blank=True)
    level_blockers = models.JSONField(default=list, blank=True)
    levels_computed_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo tự đánh giá")
        verbose_name_plural = _("báo cáo tự đánh giá")
        ordering = ["-school_year__start_date", "school__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "kind"],
                condition=~Q(status="closed"),
                name="selfassessment_report_one_open_per_school_year_kind",
                violation_error_message=_("Trường đã có một báo cáo cùng loại, cùng năm học đang mở."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "in_review", "returned", "resubmitted", "accepted",
                                        "forwarded", "closed"]),
                name="selfassessment_report_status_valid",
            ),
            models.CheckConstraint(condition=Q(kind__in=["periodic", "external"]), name="selfassessment_report_kind_valid"),
            models.CheckConstraint(
                condition=Q(school_level__isnull=True) | Q(school_level__lte=4),
                name="selfassessment_report_school_level_range",
            ),
        ]
        indexes = [models.Index(fields=["school_year", "status"], name="selfassessment_report_year_st")]

    def __str__(self) -> str:
        return f"{self.school} – {self.school_year} ({self.get_kind_display()})"

    @property
    def is_editable(self) -> bool:
        """Only a draft or a report returned for revision may be written in."""
        return self.status in self.EDITABLE_STATUSES

    @property
    def regulation(self):
        return self.regulation_version.regulation


class CriterionAssessment(models.Model):
    """One criterion (tiêu chí) of a report: its computed level, cached with the reason it stops there."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="criterion_assessments")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    # None: not computed yet, or the criterion is not assessed (every indicator repealed).
    level = models.PositiveSmallIntegerField(_("mức đạt"), null=True, blank=True)
    blockers = models.JSONField(default=list, blank=True)
    # TT57/2026: the suggested evidence (evidence_hints, by position in the catalog) the principal
    # marked as covered by hand, beside those matched automatically against the cited evidence.
    hints_covered = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đánh giá tiêu chí")
        verbose_name_plural = _("đánh giá tiêu chí")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="selfassessment_criterionassessment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} – {self.criterion}"


class IndicatorVerdict(models.Model):
    """Đạt / không đạt for one indicator (chỉ báo) of a report; None while not yet assessed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="verdicts")
    indicator = models.ForeignKey("standards.Indicator", on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    # Carried over from last year's report and not looked at since.
    needs_review = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết luận chỉ báo")
        verbose_name_plural = _("kết luận chỉ báo")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="selfassessment_indicatorverdict_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.met}"


class Level4Verdict(models.Model):
    """Đạt / không đạt for one Mức 4 requirement of a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="level4_verdicts")
    requirement = models.ForeignKey("standards.Level4Requirement", on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(_("đạt"), null=True, blank=True)
    needs_review = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết luận yêu cầu Mức 4")
        verbose_name_plural = _("kết luận yêu cầu Mức 4")
        constraints = [
            models.UniqueConstraint(fields=["report", "requirement"], name="selfassessment_level4verdict_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.met}"


class Passage(models.Model):
    """One text of the report (đoạn văn), edited on its own, autosaved, with its history.

    ``key`` names the place of the text in the report independently of database ids
    ("indicator:1.1:2:a", "criterion:1.1:strengths", "standard:1:opening", "introduction"), which
    is what lets a report be copied forward to a later version of the regulation.
    """

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Đặt vấn đề")
        CONCLUSION = "conclusion", _("Kết luận chung")
        PLAN = "plan", _("Kế hoạch tự đánh giá")
        STANDARD_OPENING = "standard_opening", _("Mở đầu tiêu chuẩn")
        STANDARD_CONCLUSION = "standard_conclusion", _("Kết luận về tiêu chuẩn")
        CURRENT_STATE = "current_state", _("Mô tả hiện trạng")
        STRENGTHS = "strengths", _("Điểm mạnh")
        WEAKNESSES = "weaknesses", _("Điểm yếu")
        # TT57/2026 (Biểu 1): Phần I Tổng quan, the per-standard assessment, Phần III's proposals.
        OVERVIEW = "overview", _("Tổng quan")
        STANDARD_ASSESSMENT = "standard_assessment", _("Đánh giá chung về tiêu chuẩn")
        PROPOSAL = "proposal", _("Đề xuất, kiến nghị")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="passages")
    key = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    # Where the text belongs (at most one of these is set besides standard).
    standard = models.ForeignKey("standards.Standard", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey("standards.Criterion", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("standards.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level4 = models.ForeignKey(
        "standards.Level4Requirement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("nội dung"), blank=True)
    # Incremented by every save; a save based on an older revision is refused (services.passage_save).
    revision = models.PositiveIntegerField(default=0)
    needs_review = models.BooleanField(_("cần rà soát"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đoạn văn báo cáo")
        verbose_name_plural = _("đoạn văn báo cáo")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="selfassessment_passage_unique_key"),
        ]
        indexes = [models.Index(fields=["report", "criterion"], name="selfassessment_passage_crit")]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.key}"


class PassageRevision(models.Model):
    """One step of a passage's history: the text as one person left it.

    Autosave writes every few seconds; consecutive saves by the same person within a few minutes
    update their last step instead of adding one, so the history reads as edits, not keystrokes.
    """

    class Source(models.TextChoices):
        EDIT = "edit", _("Chỉnh sửa")
        COPY = "copy", _("Chép từ báo cáo năm trước")
        CITATIONS = "citations", _("Cập nhật mã minh chứng")
        RESTORE = "restore", _("Khôi phục phiên bản cũ")
        PREFILL = "prefill", _("Điền sẵn từ thông tin của trường")

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.EDIT)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField()
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lịch sử chỉnh sửa")
        verbose_name_plural = _("lịch sử chỉnh sửa")
        ordering = ["passage", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["passage", "revision"], name="selfassessment_passagerevision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.passage_id} r{self.revision}"


class ImprovementAction(models.Model):
    """One item of the improvement plan (kế hoạch cải tiến chất lượng) of a criterion or a Mức 4 item.

    The tracking fields (status, dropped reason, progress notes) are followed during the year by the
    improvement-plan tracking.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        # The same words are the "drop" button of the tracking page: a context tells them apart.
        DROPPED = "dropped", pgettext_lazy("status", "Không thực hiện")

    # The tracking's status changes are declared once: selfassessment.tracking.services.IMPROVEMENT_ACTION.
    OPEN_STATUSES = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS})

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="improvement_actions")
    criterion = models.ForeignKey("standards.Criterion", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level4 = models.ForeignKey(
        "standards.Level4Requirement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    action = models.TextField(_("nội dung, biện pháp cải tiến"))
    responsible = models.CharField(_("người, bộ phận thực hiện"), max_length=255, blank=True)
    start_on = models.DateField(_("từ ngày"), null=True, blank=True)
    due_on = models.DateField(_("đến ngày"), null=True, blank=True)
    resources = models.TextField(_("nguồn lực, kinh phí"), blank=True)
    expected_result = models.TextField(_("kết quả dự kiến"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    dropped_reason = models.TextField(_("lý do không thực hiện"), blank=True)
    # The day the action was reported done (set by the tracking when the status becomes "done").
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # Incremented by every change of the row; a tracking change based on an older revision is refused.
    revision = models.PositiveIntegerField(default=0)
    # The item of last year's plan this one continues, when the report was started from it.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    needs_review = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("biện pháp cải tiến")
        verbose_name_plural = _("kế hoạch cải tiến chất lượng")
        ordering = ["report", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(criterion__isnull=False, level4__isnull=True) | Q(criterion__isnull=True, level4__isnull=False)),
                name="selfassessment_improvementaction_one_target",
            ),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True) | Q(due_on__isnull=True) | Q(due_on__gte=F("start_on")),
                name="selfassessment_improvementaction_dates_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
                name="selfassessment_improvementaction_dropped_has_reason",
                violation_error_message=_("Cần ghi lý do không thực hiện biện pháp."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "done", "dropped"]),
                name="selfassessment_improvementaction_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["report", "criterion"], name="selfassessment_action_crit")]

    def __str__(self) -> str:
        return self.action[:60]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ImprovementProgress(models.Model):
    """A dated note on how an improvement action is going, with the evidence (minh chứng) it rests on."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="progress_notes")
    date = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Items of the same school's evidence library (checked by the tracking service).
    evidence = models.ManyToManyField(
        "evidence.Evidence", verbose_name=_("minh chứng"), blank=True, related_name="improvement_notes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiến độ thực hiện")
        verbose_name_plural = _("tiến độ thực hiện")
        ordering = ["action", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.date}"


class CouncilMember(models.Model):
    """A person of the self-assessment council (hội đồng tự đánh giá), its secretary group or a working group."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch Hội đồng")
        VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
        SECRETARY = "secretary", _("Thư ký Hội đồng")
        MEMBER = "member", _("Ủy viên")
        # Not in the council itself: a member of the secretary group or of a working group only.
        NONE = "", _("Không thuộc Hội đồng")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="council_members")
    position = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("chức danh, chức vụ"), max_length=150, blank=True)
    role = models.CharField(_("vai trò trong Hội đồng"), max_length=12, choices=Role.choices, blank=True)
    duty = models.CharField(_("nhiệm vụ"), max_length=255, blank=True)
    in_secretary_group = models.BooleanField(_("thuộc nhóm thư ký"), default=False)
    # The member's account, when they are school staff who write in the report.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="council_memberships",
    )
    needs_review = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(role="chair"), name="selfassessment_councilmember_one_chair",
                violation_error_message=_("Hội đồng đã có Chủ tịch; mỗi Hội đồng chỉ có một Chủ tịch."),
            ),
            models.UniqueConstraint(
                fields=["report", "user"], condition=Q(user__isnull=False), name="selfassessment_councilmember_user_once",
                violation_error_message=_("Tài khoản này đã gắn với một thành viên khác trong danh sách."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["chair", "vice_chair", "secretary", "member", ""]),
                name="selfassessment_councilmember_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def edits_everything(self) -> bool:
        """The secretary and the secretary group compile the whole report."""
        return self.compiles_everything(self.role, self.in_secretary_group)

    @classmethod
    def compiles_everything(cls, role: str, in_secretary_group: bool) -> bool:
        """The rule of ``edits_everything`` for a member read as values (``report_role``'s one query)."""
        return role == cls.Role.SECRETARY or bool(in_secretary_group)


class WorkingGroup(models.Model):
    """A working group (nhóm công tác) and the criteria it is responsible for."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="working_groups")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên nhóm"), max_length=120)
    leader = models.ForeignKey(
        CouncilMember, verbose_name=_("nhóm trưởng"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(CouncilMember, verbose_name=_("thành viên"), blank=True, related_name="working_groups")
    criteria = models.ManyToManyField("standards.Criterion", verbose_name=_("tiêu chí phụ trách"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("nhóm công tác")
        verbose_name_plural = _("nhóm công tác")
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "name"], name="selfassessment_workinggroup_unique_name",
                violation_error_message=_("Đã có nhóm công tác cùng tên."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlanResource(models.Model):
    """The resources a criterion needs and when (Kế hoạch TĐG: dự kiến nguồn lực và thời điểm)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="plan_resources")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+")
    resources = models.TextField(_("nguồn lực cần huy động, cung cấp"), blank=True)
    needed_when = models.CharField(_("thời điểm huy động"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("nguồn lực theo tiêu chí")
        verbose_name_plural = _("nguồn lực theo tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="selfassessment_planresource_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.criterion_id}"


class PlanStep(models.Model):
    """A step of the self-assessment timeline (thời gian biểu), week by week."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="plan_steps")
    position = models.PositiveSmallIntegerField(default=0)
    week = models.PositiveSmallIntegerField(_("tuần"))
    activity = models.TextField(_("hoạt động"))
    responsible = models.CharField(_("người thực hiện"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bước thời gian biểu")
        verbose_name_plural = _("thời gian biểu")
        ordering = ["report", "week", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(week__gte=1, week__lte=104), name="selfassessment_planstep_week_range"),
        ]

    def __str__(self) -> str:
        return f"Tuần {self.week}: {self.activity[:40]}"


class DataTable(models.Model):
    """One table of Phần I (cơ sở dữ liệu) as typed: {row: {column: int}}; totals are computed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="data_tables")
    key = models.CharField(max_length=30)
    values = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0)
    needs_review = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bảng số liệu")
        verbose_name_plural = _("bảng số liệu")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="selfassessment_datatable_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.key}"


# --- TT57/2026 Biểu 2: the improvement plan (kế hoạch cải tiến chất lượng) of a TT57 report -------
#
# Its own document, but it travels with the report: its content (sections II, IV, V, VII) is
# editable exactly when the report is; the monitoring (table VI and each action's "Mức độ thực
# hiện") is entered by the school during the year, also after submission. The read API is
# selfassessment.plan57, the writes selfassessment.services_plan57.


class Plan57(models.Model):
    """Biểu 2 (Mẫu số 2 Phụ lục V, Thông tư 57/2026) of one TT57 self-assessment report."""

    report = models.OneToOneField(Report, verbose_name=_("báo cáo tự đánh giá"), on_delete=models.CASCADE,
                                  related_name="plan57")
    # II. Căn cứ xây dựng kế hoạch: 1-3 first written from the report and last year's plan, 4 free.
    basis_report = models.TextField(_("1. Báo cáo tự đánh giá năm học"), blank=True)
    basis_review = models.TextField(_("2. Kết quả rà soát việc thực hiện kế hoạch cải tiến năm học trước"), blank=True)
    basis_school_plan = models.TextField(_("3. Kế hoạch năm học và định hướng phát triển của cơ sở giáo dục"), blank=True)
    basis_other = models.TextField(_("4. Căn cứ khác"), blank=True)
    # VII. Tổ chức thực hiện.
    org_head = models.TextField(_("1. Người đứng đầu cơ sở giáo dục"), blank=True)
    org_council = models.TextField(_("2. Hội đồng tự đánh giá"), blank=True)
    org_groups = models.TextField(_("3. Các tổ chuyên môn và bộ phận liên quan"), blank=True)
    # Incremented by every save of the sections; a save based on an older revision is refused.
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch cải tiến chất lượng (Biểu 2)")
        verbose_name_plural = _("kế hoạch cải tiến chất lượng (Biểu 2)")
        ordering = ["report"]

    def __str__(self) -> str:
        return f"Biểu 2 – {self.report}"


class Plan57Issue(models.Model):
    """A row of table IV: a priority issue (vấn đề trọng tâm cần cải tiến)."""

    plan = models.ForeignKey(Plan57, on_delete=models.CASCADE, related_name="issues")
    position = models.PositiveSmallIntegerField(default=0)
    standard = models.ForeignKey("standards.Standard", verbose_name=_("tiêu chuẩn"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    criteria = models.CharField(_("tiêu chí liên quan (nếu có)"), max_length=200, blank=True)
    current_state = models.TextField(_("đánh giá hiện trạng"), blank=True)
    weakness = models.TextField(_("điểm hạn chế"))
    cause = models.TextField(_("nguyên nhân của hạn chế"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vấn đề trọng tâm cần cải tiến")
        verbose_name_plural = _("vấn đề trọng tâm cần cải tiến")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(weakness=""), name="selfassessment_plan57issue_weakness_set",
                                   violation_error_message=_("Cần ghi điểm hạn chế của vấn đề.")),
        ]

    def __str__(self) -> str:
        return self.weakness[:60]


class Plan57Action(models.Model):
    """A row of table V: one improvement (nội dung cải tiến) with its objective, activities, time..."""

    class Status(models.TextChoices):
        NONE = "", _("Chưa đánh giá")
        DONE = "done", _("Hoàn thành")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        NOT_DONE = "not_done", _("Chưa hoàn thành")

    plan = models.ForeignKey(Plan57, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(default=0)
    issue = models.ForeignKey(Plan57Issue, verbose_name=_("vấn đề ưu tiên"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="actions")
    content = models.TextField(_("nội dung cải tiến"))
    objective = models.TextField(_("mục tiêu cải tiến"), blank=True)
    activities = models.TextField(_("hoạt động/giải pháp"), blank=True)
    indicator = models.TextField(_("chỉ số đánh giá kết quả"), blank=True)
    start_on = models.DateField(_("bắt đầu"), null=True, blank=True)
    end_on = models.DateField(_("kết thúc"), null=True, blank=True)
    responsible = models.CharField(_("đơn vị/cá nhân phụ trách"), max_length=255, blank=True)
    coordination = models.CharField(_("đơn vị/cá nhân phối hợp"), max_length=255, blank=True)
    resources = models.TextField(_("nguồn lực bảo đảm"), blank=True)
    expected_evidence = models.TextField(_("thông tin, dữ liệu hoặc minh chứng dự kiến"), blank=True)
    # Mức độ thực hiện: entered during the year (monitoring), also after the report is submitted.
    status = models.CharField(_("mức độ thực hiện"), max_length=12, choices=Status.choices, blank=True, default="")
    status_updated_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nội dung kế hoạch cải tiến")
        verbose_name_plural = _("kế hoạch cải tiến chất lượng (bảng V)")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="selfassessment_plan57action_content_set",
                                   violation_error_message=_("Cần ghi nội dung cải tiến.")),
            models.CheckConstraint(
                condition=Q(start_on__isnull=True) | Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="selfassessment_plan57action_dates_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(condition=Q(status__in=["", "done", "in_progress", "not_done"]),
                                   name="selfassessment_plan57action_status_valid"),
        ]

    def __str__(self) -> str:
        return self.content[:60]

    def is_overdue(self, today) -> bool:
        """The end date is past and the action is not reported done."""
        return self.end_on is not None and self.end_on < today and self.status != self.Status.DONE


class Plan57Check(models.Model):
    """A row of table VI (theo dõi và đánh giá thực hiện, giám sát nội bộ) at one monitoring point."""

    class Point(models.TextChoices):
        SEMESTER1 = "semester1", _("Cuối học kỳ I")
        YEAR_END = "year_end", _("Cuối năm học")

    plan = models.ForeignKey(Plan57, on_delete=models.CASCADE, related_name="checks")
    point = models.CharField(_("thời điểm"), max_length=10, choices=Point.choices)
    position = models.PositiveSmallIntegerField(default=0)
    # The action of table V the row follows (None: the plan as a whole).
    action = models.ForeignKey(Plan57Action, verbose_name=_("nội dung cải tiến"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="checks")
    content = models.TextField(_("nội dung theo dõi"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    evidence = models.TextField(_("minh chứng"), blank=True)
    adjustment = models.TextField(_("điều chỉnh (nếu có)"), blank=True)
    assessor = models.CharField(_("người đánh giá"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("ngày ghi nhận"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("theo dõi thực hiện kế hoạch cải tiến")
        verbose_name_plural = _("theo dõi thực hiện kế hoạch cải tiến")
        ordering = ["plan", "point", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(point__in=["semester1", "year_end"]),
                                   name="selfassessment_plan57check_point_valid"),
        ]
        indexes = [models.Index(fields=["plan", "point"], name="selfassessment_p57check_pt")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.point}"
