from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Minh chứng")

    def ready(self):
        from . import permissions  # noqa: F401  registers the rules
        from .upload_handlers import allow_long_file_names

        allow_long_file_names()
