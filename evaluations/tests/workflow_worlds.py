"""The evaluations app's worlds for the workflow matrix (``kiemdinh/tests/test_workflow_matrix.py``):
the periodic report and the external evaluation.

The roles are the root conftest's personas: school A's principal and a teacher, district A's reviewer
and head, the Sở officer, the site admin and school C's principal (another district: an outsider).
"""

from __future__ import annotations

import datetime

from evaluations import services
from evaluations.models import ReportingDeadline
from evaluations.tests.factories import periodic_in_status
from kiemdinh.tests.workflow_worlds import World, allowed, register_world

ROLE_FIXTURES = {
    "principal": "principal_a", "school_staff": "staff_a", "reviewer": "reviewer", "district_head": "head",
    "department_officer": "officer", "admin": "sysadmin", "outsider": "principal_c",
}
D = datetime.date


def _users(request) -> dict:
    return {role: request.getfixturevalue(name) for role, name in ROLE_FIXTURES.items()}


# --- The periodic report --------------------------------------------------------------------------


def _periodic(request, status: str):
    from schools.tests.factories import SchoolYearFactory

    users = _users(request)
    school = request.getfixturevalue("school_a")
    year = SchoolYearFactory(code="2026-2027", start_date=D(2026, 9, 5), end_date=D(2027, 5, 31))
    deadlines = services.reporting_deadlines_ensure(unit=school.reviewing_unit, school_year=year, by=users["reviewer"])
    semester1 = next(d for d in deadlines if d.period == ReportingDeadline.Period.SEMESTER_1)
    return periodic_in_status(status, school, semester1, users["principal"], users["reviewer"]), users


def _periodic_data(report, action: str, role: str, users) -> dict:
    return {"return": {"reason": "Bổ sung tiến độ"}, "accept": {"note": ""}, "unlock": {"reason": "Sửa số liệu"}}.get(
        action, {})


# Written out here, not read from the code: the school's principal (and the admin) hands in and takes
# back; the district office of the school (reviewer, head, and the admin) reviews. The teacher, the Sở
# and another district's principal make no move.
SCHOOL_SIDE = ("principal", "admin")
DISTRICT_SIDE = ("reviewer", "district_head", "admin")
register_world("evaluations.periodic_report", World(
    workflow="evaluations.periodic_report",
    build=_periodic,
    expected=allowed(
        (["draft", "returned"], ["submit"], SCHOOL_SIDE),
        (["submitted", "resubmitted"], ["withdraw"], SCHOOL_SIDE),
        (["submitted", "resubmitted"], ["start_review"], DISTRICT_SIDE),
        (["in_review"], ["return", "accept"], DISTRICT_SIDE),
        (["accepted"], ["unlock"], DISTRICT_SIDE),
    ),
    data=_periodic_data,
))


# --- The external evaluation ------------------------------------------------------------------------


def _evaluation(request, status: str):
    from standards.models import Criterion
    from standards.services import DATA_DIR, catalogs_load

    users = _users(request)
    officer, reviewer = users["department_officer"], users["reviewer"]
    school = request.getfixturevalue("school_a")
    catalogs_load(paths=[DATA_DIR / "tt18_2018.json"])
    round_ = services.round_create(unit=school.reviewing_unit, year=2027, number=1, by=reviewer,
                                   dossier_date=D(2027, 1, 9))
    (registration,) = services.round_schools_register(round_=round_, schools=[school], by=reviewer)
    evaluation = services.evaluation_start(by=officer, registration=registration)
    # Everything the final report needs is recorded, so "complete" waits only for its rule.
    evaluation = services.evaluation_update(
        evaluation=evaluation, by=officer, revision=evaluation.revision, visit_start=D(2027, 3, 1),
        visit_end=D(2027, 3, 3), final_report_date=D(2027, 3, 20), proposed_accreditation_level=2,
        proposed_national_standard=1)
    members = [{"full_name": "Trưởng", "role": "leader"}, {"full_name": "Thư ký", "role": "secretary"}] + [
        {"full_name": f"Thành viên {i}", "role": "member"} for i in range(3)]
    services.evaluation_team_set(evaluation=evaluation, by=officer, revision=evaluation.revision, members=members)
    evaluation.refresh_from_db()
    criteria = Criterion.objects.filter(standard__version=evaluation.regulation_version, is_repealed=False)
    services.evaluation_results_set(evaluation=evaluation, by=officer, revision=evaluation.revision,
                                    results={c.pk: {"level": 2, "self_level": 2} for c in criteria})
    evaluation.refresh_from_db()
    if status == "completed":
        evaluation = services.evaluation_complete(evaluation=evaluation, by=officer)
    return evaluation, users


RECORDERS = ("reviewer", "district_head", "department_officer", "admin")
register_world("evaluations.external_evaluation", World(
    workflow="evaluations.external_evaluation",
    build=_evaluation,
    expected=allowed(
        (["in_progress"], ["complete"], RECORDERS),
        (["completed"], ["reopen"], RECORDERS),
    ),
))
