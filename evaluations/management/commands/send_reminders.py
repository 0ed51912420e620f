"""Send today's deadline reminders by hand: `python manage.py send_reminders [--today YYYY-MM-DD] [--dry-run]`.

The same selection and sending as the daily Celery task, run synchronously: one line per
reminder, then `sent: N` (or `would send: N` with --dry-run). Safe to run any number of times:
a reminder already sent is never sent again.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from evaluations import services
from evaluations.tasks import local_today


class Command(BaseCommand):
    help = "Gửi nhắc hạn (báo cáo định kỳ 20/12, 10/5 và các mốc đánh giá ngoài) cho hôm nay hoặc một ngày chỉ định."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Ngày tính nhắc hạn, dạng YYYY-MM-DD (mặc định: hôm nay theo giờ Việt Nam).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi gì.")

    def handle(self, *args, today: str | None, dry_run: bool, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today must be a date YYYY-MM-DD, got {today!r}")
        else:
            day = local_today()
        outcomes = services.reminders_run(today=day, dry_run=dry_run)
        count = 0
        for outcome in outcomes:
            if dry_run or outcome.sent:
                count += 1
                self.stdout.write(outcome.line)
            else:
                self.stdout.write(f"# {outcome.line}")
        self.stdout.write(f"would send: {count}" if dry_run else f"sent: {count}")
