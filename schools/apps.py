from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Trường học và người dùng")

    def ready(self):
        from . import permissions  # noqa: F401  registers the rules
