"""Runs the reviews permission matrix until the project matrix lists it (kiemdinh.testing.MATRIX_MODULES).

Once the lead adds "reviews.tests.url_matrix" there, ``kiemdinh/tests/test_url_matrix.py`` runs
these cases with every other app's and this module only checks that every reviews URL has a case.
"""

import pytest
from django.urls import get_resolver, reverse

from kiemdinh.testing import LOGIN, MATRIX_MODULES, PERSONAS
from reviews.tests import url_matrix

RUN_HERE = "reviews.tests.url_matrix" not in MATRIX_MODULES


def test_every_reviews_url_has_a_matrix_entry():
    names = {f"reviews:{name}" for name in get_resolver("reviews.urls").reverse_dict if isinstance(name, str)}
    covered = {case.name for case in url_matrix.CASES}
    assert names, "no reviews URL found"
    assert sorted(names - covered) == []


@pytest.fixture
def ctx(personas, school_a, school_b, school_c, district, other_district, department, school_year):
    context = {
        **personas, "school_a": school_a, "school_b": school_b, "school_c": school_c, "district": district,
        "other_district": other_district, "department": department, "school_year": school_year,
    }
    url_matrix.setup(context)
    return context


@pytest.mark.skipif(not RUN_HERE, reason="run by kiemdinh/tests/test_url_matrix.py")
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", url_matrix.CASES, ids=[c.id for c in url_matrix.CASES])
def test_url_answers_each_persona_as_declared(client, ctx, case, persona):
    if persona != "anonymous":
        client.force_login(ctx[persona])
    url = reverse(case.name, kwargs=case.kwargs(ctx)) + case.query
    response = getattr(client, case.method)(url, data=case.data(ctx))
    expected = case.expected(persona)
    if expected == LOGIN:
        assert response.status_code == 302, f"{persona} {case.id}: {response.status_code}"
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, f"{persona} {case.id}: got {response.status_code}, expected {expected}"
