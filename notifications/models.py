"""In-app notifications (the bell) and the outbox of e-mails sent through Celery.

Idempotency lives here, in the database: a notification and an e-mail each carry a unique
``dedupe_key`` (e.g. "report:12:submitted:v3:user:5"), so a task run twice, a second beat or a
retried request never notifies twice; an e-mail's ``status`` is re-checked under a row lock
before sending.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kiemdinh.i18n import Text


class Kind(models.TextChoices):
    """Every kind of notification; users may mute the e-mail of any kind."""

    REPORT_SUBMITTED = "report_submitted", _("Báo cáo được nộp")
    REVIEW_ASSIGNED = "review_assigned", _("Được phân công thẩm định")
    COMMENT = "comment", _("Góp ý mới")
    REPORT_RETURNED = "report_returned", _("Báo cáo được trả lại để chỉnh sửa")
    REPORT_ACCEPTED = "report_accepted", _("Báo cáo được chấp nhận")
    REPORT_UNLOCKED = "report_unlocked", _("Báo cáo được mở khóa")
    DEADLINE_REMINDER = "deadline_reminder", _("Nhắc hạn")
    DEADLINE_OVERDUE = "deadline_overdue", _("Quá hạn")
    EXPORT_READY = "export_ready", _("Tệp xuất đã sẵn sàng")
    GENERAL = "general", _("Thông báo chung")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # ``title``/``body`` as written for the recipient (in their language at the time) and, when the
    # sender gave a kiemdinh.i18n.Text, its code and parameters ({"title": …, "body": …}): the list
    # words them in the reader's language of today (``title_text``/``body_text``).
    wording = models.JSONField(_("mô tả (mã và tham số)"), default=dict, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notifications_notification_dedupe"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def title_text(self) -> str:
        return self._worded("title", self.title)

    @property
    def body_text(self) -> str:
        return self._worded("body", self.body)

    def _worded(self, part: str, written: str) -> str:
        text = Text.from_data((self.wording or {}).get(part))
        return str(text) if text is not None else written


class OutboundEmail(models.Model):
    """One e-mail to one address; a row exists before the task runs, so nothing is lost."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    to = models.EmailField(_("người nhận"))
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thư điện tử")
        verbose_name_plural = _("thư điện tử")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="notif_email_status")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class EmailMute(models.Model):
    """A kind of notification whose e-mail the user does not want (in-app stays)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_mutes")
    kind = models.CharField(max_length=40, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_emailmute_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
