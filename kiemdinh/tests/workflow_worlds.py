"""The worlds of the workflow matrix (``test_workflow_matrix.py``): one per registered workflow.

Each app describes its workflows in ``<app>/tests/workflow_worlds.py`` by adding a ``World`` to
``WORLDS`` (``register_world``): how to build an object in a given status with one user per role,
and which roles may make which action from which status. The harness asks ``actions_for`` for every
role and status and compares with the matrix, applies each allowed action (target status and audit
event checked) and tries each refused one (it raises and changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ROLES = ("principal", "school_staff", "reviewer", "district_head", "department_officer", "admin", "outsider")


@dataclass(frozen=True)
class World:
    # The registered workflow this world exercises (``kiemdinh.workflow.get(name)``).
    workflow: str
    # ``build(request, status) -> (obj, {role: user})``: an object in ``status``, users for every role of ROLES
    # (``request`` is pytest's, for fixtures). Called inside the test's transaction.
    build: Callable[[Any, str], tuple[Any, Mapping[str, Any]]]
    # {(status, action): roles allowed}; a pair not listed is allowed to nobody.
    expected: Mapping[tuple[str, str], frozenset[str]]
    # The statuses to walk (default: every status of the table).
    statuses: Iterable[str] = ()
    # ``data(obj, action, role, users) -> kwargs`` for ``apply`` (a reason, a text...); may prepare the
    # object too (the harness runs each move in a savepoint rolled back afterwards).
    data: Callable[[Any, str, str, Mapping[str, Any]], dict] = lambda obj, action, role, users: {}
    # Where a move ends when its effect makes a further move (a comment that starts the review):
    # {(status, action): status}; otherwise the transition's target.
    lands: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # The audit action an applied move records when it is not "<prefix>.<verb>" of its transition.
    events: Mapping[str, str] = field(default_factory=dict)


WORLDS: dict[str, World] = {}


def register_world(name: str, world: World) -> World:
    if name in WORLDS and WORLDS[name] is not world:
        raise ValueError(f"World {name!r} is registered twice.")
    WORLDS[name] = world
    return world


def allowed(*pairs: tuple[Iterable[str], Iterable[str], Iterable[str]]) -> dict[tuple[str, str], frozenset[str]]:
    """Build an expected matrix from rows ``(statuses, actions, roles)``."""
    matrix: dict[tuple[str, str], frozenset[str]] = {}
    for statuses, actions, roles in pairs:
        for status in statuses:
            for action in actions:
                matrix[(status, action)] = matrix.get((status, action), frozenset()) | frozenset(roles)
    return matrix
