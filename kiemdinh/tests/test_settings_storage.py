"""Object storage, cache and sessions come from the environment: local and in-process by default,
a private S3-compatible bucket and a shared Redis when configured; sessions never node-local."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kiemdinh.env import env_cache, env_storage

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_bucket_the_files_stay_in_the_local_media_folder():
    assert env_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_gives_a_private_s3_storage_with_short_signed_urls():
    storage = env_storage({
        "AWS_STORAGE_BUCKET_NAME": "kiemdinh-files",
        "AWS_S3_ENDPOINT_URL": "https://minio.so-gd.local:9000",
        "AWS_S3_REGION_NAME": "hn-1",
        "AWS_ACCESS_KEY_ID": "AK",
        "AWS_SECRET_ACCESS_KEY": "SK",
        "AWS_LOCATION": "/prod/",
    })
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "kiemdinh-files", "https://minio.so-gd.local:9000", "hn-1")
    assert (options["access_key"], options["secret_key"], options["location"]) == ("AK", "SK", "prod")
    # Private: no ACL (never public-read), every URL signed, for a minute; nothing overwritten.
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["querystring_expire"] == 60 and options["file_overwrite"] is False
    # A custom endpoint (MinIO, Ceph) is addressed by path unless told otherwise.
    assert options["addressing_style"] == "path"
    # A store that does not answer fails within seconds, not boto3's default minute.
    config = options["client_config"]
    assert config.connect_timeout == 5 and config.s3 == {"addressing_style": "path"}
    assert config.signature_version == "s3v4"


def test_without_keys_boto3_finds_its_own_and_aws_uses_virtual_hosts():
    options = env_storage({"AWS_STORAGE_BUCKET_NAME": "b"})["OPTIONS"]
    assert options["access_key"] is None and options["secret_key"] is None
    assert options["endpoint_url"] is None and options["addressing_style"] is None


@pytest.mark.parametrize("variables, message", [
    ({"AWS_S3_ENDPOINT_URL": "minio:9000"}, "AWS_S3_ENDPOINT_URL='minio:9000' is not a URL"),
    ({"AWS_S3_ADDRESSING_STYLE": "sideways"}, "AWS_S3_ADDRESSING_STYLE='sideways'"),
    ({"AWS_QUERYSTRING_EXPIRE": "0"}, "AWS_QUERYSTRING_EXPIRE=0 must be at least 1"),
])
def test_a_bad_storage_setting_stops_the_start_naming_the_variable(variables, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        env_storage({"AWS_STORAGE_BUCKET_NAME": "b", **variables})


def test_the_cache_is_local_memory_by_default_and_redis_when_named():
    assert env_cache({})["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    for variable in ("CACHE_URL", "REDIS_URL"):
        cache = env_cache({variable: "redis://10.0.0.5:6379/1"})
        assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert cache["LOCATION"] == "redis://10.0.0.5:6379/1" and cache["KEY_PREFIX"] == "kiemdinh"
    assert env_cache({"CACHE_URL": "redis://a/1", "REDIS_URL": "redis://b/2"})["LOCATION"] == "redis://a/1"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL='memcached://x' is not a Redis URL"):
        env_cache({"CACHE_URL": "memcached://x"})


def test_sessions_and_login_lockouts_live_in_the_database_shared_by_every_node():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    # django-axes counts failures and locks in the database (its default handler), not in a process.
    assert getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler")


def _settings_of(env: dict[str, str], expression: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CACHE_URL", "REDIS_URL"))}
    code = f"import django; django.setup(); from django.conf import settings; print(repr(({expression})))"
    result = subprocess.run(  # nosec B603  # our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**base, "DJANGO_SETTINGS_MODULE": "kiemdinh.settings", "DEBUG": "1", "CELERY_BROKER_URL": "", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_make_run_with_nothing_configured_keeps_files_on_disk_and_the_cache_in_memory():
    line = _settings_of({}, "settings.STORAGES['default']['BACKEND'], settings.CACHES['default']['BACKEND'], "
                            "settings.MEDIA_ROOT, settings.REDIS_URL")
    assert "FileSystemStorage" in line and "LocMemCache" in line and "var/media'" in line
    assert line.endswith("'')")


def test_the_environment_switches_the_installation_to_a_bucket_and_redis():
    line = _settings_of(
        {"AWS_STORAGE_BUCKET_NAME": "kd", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000", "CACHE_URL": "redis://127.0.0.1:6379/3"},
        "settings.STORAGES['default']['BACKEND'], settings.CACHES['default']['BACKEND'], settings.REDIS_URL",
    )
    assert line == "('storages.backends.s3.S3Storage', 'django.core.cache.backends.redis.RedisCache', 'redis://127.0.0.1:6379/3')"


def _redis_url() -> str | None:
    import redis

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        return None
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return url


@pytest.mark.redis
def test_two_nodes_share_the_unlock_mail_limit_through_redis():
    """What one node's cache.add() reserves, the other node's sees: the unlock-mail limit (and the
    dashboards' summaries) hold across nodes. Two separate cache clients stand for two nodes."""
    from django.core.cache.backends.redis import RedisCache

    from conftest import services_required

    url = _redis_url()
    if url is None:
        if services_required():
            pytest.fail("required service missing in CI: Redis at CELERY_BROKER_URL does not answer")
        pytest.skip("no Redis at CELERY_BROKER_URL")
    params = env_cache({"CACHE_URL": url})
    params["KEY_PREFIX"] = f"kiemdinh-test-{uuid.uuid4().hex[:8]}"
    node_a = RedisCache(params["LOCATION"], {k: v for k, v in params.items() if k not in ("BACKEND", "LOCATION")})
    node_b = RedisCache(params["LOCATION"], {k: v for k, v in params.items() if k not in ("BACKEND", "LOCATION")})
    key = "login-unlock:7:203.0.113.9"
    try:
        assert node_a.add(key, 1, 60) is True
        assert node_b.add(key, 1, 60) is False  # the second node sees the first's reservation
        node_b.set("summary", {"schools": 3}, 60)
        assert node_a.get("summary") == {"schools": 3}
    finally:
        node_a.delete_many([key, "summary"])
