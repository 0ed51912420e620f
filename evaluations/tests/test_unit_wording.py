"""A ward's external-evaluation round and periodic reports speak in the ward's name: the default
schedule's steps, the milestone refusals and the periodic report's messages name the school's
reviewing unit, never a fixed "Phòng GD&ĐT"."""

import datetime

import pytest

from evaluations import services
from kiemdinh.permissions import check
from schools.models import Organisation

WARD = "UBND phường Cửa Nam"


@pytest.fixture
def ward(district):
    district.kind = Organisation.Kind.WARD_COMMITTEE
    district.name = "Ủy ban nhân dân phường Cửa Nam"
    district.short_name = WARD
    district.save()
    return district


def test_the_default_schedule_of_a_wards_round_names_the_ward(ward, reviewer):
    round_ = services.round_create(unit=ward, year=2026, number=1, by=reviewer, dossier_date=datetime.date(2026, 3, 9))
    titles = list(round_.milestones.values_list("title", flat=True))

    assert "Chỉnh sửa, hoàn thiện báo cáo tự đánh giá, nộp hồ sơ đăng ký KĐCLGD về UBND phường Cửa Nam" in titles
    assert "Nhận lại báo cáo sau khi UBND phường Cửa Nam góp ý kiến" in titles
    assert not [t for t in titles if "Phòng GD&ĐT" in t or "{unit}" in t or "UBND quận" in t]


def test_a_school_is_told_a_milestone_belongs_to_the_ward(ward, reviewer, principal_a):
    round_ = services.round_create(unit=ward, year=2026, number=1, by=reviewer, dossier_date=datetime.date(2026, 3, 9))
    milestone = round_.milestones.filter(owner="district").first()
    decision = check(principal_a, "milestone.complete", milestone)
    assert not decision.allowed
    assert str(decision.reason) == f"Mốc này do {WARD} thực hiện."


def test_the_milestone_form_offers_the_ward_as_the_owner(client, ward, reviewer):
    from django.urls import reverse

    round_ = services.round_create(unit=ward, year=2026, number=1, by=reviewer, dossier_date=datetime.date(2026, 3, 9))
    client.force_login(reviewer)
    page = client.get(reverse("evaluations:milestone_create", args=[round_.pk])).content.decode()
    assert f'value="district">{WARD}</option>' in page
    assert "Phòng GD&amp;ĐT" not in page
