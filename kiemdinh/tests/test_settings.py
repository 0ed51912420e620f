"""Settings come from the environment; bad values stop the start with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kiemdinh.env import env_bool, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_accepts_the_usual_spellings():
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "0"}) is False
    assert env_bool("X", True, {}) is True


def test_env_bool_rejects_an_unknown_word_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe'"):
        env_bool("DEBUG", False, {"DEBUG": "maybe"})


def test_env_int_rejects_text_and_values_below_the_minimum():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='abc' is not a whole number"):
        env_int("EMAIL_PORT", 25, {"EMAIL_PORT": "abc"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("EVIDENCE_MAX_UPLOAD_MB", 20, {"EVIDENCE_MAX_UPLOAD_MB": "0"}, minimum=1)
    assert env_int("EMAIL_PORT", 25, {"EMAIL_PORT": "2525"}) == 2525


def test_env_list_splits_on_commas():
    assert env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": "a.vn, b.vn,,"}) == ["a.vn", "b.vn"]


def test_database_url_postgres_and_sqlite_are_parsed():
    pg = env_database("DATABASE_URL", "", {"DATABASE_URL": "postgres://kd:pw@db.local:5433/kiemdinh"})
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["HOST"], pg["PORT"], pg["NAME"], pg["USER"]) == ("db.local", 5433, "kiemdinh", "kd")
    lite = env_database("DATABASE_URL", "sqlite:////tmp/x.sqlite3", {})
    assert lite["ENGINE"] == "django.db.backends.sqlite3"
    assert lite["NAME"] == "/tmp/x.sqlite3"


def test_database_url_with_an_unsupported_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL='mysql://x/y' is not supported"):
        env_database("DATABASE_URL", "", {"DATABASE_URL": "mysql://x/y"})


def _clean_environ():
    """The environment without the variables the test settings themselves set."""
    dropped = {
        "DATABASE_URL", "DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    return {k: v for k, v in os.environ.items() if k not in dropped}


def _start(env_overrides):
    env = _clean_environ()
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "kiemdinh.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_start_without_secret_key_fails_clearly():
    result = _start({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_start_with_a_bad_boolean_fails_clearly():
    result = _start({"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = _clean_environ()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kiemdinh.settings",
            "DEBUG": "0",
            "SECRET_KEY": "x7#Jq2!vLm9@pR4$wZ8^tY6&nB3*kD5(hF1)gS0_eA-cU+oI=" + "Qa1Zs2Xd3",
            "ALLOWED_HOSTS": "kiemdinh.example.vn",
            "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
            "KIEMDINH_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_celery_queue_names_the_queue_every_process_uses():
    """Two installations on one Redis keep their tasks apart by naming their queue (CELERY_QUEUE):
    what the web nodes and beat send to, and what the worker reads."""
    script = "from kiemdinh.celery import app; print(app.conf.task_default_queue)"
    base = {"DEBUG": "1", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9"}
    for extra, expected in (({}, "celery"), ({"CELERY_QUEUE": "kiemdinh-staging"}, "kiemdinh-staging")):
        env = {k: v for k, v in _clean_environ().items() if k != "CELERY_QUEUE"}
        env.update({**base, **extra, "DJANGO_SETTINGS_MODULE": "kiemdinh.settings"})
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == expected
