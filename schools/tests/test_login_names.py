"""Login names lead to one account (issue #13, finding 2): a principal who creates `Admin`, `TP.DONGDA`
or an account named after someone's e-mail must not lock the real owner out."""

import importlib

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import PASSWORD
from schools.auth import accounts_named
from schools.models import User


def _create(client, username, email="moi@example.vn"):
    return client.post(reverse("schools:account_create"), {
        "account-username": username, "account-full_name": "Người mới", "account-email": email,
        "account-phone": "", "account-position": "",
        "role-role": "school_staff", "role-school": client.school.pk, "role-title": "",
    })


@pytest.fixture
def principal_client(client, principal_a, school_a):
    client.force_login(principal_a)
    client.school = school_a
    return client


@pytest.mark.parametrize("username, words", [
    ("SysAdmin", "đã có người dùng"),       # the administrator's name in another case
    ("REVIEWER", "đã có người dùng"),       # a district officer's (tp.dongda as TP.DONGDA)
    ("reviewer@example.vn", "không được chứa @"),  # another account's e-mail
    ("Sysadmin@Example.vn", "không được chứa @"),
    ("аdmin", "chữ cái không dấu"),          # a Cyrillic look-alike
])
def test_a_principal_cannot_create_a_name_that_shadows_another_account(principal_client, sysadmin, reviewer,
                                                                       username, words):
    before = User.objects.count()
    response = _create(principal_client, username)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert User.objects.count() == before


def test_the_real_admin_still_logs_in_after_the_attempts(principal_client, sysadmin):
    from django.test import Client

    _create(principal_client, "SYSADMIN")
    _create(principal_client, "sysadmin@example.vn")
    other = Client()
    response = other.post(reverse("login"), {"username": "sysadmin", "password": PASSWORD})
    assert response.status_code == 302
    assert int(other.session["_auth_user_id"]) == sysadmin.pk


def test_an_e_mail_already_used_in_another_case_is_refused(principal_client, reviewer):
    response = _create(principal_client, "gv_moi", email="REVIEWER@example.VN")
    assert "Email này đã được dùng cho một tài khoản khác." in response.content.decode()


def test_a_valid_new_account_is_still_created(principal_client, school_a):
    response = _create(principal_client, "gv.nguyen-van_a")
    assert response.status_code == 302
    assert User.objects.filter(username="gv.nguyen-van_a").exists()


@pytest.mark.parametrize("fields", [
    {"username": "REVIEWER"},
    {"username": "x1", "email": "Reviewer@Example.vn"},
    {"username": "reviewer@example.vn", "email": "x1@example.vn"},  # another's e-mail as a username
    {"username": "x1@example.vn", "email": "x2@example.vn"},  # an e-mail as username, not its own
    {"username": "x1", "email": "not-an-address"},
])
def test_the_database_refuses_clashing_login_names(reviewer, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(**{"email": "", **fields})


def test_an_account_may_keep_its_own_e_mail_as_username(db):
    user = User.objects.create(username="ht@example.vn", email="HT@example.vn")
    assert list(accounts_named("ht@example.vn")) == [user]


@pytest.mark.parametrize("typed", ["reviewer", "REVIEWER", " Reviewer ", "reviewer@example.vn", "REVIEWER@EXAMPLE.VN"])
def test_a_login_name_leads_to_exactly_one_account(reviewer, head, typed):
    assert list(accounts_named(typed)) == [reviewer]


def test_the_council_member_account_form_follows_the_same_rule(reviewer, sysadmin):
    from selfassessment.forms import MemberAccountForm

    assert "username" in MemberAccountForm({"username": "SYSADMIN"}).errors
    form = MemberAccountForm({"username": "gv-moi", "email": "Reviewer@example.vn"})
    assert "email" in form.errors


# --- The migration that adds the constraints reports existing clashes --------------------------------


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def order_by(self, *args):
        return self

    def values_list(self, *args):
        return self.rows


class _Apps:
    def __init__(self, rows):
        self.model = type("User", (), {"objects": _Rows(rows)})

    def get_model(self, app, name):
        return self.model


def test_the_migration_names_every_clash_and_refuses():
    migration = importlib.import_module("schools.migrations.0002_user_login_names")
    rows = [
        (1, "admin", "admin@so.vn"),
        (2, "Admin", "khac@so.vn"),
        (3, "admin@so.vn", "ba@so.vn"),
        (4, "bon", "BA@so.vn"),
        (5, "nam", "khong-co-a-cong"),
    ]
    with pytest.raises(RuntimeError) as error:
        migration.report_clashes(_Apps(rows), None)
    text = str(error.value)
    assert "'admin' differs only by case between accounts: #1 admin, #2 Admin" in text
    assert "'ba@so.vn' is used by several accounts: #3 ba@so.vn, #4 BA@so.vn" in text
    assert "account #3: username 'admin@so.vn' looks like an e-mail but is not its own (the e-mail of #1" in text
    assert "account #5: e-mail 'khong-co-a-cong' has no '@'" in text


def test_the_migration_passes_clean_data():
    migration = importlib.import_module("schools.migrations.0002_user_login_names")
    migration.report_clashes(_Apps([(1, "admin", "admin@so.vn"), (2, "ht@so.vn", "HT@so.vn"), (3, "x", "")]), None)


def test_demo_usernames_follow_the_rule(db):
    from schools.demo import seed
    from schools.forms import USERNAME_PATTERN

    seed()
    names = list(User.objects.values_list("username", flat=True))
    assert len(names) > 10
    assert all(USERNAME_PATTERN.match(name) for name in names), names
    assert len({name.lower() for name in names}) == len(names)


def test_a_password_reset_for_the_admins_e_mail_reaches_the_admin_only(principal_client, sysadmin):
    from django.core import mail
    from django.test import Client

    response = _create(principal_client, "sysadmin-2", email=sysadmin.email.upper())
    assert "Email này đã được dùng cho một tài khoản khác." in response.content.decode()
    Client().post(reverse("password_reset"), {"email": sysadmin.email.title()})
    assert [m.to for m in mail.outbox] == [[sysadmin.email]]
    assert "sysadmin" in mail.outbox[0].body
