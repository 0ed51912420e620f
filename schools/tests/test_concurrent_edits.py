"""The school edit, the person edit and the profile refuse to overwrite a change saved after the
page was opened (issue #13, finding 11), and show the other person's change."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from schools.models import School, User


def _page_revision(client, url, prefix=""):
    html = client.get(url).content.decode()
    match = re.search(rf'name="{prefix}revision" value="(\d+)"', html)
    assert match, "the edit page carries its revision"
    return match.group(1)


def _school_data(school, revision, **changes):
    data = {
        "code": school.code, "name": school.name, "former_names": "", "level": school.level,
        "ownership": school.ownership, "reviewing_unit": school.reviewing_unit_id, "founding_year": "1980",
        "address": "", "ward": "", "phone": "", "email": "", "website": "", "principal_name": "",
        "sites_count": "1", "status": "active", "merged_into": "", "revision": revision,
    }
    data.update(changes)
    return data


@pytest.fixture
def two(reviewer, head):
    first, second = Client(), Client()
    first.force_login(reviewer)
    second.force_login(head)
    return first, second


def test_finding11_school_edit_refuses_a_stale_save_and_shows_the_other_change(two, school_a, reviewer):
    first, second = two
    url = reverse("schools:school_update", args=[school_a.pk])
    seen_first, seen_second = _page_revision(first, url), _page_revision(second, url)
    assert first.post(url, _school_data(school_a, seen_first, name="Trường THCS A (tên mới)")).status_code == 302

    response = second.post(url, _school_data(school_a, seen_second, phone="024 3333 4444"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "chưa được lưu" in page and "Trường THCS A (tên mới)" in page and reviewer.display_name in page
    school_a.refresh_from_db()
    assert school_a.name == "Trường THCS A (tên mới)" and school_a.phone == ""
    # The page now carries the stored revision: saving again is a deliberate overwrite.
    assert f'name="revision" value="{school_a.revision}"' in page


def test_school_edit_with_the_current_revision_saves_and_moves_it_on(two, school_a):
    first, _ = two
    url = reverse("schools:school_update", args=[school_a.pk])
    seen = _page_revision(first, url)
    assert first.post(url, _school_data(school_a, seen, phone="024 1")).status_code == 302
    school_a.refresh_from_db()
    assert school_a.phone == "024 1" and school_a.revision == int(seen) + 1


def test_a_school_edit_without_a_revision_is_refused_as_stale(two, school_a):
    first, _ = two
    data = _school_data(school_a, "", phone="024 2")
    del data["revision"]
    response = first.post(reverse("schools:school_update", args=[school_a.pk]), data)
    assert "trang đã cũ" in response.content.decode()
    assert School.objects.get(pk=school_a.pk).phone == ""


def _account_data(user, revision, **changes):
    data = {"account-username": user.username, "account-full_name": user.full_name or "Tên",
            "account-email": user.email, "account-phone": "", "account-position": "",
            "account-is_active": "on", "account-revision": revision}
    data.update({f"account-{k}": v for k, v in changes.items()})
    return data


def test_finding11_person_edit_refuses_a_stale_save(two, staff_a):
    first, second = two
    url = reverse("schools:account_detail", args=[staff_a.pk])
    seen_first = _page_revision(first, url, "account-")
    seen_second = _page_revision(second, url, "account-")
    assert first.post(url, _account_data(staff_a, seen_first, email="moi@example.vn")).status_code == 302

    response = second.post(url, _account_data(staff_a, seen_second, phone="0912"))
    page = response.content.decode()
    assert response.status_code == 200 and "chưa được lưu" in page and "moi@example.vn" in page
    staff_a.refresh_from_db()
    assert staff_a.email == "moi@example.vn" and staff_a.phone == ""


def test_finding11_profile_refuses_a_stale_save(client, staff_a, principal_a):
    client.force_login(staff_a)
    url = reverse("schools:profile")
    seen = _page_revision(client, url)
    manager = Client()
    manager.force_login(principal_a)
    account_url = reverse("schools:account_detail", args=[staff_a.pk])
    manager_seen = _page_revision(manager, account_url, "account-")
    assert manager.post(account_url, _account_data(staff_a, manager_seen, full_name="Tên do HT sửa")).status_code == 302

    response = client.post(url, {"full_name": "Tên tôi tự sửa", "email": staff_a.email, "phone": "",
                                 "position": "", "revision": seen})
    page = response.content.decode()
    assert response.status_code == 200 and "Tên do HT sửa" in page and "chưa được lưu" in page
    assert User.objects.get(pk=staff_a.pk).full_name == "Tên do HT sửa"


def test_saving_details_does_not_put_back_a_password_changed_meanwhile(staff_a, principal_a):
    from schools import services

    stale = User.objects.get(pk=staff_a.pk)  # what a page loaded before the password change
    fresh = User.objects.get(pk=staff_a.pk)
    fresh.set_password("Mat-khau-moi-2026")
    fresh.save(update_fields=["password"])
    stale.full_name = "Tên mới"
    services.profile_update(by=stale, user=stale, revision=stale.revision)
    assert User.objects.get(pk=staff_a.pk).check_password("Mat-khau-moi-2026")
    stale.phone = "0913"
    services.account_update(by=principal_a, user=stale, revision=stale.revision)
    assert User.objects.get(pk=staff_a.pk).check_password("Mat-khau-moi-2026")


def test_the_profile_save_is_the_persons_own_and_recorded(client, staff_a, principal_a):
    from django.core.exceptions import PermissionDenied

    from audit.models import Event
    from schools import services

    client.force_login(staff_a)
    response = client.post(reverse("schools:profile"), {
        "full_name": "Tên mới của tôi", "email": staff_a.email, "phone": "", "position": "",
        "revision": User.objects.get(pk=staff_a.pk).revision})
    assert response.status_code == 302
    event = Event.objects.get(action="schools.account.profile_updated")
    assert (event.actor, event.target_id) == (staff_a, staff_a.pk)
    # Someone else cannot save a person's profile through the service, even one who manages them.
    other = User.objects.get(pk=staff_a.pk)
    other.full_name = "Tên do người khác sửa"
    with pytest.raises(PermissionDenied):
        services.profile_update(by=principal_a, user=other, revision=other.revision)
    assert User.objects.get(pk=staff_a.pk).full_name == "Tên mới của tôi"
    assert Event.objects.filter(action="schools.account.profile_updated").count() == 1
