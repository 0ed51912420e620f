from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations across the apps: moving files to object storage, backup and restore (no models)."""

    name = "ops"
