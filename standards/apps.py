from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Bộ tiêu chuẩn đánh giá")

    def ready(self):
        from . import permissions, services  # noqa: F401  registers the rules and the imports' workflow
