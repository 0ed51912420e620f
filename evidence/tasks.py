"""Background jobs of the evidence app."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings

from .upload_handlers import temp_uploads_clean


@shared_task
def temp_uploads_clean_due() -> int:
    """Periodic: delete upload files left in FILE_UPLOAD_TEMP_DIR by killed workers (beat: hourly)."""
    hours = settings.FILE_UPLOAD_TEMP_MAX_AGE_HOURS
    return len(temp_uploads_clean(older_than=datetime.timedelta(hours=hours)))
