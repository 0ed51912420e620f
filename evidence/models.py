"""The evidence library (minh chứng) of a school.

An item is coded once, under the criterion where it was first used (``criterion``), and keeps
that code (``H1-1.1-01``) through every later edit; other criteria declare their reuse
(``shared_criteria``) instead of coding it again. Only an explicit renumbering changes codes,
and it tells the reports to rewrite their citations (``signals.evidence_codes_changed``).

Files are private: stored in the default storage (MEDIA_ROOT, or the S3-compatible bucket when one
is configured) with a generated name, never served by URL, only through the permission-checked
download view, which reads them with ``kiemdinh.storage.open_private``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemdinh.states import States, declare_states

from . import uploads
from .text import fold


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A generated path: the user's name is kept in ``file_name`` and never touches the disk.

    The extension is the one of the content found by the upload check (``content_type``), so
    the stored name says nothing the server has not verified.
    """
    kind = uploads.KIND_BY_MIME.get(instance.content_type)
    extension = f".{kind.extension}" if kind else ".bin"
    today = timezone.localdate()
    return f"evidence/{instance.school_id}/{today:%Y/%m}/{uuid.uuid4().hex}{extension}"


class Evidence(models.Model):
    """One evidence item (minh chứng): a file, a paper record in a box, or a link."""

    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), on_delete=models.PROTECT, related_name="evidence_items"
    )
    name = models.CharField(_("tên minh chứng"), max_length=500)
    issued_number = models.CharField(
        _("số văn bản"), max_length=120, blank=True, help_text=_("Số, ký hiệu, ví dụ 15/QĐ-THCSĐĐ.")
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    # When there is no single date: "Tháng 9/2023", "Năm học 2022-2023", "Từ 2019 đến 2024".
    issued_period = models.CharField(
        _("thời điểm khảo sát, điều tra, phỏng vấn, quan sát"), max_length=120, blank=True,
        help_text=_("Dùng khi minh chứng không có ngày ban hành cụ thể, ví dụ “Năm học 2022-2023”."),
    )
    issuer = models.CharField(
        _("nơi ban hành hoặc nhóm, cá nhân thực hiện"), max_length=255, blank=True
    )
    box = models.PositiveSmallIntegerField(_("hộp"), help_text=_("Số hộp lưu bản giấy; mặc định là số tiêu chuẩn."))
    note = models.TextField(_("ghi chú"), blank=True)
    valid_until = models.DateField(
        _("còn hiệu lực đến"), null=True, blank=True,
        help_text=_("Để trống nếu minh chứng không hết hạn (ví dụ một biên bản)."),
    )
    link = models.URLField(_("đường dẫn"), max_length=500, blank=True)

    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng"), null=True, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=120, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)

    criterion = models.ForeignKey(
        "standards.Criterion", verbose_name=_("tiêu chí mã hóa"), on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    sequence = models.PositiveIntegerField(_("số thứ tự trong tiêu chí"))
    code = models.CharField(_("mã minh chứng"), max_length=40)
    shared_criteria = models.ManyToManyField(
        "standards.Criterion", verbose_name=_("dùng chung cho tiêu chí"), blank=True, related_name="shared_evidence"
    )

    is_archived = models.BooleanField(_("đã lưu trữ"), default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Case- and accent-free text for search, kept by save(): SQLite folds only ASCII case, and
    # people type "bien ban" for "Biên bản".
    search_text = models.TextField(editable=False, default="")
    # Bumped by every update so that two people editing the same item never overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        # Catalog rows are created in the regulation's order, so criterion ids sort like the
        # criteria; the selectors order by standard number and position explicitly.
        ordering = ["school_id", "criterion_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"], name="evidence_evidence_unique_code",
                violation_error_message=_("Mã minh chứng này đã có trong thư viện của trường."),
            ),
            models.UniqueConstraint(
                fields=["school", "criterion", "sequence"], name="evidence_evidence_unique_sequence"
            ),
            models.CheckConstraint(
                condition=Q(box__gte=1), name="evidence_evidence_box_positive",
                violation_error_message=_("Số hộp phải từ 1 trở lên."),
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="evidence_evidence_sequence_positive"),
            models.CheckConstraint(condition=~Q(code=""), name="evidence_evidence_code_not_empty"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(issued_on__isnull=True) | Q(valid_until__gte=F("issued_on")),
                name="evidence_evidence_valid_after_issued",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày ban hành."),
            ),
            # A stored file always has its checksum, name and size (part 4 and 6 rely on the hash).
            models.CheckConstraint(
                condition=Q(file="", sha256="") | (~Q(file="") & ~Q(sha256="") & ~Q(file_name="") & Q(file_size__gt=0)),
                name="evidence_evidence_file_has_checksum",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "is_archived"], name="evidence_school_archived"),
            models.Index(fields=["school", "box"], name="evidence_school_box"),
        ]

    def __str__(self) -> str:
        return f"[{self.code}] {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The two check constraints a user can break, in Python: ``services`` validates these and the
        unique constraints instead of asking the database once per check constraint (the others hold
        by construction and the database still enforces them all)."""
        if self.box is not None and self.box < 1:
            raise ValidationError({"box": _("Số hộp phải từ 1 trở lên.")})
        if self.valid_until is not None and self.issued_on is not None and self.valid_until < self.issued_on:
            raise ValidationError({"valid_until": _("Ngày hết hiệu lực phải sau ngày ban hành.")})

    def build_search_text(self) -> str:
        parts = [self.code, self.name, self.issued_number, self.issuer, self.issued_period, self.file_name, self.note]
        return fold(" ".join(p for p in parts if p))

    @property
    def citation(self) -> str:
        """The code as cited in a report: ``[H1-1.1-01]``."""
        return f"[{self.code}]"

    @property
    def carried_from_code(self) -> str:
        """The code of the item this one was carried from (a 2018 ``H1-1.1-01``), or ""."""
        try:
            return self.carried_from.source.code
        except models.ObjectDoesNotExist:
            return ""

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def file_kind(self) -> uploads.FileKind | None:
        return uploads.KIND_BY_MIME.get(self.content_type)

    @property
    def file_size_display(self) -> str:
        return uploads.human_size(self.file_size) if self.file_size else ""

    def is_expired(self, on: datetime.date | None = None) -> bool:
        """Past its validity (a council of a past term, an outdated plan) on ``on`` (today)."""
        return self.valid_until is not None and self.valid_until < (on or timezone.localdate())

    @property
    def expired(self) -> bool:
        return self.is_expired()

    def is_future_dated(self, on: datetime.date | None = None) -> bool:
        return self.issued_on is not None and self.issued_on > (on or timezone.localdate())

    @property
    def issued_display(self) -> str:
        """The official list's column: "Số, ngày ban hành hoặc thời điểm khảo sát ..."."""
        parts = []
        if self.issued_number:
            parts.append(self.issued_number)
        if self.issued_on:
            parts.append(f"{self.issued_on:%d/%m/%Y}")
        if self.issued_period:
            parts.append(self.issued_period)
        return ", ".join(parts)

    def is_usable_for(self, criterion) -> bool:
        """Whether a report may cite this item under ``criterion``: coded there or declared shared.

        Criteria are compared by regulation and number as well as by row, because each version of
        a regulation (original, as amended by TT22/2024) has its own criterion rows: an item coded
        under 1.1 of the original serves 1.1 of the amended version. Needs ``criterion__standard
        __version`` and the shared criteria loaded (``selectors.evidence_for_school`` does).
        """
        key = criterion_key(criterion)
        return key == criterion_key(self.criterion) or any(
            key == criterion_key(shared) for shared in self.shared_criteria.all()
        )


def criterion_key(criterion) -> tuple[int, str]:
    """(regulation id, criterion number): the same criterion across the versions of a regulation."""
    return (criterion.standard.version.regulation_id, criterion.number)


class EvidenceCarryOver(models.Model):
    """An item of an earlier regulation on its way to a newer one (chuyển minh chứng sang TT57).

    The app proposes the new criterion (``proposed_criterion``, with the words behind it in
    ``proposal_reason``); only the principal's confirmation creates the item coded under the new
    regulation (``result``), which refers to the same stored file: nothing is recoded, and no file
    copied, without it. The old item keeps its code, so the old reports still cite it as written.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        SKIPPED = "skipped", _("Không chuyển")

    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), on_delete=models.CASCADE, related_name="evidence_carry_overs"
    )
    source = models.ForeignKey(
        Evidence, verbose_name=_("minh chứng cũ"), on_delete=models.CASCADE, related_name="carry_overs"
    )
    regulation = models.ForeignKey(
        "standards.Regulation", verbose_name=_("quy định mới"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_criterion = models.ForeignKey(
        "standards.Criterion", verbose_name=_("tiêu chí đề xuất"), on_delete=models.PROTECT, related_name="+"
    )
    proposal_score = models.FloatField(_("độ tương đồng"), default=0)
    # {"criterion_words": [...], "standard_words": [...], "name_words": [...], "hint": "...",
    #  "old_criterion": "1.1", "runner_up": "1.2"}: what the page says to justify the proposal.
    proposal_reason = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    criterion = models.ForeignKey(
        "standards.Criterion", verbose_name=_("tiêu chí xác nhận"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.OneToOneField(
        Evidence, verbose_name=_("minh chứng theo quy định mới"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="carried_from",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chuyển minh chứng sang quy định mới")
        verbose_name_plural = _("chuyển minh chứng sang quy định mới")
        ordering = ["school_id", "source__criterion_id", "source__sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "regulation"], name="evidence_evidencecarryover_once_per_regulation"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "confirmed", "skipped"]),
                name="evidence_evidencecarryover_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(criterion__isnull=False),
                name="evidence_evidencecarryover_confirmed_has_criterion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.regulation_id} ({self.status})"


# How pages show a carried-over item's status (``{% state_badge row %}``).
declare_states(States(EvidenceCarryOver, tones={
    EvidenceCarryOver.Status.PROPOSED: "warning", EvidenceCarryOver.Status.CONFIRMED: "success",
    EvidenceCarryOver.Status.SKIPPED: "secondary",
}))
