"""Every URL of the project, for every persona, with the status they must get."""

import importlib

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kiemdinh.testing import LOGIN, MATRIX_MODULES, PERSONAS
from kiemdinh.tests import module_world

# URL names deliberately outside the matrix, with the reason.
EXEMPT = {
    # Django's admin checks is_staff itself and is covered by Django's own tests.
    "admin:*": "django admin",
    # Password reset confirm/complete are token pages, covered in test_auth.
}


def _modules():
    modules = []
    for path in MATRIX_MODULES:
        try:
            modules.append(importlib.import_module(path))
        except ModuleNotFoundError as exc:
            if exc.name != path:
                raise
    return modules


CASES = [case for module in _modules() for case in module.CASES]
SETUPS = [module.setup for module in _modules() if hasattr(module, "setup")]


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


@pytest.fixture
def ctx(matrix_ctx):
    """The matrix's world (conftest.py's personas and every matrix setup's objects), built once per
    module; each test runs in a savepoint on top of it."""
    return matrix_ctx


def test_every_named_url_has_a_matrix_entry():
    covered = {case.name for case in CASES}
    missing = []
    for name in set(_url_names()):
        if name in covered or name in EXEMPT or f"{name.split(':')[0]}:*" in EXEMPT:
            continue
        missing.append(name)
    assert not missing, f"URLs without a permission-matrix entry: {sorted(missing)}"


def _close(response):
    """Close the response (streamed downloads hold a file open) without the request_finished
    handler that would close the test's database connection, as Django's test client does."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _answer(case, ctx, persona):
    client = module_world.logged_in(Client(), ctx, persona)
    url = reverse(case.name, kwargs=case.kwargs(ctx)) + case.query
    response = getattr(client, case.method)(url, data=case.data(ctx))
    _close(response)
    expected = case.expected(persona)
    if expected == LOGIN:
        if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
            return f"{persona}: expected a login redirect, got {response.status_code} {response.get('Location', '')}"
    elif response.status_code != expected:
        return f"{persona}: got {response.status_code}, expected {expected}"
    return None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_url_answers_each_persona_as_declared(ctx, case):
    """The shared context is built once per module; each persona runs in a savepoint rolled back
    afterwards, so a state-changing POST by one persona never affects the next."""
    failures = []
    for persona in PERSONAS:
        with transaction.atomic():
            failure = _answer(case, ctx, persona)
            transaction.set_rollback(True)
        if failure:
            failures.append(failure)
    assert not failures, f"{case.id}: " + "; ".join(failures)
