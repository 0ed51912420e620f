"""Login by username or e-mail, lockout after repeated failures, password reset by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_in_vietnamese(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in html and "Tên đăng nhập hoặc email" in html and 'lang="vi"' in html


def test_login_with_username_lands_on_the_role_start_page(client, reviewer):
    response = login(client, "reviewer")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("reviews:district_dashboard")


def test_login_with_email_in_any_case(client, principal_a):
    response = login(client, "PRINCIPAL_A@example.VN")
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("schools:school_home")


@pytest.mark.parametrize(
    "persona, start", [("officer", "reviews:department_dashboard"), ("sysadmin", "reviews:department_dashboard"),
                       ("head", "reviews:district_dashboard"), ("staff_a", "schools:school_home")],
)
def test_each_role_lands_on_its_start_page(client, personas, persona, start):
    client.force_login(personas[persona])
    assert client.get(reverse("home"))["Location"] == reverse(start)


def test_wrong_password_gives_a_vietnamese_message(client, reviewer):
    response = login(client, "reviewer", "wrong-password")
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, reviewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "reviewer", "wrong-password")
    response = login(client, "reviewer")
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client, reviewer):
    reviewer.is_active = False
    reviewer.save()
    assert login(client, "reviewer").status_code == 200


def test_password_reset_mails_a_link_that_sets_a_new_password(client, principal_a):
    client.post(reverse("password_reset"), {"email": "principal_a@example.vn"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Tên đăng nhập: principal_a" in body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "Mat-khau-moi-2025", "new_password2": "Mat-khau-moi-2025"})
    assert response.status_code == 302
    principal_a.refresh_from_db()
    assert principal_a.check_password("Mat-khau-moi-2025")


def test_password_reset_for_an_unknown_email_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_logout_needs_post(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_language_switch_serves_english(client, reviewer):
    client.force_login(reviewer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("schools:school_list"))
    assert 'lang="en"' in response.content.decode()
