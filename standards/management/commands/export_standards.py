"""Print one loaded catalog as JSON, in the shape and formatting of the shared catalog files."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from standards.exporters import catalog_dict, catalog_json, group_dict
from standards.models import Regulation


class Command(BaseCommand):
    help = "In một bộ tiêu chuẩn ra JSON (cùng dạng với các tệp trong standards/data)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã văn bản, vd. TT18/2018, hoặc mã nhóm, vd. TT57/2026 (mọi phụ lục)")
        parser.add_argument("-o", "--output", help="Ghi ra tệp thay vì in ra màn hình.")

    def handle(self, *args, code, output=None, **options):
        regulation = Regulation.objects.filter(code=code).first()
        data = catalog_dict(regulation) if regulation is not None else group_dict(code)
        if data is None:
            known = ", ".join(Regulation.objects.values_list("code", flat=True)) or "—"
            raise CommandError(_("code: không có bộ tiêu chuẩn “%(code)s” (đã nạp: %(known)s).") % {"code": code, "known": known})
        text = catalog_json(data)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
