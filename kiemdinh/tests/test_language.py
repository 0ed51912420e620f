"""The language of the pages: Vietnamese whatever the browser says; English only by the switch,
remembered on the account (another device, a later session) and for the e-mails sent to it."""

import pytest
from django.conf import settings
from django.urls import reverse

from kiemdinh.language import language_of

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _switch(client, language, next_url="/accounts/login/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url}, **ENGLISH_BROWSER)


def test_an_english_browser_gets_vietnamese_pages(client):
    page = client.get(reverse("login"), **ENGLISH_BROWSER)
    assert 'lang="vi"' in page.content.decode()
    assert page["Content-Language"] == "vi"


def test_the_switch_gives_english_and_the_cookie_keeps_it(client):
    response = _switch(client, "en")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("login"))
    assert 'lang="en"' in page.content.decode()
    _switch(client, "vi")
    assert 'lang="vi"' in client.get(reverse("login"), **ENGLISH_BROWSER).content.decode()


def test_an_unknown_language_cookie_is_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert 'lang="vi"' in client.get(reverse("login"), **ENGLISH_BROWSER).content.decode()


def test_the_choice_is_remembered_on_the_account_for_another_device(client, principal_a):
    client.force_login(principal_a)
    _switch(client, "en", next_url=reverse("schools:profile"))
    principal_a.refresh_from_db()
    assert principal_a.language == "en"
    assert language_of(principal_a) == "en"

    other_device = client.__class__()
    other_device.force_login(principal_a)
    page = other_device.get(reverse("schools:profile"))
    assert 'lang="en"' in page.content.decode()


def test_the_accounts_choice_wins_over_a_stale_cookie(client, principal_a):
    principal_a.language = "vi"
    principal_a.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(principal_a)
    assert 'lang="vi"' in client.get(reverse("schools:profile")).content.decode()


def test_a_person_who_never_chose_is_written_to_in_vietnamese(principal_a):
    assert principal_a.language == ""
    assert language_of(principal_a) == "vi"
    assert language_of(None) == "vi"


def test_a_choice_made_before_signing_in_becomes_the_accounts(client, principal_a):
    _switch(client, "en")
    client.force_login(principal_a)
    assert 'lang="en"' in client.get(reverse("schools:profile")).content.decode()
    principal_a.refresh_from_db()
    assert language_of(principal_a) == "en"
