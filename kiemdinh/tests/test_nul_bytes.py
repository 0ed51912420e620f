"""Issue 13 finding 7: a NUL character anywhere in a request is a 400 page, never a 500.

PostgreSQL refuses NUL in text, so these tests matter most there (CI runs them on PostgreSQL);
they replay the reported URLs, then sweep every GET page of the URL matrix with NUL in every
common parameter, and every form post of the matrix with NUL in each field.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kiemdinh.testing import LOGIN, PERSONAS
from kiemdinh.tests import test_url_matrix as matrix
from kiemdinh.tests.badinput import world

CASES, _close = matrix.CASES, matrix._close


@pytest.fixture
def ctx(db):
    """The matrix's world (every persona and the objects its URLs need), built for the test: the
    other tests here make personas of their own, which a world shared by the module would clash with."""
    return world.build()


PARAMETERS = ["q", "year", "page", "school", "status", "regulation", "criterion", "unit", "level", "kind",
              "sort", "format", "role", "round", "version", "next", "tab", "box"]
NUL_QUERY = "&".join(f"{name}=%00" for name in PARAMETERS)


def _viewer(case) -> str | None:
    """A persona who gets the page (200), so the request reaches the view."""
    return next((p for p in PERSONAS if case.expected(p) == 200), None)


def _with_nul(query: str) -> str:
    return f"{query}&{NUL_QUERY}" if query else f"?{NUL_QUERY}"


@pytest.mark.parametrize("url", ["/people/?q=%00", "/evaluations/deadlines/?year=%00", "/schools/?q=a%00b"])
def test_the_reported_urls_answer_the_400_page(client, head, url):
    client.force_login(head)
    response = client.get(url)
    assert response.status_code == 400
    assert "Yêu cầu quá lớn hoặc không hợp lệ" in response.content.decode()


def test_evidence_search_with_nul_answers_400(client, principal_a, school_a):
    client.force_login(principal_a)
    response = client.get(reverse("evidence:evidence_search") + f"?school={school_a.pk}&q=%00")
    assert response.status_code == 400


def test_nul_in_the_path_or_a_cookie_answers_400(client, head):
    client.force_login(head)
    assert client.get("/schools/%00/").status_code == 400
    client.cookies["tracker"] = "x\x00y"  # another site's cookie on the domain: ignored
    assert client.get("/schools/").status_code == 200
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijkl"  # looked up in the database
    response = client.get("/schools/")
    assert response.status_code == 400
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""  # the bad cookie is deleted


def test_a_query_without_nul_still_works(client, head):
    client.force_login(head)
    assert client.get("/people/?q=Nguy%E1%BB%85n").status_code == 200


def test_every_page_of_the_url_matrix_answers_400_to_nul_parameters(ctx):
    failures = []
    checked = 0
    for case in CASES:
        persona = _viewer(case)
        if case.method != "get" or persona is None:
            continue
        with transaction.atomic():
            client = Client()
            if persona != "anonymous":
                client.force_login(ctx[persona])
            data = case.data(ctx)
            if data:  # the test client then builds the query from data alone
                url = reverse(case.name, kwargs=case.kwargs(ctx)) + case.query
                data = {**data, **dict.fromkeys(PARAMETERS, "\x00")}
            else:
                url = reverse(case.name, kwargs=case.kwargs(ctx)) + _with_nul(case.query)
            response = client.get(url, data=data)
            _close(response)
            transaction.set_rollback(True)
        checked += 1
        if response.status_code != 400:
            failures.append(f"{case.id} as {persona}: {response.status_code}")
    assert checked > 50
    assert not failures, failures


def _nul_data(data: dict) -> dict:
    """Every field given with NUL inside, and the common free-text fields added."""
    poisoned = {key: (f"a\x00{value}" if isinstance(value, str) else value) for key, value in data.items()}
    for name in ("q", "name", "title", "text", "note", "comment", "reason", "email", "username", "full_name"):
        poisoned.setdefault(name, "x\x00y")
    return poisoned


def _post_status(ctx, case, persona: str, data: dict) -> int:
    with transaction.atomic():
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(ctx[persona])
        try:
            response = client.post(reverse(case.name, kwargs=case.kwargs(ctx)), data=data)
            _close(response)
        finally:
            transaction.set_rollback(True)
    return response.status_code


def test_every_form_post_of_the_url_matrix_refuses_nul_without_a_500(ctx):
    """Forms answer NUL in a field with a form error (Django's ProhibitNullCharactersValidator).

    A post that fails as well without any NUL is the URL matrix's failure to report, not this one's.
    """
    failures = []
    checked = 0
    for case in CASES:
        if case.method != "post":
            continue
        persona = next((p for p in PERSONAS if case.expected(p) not in (LOGIN, 403, 404, 405)), None)
        if persona is None:
            continue
        checked += 1
        status = _post_status(ctx, case, persona, _nul_data(case.data(ctx)))
        if status >= 500 and _post_status(ctx, case, persona, case.data(ctx)) < 500:
            failures.append(f"{case.id} as {persona}: {status}")
    assert checked > 20
    assert not failures, failures

def test_a_login_with_nul_in_the_username_is_a_form_error(client, head):
    # The lockout check (django-axes) reads the username before the form does.
    response = client.post(reverse("login"), {"username": "tp\x00dongda", "password": "x\x00y"})
    assert response.status_code in (200, 400, 403)
    assert "_auth_user_id" not in client.session
