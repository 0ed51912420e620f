"""A reviewing unit names itself and its head from its own record: the default of its kind, or what
an administrator set on it; role labels read the unit's head title where the unit is known."""

import pytest
from django.urls import reverse

from schools.models import Membership, Organisation
from schools.tests.factories import UnitFactory


@pytest.mark.parametrize(("kind", "office", "head"), [
    (Organisation.Kind.DISTRICT_OFFICE, "Phòng Giáo dục và Đào tạo", "Trưởng phòng"),
    (Organisation.Kind.WARD_COMMITTEE, "Phòng Văn hóa – Xã hội", "Trưởng phòng Văn hóa – Xã hội"),
    (Organisation.Kind.DEPARTMENT, "", "Giám đốc Sở"),
])
def test_each_kind_has_its_usual_office_and_head_title(kind, office, head):
    unit = Organisation(kind=kind, name="X", short_name="Y")
    assert (unit.office, unit.head_label, unit.display_name) == (office, head, "Y")


def test_what_the_unit_sets_wins_over_its_kind():
    unit = Organisation(kind=Organisation.Kind.WARD_COMMITTEE, name="Ủy ban nhân dân xã Sóc Sơn",
                        office_name="Phòng Văn hóa – Xã hội xã Sóc Sơn", head_title="Phó Trưởng phòng phụ trách")
    assert (unit.office, unit.head_label, unit.display_name) == (
        "Phòng Văn hóa – Xã hội xã Sóc Sơn", "Phó Trưởng phòng phụ trách", "Ủy ban nhân dân xã Sóc Sơn")


def test_the_role_of_a_units_head_reads_as_the_units_head_title(department):
    ward = UnitFactory(kind=Organisation.Kind.WARD_COMMITTEE, name="Ủy ban nhân dân phường Cửa Nam",
                       short_name="UBND phường Cửa Nam", parent=department)
    head = Membership(role=Membership.Role.DISTRICT_HEAD, organisation=ward)
    reviewer = Membership(role=Membership.Role.DISTRICT_REVIEWER, organisation=ward)
    assert str(head) == "Trưởng phòng Văn hóa – Xã hội – UBND phường Cửa Nam"
    assert str(reviewer) == "Chuyên viên – UBND phường Cửa Nam"
    # Without a unit the label is the generic one, naming no particular kind of office.
    assert "Phòng GD&ĐT" not in Membership(role=Membership.Role.DISTRICT_HEAD).role_label


def test_an_administrator_edits_the_office_and_head_title_in_the_admin_site(client, sysadmin, district):
    client.force_login(sysadmin)
    url = reverse("admin:schools_organisation_change", args=[district.pk])
    page = client.get(url).content.decode()
    assert 'name="office_name"' in page and 'name="head_title"' in page
    data = {
        "code": district.code, "name": district.name, "short_name": "", "kind": district.kind,
        "parent": district.parent_id, "province": district.province, "address": "", "phone": "", "email": "",
        "head_name": "", "office_name": "", "head_title": "Phó Trưởng phòng phụ trách",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    district.refresh_from_db()
    assert district.head_label == "Phó Trưởng phòng phụ trách"
