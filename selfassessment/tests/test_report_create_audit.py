"""Starting a report goes through the one service: it checks the permission and records the event."""

from django.urls import reverse

from audit.models import Event
from selfassessment.models import Report


def test_creating_a_report_records_an_event(client, regulation, school_a, school_year, principal_a):
    client.force_login(principal_a)
    response = client.post(reverse("selfassessment:report_create"),
                           {"school": school_a.pk, "school_year": school_year.pk, "kind": "periodic"})
    report = Report.objects.get()
    assert response.status_code == 302
    event = Event.objects.get(action="selfassessment.report.created")
    assert (event.actor, event.school, event.target_id) == (principal_a, school_a, report.pk)
    assert event.data == {"kind": "periodic", "regulation": "TEST/2018", "copied_from": None}
    assert school_year.code in event.summary


def test_a_refused_creation_writes_nothing(client, regulation, school_a, school_year, staff_a, reviewer, principal_b):
    # Staff and reviewers may not create at all (403); another school's principal cannot pick
    # school A (the form offers only their own school: the page comes back with the error).
    for user, status in ((staff_a, 403), (reviewer, 403), (principal_b, 200)):
        client.force_login(user)
        response = client.post(reverse("selfassessment:report_create"),
                               {"school": school_a.pk, "school_year": school_year.pk, "kind": "periodic"})
        assert response.status_code == status, user
    assert not Report.objects.exists()
    assert not Event.objects.filter(action="selfassessment.report.created").exists()
