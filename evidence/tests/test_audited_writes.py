"""Archiving, restoring and deleting an item go through services that check the permission and
leave an audit event; a refused request changes nothing and records nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import Event
from evidence import services
from evidence.models import Evidence


@pytest.fixture
def item(school_a, principal_a, c11):
    return services.evidence_create(school=school_a, criterion=c11, by=principal_a, name="Biên bản họp")


def _events(action):
    return Event.objects.filter(action=action)


def test_archive_and_restore_are_recorded_with_actor_school_and_code(client, item, principal_a, school_a):
    client.force_login(principal_a)
    response = client.post(reverse("evidence:evidence_archive", kwargs={"pk": item.pk}))
    assert response.status_code == 302
    event = _events("evidence.item.archived").get()
    assert (event.actor, event.school, event.target_id, event.data["code"]) == (principal_a, school_a, item.pk, item.code)
    assert Evidence.objects.get(pk=item.pk).is_archived
    # Archiving an archived item changes nothing and records nothing more.
    client.post(reverse("evidence:evidence_archive", kwargs={"pk": item.pk}))
    assert _events("evidence.item.archived").count() == 1
    client.post(reverse("evidence:evidence_restore", kwargs={"pk": item.pk}))
    assert _events("evidence.item.restored").get().actor == principal_a
    assert not Evidence.objects.get(pk=item.pk).is_archived


def test_delete_is_recorded_before_the_row_goes(client, item, principal_a, school_a):
    client.force_login(principal_a)
    code, pk = item.code, item.pk
    response = client.post(reverse("evidence:evidence_delete", kwargs={"pk": pk}))
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=pk).exists()
    event = _events("evidence.item.deleted").get()
    assert (event.actor, event.school, event.target_id) == (principal_a, school_a, pk)
    assert event.data == {"code": code, "name": "Biên bản họp"}
    assert code in event.summary


@pytest.mark.parametrize("action", ["evidence_archive", "evidence_delete"])
@pytest.mark.parametrize("persona, status", [("staff_a", 403), ("reviewer", 403), ("principal_c", 404)])
def test_a_refused_archive_or_delete_changes_nothing(request, client, item, action, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse(f"evidence:{action}", kwargs={"pk": item.pk}))
    assert response.status_code == status
    stored = Evidence.objects.get(pk=item.pk)
    assert (stored.is_archived, stored.version) == (False, item.version)
    assert not Event.objects.filter(action__startswith="evidence.item.").exists()


@pytest.mark.parametrize("write", [services.evidence_archive, services.evidence_restore, services.evidence_delete])
def test_the_services_check_the_permission_themselves(item, reviewer, write):
    with pytest.raises(PermissionDenied):
        write(evidence=item, by=reviewer)
    assert Evidence.objects.filter(pk=item.pk, is_archived=False).exists()
    assert not Event.objects.filter(action__startswith="evidence.item.").exists()
