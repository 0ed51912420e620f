"""Run the periodic jobs of settings.CELERY_BEAT_SCHEDULE in this process, for `make run`.

Without a broker (the embedded default) there is no Celery beat nor worker: this loop wakes up
every --interval seconds and runs each entry whose time has come, in-process. Daily entries
(crontab) run once a day; when the scheduler starts after the day's time has passed without a
run recorded in the state file, the entry runs at start-up (the reminder tasks are idempotent,
so a run too many sends nothing twice). Interval entries (a number of seconds) run that often.
The last run of each entry is kept in a small JSON file so a restart does not repeat the day.
"""

from __future__ import annotations

import datetime
import json
import logging
import signal
import time
from pathlib import Path

from celery import current_app
from celery.schedules import crontab, schedule
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

logger = logging.getLogger("evaluations.scheduler")


def as_schedule(value):
    """A Celery schedule object for a beat entry's ``schedule`` (seconds, timedelta or schedule)."""
    if isinstance(value, int | float):
        return schedule(datetime.timedelta(seconds=value))
    if isinstance(value, datetime.timedelta):
        return schedule(value)
    return value


def at(sched: crontab, now: datetime.datetime) -> crontab:
    """The same crontab, with its clock fixed at ``now`` (crontab compares with its own ``nowfun``)."""
    return crontab(
        minute=sched._orig_minute, hour=sched._orig_hour, day_of_week=sched._orig_day_of_week,
        day_of_month=sched._orig_day_of_month, month_of_year=sched._orig_month_of_year,
        nowfun=lambda: now, app=current_app,
    )


class Scheduler:
    """Decides which entries are due and runs them; the state maps entry name → last run (ISO)."""

    def __init__(self, entries: dict, state_path: Path | None, run=None):
        self.entries = entries
        self.state_path = state_path
        self.state: dict[str, str] = self._load()
        self._run = run or self._apply

    def _load(self) -> dict[str, str]:
        if self.state_path and self.state_path.exists():
            try:
                return json.loads(self.state_path.read_text())
            except (OSError, ValueError):
                logger.warning("Ignoring unreadable scheduler state %s", self.state_path)
        return {}

    def _save(self) -> None:
        if not self.state_path:
            return
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, indent=1, sort_keys=True))
        tmp.replace(self.state_path)

    def is_due(self, name: str, entry: dict, now: datetime.datetime) -> bool:
        sched = as_schedule(entry["schedule"])
        last_raw = self.state.get(name)
        last = datetime.datetime.fromisoformat(last_raw) if last_raw else None
        if isinstance(sched, crontab):
            # Never run: as if it last ran two days ago, so a run missed since then happens now.
            reference = last or now - datetime.timedelta(days=2)
            return at(sched, now).is_due(reference).is_due
        if last is None:
            return True
        return now - last >= sched.run_every

    def tick(self, now: datetime.datetime | None = None) -> list[str]:
        """Run every due entry once; return the names run."""
        now = now or timezone.now()
        ran = []
        for name, entry in self.entries.items():
            if not self.is_due(name, entry, now):
                continue
            try:
                result = self._run(entry)
            except Exception:
                logger.exception("Scheduled job %s (%s) failed", name, entry["task"])
            else:
                logger.info("Ran %s (%s): %s", name, entry["task"], result)
            # Recorded even after a failure, so a broken job waits for its next turn instead of
            # being retried in a tight loop.
            self.state[name] = now.isoformat()
            self._save()
            ran.append(name)
        return ran

    @staticmethod
    def _apply(entry: dict):
        task = current_app.tasks.get(entry["task"])
        if task is None:
            # Celery discovers the apps' tasks modules lazily (on a worker's start); outside a
            # worker, trigger that discovery once before looking the task up.
            current_app.loader.import_default_modules()
            task = current_app.tasks[entry["task"]]
        result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
        if result.failed():
            raise result.result
        return result.result


class Command(BaseCommand):
    help = "Chạy các công việc định kỳ (CELERY_BEAT_SCHEDULE) ngay trong tiến trình này, khi không dùng Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks (default 30).")
        parser.add_argument("--once", action="store_true", help="Run what is due now, then exit.")
        parser.add_argument("--state", default="", help="State file (default: <VAR_DIR>/run_scheduler.json).")

    def handle(self, *args, interval: float, once: bool, state: str, **options):
        entries = getattr(settings, "CELERY_BEAT_SCHEDULE", {}) or {}
        state_path = Path(state) if state else Path(settings.VAR_DIR) / "run_scheduler.json"
        scheduler = Scheduler(entries, state_path)
        self.stdout.write(f"Scheduler: {len(entries)} job(s): {', '.join(entries) or '-'}; state in {state_path}")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            while True:
                for name in scheduler.tick():
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} ran {name}")
                if once or stopping:
                    break
                time.sleep(max(interval, 1.0))
        except KeyboardInterrupt:
            pass
        self.stdout.write("Scheduler stopped.")
