"""Load the bundled regulation catalogs (standards/data/*.json), or the given files. Idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from standards.services import CatalogError, bundled_catalog_paths, catalogs_load


class Command(BaseCommand):
    help = "Nạp các bộ tiêu chuẩn (mặc định: standards/data/*.json). Chạy lại không thay đổi gì nếu dữ liệu không đổi."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Tệp JSON cần nạp (mặc định: các tệp kèm theo dự án).")
        parser.add_argument(
            "--force", action="store_true",
            help="Ghi đè cả những bộ tiêu chuẩn quản trị viên đã sửa bằng tệp nhập.",
        )

    def handle(self, *args, files, force=False, **options):
        paths = [Path(f) for f in files] or bundled_catalog_paths()
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(_("Không tìm thấy tệp: %(files)s") % {"files": ", ".join(missing)})
        try:
            reports = catalogs_load(paths=paths, force=force)
        except CatalogError as exc:
            lines = [exc.message] + [f"  {i.path or i.where}: {i.message}" for i in exc.issues]
            raise CommandError("\n".join(lines)) from None
        for report in reports:
            self.stdout.write(report.describe())
        if not any(report.changed for report in reports):
            self.stdout.write(self.style.SUCCESS(_("Không có thay đổi.")))
