"""The district's review of a self-assessment report (thẩm định báo cáo tự đánh giá).

One traceable thread per report: each time the school sends the report, an immutable
``ReportVersion`` freezes its complete content with a content hash; a reviewer is assigned
(``ReviewAssignment``), comments in threads on the whole report, a criterion or a passage
(``CommentThread``, ``Comment``), marks criteria reviewed (``CriterionReview``), returns or accepts
it; the school may ask to reopen an accepted report (``UnlockRequest``). The status itself lives
on ``selfassessment.Report`` and only ``reviews.services`` changes it (``reviews.workflow``).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kiemdinh.i18n import N_, Text


class ImmutableError(Exception):
    """Raised when code tries to change or delete a frozen report version."""


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def canonical_json(data: Any) -> str:
    """The one text form of a snapshot: sorted keys, no insignificant whitespace, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReviewState(models.Model):
    """The review side of one report: when it last moved, and a pending recommendation.

    ``recommended_*`` is set when a reviewer accepts in a district whose head gives the final
    approval (``Organisation.requires_head_approval``): the report stays in review until the head
    accepts; any other transition clears it.
    """

    report = models.OneToOneField("selfassessment.Report", on_delete=models.CASCADE, related_name="review_state")
    status_changed_at = models.DateTimeField(_("lần chuyển trạng thái gần nhất"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lần gần nhất"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("ngày chấp nhận"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("ngày chuyển Sở"), null=True, blank=True)
    # The latest return for revision, shown to the school until it resubmits.
    returned_at = models.DateTimeField(_("ngày trả lại"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người trả lại"),
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("chuyên viên đề nghị chấp nhận"),
    )
    recommended_at = models.DateTimeField(_("ngày đề nghị chấp nhận"), null=True, blank=True)
    recommendation_note = models.TextField(_("ý kiến đề nghị"), blank=True)

    class Meta:
        verbose_name = _("tình trạng thẩm định")
        verbose_name_plural = _("tình trạng thẩm định")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommended_at__isnull=True) | Q(recommended_by__isnull=False),
                name="reviews_reviewstate_recommendation_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}"


class ReportVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("Report versions are immutable.")

    def delete(self):
        raise ImmutableError("Report versions are immutable.")


class ReportVersion(models.Model):
    """The report exactly as the school sent it (phiên bản đã nộp); never changed afterwards.

    ``content`` is the canonical JSON of ``selfassessment.serializers.report_as_dict`` at the
    moment of submission and ``content_hash`` its SHA-256, so anyone can prove a version is the
    one that was sent. ``school_level``/``criterion_levels`` are read from the same content, kept
    apart for lists.
    """

    report = models.ForeignKey("selfassessment.Report", on_delete=models.PROTECT, related_name="review_versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    content = models.TextField(_("nội dung (JSON chuẩn hóa)"), editable=False)
    content_hash = models.CharField(_("mã băm SHA-256"), max_length=64, editable=False)
    # Report.version (the content revision counter) at the time of freezing.
    report_revision = models.PositiveIntegerField(default=0)
    school_level = models.PositiveSmallIntegerField(_("mức đánh giá"), null=True, blank=True)
    criterion_levels = models.JSONField(_("mức của từng tiêu chí"), default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người nộp"),
    )
    created_at = models.DateTimeField(_("thời điểm nộp"), auto_now_add=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reviews_reportversion_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="reviews_reportversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Report versions are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Report versions are immutable.")

    @property
    def data(self) -> dict[str, Any]:
        cached = self.__dict__.get("_data")
        if cached is None:
            cached = json.loads(self.content)
            self.__dict__["_data"] = cached
        return cached

    def verify(self) -> bool:
        """Whether the stored content still matches the hash taken when it was frozen."""
        return content_hash(self.content) == self.content_hash

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


class ReviewAssignment(models.Model):
    """Who reviews a report (phân công thẩm định); reassigning ends the previous assignment."""

    report = models.ForeignKey("selfassessment.Report", on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments",
        verbose_name=_("chuyên viên thẩm định"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người phân công"),
    )
    assigned_at = models.DateTimeField(_("ngày phân công"), auto_now_add=True)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công thẩm định")
        verbose_name_plural = _("phân công thẩm định")
        ordering = ["report", "-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(is_active=True), name="reviews_reviewassignment_one_active"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, ended_at__isnull=True) | Q(is_active=False, ended_at__isnull=False),
                name="reviews_reviewassignment_ended_consistent",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "is_active"], name="reviews_assign_reviewer")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.reviewer_id}"


class CommentThread(models.Model):
    """A discussion (góp ý) on the whole report, a standard (TT57), a criterion, or a passage of a version.

    A passage is named by its stable key in the report ("indicator:1.1:2:a",
    "criterion:1.1:strengths", see ``selfassessment.Passage.key``) and may quote the excerpt the
    reviewer selected, as it read in ``version``.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa xử lý")
        RESOLVED = "resolved", _("Đã xử lý")

    report = models.ForeignKey("selfassessment.Report", on_delete=models.CASCADE, related_name="comment_threads")
    version = models.ForeignKey(
        ReportVersion, on_delete=models.PROTECT, related_name="threads", verbose_name=_("phiên bản")
    )
    criterion = models.ForeignKey(
        "standards.Criterion", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("tiêu chí"),
    )
    # A TT57/2026 report is assessed per standard too (Đánh giá chung về Tiêu chuẩn n): a thread on a
    # whole standard names it here (criterion and passage left empty).
    standard = models.ForeignKey(
        "standards.Standard", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("tiêu chuẩn"),
    )
    passage_key = models.CharField(_("đoạn văn"), max_length=80, blank=True)
    passage_label = models.CharField(_("tên đoạn văn"), max_length=200, blank=True)
    quote = models.TextField(_("trích dẫn"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người góp ý")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(_("hoạt động gần nhất"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người đánh dấu đã xử lý"),
    )
    resolved_at = models.DateTimeField(_("ngày xử lý"), null=True, blank=True)
    # The school says it has made the correction ("Đã sửa", with a reply); the thread stays open
    # until the district closes it, and reopening clears the mark.
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người báo đã sửa"),
    )
    fixed_at = models.DateTimeField(_("ngày báo đã sửa"), null=True, blank=True)

    class Meta:
        verbose_name = _("chuỗi góp ý")
        verbose_name_plural = _("chuỗi góp ý")
        ordering = ["report", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quote="") | ~Q(passage_key=""), name="reviews_commentthread_quote_has_passage"
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True) | Q(status="resolved", resolved_at__isnull=False),
                name="reviews_commentthread_resolved_consistent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "resolved"]), name="reviews_commentthread_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(standard__isnull=True) | Q(criterion__isnull=True, passage_key=""),
                name="reviews_commentthread_standard_alone",
            ),
        ]
        indexes = [models.Index(fields=["report", "status"], name="reviews_thread_report_status")]

    def __str__(self) -> str:
        return f"{self.report_id} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_fixed(self) -> bool:
        """Open, and the school says it made the correction: waiting for the district to close it."""
        return self.is_open and self.fixed_at is not None

    @property
    def scope_label(self) -> str:
        if self.passage_label:
            return self.passage_label
        if self.criterion_id:
            return str(_("Tiêu chí %(number)s") % {"number": self.criterion.number})
        if self.standard_id:
            return str(_("Tiêu chuẩn %(number)s") % {"number": self.standard.number})
        return str(_("Toàn bộ báo cáo"))

    @property
    def scope_text(self):
        """``scope_label`` worded when read (notifications, audit summaries in the reader's language)."""
        if self.passage_label:
            return self.passage_label
        if self.criterion_id:
            return Text(N_("Tiêu chí %(number)s"), {"number": self.criterion.number})
        if self.standard_id:
            return Text(N_("Tiêu chuẩn %(number)s"), {"number": self.standard.number})
        return Text(N_("Toàn bộ báo cáo"))


class Comment(models.Model):
    """One message of a thread; never edited, so the thread reads as it happened."""

    class Side(models.TextChoices):
        DISTRICT = "district", _("Phòng GD&ĐT")
        SCHOOL = "school", _("Nhà trường")

    thread = models.ForeignKey(CommentThread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    side = models.CharField(_("bên"), max_length=10, choices=Side.choices)
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("góp ý")
        verbose_name_plural = _("góp ý")
        ordering = ["thread", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="reviews_comment_text_not_empty"),
            models.CheckConstraint(condition=Q(side__in=["district", "school"]), name="reviews_comment_side_valid"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class CriterionReview(models.Model):
    """A reviewer's mark that a criterion of a version has been read (đã xem xét)."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="criterion_reviews")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiêu chí đã xem xét")
        verbose_name_plural = _("tiêu chí đã xem xét")
        constraints = [
            models.UniqueConstraint(fields=["version", "criterion"], name="reviews_criterionreview_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version} – {self.criterion_id}"


class UnlockRequest(models.Model):
    """The school's request to reopen an accepted report (đề nghị mở khóa), decided by the district."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xử lý")
        GRANTED = "granted", _("Đã đồng ý")
        REFUSED = "refused", _("Không đồng ý")

    report = models.ForeignKey("selfassessment.Report", on_delete=models.CASCADE, related_name="unlock_requests")
    reason = models.TextField(_("lý do"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người đề nghị")
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("đề nghị mở khóa")
        verbose_name_plural = _("đề nghị mở khóa")
        ordering = ["report", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="pending"), name="reviews_unlockrequest_one_pending"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="reviews_unlockrequest_reason_required"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True) | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="reviews_unlockrequest_decided_consistent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "granted", "refused"]), name="reviews_unlockrequest_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.get_status_display()}"


def _default_sections() -> list[str]:
    from .gates import DEFAULT_SECTIONS

    return list(DEFAULT_SECTIONS)


class UnitSubmissionGate(models.Model):
    """The sections a reviewing unit requires complete before its schools submit (``reviews.gates``).

    A unit without a row requires every section (``gates.DEFAULT_SECTIONS``).
    """

    unit = models.OneToOneField(
        "schools.Organisation", on_delete=models.CASCADE, related_name="submission_gate", verbose_name=_("đơn vị"),
    )
    required_sections = models.JSONField(_("phần phải hoàn thành trước khi nộp"), default=_default_sections, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điều kiện nộp báo cáo")
        verbose_name_plural = _("điều kiện nộp báo cáo")

    def __str__(self) -> str:
        return f"{self.unit_id}: {', '.join(self.required_sections)}"
