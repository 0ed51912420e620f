#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdinh.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  read the settings now, so that an error in them is told plainly
    except ImproperlyConfigured as exc:
        # Django would go on without its apps and fail later with "Models aren't loaded yet".
        sys.stderr.write(f"{exc}\n(For development: DEBUG=1 {' '.join(sys.argv)})\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
