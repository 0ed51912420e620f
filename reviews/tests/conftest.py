"""Fixtures of the review tests: school A's reports (personas come from the root conftest).

``report`` is complete: it passes the unit's submission gate and the consistency checks, the real
ones (a test about the gate refusing uses ``draft_report``). Writing it takes about half a second, so
a module with ``pytestmark = pytest.mark.usefixtures("complete_world")`` builds the personas and the
report once, in a transaction rolled back after the module, and each of its tests runs in a savepoint
on top of it (the ``db`` fixture), as conftest's ``matrix_world`` does: every test of such a module
sees the report, asked for or not, and gets the world's personas.
"""

import pytest

from kiemdinh.tests import module_world
from reviews.tests import factories

_shared = module_world.world_of("complete_world")


@pytest.fixture(scope="module")
def complete_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The root conftest's personas and school A's complete report, built once for the module."""
    with module_world.personas_rolled_back(django_db_blocker, tmp_path_factory.mktemp("reviews-media")) as ctx:
        ctx["report"] = factories.complete_report_for(ctx["school_a"], ctx["principal_a"])
        yield ctx


globals().update(module_world.persona_fixtures(_shared))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Test databases reuse ids: a cached aggregate of one test must not meet the next."""
    with module_world.empty_cache():
        yield


@pytest.fixture
def draft_report(principal_a, staff_a, reviewer, head, school_year):
    """A draft report of school A with a few texts written and every indicator met, nothing else (no
    council, plan or Phần I, texts without evidence): the submission gate refuses it."""
    report = factories.report_for(principal_a.memberships.get().school, principal_a)
    factories.write(report, "indicator:1.1:1:a", "Nhà trường có 20 lớp học. Cơ sở vật chất đầy đủ.", principal_a)
    factories.write(report, "criterion:1.1:strengths", "Đội ngũ giáo viên đạt chuẩn.", principal_a)
    factories.assess_all(report, principal_a)
    return factories.reload(report)


@pytest.fixture
def report(request, principal_a, staff_a, reviewer, head, school_year):
    """A complete draft report of school A, ready to submit: it passes the unit's submission gate and
    the consistency checks (reviewer and head exist in its district). Two of its texts are known to
    the tests: ``indicator:1.1:1:a`` (``factories.classes_text``) and the strengths of criterion 1.1."""
    shared = _shared(request)
    if shared is not None:
        return factories.reload(shared["report"])
    return factories.complete_report_for(principal_a.memberships.get().school, principal_a)


@pytest.fixture
def other_report(principal_c, other_reviewer, school_year):
    return factories.report_for(principal_c.memberships.get().school, principal_c)
