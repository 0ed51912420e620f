"""The in-process runner of background exports on the embedded default (no Celery broker).

Without a broker Celery runs a task eagerly, that is inside the request that queued it: the request
would block for the whole build with nothing on the screen. On that default
(``EXPORT_JOBS_IN_PROCESS``, on when no broker is configured) a queued job is handed to one daemon
thread of the web process instead, which runs the same task body (``services.export_job_execute``)
job after job; the request returns at once with the job's progress page. With a broker
(production) jobs go to Celery as before and this module is not used.

The thread holds no database connection between jobs: it closes its own connections when each job
ends, whatever happened in it (a connection left open would keep, for instance, PostgreSQL from
dropping a database, and would go stale between two exports hours apart). ``stop`` drains the
queue and ends the thread (tests, and the end of a test session).

If the process stops in the middle of a build (a restart), the job's heartbeat stops: asking for the
same export again hands it to the runner once more (``services.export_job_request``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time

from django.db import connections

logger = logging.getLogger(__name__)

_IDLE_POLL = 0.2  # seconds: how often an idle thread looks whether it was asked to stop

_jobs: queue.Queue[int] = queue.Queue()
_lock = threading.Lock()
_worker: threading.Thread | None = None
_stopping: dict[threading.Thread, threading.Event] = {}  # every thread started, with its stop request


def submit(job_id: int) -> None:
    """Queue a job for the runner thread (started on first use, again if it died or was stopped)."""
    global _worker
    with _lock:
        _jobs.put(job_id)
        if _worker is None or not _worker.is_alive():
            stop_request = threading.Event()
            _worker = threading.Thread(target=_work, args=(stop_request,), name="kiemdinh-export-jobs",
                                       daemon=True)
            _stopping[_worker] = stop_request
            _worker.start()


def _work(stop_request: threading.Event) -> None:
    """Build the queued jobs one after the other; end when asked to and nothing is left to build."""
    while True:
        try:
            job_id = _jobs.get(timeout=_IDLE_POLL)
        except queue.Empty:
            if stop_request.is_set():
                return
            continue
        try:
            run(job_id)
        except Exception:  # never let one job end the thread
            logger.exception("In-process export job %s stopped", job_id)
        finally:
            # This thread's own database connections are closed when each job ends (also when
            # ``run`` failed in a way it did not catch itself).
            connections.close_all()
            _jobs.task_done()


def run(job_id: int) -> None:
    """Build one job in this thread; a failure is the job's (recorded on its row), never the thread's."""
    from .services import export_job_execute

    try:
        export_job_execute(job_id)
    except Exception:
        logger.exception("In-process export job %s stopped", job_id)
    finally:
        connections.close_all()


def pending() -> int:
    """Jobs handed to the runner and not finished yet (the queued ones and the one being built)."""
    return _jobs.unfinished_tasks


def is_alive() -> bool:
    """Whether a runner thread exists (idle or building)."""
    with _lock:
        return any(thread.is_alive() for thread in _stopping)


def wait_idle(timeout: float = 60.0) -> bool:
    """Wait until every job handed over is finished; False if some is still running after ``timeout``."""
    deadline = time.monotonic() + timeout
    with _jobs.all_tasks_done:
        while _jobs.unfinished_tasks:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            _jobs.all_tasks_done.wait(left)
    return True


def stop(timeout: float = 60.0) -> bool:
    """Let the runner build what it holds, then end its threads; True once no thread is left.

    A thread's database connections are closed by then (after each job). A build that does not end
    within ``timeout`` leaves its thread running and returns False (a later ``stop`` waits again).
    A job submitted meanwhile starts a new thread, so it is built all the same.
    """
    global _worker
    with _lock:
        _worker = None
        threads = list(_stopping.items())
        for _thread, stop_request in threads:
            stop_request.set()
    deadline = time.monotonic() + timeout
    for thread, _request in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    with _lock:
        for thread, _request in threads:
            if not thread.is_alive():
                _stopping.pop(thread, None)
        return not any(thread.is_alive() for thread, _request in threads)
