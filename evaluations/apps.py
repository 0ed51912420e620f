from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Đánh giá ngoài và kế hoạch")

    def ready(self):
        from selfassessment import plan57

        from . import deadlines57, permissions, services  # noqa: F401  registers the app's rules and workflows

        # The Biểu 2 page (selfassessment) shows the monitoring dates the reviewing unit set here.
        plan57.monitoring_dates_reader_register(deadlines57.monitoring_dates)
