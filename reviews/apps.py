from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Thẩm định báo cáo")

    def ready(self):
        from . import permissions  # noqa: F401  registers the rules
