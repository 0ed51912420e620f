"""Regulation catalogs (bộ tiêu chuẩn đánh giá): regulations, their versions, standards, criteria, indicators.

A regulation (e.g. TT18/2018) has one base version, "original", holding the catalog as issued,
and one version per amending act (e.g. "TT22/2024", from 25/01/2025) holding a full copy with the
act's repeals flagged. Reports point at the indicators of the version they were assessed under,
so an amendment never changes a finished report.

Catalog content is written only by ``services.catalog_apply`` from a validated catalog; the
``source`` column of each element keeps the element as the catalog gave it (JSON text, not
JSONField, because PostgreSQL's jsonb would reorder the keys and an export must give the same
file back).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kiemdinh.states import States, declare_states


class SourceMixin(models.Model):
    source = models.TextField(_("dữ liệu gốc (JSON)"), default="{}", editable=False)

    class Meta:
        abstract = True

    @property
    def source_data(self) -> dict[str, Any]:
        return json.loads(self.source or "{}")


class Regulation(SourceMixin):
    """A regulation whose catalog schools are assessed against (văn bản quy định)."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Đang áp dụng")
        LEGACY = "legacy", _("Đã được thay thế")
        DRAFT = "draft", _("Chưa áp dụng (dự thảo/chờ xác minh)")

    class Verification(models.TextChoices):
        VERIFIED = "verified", _("Đã đối chiếu văn bản gốc")
        SECONDARY_SOURCE = "secondary_source", _("Chưa đối chiếu văn bản gốc")
        INCOMPLETE = "incomplete", _("Chưa đầy đủ nội dung")
        UNVERIFIED = "unverified", _("Chưa kiểm chứng nguồn")

    code = models.CharField(_("mã"), max_length=40, unique=True, help_text="TT18/2018")
    document_number = models.CharField(_("số hiệu văn bản"), max_length=60, blank=True)
    title = models.TextField(_("tên văn bản"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    issued = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    # School.Level codes ("mn", "th", "thcs", "thpt", "multi").
    school_levels = models.JSONField(_("cấp học áp dụng"), default=list)
    # A name registered in standards.engine (e.g. "2018", "legacy"); not choices, so that a new
    # family is one registered function and no migration.
    family = models.CharField(_("họ quy tắc"), max_length=30)
    evidence_code_scheme = models.CharField(_("cách ghi mã minh chứng"), max_length=40, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    verification_status = models.CharField(
        _("tình trạng đối chiếu"), max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verification_note = models.TextField(_("ghi chú đối chiếu"), blank=True)
    provenance = models.TextField(_("nguồn gốc nội dung"), blank=True)
    level_count = models.PositiveSmallIntegerField(_("số mức của tiêu chí"), default=3)
    # Whether the catalog holds every criterion of the regulation (the legacy share needs them all).
    is_complete = models.BooleanField(_("đủ tiêu chí"), default=True)
    expected_criteria = models.PositiveSmallIntegerField(_("số tiêu chí theo văn bản"), null=True, blank=True)
    # A regulation issued as several catalogs (TT57/2026: one per appendix) shares one group code;
    # ``export_standards <group_code>`` prints the file the group was loaded from.
    group_code = models.CharField(_("mã nhóm văn bản"), max_length=40, blank=True, db_index=True)
    appendix = models.CharField(_("phụ lục"), max_length=10, blank=True)
    # The first school year whose new reports use this regulation ("2026-2027"); empty: from its
    # effective date. TT57/2026 takes effect on 07/7/2026 but applies from the 2026-2027 school year.
    first_school_year = models.CharField(_("áp dụng từ năm học"), max_length=9, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("văn bản quy định")
        verbose_name_plural = _("văn bản quy định")
        ordering = ["-effective", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(level_count__gte=1), name="standards_regulation_level_count_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["current", "legacy", "draft"]), name="standards_regulation_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def rules(self) -> dict[str, Any]:
        return self.source_data.get("rules") or {}

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED

    @property
    def appendix_title(self) -> str:
        """The appendix's own title when the regulation is one appendix of a group (TT57/2026 Phụ lục I)."""
        group = self.source_data.get("group") or {}
        title = (group.get("appendix") or {}).get("title") if isinstance(group, dict) else None
        return title if isinstance(title, str) else ""

    @property
    def is_tt57(self) -> bool:
        return self.family == "2026"


# How pages show a regulation's status and how far its text was checked (``{% state_badge regulation %}``).
declare_states(States(Regulation, tones={Regulation.Status.CURRENT: "primary", Regulation.Status.LEGACY: "light",
                                         Regulation.Status.DRAFT: "info"}))
declare_states(States(
    Regulation, "verification_status",
    tones={Regulation.Verification.VERIFIED: "success", Regulation.Verification.SECONDARY_SOURCE: "warning",
           Regulation.Verification.INCOMPLETE: "danger", Regulation.Verification.UNVERIFIED: "secondary"},
    icons={Regulation.Verification.VERIFIED: "patch-check", Regulation.Verification.SECONDARY_SOURCE: "exclamation-triangle",
           Regulation.Verification.INCOMPLETE: "hourglass-split", Regulation.Verification.UNVERIFIED: "question-circle"},
))


class RegulationVersion(models.Model):
    """The catalog as in force from a date: the original, or as amended by an act."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="versions")
    code = models.CharField(_("mã phiên bản"), max_length=40, help_text="original, TT22/2024")
    title = models.TextField(_("văn bản sửa đổi"), blank=True)
    amended_by = models.CharField(_("số hiệu văn bản sửa đổi"), max_length=60, blank=True)
    effective = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    is_base = models.BooleanField(_("bản gốc"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(_("ghi chú"), blank=True)
    # The catalog no longer has this version, but reports assessed under it still refer to it.
    is_repealed = models.BooleanField(_("đã bỏ"), default=False)

    class Meta:
        verbose_name = _("phiên bản bộ tiêu chuẩn")
        verbose_name_plural = _("phiên bản bộ tiêu chuẩn")
        ordering = ["regulation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "code"], name="standards_regulationversion_unique_code"),
            models.UniqueConstraint(
                fields=["regulation"], condition=Q(is_base=True), name="standards_regulationversion_one_base"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regulation.code} ({self.code})"

    def natural_key(self) -> tuple[str, str]:
        return (self.regulation.code, self.code)


class Standard(SourceMixin):
    """A standard (tiêu chuẩn) of one version."""

    version = models.ForeignKey(RegulationVersion, on_delete=models.CASCADE, related_name="standards")
    number = models.PositiveSmallIntegerField(_("số"))
    title = models.TextField(_("tên tiêu chuẩn"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Gone from the catalog but kept because something still refers to it.
    is_repealed = models.BooleanField(_("đã bãi bỏ"), default=False)
    # Other wordings of the title found in the sources ([{"source", "title", "note"}]).
    title_variants = models.JSONField(_("cách ghi tên khác"), default=list, blank=True)

    class Meta:
        verbose_name = _("tiêu chuẩn")
        verbose_name_plural = _("tiêu chuẩn")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="standards_standard_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Tiêu chuẩn {self.number}"

    @property
    def is_disputed(self) -> bool:
        return bool(self.title_variants)


class Criterion(SourceMixin):
    """A criterion (tiêu chí), numbered "1.1" within its version."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="criteria")
    number = models.CharField(_("số"), max_length=12)
    title = models.TextField(_("tên tiêu chí"), blank=True)
    # School.Level codes the criterion applies to; null: every level of the regulation.
    applies_to = models.JSONField(_("áp dụng cho cấp học"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_repealed = models.BooleanField(_("đã bãi bỏ"), default=False)
    # TT57/2026: a mandatory criterion (tiêu chí bắt buộc, điểm a khoản 1 Điều 5).
    mandatory = models.BooleanField(_("tiêu chí bắt buộc"), default=False)
    # What the regulation suggests as evidence and which quantitative data it asks for (TT57/2026).
    evidence_hints = models.JSONField(_("gợi ý minh chứng"), default=list, blank=True)
    quantitative_data = models.TextField(_("dữ liệu định lượng"), blank=True)
    quantitative_indicators = models.JSONField(_("chỉ số định lượng"), default=list, blank=True)
    # Other wordings of the title found in the sources ([{"source", "title"}]), and how the sources agree.
    title_variants = models.JSONField(_("cách ghi tên khác"), default=list, blank=True)
    agreement = models.TextField(_("mức khớp giữa các nguồn"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["standard__version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standards_criterion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Tiêu chí {self.number}"

    @property
    def is_disputed(self) -> bool:
        return bool(self.title_variants)

    @property
    def notes(self) -> str:
        notes = self.source_data.get("notes")
        return notes if isinstance(notes, str) else ""


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, regulation_code: str, version_code: str, criterion: str, level: int, key: str):
        return self.get(
            criterion__standard__version__regulation__code=regulation_code,
            criterion__standard__version__code=version_code,
            criterion__number=criterion,
            level=level,
            key=key,
        )


class Indicator(SourceMixin):
    """An indicator (chỉ báo; chỉ số in the legacy texts): one requirement of a criterion at one level.

    Reports keep their verdicts by foreign key to this row (on_delete=PROTECT); the stable natural
    key is (regulation code, version code, criterion number, level, key).
    """

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="indicators")
    level = models.PositiveSmallIntegerField(_("mức"))
    key = models.CharField(_("ký hiệu"), max_length=8, help_text="a, b, c")
    text = models.TextField(_("nội dung"), blank=True)
    # The regulation prints the indicator without a letter (a level with a single requirement).
    unlettered = models.BooleanField(_("không đánh chữ"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    # Repealed indicators do not count towards any level. ``repealed_by`` names the act; empty when
    # the indicator left the catalog but is kept because reports refer to it.
    is_repealed = models.BooleanField(_("đã bãi bỏ"), default=False)
    repealed_by = models.CharField(_("bãi bỏ bởi"), max_length=60, blank=True)
    amended_by = models.CharField(_("sửa đổi bởi"), max_length=60, blank=True)
    amended_text_pending = models.BooleanField(_("chưa có nội dung sửa đổi"), default=False)

    objects = IndicatorManager()

    class Meta:
        verbose_name = _("chỉ báo")
        verbose_name_plural = _("chỉ báo")
        ordering = ["criterion", "level", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "level", "key"], name="standards_indicator_unique_key"),
            models.CheckConstraint(condition=Q(level__gte=1), name="standards_indicator_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.number} – Mức {self.level} – {self.key}"

    def natural_key(self) -> tuple[str, str, str, int, str]:
        version = self.criterion.standard.version
        return (version.regulation.code, version.code, self.criterion.number, self.level, self.key)

    natural_key.dependencies = ["standards.criterion"]


class Level4Requirement(SourceMixin):
    """A Mức 4 requirement (Điều 22 of the 2018 regulations) of one version."""

    version = models.ForeignKey(RegulationVersion, on_delete=models.CASCADE, related_name="level4_requirements")
    number = models.PositiveSmallIntegerField(_("số"))
    article = models.CharField(_("điều khoản"), max_length=100, blank=True)
    text = models.TextField(_("nội dung"))
    position = models.PositiveSmallIntegerField(default=0)
    is_repealed = models.BooleanField(_("đã bãi bỏ"), default=False)

    class Meta:
        verbose_name = _("yêu cầu Mức 4")
        verbose_name_plural = _("yêu cầu Mức 4")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="standards_level4requirement_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Mức 4 – {self.number}"


class CatalogImport(models.Model):
    """An uploaded catalog: validated, shown as a diff, then applied or discarded by an administrator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        APPLIED = "applied", _("Đã áp dụng")
        DISCARDED = "discarded", _("Đã hủy")

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        XLSX = "xlsx", "Excel (XLSX)"

    # Its moves (apply, discard) are declared once: standards.services.CATALOG_IMPORT (kiemdinh.workflow).

    regulation_code = models.CharField(_("mã văn bản"), max_length=40)
    file_name = models.CharField(_("tệp"), max_length=255, blank=True)
    format = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    # The validated catalog to apply, as JSON text (key order matters, see the module docstring).
    payload = models.TextField(editable=False)
    # Fingerprint of the catalog the diff was computed against; applying checks it is unchanged.
    base_fingerprint = models.CharField(max_length=64, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập bộ tiêu chuẩn")
        verbose_name_plural = _("lần nhập bộ tiêu chuẩn")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "applied", "discarded"]), name="standards_catalogimport_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regulation_code} – {self.file_name or self.format}"

    @property
    def payload_data(self) -> dict[str, Any]:
        return json.loads(self.payload)
