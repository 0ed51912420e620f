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
