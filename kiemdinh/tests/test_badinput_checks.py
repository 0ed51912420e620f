"""The bad-input properties' own check: a snapshot taken before a refused post sees any change after it."""

import pytest

from kiemdinh.tests.badinput.checks import assert_unchanged, snapshot
from schools.models import School
from schools.tests.factories import SchoolFactory


@pytest.mark.django_db
def test_a_snapshot_sees_a_changed_column_an_added_row_and_a_deleted_one():
    first, second = SchoolFactory(), SchoolFactory()
    before = snapshot(School)
    assert_unchanged(before, snapshot(School), where="nothing done")

    School.objects.filter(pk=second.pk).update(name=second.name + ".")  # same count, one column
    with pytest.raises(AssertionError, match=r"School changed \(\+0 rows"):
        assert_unchanged(before, snapshot(School), where="renamed")

    School.objects.filter(pk=second.pk).update(name=second.name)
    assert_unchanged(before, snapshot(School), where="renamed back")
    SchoolFactory()
    with pytest.raises(AssertionError, match=r"\+1 rows"):
        assert_unchanged(before, snapshot(School), where="added")

    School.objects.exclude(pk__in=[first.pk, second.pk]).delete()
    School.objects.filter(pk=first.pk).delete()
    with pytest.raises(AssertionError, match=r"-1 rows"):
        assert_unchanged(before, snapshot(School), where="deleted")
