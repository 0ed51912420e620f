"""Account and school services: who may grant what, and what gets written."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from schools import services
from schools.models import Membership, School, User


def test_reviewer_creates_a_principal_account_and_the_person_gets_a_link(reviewer, school_a, django_capture_on_commit_callbacks):
    user = User(username="new_ht", full_name="Nguyễn Văn Mới", email="moi@example.vn")
    membership = Membership(role=Membership.Role.PRINCIPAL, school=school_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.account_create(by=reviewer, user=user, membership=membership)
    assert Membership.objects.filter(user__username="new_ht", school=school_a, role="principal").exists()
    assert len(mail.outbox) == 1 and "new_ht" in mail.outbox[0].body


def test_principal_may_create_staff_of_their_school_but_not_another_principal(principal_a, school_a):
    services.account_create(
        by=principal_a, user=User(username="gv1", email="gv1@example.vn"),
        membership=Membership(role=Membership.Role.SCHOOL_STAFF, school=school_a),
    )
    with pytest.raises(PermissionDenied):
        services.account_create(
            by=principal_a, user=User(username="ht2", email="ht2@example.vn"),
            membership=Membership(role=Membership.Role.PRINCIPAL, school=school_a),
        )
    assert not User.objects.filter(username="ht2").exists()


def test_reviewer_cannot_grant_roles_in_another_district(reviewer, school_c):
    with pytest.raises(PermissionDenied):
        services.account_create(
            by=reviewer, user=User(username="x1", email="x1@example.vn"),
            membership=Membership(role=Membership.Role.PRINCIPAL, school=school_c),
        )


def test_nobody_but_an_admin_grants_the_admin_role(officer, reviewer):
    with pytest.raises(PermissionDenied):
        services.membership_add(by=officer, membership=Membership(user=reviewer, role=Membership.Role.ADMIN))


def test_revoking_ones_own_role_is_refused(reviewer):
    with pytest.raises(services.SchoolsError):
        services.membership_deactivate(by=reviewer, membership=reviewer.memberships.get())


def test_reviewer_edits_a_school_of_their_district_but_not_of_another(reviewer, school_a, school_c):
    school_a.name = "Trường THCS A mới"
    services.school_save(school=school_a, by=reviewer)
    school_c.name = "Đổi tên trái phép"
    with pytest.raises(PermissionDenied):
        services.school_save(school=school_c, by=reviewer)
    school_c.refresh_from_db()
    assert school_c.name == "Trường THCS C"


def test_moving_a_school_out_of_reach_is_refused(reviewer, school_a, other_district):
    school_a.reviewing_unit = other_district
    with pytest.raises(PermissionDenied):
        services.school_save(school=school_a, by=reviewer)


def test_school_form_requires_the_target_of_a_merge(client, reviewer, school_a):
    client.force_login(reviewer)
    data = {"code": school_a.code, "name": school_a.name, "level": "thcs", "ownership": "public",
            "reviewing_unit": school_a.reviewing_unit_id, "sites_count": 1, "status": "merged"}
    response = client.post(reverse("schools:school_update", args=[school_a.pk]), data)
    assert response.status_code == 200
    assert "sáp nhập vào trường nào" in response.content.decode()
    assert School.objects.get(pk=school_a.pk).status == "active"


def test_school_create_through_the_page(client, reviewer, district):
    client.force_login(reviewer)
    data = {"code": "A-MN-77", "name": "Trường Mầm non Mới", "level": "mn", "ownership": "public",
            "reviewing_unit": district.pk, "sites_count": 2, "status": "active", "founding_year": 2001}
    response = client.post(reverse("schools:school_create"), data)
    school = School.objects.get(code="A-MN-77")
    assert response["Location"] == reverse("schools:school_detail", args=[school.pk])


def test_account_page_creates_account_with_role(client, reviewer, school_a):
    client.force_login(reviewer)
    data = {"account-username": "ht_moi", "account-full_name": "Trần Thị Mới", "account-email": "htm@example.vn",
            "role-role": "principal", "role-school": school_a.pk}
    response = client.post(reverse("schools:account_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(user__username="ht_moi", role="principal", school=school_a).exists()


def test_account_page_rejects_a_duplicate_email(client, reviewer, school_a, principal_a):
    client.force_login(reviewer)
    data = {"account-username": "ht_moi", "account-full_name": "Trần Thị Mới", "account-email": "PRINCIPAL_A@example.vn",
            "role-role": "principal", "role-school": school_a.pk}
    response = client.post(reverse("schools:account_create"), data)
    assert response.status_code == 200
    assert "đã được dùng" in response.content.decode()
    assert not User.objects.filter(username="ht_moi").exists()


def test_seed_demo_refuses_a_production_settings_file_without_the_flag(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="allow-without-debug"):
        call_command("seed_demo", "--quiet-accounts")
    assert not User.objects.filter(username="admin").exists()


def test_the_password_and_unlock_links_go_out_in_the_account_owners_language(rf, principal_a, sysadmin):
    """Issue 18 item 8: e-mails in the recipient's language, not the sender's (an admin in Vietnamese)."""
    from django.core import mail
    from django.utils import translation

    from schools import services as school_services

    principal_a.language = "en"
    principal_a.save(update_fields=["language"])
    translation.activate("vi")
    school_services.account_send_password_link(user=principal_a)
    school_services.login_unlock_send(login=principal_a.username, address="10.0.0.9", request=rf.get("/"))
    reset, unlock = mail.outbox
    assert reset.subject == "Set your kiemdinh account password" and reset.body.startswith("Dear ")
    assert unlock.subject == "Unlock login to your kiemdinh account" and unlock.body.startswith("Dear ")
