"""Every reviews URL has a case in reviews/tests/url_matrix.py (run by kiemdinh/tests/test_url_matrix.py)."""

from django.urls import get_resolver

from reviews.tests import url_matrix


def test_every_reviews_url_has_a_matrix_entry():
    names = {f"reviews:{name}" for name in get_resolver("reviews.urls").reverse_dict if isinstance(name, str)}
    covered = {case.name for case in url_matrix.CASES}
    assert names, "no reviews URL found"
    assert sorted(names - covered) == []
