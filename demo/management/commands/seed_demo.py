"""Load the demo data of every app, once: `python manage.py seed_demo [--schools N]`.

The seeding modules run in dependency order (``DEMO_SEEDS``): the organisations and accounts, the
evidence library, the self-assessment reports, their reviews, then plans, rounds and certificates.

The demo accounts share a published password, so the command refuses to run with DEBUG off
(a production settings file) unless ``--allow-without-debug`` says this is a demo or benchmark site.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo import evaluations as evaluations_demo
from demo import reviews as reviews_demo
from demo import selfassessment as selfassessment_demo
from evidence import demo as evidence_demo
from schools import demo
from schools.models import User
from standards.models import Regulation

# After the organisations and the catalogs, in dependency order: each has a `seed(stdout)`.
DEMO_SEEDS = (evidence_demo, selfassessment_demo, reviews_demo, evaluations_demo)


class Command(BaseCommand):
    help = ("Tạo dữ liệu mẫu (idempotent): Sở GD&ĐT Hà Nội, Phòng GD&ĐT Đống Đa và Long Biên, UBND phường Cửa Nam, "
            "trường, tài khoản.")

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=0, help="Also generate a district with N schools.")
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo accounts.")
        parser.add_argument(
            "--accounts-only", action="store_true",
            help="Only print the demo accounts of an already seeded database (`make run` prints them last).",
        )
        parser.add_argument(
            "--allow-without-debug", action="store_true",
            help="Run with DEBUG off too (a demo or benchmark site; the accounts have a published password).",
        )

    def handle(self, *args, schools: int, quiet_accounts: bool, accounts_only: bool, allow_without_debug: bool,
               **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Dữ liệu mẫu tạo các tài khoản với mật khẩu công khai; không chạy khi DEBUG tắt (máy chủ thật). "
                "Nếu đây là máy chủ trình diễn hoặc đo hiệu năng, thêm --allow-without-debug."
            )
        if schools < 0:
            raise CommandError("--schools must be zero or positive.")
        if accounts_only:
            self._print_accounts()
            return
        demo.seed(stdout=self.stdout)
        # Reports, evidence codes and plans need the regulation catalogs.
        if not Regulation.objects.exists():
            call_command("load_standards", stdout=self.stdout)
        for module in DEMO_SEEDS:
            module.seed(stdout=self.stdout)
        if schools:
            unit = demo.seed_large_district(schools)
            self.stdout.write(f"Generated district {unit.code} with {unit.schools.count()} schools (cv.benchmark).")
        if not quiet_accounts:
            self._print_accounts()

    def _print_accounts(self):
        accounts = demo.demo_accounts()
        present = set(User.objects.filter(username__in=[name for name, _role in accounts]).values_list("username", flat=True))
        if not present:
            raise CommandError("Chưa có dữ liệu mẫu: chạy `python manage.py seed_demo` trước.")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Accounts (password: {demo.DEMO_PASSWORD}):"))
        for username, role in accounts:
            if username not in present or (username.startswith(("dda-", "lbi-")) and not username.endswith("-01")):
                continue
            self.stdout.write(f"  {username:<16} {role}")
        self.stdout.write("  (every school has a principal account named after its code, e.g. dda-thcs-05)")
