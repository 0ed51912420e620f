from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfAssessmentConfig(AppConfig):
    name = "selfassessment"
    verbose_name = _("Tự đánh giá")

    def ready(self):
        from . import (
            permissions,  # noqa: F401  registers the rules
            receivers,  # noqa: F401  connects to the evidence library's signals
        )
        from .tracking import services  # noqa: F401  registers the improvement actions' workflow
