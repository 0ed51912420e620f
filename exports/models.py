"""Background exports (tệp xuất chạy nền): the dossier to the Sở and other large files.

Small exports (a form, a sheet of one report, the live draft, a spreadsheet of few schools) stream
in the request and leave only an audit event. A long one (the dossier of a round, a submitted
report as PDF or Word, the district summary or dashboard spreadsheet of many schools) is an
``ExportJob`` row built by a Celery task (or the in-process runner on the embedded default); the
row is the task's state, so a task delivered twice builds one file, and a page polls the row for
its progress.

Files are private: stored under MEDIA_ROOT with a generated name, never served by URL, only
through the permission-checked download view, and deleted when the job expires.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def export_upload_to(instance: ExportJob, filename: str) -> str:
    """A generated path; the name offered to the user is ``file_name`` and never touches the disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if not extension.isalnum() or len(extension) > 5:
        extension = "bin"
    today = timezone.localdate()
    return f"exports/{today:%Y/%m}/{instance.uuid.hex}.{extension}"


class ExportJob(models.Model):
    """One background export, from the request to the expiry of its file."""

    class Kind(models.TextChoices):
        DOSSIER = "dossier", _("Hồ sơ đề nghị đánh giá ngoài gửi Sở GD&ĐT")
        # One submitted version of a report as PDF or Word (params: report, version, fmt, content_hash).
        REPORT = "report", _("Báo cáo tự đánh giá (PDF, Word)")
        # The district summary spreadsheet of many schools (params: units, school_year, kind).
        SUMMARY = "summary", _("Bảng tổng hợp kiểm định (Excel)")
        # The district dashboard as a spreadsheet (params: the dashboard's query: unit, year, kind…).
        DASHBOARD = "dashboard", _("Bảng điều khiển (Excel)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")
        # The file was deleted after its retention time; the row stays as the record of the export.
        EXPIRED = "expired", _("Đã hết hạn tải")

    # The moves between these are declared once, as the table ``services.EXPORT_JOB`` (kiemdinh.workflow).
    ACTIVE_STATUSES = frozenset({Status.QUEUED, Status.RUNNING})

    # Public identifier in URLs: job ids must not be guessable nor enumerable.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    # What to build, e.g. {"round": 3, "include_files": false}; read by the builder of the kind.
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    title = models.CharField(_("tên"), max_length=255)
    # Whose data the export holds: decides who else may download it (permissions.export_download).
    organisation = models.ForeignKey(
        "schools.Organisation", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), null=True, on_delete=models.SET_NULL,
        related_name="export_jobs",
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("đang làm"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)

    file = models.FileField(_("tệp"), upload_to=export_upload_to, max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng"), null=True, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    # Bumped by every progress write: a running job whose heartbeat is old has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn tải lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed", "expired"]),
                name="exports_exportjob_status_valid",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="exports_exportjob_progress_range"),
            # A finished job has its file and checksum; only then may it be downloaded.
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & ~Q(sha256="") & Q(size__isnull=False) & Q(expires_at__isnull=False)),
                name="exports_exportjob_done_has_file",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="exports_job_status_expiry"),
            models.Index(fields=["requested_by", "created_at"], name="exports_job_requester"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file) and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    @property
    def step_display(self) -> str:
        """What the build is doing, for the progress page (a queued job says it waits its turn)."""
        if self.step:
            return self.step
        if self.status == self.Status.QUEUED:
            return str(_("Đang chờ đến lượt tạo…"))
        return ""

    @property
    def size_display(self) -> str:
        if not self.size:
            return ""
        size = float(self.size)
        for unit in ("B", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}".replace(".", ",")
            size /= 1024
        return ""
