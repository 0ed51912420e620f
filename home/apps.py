from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top layer: start pages and dashboards, which may read from every app below."""

    name = "home"

    def ready(self):
        from reviews.selectors import dashboard_columns_register

        from . import integrations

        # The district dashboard (reviews) gets the evaluations app's columns from here.
        dashboard_columns_register(integrations.attach)
