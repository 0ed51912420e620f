"""The dashboard heatmap's legend names the levels of each regulation's rule family."""

import pytest

from reviews import selectors
from reviews.tests import factories

pytestmark = pytest.mark.django_db


def test_the_heatmap_legend_of_a_2018_regulation_goes_to_mức_4(reviewer, district):
    year = factories.school_year()
    factories.bulk_reports(district, 2, year=year, reviewer=reviewer)
    dashboard = selectors.district_dashboard(district, school_year=year, kind="periodic",
                                             filters=selectors.DashboardFilter())
    assert dashboard.heatmaps[0].legend == ((0, "Không đạt"), (1, "Mức 1"), (2, "Mức 2"), (3, "Mức 3"), (4, "Mức 4"))


def test_the_legend_of_tt57_stops_at_mức_2_and_legacy_says_đạt():
    assert selectors._legend("2026") == ((0, "Không đạt"), (1, "Mức 1"), (2, "Mức 2"))
    assert selectors._legend("legacy") == ((0, "Không đạt"), (1, "Đạt"))
    assert selectors._legend("unknown") == ()
