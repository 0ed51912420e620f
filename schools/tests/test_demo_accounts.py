"""`make run` prints the demo accounts last, from the seeded database, without seeding again."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from schools import demo
from schools.models import Membership, Organisation, User


def _accounts_output() -> list[str]:
    out = io.StringIO()
    call_command("seed_demo", "--accounts-only", "--allow-without-debug", stdout=out)
    return out.getvalue().splitlines()


def test_accounts_only_prints_the_sign_in_table_of_a_seeded_database(db):
    demo.seed()
    counts = (User.objects.count(), Membership.objects.count())

    lines = _accounts_output()

    assert (User.objects.count(), Membership.objects.count()) == counts  # nothing seeded again
    assert demo.DEMO_PASSWORD in lines[0]
    names = [line.split()[0] for line in lines[1:-1]]
    assert {"dda-mn-01", "dda-thcs-01", "lbi-th-01", "cv.dongda1", "cv.dongda2", "tp.dongda", "tp.longbien",
            "cna-thcs-01", "cv.cuanam1", "cv.cuanam2", "tp.cuanam", "cv.so", "admin"} <= set(names)
    assert "dda-thcs-02" not in names  # one principal per kind of school, the rest by the hint below
    assert "dda-thcs-05" in lines[-1]


def test_every_listed_demo_account_signs_in_with_the_printed_password(db):
    demo.seed()
    for username, _role in demo.demo_accounts():
        assert User.objects.get(username=username).check_password(demo.DEMO_PASSWORD), username


def test_accounts_only_on_an_empty_database_says_to_seed_first(db):
    with pytest.raises(CommandError, match="seed_demo"):
        _accounts_output()


def test_the_ward_reviews_its_own_schools_in_its_own_name(db):
    """Beside the two district offices, a ward People's Committee reviews its schools; its head's
    account is listed with the ward's head title and the unit states it."""
    demo.seed()
    ward = Organisation.objects.get(code="ubnd-cua-nam")
    assert ward.kind == Organisation.Kind.WARD_COMMITTEE
    assert (ward.display_name, ward.office, ward.head_label) == (
        "UBND phường Cửa Nam", "Phòng Văn hóa – Xã hội", "Trưởng phòng Văn hóa – Xã hội")
    assert ward.schools.count() == 3
    head = Membership.objects.get(user__username="tp.cuanam")
    assert (head.role, head.organisation, head.role_label) == (
        Membership.Role.DISTRICT_HEAD, ward, "Trưởng phòng Văn hóa – Xã hội")
    roles = dict(demo.demo_accounts())
    assert roles["tp.cuanam"] == "Trưởng phòng Văn hóa – Xã hội, UBND phường Cửa Nam"
    assert "Phòng GD&ĐT" not in roles["cv.cuanam1"]
