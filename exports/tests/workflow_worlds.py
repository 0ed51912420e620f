"""The export job's world for the workflow matrix (``kiemdinh/tests/test_workflow_matrix.py``).

A dossier job of district A asked by its reviewer, in each status. The retry is a person's move:
whoever may open the job (its requester, the district office of its unit, the Sở above, the admin);
the build's moves (start, finish, fail, expire) are the worker's and no person's.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from exports.models import ExportJob
from kiemdinh.tests.workflow_worlds import World, allowed, register_world

ROLE_FIXTURES = {
    "principal": "principal_a", "school_staff": "staff_a", "reviewer": "reviewer", "district_head": "head",
    "department_officer": "officer", "admin": "sysadmin", "outsider": "principal_c",
}


def _job(request, status: str):
    users = {role: request.getfixturevalue(name) for role, name in ROLE_FIXTURES.items()}
    district = request.getfixturevalue("district")
    fields = {}
    if status == ExportJob.Status.DONE:
        fields = {"file": "exports/2027/01/matrix.zip", "file_name": "ho-so.zip", "sha256": "0" * 64, "size": 1,
                  "expires_at": timezone.now() + datetime.timedelta(hours=1)}
    if status == ExportJob.Status.FAILED:
        fields = {"error": "Lỗi thử", "attempts": 1}
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.DOSSIER, params={"round": 1, "include_files": False}, title="Hồ sơ đợt 1",
        organisation=district, requested_by=users["reviewer"], status=status, **fields)
    return job, users


register_world("exports.job", World(
    workflow="exports.job",
    build=_job,
    statuses=[s.value for s in ExportJob.Status],
    expected=allowed(
        (["failed"], ["retry"], ("reviewer", "district_head", "department_officer", "admin")),
    ),
    # The job's kind names its events ("exports.<kind>.retried").
    events={"retry": "exports.dossier.retried"},
))
