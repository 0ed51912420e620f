"""The improvement action's world for the workflow matrix (``kiemdinh/tests/test_workflow_matrix.py``).

An action of school A's improvement plan in each status. Who tracks it (rule ``improvement.track``)
is written out here: the school's principal; a teacher who is not in the action's working group, the
district, the Sở, the site admin and another school's principal only read.
"""

from __future__ import annotations

import datetime

from kiemdinh.tests.workflow_worlds import World, allowed, register_world
from selfassessment.models import ImprovementAction
from selfassessment.tests.factories import criterion

ROLE_FIXTURES = {
    "principal": "principal_a", "school_staff": "staff_a", "reviewer": "reviewer", "district_head": "head",
    "department_officer": "officer", "admin": "sysadmin", "outsider": "principal_c",
}


def _action(request, status: str):
    from reviews.tests import factories as review_factories

    users = {role: request.getfixturevalue(name) for role, name in ROLE_FIXTURES.items()}
    report = review_factories.report_for(request.getfixturevalue("school_a"), users["principal"])
    action = ImprovementAction.objects.create(
        report=report, criterion=criterion(report, "1.1"), action="Tập huấn giáo viên", status=status,
        dropped_reason="Chưa có kinh phí" if status == ImprovementAction.Status.DROPPED else "",
        done_on=datetime.date(2026, 1, 5) if status == ImprovementAction.Status.DONE else None)
    return action, users


def _data(action, name: str, role: str, users) -> dict:
    return {"reason": "Không còn phù hợp", "done_on": None, "today": datetime.date(2026, 1, 10)}


TRACKERS = ("principal",)
register_world("selfassessment.improvement_action", World(
    workflow="selfassessment.improvement_action",
    build=_action,
    expected=allowed(
        (["not_started", "done", "dropped"], ["start"], TRACKERS),
        (["not_started", "in_progress"], ["finish", "drop"], TRACKERS),
        (["in_progress", "dropped"], ["reset"], TRACKERS),
    ),
    data=_data,
))
