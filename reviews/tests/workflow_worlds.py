"""The review workflows' worlds for the workflow matrix (``kiemdinh/tests/test_workflow_matrix.py``).

A report of school A (district A) in each status, reached through the review services as people
would; the roles are the root conftest's personas: the principal and a teacher of school A, the
district's reviewer (who started the review, so the report is assigned to them) and head, the Sở
officer, the site admin (sees everything, reviews nothing) and school C's principal (another
district: an outsider).
"""

from __future__ import annotations

from django.utils import timezone

from kiemdinh.tests.workflow_worlds import World, allowed, register_world
from reviews import services, snapshot, workflow
from reviews.models import CommentThread, ReportVersion, ReviewAssignment, UnlockRequest
from reviews.tests import factories
from standards.models import Criterion

DISTRICT = ("reviewer", "district_head")
SCHOOL = ("principal", "school_staff")
ROLE_FIXTURES = {
    "principal": "principal_a", "school_staff": "staff_a", "reviewer": "reviewer", "district_head": "head",
    "department_officer": "officer", "admin": "sysadmin", "outsider": "principal_c",
}

# How each status is reached from a draft: (action, role) steps through the services.
PATHS = {
    workflow.DRAFT: [],
    workflow.SUBMITTED: [(workflow.SUBMIT, "principal")],
    workflow.IN_REVIEW: [(workflow.SUBMIT, "principal"), (workflow.START_REVIEW, "reviewer")],
}
PATHS[workflow.RETURNED] = PATHS[workflow.IN_REVIEW] + [(workflow.RETURN, "reviewer")]
PATHS[workflow.RESUBMITTED] = PATHS[workflow.RETURNED] + [(workflow.SUBMIT, "principal")]
PATHS[workflow.ACCEPTED] = PATHS[workflow.IN_REVIEW] + [(workflow.ACCEPT, "district_head")]
PATHS[workflow.FORWARDED] = PATHS[workflow.ACCEPTED] + [(workflow.FORWARD, "district_head")]
PATHS[workflow.CLOSED] = PATHS[workflow.FORWARDED] + [(workflow.CLOSE, "department_officer")]

STEP_DATA = {workflow.RETURN: {"reason": "Cần bổ sung minh chứng."}}


def _users(request) -> dict:
    return {role: request.getfixturevalue(name) for role, name in ROLE_FIXTURES.items()}


def _report(request, status: str, *, head_approves: bool = False):
    # The submission gate and the consistency checks are the self-assessment app's (tested there).
    request.getfixturevalue("monkeypatch").setattr(services, "_submission_problems", lambda report, content: [])
    users = _users(request)
    principal = users["principal"]
    report = factories.report_for(principal.memberships.get().school, principal)
    factories.write(report, "criterion:1.1:strengths", "Đội ngũ giáo viên đạt chuẩn.", principal)
    for action, role in PATHS[status]:
        workflow.REPORT_REVIEW.apply(factories.reload(report), action, users[role], **STEP_DATA.get(action, {}))
    if head_approves:
        unit = report.school.reviewing_unit
        services.unit_settings_update(unit=unit, by=users["district_head"], requires_head_approval=True)
    return factories.reload(report), users


def _report_data(report, action: str, role: str, users) -> dict:
    if action in (workflow.RETURN, workflow.REQUEST_UNLOCK):
        return {"reason": "Lý do của thao tác."}
    if action == workflow.COMMENT:
        return {"text": "Cần làm rõ số liệu."}
    if action == workflow.MARK_REVIEWED:
        version = ReportVersion.objects.filter(report=report).order_by("-number").first()
        if version is None:  # never sent: the move is refused before it reads its data
            return {}
        number = sorted(snapshot.criterion_numbers(version.data))[0]
        criterion = Criterion.objects.get(number=number, standard__version_id=report.regulation_version_id)
        return {"version": version, "criterion": criterion, "reviewed": True}
    if action == workflow.ASSIGN:
        # A new assignment each time (the event records a change): nobody assigned, the actor takes it.
        ReviewAssignment.objects.filter(report=report, is_active=True).update(is_active=False, ended_at=timezone.now())
        return {"reviewer": users[role]}
    return {}


REPORT_MATRIX = allowed(
    ([workflow.DRAFT, workflow.RETURNED], [workflow.SUBMIT], ["principal"]),
    (workflow.WAITING, [workflow.WITHDRAW], ["principal"]),
    (workflow.WAITING, [workflow.START_REVIEW], DISTRICT),
    ([workflow.IN_REVIEW], [workflow.RETURN, workflow.ACCEPT], DISTRICT),
    (workflow.COMMENTABLE, [workflow.COMMENT], DISTRICT),
    (workflow.WITH_DISTRICT, [workflow.MARK_REVIEWED], DISTRICT),
    ([s for s in workflow.STATUSES if s != workflow.CLOSED], [workflow.ASSIGN], DISTRICT),
    ([workflow.ACCEPTED], [workflow.FORWARD], DISTRICT),
    (workflow.UNLOCKABLE, [workflow.UNLOCK], DISTRICT),
    (workflow.UNLOCKABLE, [workflow.REQUEST_UNLOCK], ["principal"]),
    ([workflow.FORWARDED], [workflow.CLOSE], ["department_officer"]),
)

# A district comment or reviewed mark on a report waiting for review starts the review.
STARTS_REVIEW = {(status, action): workflow.IN_REVIEW
                 for status in workflow.WAITING for action in (workflow.COMMENT, workflow.MARK_REVIEWED)}

register_world("reviews.report", World(
    workflow="reviews.report", build=_report, expected=REPORT_MATRIX, data=_report_data, lands=STARTS_REVIEW,
    events={workflow.ASSIGN: "reviews.assignment.created", workflow.MARK_REVIEWED: "reviews.criterion.reviewed"},
))

# A unit whose head gives the final approval: a reviewer recommends, the head accepts and forwards.
register_world("reviews.report (head approves)", World(
    workflow="reviews.report", build=lambda request, status: _report(request, status, head_approves=True),
    statuses=(workflow.IN_REVIEW, workflow.ACCEPTED),
    expected={**{key: roles for key, roles in REPORT_MATRIX.items()
                 if key[0] in (workflow.IN_REVIEW, workflow.ACCEPTED)},
              (workflow.IN_REVIEW, workflow.ACCEPT): frozenset({"district_head"}),
              (workflow.IN_REVIEW, workflow.RECOMMEND): frozenset({"reviewer"}),
              (workflow.ACCEPTED, workflow.FORWARD): frozenset({"district_head"})},
    data=_report_data,
    events={workflow.ASSIGN: "reviews.assignment.created", workflow.MARK_REVIEWED: "reviews.criterion.reviewed"},
))


# --- Comment threads ---------------------------------------------------------------------------------


def _thread(request, status: str, *, fixed: bool = False):
    report, users = _report(request, workflow.IN_REVIEW)
    thread = services.thread_open(report=report, by=users["reviewer"], text="Cần làm rõ số liệu.")
    if fixed:
        services.thread_mark_fixed(thread=thread, by=users["principal"], text="Đã bổ sung.")
    if status == workflow.RESOLVED:
        services.thread_resolve(thread=thread, by=users["reviewer"])
    return CommentThread.objects.select_related("report__school__reviewing_unit").get(pk=thread.pk), users


def _thread_data(thread, action: str, role: str, users) -> dict:
    return {"text": "Trả lời góp ý."} if action in (workflow.REPLY, workflow.MARK_FIXED) else {}


THREAD_MATRIX = allowed(
    ([workflow.OPEN], [workflow.REPLY], SCHOOL + DISTRICT),
    ([workflow.OPEN], [workflow.MARK_FIXED], SCHOOL),
    ([workflow.OPEN], [workflow.RESOLVE], DISTRICT),
    ([workflow.RESOLVED], [workflow.REPLY, workflow.REOPEN], DISTRICT),
)

register_world("reviews.thread", World(workflow="reviews.thread", build=_thread, expected=THREAD_MATRIX,
                                       data=_thread_data))

# A thread the school marked "Đã sửa": the district may also reopen it (the mark is cleared).
register_world("reviews.thread (fixed)", World(
    workflow="reviews.thread", build=lambda request, status: _thread(request, status, fixed=True),
    statuses=(workflow.OPEN,),
    expected={**THREAD_MATRIX, (workflow.OPEN, workflow.REOPEN): frozenset(DISTRICT)}, data=_thread_data,
))


# --- Unlock requests ---------------------------------------------------------------------------------


def _unlock_request(request, status: str):
    report, users = _report(request, workflow.ACCEPTED)
    unlock = services.unlock_request_create(report=report, by=users["principal"], reason="Cần sửa số liệu.")
    if status == workflow.GRANTED:
        services.unlock_grant(request=unlock, by=users["district_head"])
    elif status == workflow.REFUSED_REQUEST:
        services.unlock_refuse(request=unlock, by=users["district_head"], note="Không cần sửa.")
    return UnlockRequest.objects.select_related("report__school__reviewing_unit").get(pk=unlock.pk), users


register_world("reviews.unlock", World(
    workflow="reviews.unlock", build=_unlock_request,
    expected=allowed(([workflow.PENDING], [workflow.GRANT, workflow.REFUSE], DISTRICT)),
    data=lambda unlock, action, role, users: {"note": "Ý kiến."},
    events={workflow.GRANT: "reviews.report.unlocked"},
))
