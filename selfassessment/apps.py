from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfAssessmentConfig(AppConfig):
    name = "selfassessment"
    verbose_name = _("Tự đánh giá")
