"""App configurations the project gives to third-party apps."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginLogConfig(AxesAppConfig):
    """django-axes (login attempts and lockouts) under its name in the admin site, in the reader's
    language: "Nhật ký đăng nhập" / "Login log" (axes itself says "Axes"). Its models' names come
    from axes' own messages, worded in Vietnamese by locale/vi."""

    verbose_name = _("Nhật ký đăng nhập")
