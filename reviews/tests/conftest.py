"""Fixtures of the review tests: a draft report of school A (personas come from the root conftest)."""

import pytest

from reviews import services
from reviews.tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    """Test databases reuse ids: a cached aggregate of one test must not meet the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_blocking_checks(monkeypatch):
    """Most tests are about the workflow, not about a complete report: the consistency checks are
    the self-assessment app's (tested there); ``test_submit_refused_while_checks_find_errors``
    runs the real ones."""
    monkeypatch.setattr(services, "_submission_problems", lambda report: [])


@pytest.fixture
def report(principal_a, staff_a, reviewer, head, school_year):
    """A draft report of school A with a few texts written (reviewer and head exist in its district)."""
    report = factories.report_for(principal_a.memberships.get().school, principal_a)
    factories.write(report, "indicator:1.1:1:a", "Nhà trường có 20 lớp học. Cơ sở vật chất đầy đủ.", principal_a)
    factories.write(report, "criterion:1.1:strengths", "Đội ngũ giáo viên đạt chuẩn.", principal_a)
    factories.assess_all(report, principal_a)
    return factories.reload(report)


@pytest.fixture
def other_report(principal_c, other_reviewer, school_year):
    return factories.report_for(principal_c.memberships.get().school, principal_c)
