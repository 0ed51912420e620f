"""Posting generated data to an endpoint and checking what came back (issue #8, item 3).

An ``Endpoint`` names a URL, the persona allowed to post there, a valid post (whose values may be
``Ref`` placeholders resolved against the shared test data), and the models a refused post must
leave untouched. ``check_post`` posts once and asserts the three properties: never a 500, a clear
Vietnamese message when refused, nothing half-saved.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from .checks import Seen, assert_refusal_is_clear, assert_unchanged, snapshot
from .world import rolled_back


@dataclass(frozen=True)
class Ref:
    """A value taken from the shared test data when posting: ``Ref(lambda ctx: ctx["school_a"].pk)``."""

    get: Callable[[dict], object]

    def resolve(self, ctx: dict) -> str:
        return str(self.get(ctx))


def pk(name: str) -> Ref:
    return Ref(lambda ctx: ctx[name].pk)


@dataclass(frozen=True)
class Upload:
    """A file to post: its name and content (or a function making the content, built when posted)."""

    name: str
    content: bytes | Callable[[], bytes]

    def file(self) -> SimpleUploadedFile:
        content = self.content() if callable(self.content) else self.content
        return SimpleUploadedFile(self.name, content, content_type="application/octet-stream")


@dataclass
class Endpoint:
    url_name: str
    persona: str
    valid: dict
    models: tuple[str, ...]
    kwargs: Callable[[dict], dict] = field(default=lambda ctx: {})
    method: str = "post"
    json: bool = False  # the page's script posts it and reads JSON back (autosave)
    media: bool = False  # a refused post must not leave a file behind either
    # Names used in keys such as "level_{c1}" (fields named after database ids).
    names: Callable[[dict], dict] = field(default=lambda ctx: {})
    # Whether the response means the post went through, when a success message does not say it.
    accepted: Callable[[object], bool] | None = None


def resolve(data: dict, ctx: dict, names: dict | None = None) -> dict:
    resolved = {}
    for key, value in data.items():
        if names and "{" in key:
            key = key.format(**names)
        if isinstance(value, Ref):
            value = value.resolve(ctx)
        elif isinstance(value, list):
            value = [v.resolve(ctx) if isinstance(v, Ref) else v for v in value]
        elif isinstance(value, Upload):
            value = value.file()
        resolved[key] = value
    return resolved


def _files() -> set[str]:
    found = set()
    for root, _dirs, names in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(root, n) for n in names)
    return found


# The client behaves as the browser does: it holds the CSRF cookie and posts its token with every
# form, and the CSRF check is enforced (an "empty" post from a page is never empty).
CSRF_SECRET = "b" * 32


def client_for(ctx: dict, persona: str) -> Client:
    """One logged-in client per persona and test: its session row lives in the test's transaction,
    so ``ctx["clients"]`` is emptied at the start of every test (see the ``ctx`` fixture)."""
    clients = ctx.setdefault("clients", {})
    if persona not in clients:
        client = Client(enforce_csrf_checks=True)
        if persona != "anonymous":
            client.force_login(ctx[persona])
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        clients[persona] = client
    return clients[persona]


def check_post(ctx: dict, endpoint: Endpoint, data: dict, *, client: Client | None = None) -> Seen:
    """Post ``data`` (in a savepoint rolled back afterwards) and assert the three properties."""
    models = [apps.get_model(label) for label in endpoint.models]
    client = client or client_for(ctx, endpoint.persona)
    where = f"{endpoint.url_name} {sorted(data)}"
    with rolled_back():
        client.cookies.pop("messages", None)  # a message left from the previous example is not this one's
        url = reverse(endpoint.url_name, kwargs=endpoint.kwargs(ctx))
        payload = resolve(data, ctx, endpoint.names(ctx))
        if endpoint.method == "post":
            payload["csrfmiddlewaretoken"] = CSRF_SECRET
        before = snapshot(*models)
        files_before = _files() if endpoint.media else set()
        headers = {"HTTP_ACCEPT": "application/json"} if endpoint.json else {}
        response = getattr(client, endpoint.method)(url, payload, **headers)
        assert response.status_code < 500, f"{where}: {response.status_code}"
        seen = Seen(response)
        if endpoint.method == "get":  # a filter or lookup form: its errors, if any, must be Vietnamese
            if seen.errors:
                assert_refusal_is_clear(seen, payload, where=where)
        elif not (endpoint.accepted(response) if endpoint.accepted else seen.accepted):
            assert_refusal_is_clear(seen, payload, where=where)
            assert_unchanged(before, snapshot(*models), where=where)
            if endpoint.media:
                left = _files() - files_before
                assert not left, f"{where}: refused, yet files were left in storage: {sorted(left)}"
        return seen
