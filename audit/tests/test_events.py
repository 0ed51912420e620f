import pytest

from audit.models import AppendOnlyError, Event
from audit.selectors import events_for
from audit.services import event_record


def test_events_are_recorded_and_listed_newest_first(reviewer, school_a):
    event_record(actor=reviewer, action="schools.school.updated", target=school_a, school=school_a, summary="Sửa")
    event_record(actor=None, action="schools.school.viewed", target=school_a, school=school_a)
    events = list(events_for(school_a))
    assert [e.action for e in events] == ["schools.school.viewed", "schools.school.updated"]
    assert events[1].actor == reviewer and events[0].actor is None


def test_events_cannot_be_changed_or_deleted(reviewer, school_a):
    event = event_record(actor=reviewer, action="schools.school.updated", target=school_a)
    event.summary = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    assert Event.objects.get(pk=event.pk).summary == ""


def test_action_codes_must_be_namespaced(reviewer, school_a):
    with pytest.raises(ValueError):
        event_record(actor=reviewer, action="updated", target=school_a)
