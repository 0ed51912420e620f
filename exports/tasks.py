"""Celery tasks of the exports: thin, by id, idempotent through the job row (style.md 16–18)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def export_job_run(job_id: int) -> str:
    """Build one background export; a second delivery of the same job does nothing."""
    from .services import export_job_execute

    return export_job_execute(job_id)


@shared_task
def export_jobs_expire() -> dict:
    """Periodic: delete expired files, fail jobs whose worker vanished (beat: every 30 minutes)."""
    from .services import export_jobs_expire_due

    return export_jobs_expire_due()
