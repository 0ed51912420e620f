"""Shared test support: the URL permission matrix (style.md item 20) and query counting.

Each app lists its URLs in ``<app>/tests/url_matrix.py`` as ``CASES`` (and optionally a
``setup(ctx)`` that adds the objects its URLs need to the shared context). The project test
``kiemdinh/tests/test_url_matrix.py`` runs every case for every persona and fails when a named
URL of the project has no case.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = [
    "anonymous",
    "principal_a",
    "staff_a",
    "principal_c",
    "reviewer",
    "head",
    "other_reviewer",
    "officer",
    "sysadmin",
]

MATRIX_MODULES = [
    "schools.tests.url_matrix",
    "notifications.tests.url_matrix",
    "standards.tests.url_matrix",
    "evidence.tests.url_matrix",
    "selfassessment.tests.url_matrix",
    "selfassessment.tests.url_matrix_carryforward",
    "reviews.tests.url_matrix",
    "evaluations.tests.url_matrix",
    "exports.tests.url_matrix",
    "home.tests.url_matrix",
]

LOGIN = "login"  # expected value meaning: a redirect to the login page


@dataclass
class UrlCase:
    """One URL and the status each persona must get.

    ``expect`` maps persona → status (or LOGIN); ``default`` applies to personas not listed.
    ``kwargs``/``data`` are callables of the shared context (fixtures by name).
    """

    name: str
    expect: dict[str, int | str]
    method: str = "get"
    default: int | str | None = None
    kwargs: Callable[[dict], dict] = field(default=lambda ctx: {})
    data: Callable[[dict], dict] = field(default=lambda ctx: {})
    query: str = ""
    label: str = ""

    def expected(self, persona: str) -> int | str:
        if persona in self.expect:
            return self.expect[persona]
        if persona == "anonymous" and "anonymous" not in self.expect and self.default != 200:
            return LOGIN
        if self.default is None:
            raise AssertionError(f"{self.name}: no expectation for {persona}")
        return self.default

    @property
    def id(self) -> str:
        return self.label or f"{self.name}:{self.method}"


def everyone(status: int | str, **overrides) -> dict:
    """Expectations for every logged-in persona, with overrides."""
    result = {p: status for p in PERSONAS if p != "anonymous"}
    result.update(overrides)
    return result


def free_port() -> int:
    """A TCP port free on loopback now, for a server a test starts (make run, the autosave server, a node)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
