from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Đánh giá ngoài và kế hoạch")

    def ready(self):
        from . import permissions  # noqa: F401  registers the app's rules
