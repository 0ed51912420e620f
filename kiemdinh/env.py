"""Typed readers for settings that come from the environment.

Every reader fails at start-up with an ImproperlyConfigured error that names the variable and the
accepted values, so a typo in production never turns into a silently wrong setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value is None:
        return default
    return value.strip()


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    raw = env_str(name, None, environ)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: 1, 0, true, false, yes, no, on, off."
    )


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    minimum: int | None = None,
) -> int:
    raw = env_str(name, None, environ)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    raw = env_str(name, None, environ)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str, environ: Mapping[str, str] | None = None) -> dict:
    """Parse a DATABASE_URL (postgres://, postgresql://, sqlite:///path)."""
    import dj_database_url

    raw = env_str(name, None, environ) or default
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not supported; use postgres://user@host:port/name or sqlite:///path."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises plain ValueErrors with little context
        raise ImproperlyConfigured(f"{name}={raw!r} could not be parsed: {exc}") from exc
    if config["ENGINE"].endswith("sqlite3"):
        # SQLite holds no persistent connection worth checking.
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        # Several people saving at once (issue #13, finding 10): WAL lets readers go on while one
        # writes; a write waits up to 20 s for the lock instead of failing; and every transaction
        # takes the write lock when it begins (IMMEDIATE), because a transaction that read first
        # cannot wait for it later: SQLite answers "database is locked" at once.
        config.setdefault("OPTIONS", {}).update({
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        })
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r} names no database.")
    return config


def env_storage(environ: Mapping[str, str] | None = None) -> dict:
    """The default file storage (evidence files, exports, dossiers): the local MEDIA_ROOT, or any
    S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (MinIO, Ceph RGW, a provider's object
    storage, AWS S3).

    The bucket is private: objects are written with no ACL (the bucket's own policy, which must not
    be public), signed URLs live ``AWS_QUERYSTRING_EXPIRE`` seconds, and the app streams every file
    through its permission-checked views.
    """
    bucket = env_str("AWS_STORAGE_BUCKET_NAME", "", environ) or ""
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = env_str("AWS_S3_ENDPOINT_URL", "", environ) or None
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"AWS_S3_ENDPOINT_URL={endpoint!r} is not a URL; use e.g. https://s3.example.vn or http://127.0.0.1:9000."
        )
    style = (env_str("AWS_S3_ADDRESSING_STYLE", "", environ) or ("path" if endpoint else "auto")).lower()
    if style not in {"path", "virtual", "auto"}:
        raise ImproperlyConfigured(f"AWS_S3_ADDRESSING_STYLE={style!r} must be path, virtual or auto.")
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": env_str("AWS_S3_REGION_NAME", "", environ) or None,
        # Without keys boto3 looks for them itself (instance role, ~/.aws): nothing secret is defaulted.
        "access_key": env_str("AWS_ACCESS_KEY_ID", "", environ) or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "", environ) or None,
        "location": (env_str("AWS_LOCATION", "", environ) or "").strip("/"),
        "addressing_style": None if style == "auto" else style,
        "signature_version": "s3v4",
        # Private: never a public-read ACL; any URL the storage makes is signed and short-lived.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 60, environ, minimum=1),
        # Generated names never collide; still, a name in use is never overwritten silently.
        "file_overwrite": False,
        "verify": env_bool("AWS_S3_VERIFY", True, environ),
    }
    from botocore.config import Config

    # boto3 waits 60 s to connect by default: a store that does not answer must fail a request (and
    # /healthz) within seconds. Given a client_config, django-storages takes the addressing style
    # and signature version from it alone.
    options["client_config"] = Config(
        s3={"addressing_style": options["addressing_style"]},
        signature_version=options["signature_version"],
        connect_timeout=env_int("AWS_S3_CONNECT_TIMEOUT", 5, environ, minimum=1),
        read_timeout=env_int("AWS_S3_READ_TIMEOUT", 60, environ, minimum=1),
        retries={"max_attempts": 3, "mode": "standard"},
    )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def env_cache(environ: Mapping[str, str] | None = None) -> dict:
    """Django's cache: Redis shared by every node when CACHE_URL (or REDIS_URL) names one, else the
    process's own memory (the embedded default, one node)."""
    url = env_str("CACHE_URL", "", environ) or env_str("REDIS_URL", "", environ) or ""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kiemdinh"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        name = "CACHE_URL" if env_str("CACHE_URL", "", environ) else "REDIS_URL"
        raise ImproperlyConfigured(f"{name}={url!r} is not a Redis URL; use redis://host:6379/1.")
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kiemdinh", environ) or "kiemdinh",
        # A cache that does not answer must not hang a request for long.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
