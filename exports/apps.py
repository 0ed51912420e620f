from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Xuất văn bản")

    def ready(self):
        from . import permissions, services  # noqa: F401  registers the rules and the job's workflow
