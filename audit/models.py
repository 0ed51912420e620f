"""The audit trail: one append-only row per thing that happened (nhật ký).

Rows are written by services only (``audit.services.event_record``) and never changed or
deleted: ``save`` refuses updates and ``delete`` raises, on the model and on querysets.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiemdinh.i18n import Text


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only.")


class Event(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người thực hiện"),
    )
    # Namespaced action code, e.g. "selfassessment.report.submitted".
    action = models.CharField(_("thao tác"), max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    # The school the event concerns, for timelines and scoping (null for district-level events).
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(_("từ trạng thái"), max_length=30, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=30, blank=True)
    # The summary as written (Vietnamese, for search and for rows older than ``wording``) and, when
    # the writer gave a kiemdinh.i18n.Text, its message code and parameters: ``text`` words it in the
    # reader's language when shown or sent.
    summary = models.CharField(_("mô tả"), max_length=500, blank=True)
    wording = models.JSONField(_("mô tả (mã và tham số)"), default=dict, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("nhật ký")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"], name="audit_event_target")]

    def __str__(self) -> str:
        return f"{self.action} #{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    @property
    def text(self) -> str:
        """The summary in the active language (rows without a wording: the summary as written)."""
        wording = Text.from_data(self.wording)
        return str(wording) if wording is not None else self.summary
