"""The login lock (issue #13, finding 4): it slows an attacker down without shutting the real
user out, behind a proxy too; the password-change form has the same limit."""

import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from conftest import PASSWORD
from schools.auth import client_address

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.5"
OWNER = "198.51.100.7"


def _request(remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("count, forwarded, expected", [
    (0, f"{ATTACKER}", PROXY),                     # no proxy trusted: the header is the client's word
    (1, f"{ATTACKER}", ATTACKER),
    (1, f"{OWNER}, {ATTACKER}", ATTACKER),          # a forged entry on the left is ignored
    (2, f"{OWNER}, {ATTACKER}, 10.0.0.9", ATTACKER),
    (2, f"{ATTACKER}", PROXY),                     # did not pass through both proxies
    (1, "not-an-address", PROXY),
    (1, None, PROXY),
    (1, f"{OWNER},2001:db8::1", "2001:db8::1"),
])
def test_client_address_counts_trusted_proxies_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(_request(forwarded=forwarded)) == expected


def _login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_finding4_an_attacker_behind_the_proxy_does_not_lock_out_the_owner(settings, reviewer):
    """Replays issue #13 finding 4: behind one proxy, 10 failures for X from address A; X from B logs in."""
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for _ in range(10):
        _login(attacker, "reviewer", "doan-mo-123", f"{OWNER}, {ATTACKER}")  # even claiming the owner's address
    assert _login(attacker, "reviewer", PASSWORD, ATTACKER).status_code == 429  # the attacker is locked
    owner = Client()
    response = _login(owner, "reviewer", PASSWORD, OWNER)
    assert response.status_code == 302
    assert int(owner.session["_auth_user_id"]) == reviewer.pk


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lock(settings, reviewer):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "reviewer", "sai-mat-khau", f"198.51.100.{n}")
    assert _login(client, "reviewer", PASSWORD, "198.51.100.99").status_code == 429


def test_the_owner_sharing_the_attackers_address_unlocks_by_e_mail(settings, reviewer):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "reviewer", "sai-mat-khau", ATTACKER)
    owner = Client()
    locked = _login(owner, "Reviewer", PASSWORD, ATTACKER)
    assert locked.status_code == 429
    assert reverse("schools:login_unlock_request") in locked.content.decode()

    owner.post(reverse("schools:login_unlock_request"), {"username": "reviewer"},
               REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reviewer@example.vn"]
    link = re.search(r"https?://\S+/accounts/unlock/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    assert owner.get(path).status_code == 200  # a page with a button: opening the link alone unlocks nothing
    assert _login(owner, "reviewer", PASSWORD, ATTACKER).status_code == 429
    owner.post(path)
    assert _login(owner, "reviewer", PASSWORD, ATTACKER).status_code == 302
    # Once the owner has logged in, the link is spent.
    assert "không hợp lệ" in Client().get(path).content.decode()


def test_asking_for_an_unlock_link_reveals_nothing_and_does_not_flood(settings, reviewer):
    client = Client()
    unknown = client.post(reverse("schools:login_unlock_request"), {"username": "khong-ton-tai"})
    known = client.post(reverse("schools:login_unlock_request"), {"username": "reviewer"})
    assert unknown.status_code == known.status_code == 302
    for _ in range(3):
        client.post(reverse("schools:login_unlock_request"), {"username": "reviewer"})
    assert len(mail.outbox) == 1


def test_a_forged_unlock_link_is_refused(client, reviewer):
    response = client.post(reverse("schools:login_unlock", args=["reviewer:forged:token"]))
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()


def test_the_password_change_form_has_an_attempt_limit(client, reviewer, settings):
    client.force_login(reviewer)
    url = reverse("password_change")
    wrong = {"old_password": "sai-mat-khau", "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, wrong).status_code == 200
    assert client.post(url, wrong).status_code == 429
    right = {**wrong, "old_password": PASSWORD}
    response = client.post(url, right)
    assert "tạm khóa trên máy này" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.check_password(PASSWORD)
