"""Fixtures for test modules that share one world built per module (EvaP's and Zulip's prepared data).

An app's conftest builds a world once per module (the root conftest's personas and what its tests
need, in a transaction rolled back after the module) and each test of such a module runs in its own
savepoint on top of it (the ``db`` fixture). ``persona_fixtures(shared)`` gives the app's conftest
the root conftest's persona fixtures again, under the same names: in a module with a world they give
the world's rows read afresh (what a test changes in memory does not reach the next), elsewhere the
root conftest's own. ``shared(request)`` says which world the test's module uses, or None.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

# The root conftest's persona fixtures (rows of every kind; the URL matrix's logged-in personas are
# kiemdinh.testing.PERSONAS).
PERSONA_FIXTURES = (
    "department", "district", "other_district", "school_a", "school_b", "school_c", "school_year",
    "principal_a", "staff_a", "principal_b", "principal_c", "reviewer", "head", "other_reviewer",
    "officer", "sysadmin",
)


def fresh(obj: Any) -> Any:
    """``obj``'s row read again from the database."""
    return type(obj)._default_manager.get(pk=obj.pk)


def world_of(*names: str) -> Callable[[Any], dict | None]:
    """``shared(request)``: the world of the first of the module-scoped fixtures ``names`` the test uses."""

    def shared(request: Any) -> dict | None:
        for name in names:
            if name in request.fixturenames:
                return request.getfixturevalue(name)
        return None

    return shared


def persona_fixtures(shared: Callable[[Any], dict | None]) -> dict[str, Any]:
    """The persona fixtures by name, for ``globals().update(...)`` in an app's conftest."""

    def persona(name: str) -> Any:
        @pytest.fixture(name=name)
        def fixture(request, db):
            world = shared(request)
            return request.getfixturevalue(name) if world is None else fresh(world[name])

        return fixture

    return {name: persona(name) for name in PERSONA_FIXTURES}


@contextlib.contextmanager
def rolled_back(django_db_blocker: Any, media: Any, build: Callable[[], dict]) -> Iterator[dict]:
    """``build()``'s world in a transaction rolled back when the block ends: built and kept in
    Vietnamese, with its files under ``media`` (also its ``media_root``)."""
    from django.db import transaction
    from django.test import override_settings
    from django.utils import translation

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), translation.override("vi"):
        with transaction.atomic():
            ctx = build()
            ctx["media_root"] = media
            yield ctx
            transaction.set_rollback(True)


def sessions(world: dict, names: Iterable[str]) -> dict[str, str]:
    """A logged-in session per persona of ``names`` ("anonymous" has none), made in the world (so it outlives each test's savepoint).

    A test module that asks for hundreds of pages as each persona (the URL matrix) gives its client
    the persona's session cookie (``logged_in``) instead of logging in again for every request:
    each login writes a session, the last-login time and django-axes' access log (a quarter of the
    matrix's time). What a test does to a session (a logout, a language chosen) is rolled back with
    the test."""
    from django.test import Client

    keys = {}
    for name in names:
        if name == "anonymous":
            continue
        client = Client()
        client.force_login(world[name])
        keys[name] = client.session.session_key
    return keys


def logged_in(client: Any, world: dict, name: str) -> Any:
    """``client`` with the session ``sessions`` made for the persona ``name`` (none for "anonymous")."""
    from django.conf import settings

    if name != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][name]
    return client


@contextlib.contextmanager
def personas_rolled_back(django_db_blocker: Any, media: Any) -> Iterator[dict]:
    """The root conftest's personas in ``rolled_back``; the caller adds its module's rows to them."""
    from kiemdinh.tests.badinput import world

    with rolled_back(django_db_blocker, media, world.personas) as ctx:
        yield ctx


@contextlib.contextmanager
def empty_cache() -> Iterator[None]:
    """An empty cache before and after the block: the test databases reuse ids, so an aggregate cached
    by a test rolled back must not be read by the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
