"""The in-process runner of background exports on the embedded default (no Celery broker).

Without a broker Celery runs a task eagerly, that is inside the request that queued it: the dossier
request would block for the whole build with nothing on the screen. On that default
(``EXPORT_JOBS_IN_PROCESS``, on when no broker is configured) a queued job is handed to one daemon
thread of the web process instead, which runs the same task body (``services.export_job_execute``)
job after job; the request returns at once with the job's progress page. With a broker
(production) jobs go to Celery as before and this module is not used.

If the process stops in the middle of a build (a restart), the job's heartbeat stops: asking for the
same export again hands it to the runner once more (``services.export_job_request``).
"""

from __future__ import annotations

import logging
import queue
import threading

from django.db import connections

logger = logging.getLogger(__name__)

_jobs: queue.Queue[int] = queue.Queue()
_lock = threading.Lock()
_worker: threading.Thread | None = None


def submit(job_id: int) -> None:
    """Queue a job for the runner thread (started on first use, restarted if it died)."""
    global _worker
    _jobs.put(job_id)
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="kiemdinh-export-jobs", daemon=True)
            _worker.start()


def _work() -> None:
    while True:
        job_id = _jobs.get()
        try:
            run(job_id)
        finally:
            _jobs.task_done()


def run(job_id: int) -> None:
    """Build one job in this thread; a failure is the job's (recorded on its row), never the thread's."""
    from .services import export_job_execute

    try:
        export_job_execute(job_id)
    except Exception:
        logger.exception("In-process export job %s stopped", job_id)
    finally:
        # This thread's own database connections: not left open between jobs.
        connections.close_all()


def pending() -> int:
    """Jobs handed to the runner and not finished yet (the queued ones and the one being built)."""
    return _jobs.unfinished_tasks
