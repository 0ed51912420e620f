"""Test settings: the base settings with a fixed key, fast hashing and strict templates.

DATABASE_URL and CELERY_BROKER_URL from the environment are honoured, so CI runs the suite
against PostgreSQL and Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-suite-only-0123456789abcdefghij")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .settings import *  # noqa: E402,F403
from .settings import TEMPLATES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test that starts a real Celery worker gives it a file-based backend through the environment.
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("TEST_EMAIL_FILE_PATH", "")
# Tasks run in-process in tests, except in a real worker started by a test.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"
# Export jobs run where a test puts them (the in-process runner is turned on by the tests of it).
EXPORT_JOBS_IN_PROCESS = False
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "INVALID_TEMPLATE_VARIABLE(%s)"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
_TEST_MEDIA = "/tmp/kiemdinh-test-media"  # nosec B108  # tests only; conftest gives each test its own tmp_path
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", _TEST_MEDIA))  # noqa: F405
AXES_ENABLED = True
# Serve static files from the source folders, with no collectstatic step before the tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# On PostgreSQL the suite's commits (browser tests against the live server, each migration of the
# test database, the flush after each such test) need not wait for the disk: the test database is
# thrown away at the end, so durability buys nothing there.
# The planner keeps the joins in the order Django writes them (join_collapse_limit, from_collapse_limit
# at 1): on the test database's few rows every order is as fast, but searching them is not. Planning
# a service's re-read of a row with its related rows (eight joins) cost ~4 ms, ten times its running;
# over the suite's queries this is about a fifth of the PostgreSQL server's CPU. Results are the same
# whatever the join order; only the plan changes. Per session only: production keeps the defaults.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c synchronous_commit=off -c join_collapse_limit=1 -c from_collapse_limit=1"
    )
