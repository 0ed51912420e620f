"""Delete upload files that killed workers left in FILE_UPLOAD_TEMP_DIR (also a beat entry, hourly)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from evidence.upload_handlers import temp_upload_dir, temp_uploads_clean


class Command(BaseCommand):
    help = "Xóa các tệp tải lên tạm thời bị bỏ lại (cũ hơn số giờ cho trước) trong FILE_UPLOAD_TEMP_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None,
                            help="Tuổi tối thiểu của tệp, tính bằng giờ (mặc định FILE_UPLOAD_TEMP_MAX_AGE_HOURS).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa.")

    def handle(self, *args, hours=None, dry_run=False, **options):
        hours = settings.FILE_UPLOAD_TEMP_MAX_AGE_HOURS if hours is None else hours
        names = temp_uploads_clean(older_than=datetime.timedelta(hours=max(hours, 0)), dry_run=dry_run)
        for name in names:
            self.stdout.write(name)
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(f"{verb} {len(names)} tệp tạm trong {temp_upload_dir()}.")
