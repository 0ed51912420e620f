"""The evaluations app reads the same reach as the schools app: the units listed as overseen and
the rule's per-unit check agree for every person of the small world of the schools tests."""

from evaluations import selectors
from evaluations.permissions import _oversees_unit
from schools.models import Organisation, User
from schools.scope import scope_of
from schools.tests.test_scope_agreement import world  # noqa: F401 (the fixture)


def test_units_overseen_and_the_per_unit_check_agree_for_every_person(world):  # noqa: F811
    units = list(Organisation.objects.exclude(kind=Organisation.Kind.DEPARTMENT))
    seen_any = False
    for name, person in world["people"].items():
        user = User.objects.get(pk=person.pk)
        listed = set(selectors.units_overseen_by(user))
        assert listed == {u for u in units if _oversees_unit(scope_of(user), u)}, name
        seen_any |= 0 < len(listed) < len(units)
    assert seen_any  # some person oversees some units but not all: the sets are not trivially equal
