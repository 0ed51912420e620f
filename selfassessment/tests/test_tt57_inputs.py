"""Issue 13 findings 7 and 8 on the TT57 pages: NUL in the data form's header, the approval date's bounds."""

from __future__ import annotations

from django.urls import reverse

from selfassessment import tt57_services
from selfassessment.tests import test_tt57

# The TT57 report and what it needs, as fixtures here too.
tt57_catalog, year_2026, tt57_report = test_tt57.tt57_catalog, test_tt57.year_2026, test_tt57.tt57_report


def test_nul_in_the_data_form_header_is_dropped_not_a_500(client, tt57_report, principal_a):
    client.force_login(principal_a)
    url = reverse("selfassessment:tt57_appendix", kwargs={"pk": tt57_report.pk})
    response = client.post(url, {"revision": "0", "h_name": "Trường THCS\x00 Kim Liên"})
    assert response.status_code == 302
    assert tt57_services.data_form(tt57_report).header["name"] == "Trường THCS Kim Liên"


def test_an_approval_date_outside_2000_2100_is_refused(client, tt57_report, principal_a):
    client.force_login(principal_a)
    url = reverse("selfassessment:tt57_approval_set", kwargs={"pk": tt57_report.pk})
    client.post(url, {"approved_on": "1800-01-01"})
    tt57_report.refresh_from_db()
    assert tt57_report.approved_on is None
    client.post(url, {"approved_on": "2027-06-01"})
    tt57_report.refresh_from_db()
    assert str(tt57_report.approved_on) == "2027-06-01"
