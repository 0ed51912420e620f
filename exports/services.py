"""Writes of the exports: the audit record of each export, and the background jobs' lifecycle.

A job moves queued → running → done (→ expired) or failed (→ queued again on retry), only here,
along the table ``EXPORT_JOB`` (kiemdinh.workflow): the retry is a person's move (``apply``, with its
rule and audit event); the build's moves are the worker's, checked against the same table. Its row is the task's state: ``export_job_claim`` takes the row
under a lock, so a task delivered twice (acks_late, a retried delivery, a second worker) builds
one file; a running job whose heartbeat stopped (its worker died) may be claimed again.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.services import event_record
from kiemdinh import validation
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import require
from kiemdinh.workflow import PermissionRefused, Step, Transition, Workflow, WorkflowError, register
from notifications.services import notify

from .models import ExportJob

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from audit.models import Event
    from schools.models import Organisation, School, User
    from selfassessment.models import Report

logger = logging.getLogger(__name__)

DEFAULT_TTL_HOURS = 72
DEFAULT_STALE_MINUTES = 30
MAX_ATTEMPTS = 3


class ExportError(Exception):
    """A refused export action, with a message for the user."""


def job_ttl() -> datetime.timedelta:
    """How long a built file stays downloadable (setting EXPORT_JOB_TTL_HOURS, 72 by default)."""
    hours = getattr(settings, "EXPORT_JOB_TTL_HOURS", DEFAULT_TTL_HOURS)
    return datetime.timedelta(hours=max(int(hours), 1))


def job_stale_after() -> datetime.timedelta:
    minutes = getattr(settings, "EXPORT_JOB_STALE_MINUTES", DEFAULT_STALE_MINUTES)
    return datetime.timedelta(minutes=max(int(minutes), 1))


def _move(job: ExportJob, status: str) -> None:
    """A move of the build (the worker's), along the table."""
    if not any(t.target == status for t in EXPORT_JOB.transitions_from(job.status)):
        raise ExportError(
            _("Không thể chuyển tệp xuất từ trạng thái “%(a)s” sang “%(b)s”.")
            % {"a": job.get_status_display(), "b": ExportJob.Status(status).label}
        )
    job.status = status


# --- Small exports: one audit event each ----------------------------------------------------------


def report_export_record(*, report: Report, by: User, fmt: str, document: str, version_number: int | None,
                         content_hash: str = "", size: int = 0) -> Event:
    """Record that ``by`` took ``document`` ("report", "summary", "council_decision"…) of a report out."""
    return event_record(
        actor=by,
        action="exports.report.exported",
        target=report,
        school=report.school,
        summary=(
            _("Xuất %(doc)s (%(fmt)s), phiên bản %(v)s") % {"doc": document, "fmt": fmt.upper(), "v": version_number}
            if version_number else _("Xuất %(doc)s (%(fmt)s), bản nháp") % {"doc": document, "fmt": fmt.upper()}
        ),
        data={"document": document, "format": fmt, "version": version_number, "content_hash": content_hash,
              "size": size},
    )


def export_record(*, target: Model, by: User, action: str, summary: str, school: School | None = None,
                  data: dict[str, Any] | None = None) -> Event:
    """Record any other export (a district summary, a round's letter) on its target."""
    return event_record(actor=by, action=action, target=target, school=school, summary=summary, data=data or {})


# --- Background jobs ------------------------------------------------------------------------------


def _queue(job: ExportJob) -> None:
    """Hand the job to Celery once the transaction commits; a broker outage leaves it queued.

    On the embedded default (no broker, ``EXPORT_JOBS_IN_PROCESS``) the job goes to the in-process
    runner's thread instead of an eager Celery call, so that the request does not wait for the build.
    """

    def enqueue() -> None:
        if getattr(settings, "EXPORT_JOBS_IN_PROCESS", False):
            from .runner import submit

            submit(job.pk)
            return
        from .tasks import export_job_run

        try:
            export_job_run.delay(job.pk)
        except Exception as exc:  # broker unreachable: the sweep fails the job, the user may retry
            logger.warning("Could not queue export job %s: %s", job.pk, exc)

    transaction.on_commit(enqueue)


def _silent(job: ExportJob) -> bool:
    """An active job that gave no sign of life for the stale time (its worker is gone)."""
    return (job.heartbeat_at or job.created_at) < timezone.now() - job_stale_after()


@transaction.atomic
def export_job_request(*, kind: str, params: dict[str, Any], title: str, organisation: Organisation | None, by: User,
                       among: QuerySet[ExportJob] | None = None) -> tuple[ExportJob, bool]:
    """Ask for a background export; returns (job, created).

    The same export still queued or running is returned instead of a second one: pressing the
    button twice, or two officers of the district at once, build one file. ``among`` limits that
    reuse to a queryset of jobs (those the requester may open).
    """
    from .selectors import active_job_for

    require(by, "export.request", ExportJob(kind=kind, params=params, organisation=organisation))
    # Lock the organisation's row so that two concurrent requests cannot both find no active job.
    if organisation is not None:
        type(organisation).objects.select_for_update().filter(pk=organisation.pk).first()
    existing = active_job_for(kind=kind, params=params, organisation=organisation, among=among)
    if existing is not None:
        if _silent(existing):
            # Its worker (or the web process running it) stopped: hand it over again; claiming it
            # restarts it once, however many people ask.
            _queue(existing)
        return existing, False
    job = ExportJob(kind=kind, params=params, title=title[:255], organisation=organisation, requested_by=by)
    try:
        validation.full_clean(job)
    except ValidationError as exc:
        raise ExportError("; ".join(exc.messages))
    job.save()
    event_record(actor=by, action=f"exports.{kind}.requested", target=job, summary=title[:500], data=params)
    _queue(job)
    return job, True


def export_job_retry(*, job: ExportJob, by: User) -> ExportJob:
    """Queue a failed job again (a user's explicit retry, rule ``export.retry``)."""
    try:
        return cast(ExportJob, EXPORT_JOB.apply(job, "retry", by))
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from None
    except WorkflowError as exc:
        raise ExportError(exc.message) from None


def _retry(step: Step) -> None:
    job = step.obj
    job.progress, job.step, job.error, job.attempts = 0, "", "", 0
    step.update_fields = ["progress", "step", "error", "attempts"]
    step.summary = job.title


def _retried(step: Step) -> None:
    _queue(step.obj)


def export_job_claim(job_id: int) -> ExportJob | None:
    """Take a queued job (or a running one whose worker went silent) for this worker; None otherwise."""
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        stale = job.status == ExportJob.Status.RUNNING and (
            job.heartbeat_at is None or job.heartbeat_at < now - job_stale_after()
        )
        if job.status != ExportJob.Status.QUEUED and not stale:
            return None
        if job.attempts >= MAX_ATTEMPTS:
            _move(job, ExportJob.Status.FAILED)
            job.error = ngettext(
                "Đã thử %(n)s lần không thành công.", "Đã thử %(n)s lần không thành công.", job.attempts,
            ) % {"n": job.attempts}
            job.finished_at = now
            job.save(update_fields=["status", "error", "finished_at"])
            return None
        _move(job, ExportJob.Status.RUNNING)
        job.attempts += 1
        job.started_at = now
        job.heartbeat_at = now
        job.progress = 0
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "progress"])
    return job


def export_job_progress(job: ExportJob, progress: int, step: str = "") -> None:
    """Record how far the build is (0–100, never backwards within a run) and what it does; also the
    worker's heartbeat."""
    progress = max(0, min(int(progress), 99), job.progress)
    ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        progress=progress, step=step[:255], heartbeat_at=timezone.now()
    )
    job.progress, job.step = progress, step


def _sha256_of(fileobj: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def export_job_finish(job: ExportJob, *, fileobj: IO[bytes], file_name: str, content_type: str,
                      summary: dict[str, Any] | None = None) -> bool:
    """Store the built file and mark the job done; notify the requester after commit.

    Returns False (and stores nothing) when the job is no longer this worker's (another claimed it).
    """
    sha256, size = _sha256_of(fileobj)
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ExportJob.Status.RUNNING or locked.started_at != job.started_at:
            return False
        locked.file.save(file_name, File(fileobj), save=False)
        _move(locked, ExportJob.Status.DONE)
        now = timezone.now()
        locked.file_name = file_name[:255]
        locked.content_type = content_type
        locked.size = size
        locked.sha256 = sha256
        locked.progress = 100
        locked.step = ""
        locked.finished_at = now
        locked.heartbeat_at = now
        locked.expires_at = now + job_ttl()
        validation.full_clean(locked)
        locked.save()
        event_record(
            actor=locked.requested_by, action=f"exports.{locked.kind}.built", target=locked,
            summary=locked.title, data={"sha256": sha256, "size": size, **(summary or {})},
        )
        if locked.requested_by is not None:
            notify(
                user=locked.requested_by, kind="export_ready",
                title=Text(N_("Tệp xuất đã sẵn sàng: %(title)s"), {"title": locked.title}),
                body=Text(N_("Tệp được giữ để tải đến %(when)s."),
                          {"when": timezone.localtime(locked.expires_at).strftime("%H:%M %d/%m/%Y")}),
                url=reverse("exports:job_detail", kwargs={"uuid": locked.uuid}),
                dedupe_key=f"export:{locked.uuid}:ready",
            )
    job.status = ExportJob.Status.DONE
    return True


def export_job_fail(job: ExportJob, error: str) -> None:
    """Mark the job failed with a message the user reads (the traceback goes to the log)."""
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ExportJob.Status.RUNNING:
            return
        _move(locked, ExportJob.Status.FAILED)
        locked.error = error[:2000]
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "error", "finished_at"])
        event_record(actor=locked.requested_by, action=f"exports.{locked.kind}.failed", target=locked,
                     summary=locked.title, data={"error": error[:500]})


Builder = Callable[[ExportJob, Callable[[int, str], None]], tuple[str, str, object, dict[str, Any]]]


def export_job_execute(job_id: int) -> str:
    """Run one job to its end (the body of the Celery task): claim, build, store; idempotent."""
    from .builders import BUILDERS, BuildError

    job = export_job_claim(job_id)
    if job is None:
        row = ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return row or "missing"
    # The stored kind is one of ExportJob.Kind's values (a str enum: the same key).
    builder = BUILDERS.get(cast(ExportJob.Kind, job.kind))
    if builder is None:
        export_job_fail(job, _("Loại tệp xuất không được hỗ trợ."))
        return ExportJob.Status.FAILED
    try:
        file_name, content_type, fileobj, summary = builder(job, functools.partial(export_job_progress, job))
    except BuildError as exc:
        export_job_fail(job, str(exc))
        return ExportJob.Status.FAILED
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        export_job_fail(job, _("Có lỗi khi tạo tệp; quản trị hệ thống đã được ghi nhận lỗi. Hãy thử tạo lại."))
        return ExportJob.Status.FAILED
    try:
        stored = export_job_finish(job, fileobj=fileobj, file_name=file_name, content_type=content_type,
                                   summary=summary)
    finally:
        fileobj.close()
    return ExportJob.Status.DONE if stored else "superseded"


def export_jobs_expire_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic sweep: delete the files of jobs past their time; fail jobs whose worker vanished.

    Each row is handled under its own lock, so two sweeps at once (two beats) do the work once.
    """
    now = now or timezone.now()
    expired = failed = 0
    for job_id in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(pk=job_id, status=ExportJob.Status.DONE).first()
            if job is None:
                continue
            name = job.file.name
            _move(job, ExportJob.Status.EXPIRED)
            job.file = ""
            job.save(update_fields=["status", "file"])
            if name:
                transaction.on_commit(functools.partial(job.file.storage.delete, name))
            expired += 1
    stale_before = now - job_stale_after()
    # Queued too long (the broker lost it) or running without a heartbeat (the worker died).
    for job_id in ExportJob.objects.filter(
        status__in=ExportJob.ACTIVE_STATUSES, created_at__lt=stale_before
    ).values_list("pk", flat=True):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status not in ExportJob.ACTIVE_STATUSES:
                continue
            beat = job.heartbeat_at or job.created_at
            if beat >= stale_before:
                continue
            _move(job, ExportJob.Status.FAILED)
            job.error = _("Việc tạo tệp bị gián đoạn (máy chủ xử lý không phản hồi). Hãy bấm “Tạo lại”.")
            job.finished_at = now
            job.save(update_fields=["status", "error", "finished_at"])
            failed += 1
    return {"expired": expired, "failed": failed}


# --- The job's workflow, declared once -------------------------------------------------------------
# The retry is a person's move; the others are the worker's (rule ``export.worker`` refuses every
# person): a running job may start again (running → running) when its worker died (export_job_claim).


def _worker(action: str, source: str, target: str, verb: str, label: str) -> Transition:
    return Transition(action=action, source=source, target=target, rule="export.worker", verb=verb, label=label)


_S = ExportJob.Status
EXPORT_JOB = register(Workflow(
    "exports.job", "exports.ExportJob",
    transitions=(
        Transition(action="retry", source=_S.FAILED, target=_S.QUEUED, rule="export.retry", verb="retried",
                   label=N_("Tạo lại"), effect=_retry, after=_retried),
        _worker("start", _S.QUEUED, _S.RUNNING, "started", N_("Đang tạo")),
        _worker("start", _S.RUNNING, _S.RUNNING, "restarted", N_("Đang tạo")),
        _worker("finish", _S.RUNNING, _S.DONE, "built", N_("Đã xong")),
        _worker("fail", _S.QUEUED, _S.FAILED, "failed", N_("Lỗi")),
        _worker("fail", _S.RUNNING, _S.FAILED, "failed", N_("Lỗi")),
        _worker("expire", _S.DONE, _S.EXPIRED, "expired", N_("Đã hết hạn tải")),
    ),
    # "exports.<kind>.retried": the job's kind names its events.
    audit_prefix=lambda job: f"exports.{job.kind}",
    refused_messages={"retry": gettext_lazy("Chỉ tạo lại được tệp xuất bị lỗi.")},
    tones={_S.QUEUED: "info", _S.RUNNING: "info", _S.DONE: "success", _S.FAILED: "danger", _S.EXPIRED: "secondary"},
))
