"""Run the exports' permission matrix until the lead lists it in kiemdinh.testing.MATRIX_MODULES.

Once listed, the project-wide test runs these cases with every other app's and this module skips
itself, so no case runs twice.
"""

import pytest
from django.urls import reverse

from exports.tests import url_matrix
from kiemdinh.testing import LOGIN, MATRIX_MODULES, PERSONAS

LISTED = "exports.tests.url_matrix" in MATRIX_MODULES
pytestmark = pytest.mark.skipif(LISTED, reason="run by kiemdinh/tests/test_url_matrix.py")


@pytest.fixture
def ctx(personas, school_a, school_b, school_c, district, other_district, department, school_year):
    context = {**personas, "school_a": school_a, "school_b": school_b, "school_c": school_c, "district": district,
               "other_district": other_district, "department": department, "school_year": school_year}
    url_matrix.setup(context)
    return context


def test_every_export_url_has_a_case():
    from django.urls import get_resolver

    names = {f"exports:{name}" for name in get_resolver().namespace_dict["exports"][1].reverse_dict if isinstance(name, str)}
    assert names == {case.name for case in url_matrix.CASES}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", url_matrix.CASES, ids=[c.id for c in url_matrix.CASES])
def test_export_url_answers_each_persona_as_declared(client, ctx, case, persona):
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
