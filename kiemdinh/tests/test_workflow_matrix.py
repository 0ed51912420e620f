"""Every transition of every workflow, for every role, through ``actions_for`` and ``apply``.

The worlds (``kiemdinh/tests/workflow_worlds.py``) come from each app's ``tests/workflow_worlds.py``.
For each workflow and status: ``actions_for`` gives each role exactly the allowed actions of the
world's matrix (a refused one with its reason); each allowed action applied moves the object to the
transition's target and records its audit event; each refused one raises a ``WorkflowError`` and
changes nothing. Each move runs in a savepoint rolled back afterwards, so one object per status serves.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction

from audit.models import Event
from kiemdinh import workflow as wf
from kiemdinh.tests.workflow_worlds import ROLES, WORLDS


def _load_worlds() -> None:
    """Each project app's ``tests/workflow_worlds.py`` adds its worlds to WORLDS."""
    for config in apps.get_app_configs():
        if (Path(config.path) / "tests" / "workflow_worlds.py").exists():
            importlib.import_module(f"{config.name}.tests.workflow_worlds")


_load_worlds()

CASES = [(name, status) for name, world in sorted(WORLDS.items())
         for status in (list(world.statuses) or sorted(wf.get(world.workflow).statuses))]


def test_every_registered_workflow_has_a_world():
    covered = {world.workflow for world in WORLDS.values()}
    missing = [w.name for w in wf.registered_workflows() if w.name not in covered and not w.name.startswith("test.")]
    assert not missing, f"workflows without a world in <app>/tests/workflow_worlds.py: {missing}"


def test_each_world_names_only_actions_and_statuses_of_its_table():
    for name, world in WORLDS.items():
        flow = wf.get(world.workflow)
        for (status, action), roles in world.expected.items():
            assert action in flow.actions, (name, action)
            assert flow.transition(action, status) is not None, (name, status, action, "not in the table")
            assert set(roles) <= set(ROLES), (name, roles)


def _fresh(obj):
    return type(obj)._default_manager.get(pk=obj.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("world_name", "status"), CASES, ids=[f"{n}:{s}" for n, s in CASES])
def test_the_matrix_of_allowed_actions(request, world_name, status):
    world = WORLDS[world_name]
    flow = wf.get(world.workflow)
    obj, users = world.build(request, status)
    assert flow.status_of(_fresh(obj)) == status, "the world built the object in another status"
    assert set(users) == set(ROLES)
    seen = {}
    for role in ROLES:
        acts = flow.actions_for(users[role], _fresh(obj))
        assert [a.action for a in acts] == list(flow.actions)
        for act in acts:
            assert act.allowed or act.reason, (role, act.action, "a refusal says why")
        seen[role] = {a.action for a in acts if a.allowed}
    expected = {role: {action for (s, action), roles in world.expected.items() if s == status and role in roles}
                for role in ROLES}
    assert seen == expected

    for role in ROLES:
        user = users[role]
        for action in flow.actions:
            before_events = Event.objects.count()
            with transaction.atomic():
                fresh = _fresh(obj)
                data = world.data(fresh, action, role, users)
                if action in expected[role]:
                    transition = flow.transition(action, status)
                    moved = flow.apply(fresh, action, user, **data)
                    target = world.lands.get((status, action), transition.target)
                    assert flow.status_of(_fresh(obj)) == target, (role, action)
                    assert flow.status_of(moved) == target, (role, action)
                    audit = world.events.get(action) or (
                        f"{transition.audit_prefix or flow.audit_prefix}.{transition.verb}")
                    new = Event.objects.order_by("pk")[before_events:]
                    assert audit in [e.action for e in new], (role, action, [e.action for e in new])
                else:
                    with pytest.raises(wf.WorkflowError):
                        flow.apply(fresh, action, user, **data)
                    assert flow.status_of(_fresh(obj)) == status, (role, action)
                    assert Event.objects.count() == before_events, (role, action)
                transaction.set_rollback(True)
