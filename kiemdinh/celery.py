"""The Celery application. Without CELERY_BROKER_URL, settings make tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdinh.settings")

app = Celery("kiemdinh")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
