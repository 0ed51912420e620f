from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Thẩm định báo cáo")

    def ready(self):
        # The rules, and the effects attached to the review workflows' tables (reviews.workflow).
        from . import permissions, services  # noqa: F401
