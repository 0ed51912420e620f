"""External evaluations (đánh giá ngoài): steps, team, per-criterion results, recommendations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kiemdinh import validation
from kiemdinh.i18n import N_, Text
from kiemdinh.permissions import require
from kiemdinh.workflow import PermissionRefused, Step, Transition, Workflow, WorkflowError, register
from notifications.services import Message, notify_many
from schools.models import School
from schools.recipients import principals_of
from standards.models import Criterion
from standards.selectors import regulation_for

from .. import certification, selectors
from ..models import (
    CriterionResult,
    ExternalEvaluation,
    Recommendation,
    RoundRegistration,
    TeamMember,
)
from .common import EvaluationsError, _bump, _event, _locked, _validation_message

if TYPE_CHECKING:
    from schools.models import User
    from selfassessment.models import ImprovementAction

# The external-evaluation team has 5 to 9 people (domain.md).
TEAM_MIN = 5
TEAM_MAX = 9


def _editable(evaluation: ExternalEvaluation) -> None:
    if evaluation.is_completed:
        raise EvaluationsError(_("Đánh giá ngoài đã có báo cáo chính thức; hãy mở lại trước khi sửa."))


@transaction.atomic
def evaluation_start(*, by: User, registration: RoundRegistration | None = None, school: School | None = None) -> ExternalEvaluation:
    """Open the external-evaluation record of a registered school (or of a school outside any
    district round, e.g. a THPT registered with the Sở directly). Returns the existing record when
    the registration already has one."""
    if registration is not None:
        school = registration.school
        existing = ExternalEvaluation.objects.filter(registration=registration).first()
        if existing is not None:
            return existing
    if school is None:
        raise EvaluationsError(_("Hãy chọn trường được đánh giá."))
    require(by, "evaluation.record", school)
    on = timezone.localdate()
    if registration is not None and registration.round.dossier_date:
        on = registration.round.dossier_date
    version = regulation_for(school.level, on)
    if version is None:
        raise EvaluationsError(_("Chưa có bộ tiêu chuẩn áp dụng cho cấp học của trường; hãy nạp bộ tiêu chuẩn trước."))
    evaluation = ExternalEvaluation(school=school, registration=registration, regulation_version=version, created_by=by)
    validation.full_clean(evaluation)
    evaluation.save()
    _event("evaluation.started", by=by, target=evaluation, school=school, to_state=evaluation.status,
           summary=str(version))
    return evaluation


EVALUATION_FIELDS = (
    "team_decision_number", "team_decision_date", "dossier_study_date", "preliminary_visit_date", "visit_start",
    "visit_end", "draft_report_date", "school_feedback_date", "final_report_date", "strengths", "weaknesses",
    "proposed_accreditation_level", "proposed_national_standard",
)


@transaction.atomic
def evaluation_update(*, evaluation: ExternalEvaluation, by: User, revision: int | None, **fields: Any) -> ExternalEvaluation:
    """Record the evaluation's steps, findings and proposed levels."""
    require(by, "evaluation.record", evaluation)
    unknown = set(fields) - set(EVALUATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    current = _locked(ExternalEvaluation, evaluation.pk, revision)
    _editable(current)
    for name, value in fields.items():
        setattr(current, name, value)
    _check_proposal(current)
    _bump(current)
    try:
        validation.full_clean(current)
    except ValidationError as exc:
        raise EvaluationsError(_validation_message(exc))
    current.save()
    return current


def _check_proposal(evaluation: ExternalEvaluation) -> None:
    accreditation = evaluation.proposed_accreditation_level
    national = evaluation.proposed_national_standard
    if accreditation is None or national is None:
        return
    if national and (accreditation == 0 or certification.levels_problem(
        evaluation.final_report_date or timezone.localdate(), accreditation, national
    )):
        raise EvaluationsError(_(
            "Chuẩn quốc gia Mức độ %(n)s cần kết quả đánh giá ít nhất Mức %(m)s, tức đề nghị công nhận ít nhất Cấp độ %(m)s."
        ) % {"n": national, "m": national + 1})


@transaction.atomic
def evaluation_team_set(
    *, evaluation: ExternalEvaluation, by: User, revision: int | None, members: list[Mapping[str, Any]]
) -> list[TeamMember]:
    """Replace the team with ``members`` (dicts of full_name, role, workplace, position), in order."""
    require(by, "evaluation.record", evaluation)
    current = _locked(ExternalEvaluation, evaluation.pk, revision)
    _editable(current)
    members = [m for m in members if (m.get("full_name") or "").strip()]
    if len(members) > TEAM_MAX:
        raise EvaluationsError(_("Đoàn đánh giá ngoài có nhiều nhất %(n)s người.") % {"n": TEAM_MAX})
    for role, label in ((TeamMember.Role.LEADER, _("trưởng đoàn")), (TeamMember.Role.SECRETARY, _("thư ký"))):
        if sum(1 for m in members if m.get("role") == role) > 1:
            raise EvaluationsError(_("Đoàn chỉ có một %(role)s.") % {"role": label})
    current.team.all().delete()
    saved = []
    for order, data in enumerate(members):
        member = TeamMember(
            evaluation=current, full_name=data["full_name"].strip(), role=data.get("role") or TeamMember.Role.MEMBER,
            workplace=data.get("workplace", ""), position=data.get("position", ""), order=order,
        )
        validation.full_clean(member, exclude=["evaluation"])
        member.save()
        saved.append(member)
    _bump(current)
    current.save(update_fields=["revision", "updated_at"])
    return saved


@transaction.atomic
def evaluation_results_set(
    *, evaluation: ExternalEvaluation, by: User, revision: int | None, results: Mapping[int, Mapping[str, Any]]
) -> int:
    """Record the external level (and the self-assessed level of the dossier) per criterion id.

    ``results``: {criterion_id: {"level": int | None, "self_level": int | None, "note": str}}; a
    None level removes the criterion's result. Returns the number of results stored.
    """
    require(by, "evaluation.record", evaluation)
    current = _locked(ExternalEvaluation, evaluation.pk, revision)
    _editable(current)
    regulation = current.regulation_version.regulation
    top = regulation.level_count
    criteria = {
        c.pk: c for c in Criterion.objects.filter(pk__in=list(results), standard__version=current.regulation_version)
    }
    stray = set(results) - set(criteria)
    if stray:
        raise EvaluationsError(_("Có tiêu chí không thuộc bộ tiêu chuẩn của đợt đánh giá này."))
    existing = {r.criterion_id: r for r in current.results.all()}
    for criterion_id, data in results.items():
        level, self_level = data.get("level"), data.get("self_level")
        for value in (level, self_level):
            if value is not None and not 0 <= value <= top:
                raise EvaluationsError(_("Mức của tiêu chí %(c)s phải từ 0 đến %(top)s.") % {
                    "c": criteria[criterion_id].number, "top": top})
        row = existing.get(criterion_id)
        if level is None:
            if row is not None:
                row.delete()
            continue
        row = row or CriterionResult(evaluation=current, criterion=criteria[criterion_id])
        row.level, row.self_level, row.note = level, self_level, (data.get("note") or "")[:500]
        row.save()
    _bump(current)
    current.save(update_fields=["revision", "updated_at"])
    return current.results.count()


@transaction.atomic
def recommendation_add(*, evaluation: ExternalEvaluation, by: User, text: str,
                       criterion: Criterion | None = None) -> Recommendation:
    """Add a recommendation (kiến nghị) of the team; the school follows it up in its improvement plan."""
    require(by, "evaluation.record", evaluation)
    if criterion is not None and criterion.standard.version_id != evaluation.regulation_version_id:
        raise EvaluationsError(_("Tiêu chí không thuộc bộ tiêu chuẩn của đợt đánh giá này."))
    position = (evaluation.recommendations.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    recommendation = Recommendation(evaluation=evaluation, criterion=criterion, text=text.strip(), position=position, created_by=by)
    validation.full_clean(recommendation)
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, by: User) -> None:
    require(by, "evaluation.record", recommendation.evaluation)
    recommendation.delete()


@transaction.atomic
def recommendation_adopt(*, recommendation: Recommendation, by: User) -> ImprovementAction:
    """Make a recommendation an improvement action of the school's plan, in its report being written
    (same regulation: the criterion is found by its number). Once per recommendation."""
    from .. import reports

    require(by, "recommendation.adopt", recommendation)
    current = Recommendation.objects.select_for_update(of=("self",)).select_related(
        "evaluation__school", "evaluation__regulation_version", "criterion"
    ).get(pk=recommendation.pk)
    if current.action_id is not None:
        raise EvaluationsError(_("Kiến nghị này đã được đưa vào kế hoạch cải tiến."))
    if current.criterion_id is None:
        raise EvaluationsError(_(
            "Kiến nghị chung không gắn với tiêu chí nào: hãy ghi biện pháp vào kế hoạch cải tiến của tiêu chí phù hợp trong báo cáo."
        ))
    if current.criterion is None:  # its criterion_id is set
        raise RuntimeError('broken invariant: its criterion_id is set')
    school = current.evaluation.school
    report = reports.editable_report(school, current.evaluation.regulation_version.regulation_id)
    if report is None:
        raise EvaluationsError(_(
            "Trường chưa có báo cáo tự đánh giá đang soạn theo %(regulation)s để ghi kế hoạch cải tiến; hãy tạo báo cáo trước."
        ) % {"regulation": current.evaluation.regulation_version.regulation.code})
    try:
        action: ImprovementAction | None = reports.action_append(report=report, criterion_number=current.criterion.number, text=current.text, by=by)
    except ValueError as exc:
        raise EvaluationsError(str(exc))
    if action is None:
        raise EvaluationsError(_("Báo cáo của trường không có tiêu chí %(n)s.") % {"n": current.criterion.number})
    current.action, current.adopted_at, current.adopted_by = action, timezone.now(), by
    current.save(update_fields=["action", "adopted_at", "adopted_by"])
    _event("recommendation.adopted", by=by, target=current, school=school, summary=current.text[:200],
           data={"report": report.pk, "action": action.pk})
    return action


def evaluation_completion_problems(evaluation: ExternalEvaluation) -> list[str]:
    """What still keeps the evaluation from its final report, as sentences (empty when ready)."""
    problems = []
    team = list(evaluation.team.all())
    if not TEAM_MIN <= len(team) <= TEAM_MAX:
        problems.append(_("Đoàn đánh giá ngoài cần từ %(a)s đến %(b)s người (hiện có %(n)s).") % {
            "a": TEAM_MIN, "b": TEAM_MAX, "n": len(team)})
    roles = [m.role for m in team]
    if roles.count(TeamMember.Role.LEADER) != 1:
        problems.append(_("Đoàn cần một trưởng đoàn."))
    if roles.count(TeamMember.Role.SECRETARY) != 1:
        problems.append(_("Đoàn cần một thư ký."))
    if not (evaluation.visit_start and evaluation.visit_end):
        problems.append(_("Chưa ghi ngày khảo sát chính thức."))
    if not evaluation.final_report_date:
        problems.append(_("Chưa ghi ngày báo cáo chính thức."))
    rows = selectors.evaluation_result_rows(evaluation)
    missing = [cast(Criterion, row.criterion).number for row in rows if row.result is None]
    if missing:
        problems.append(ngettext(
            "Còn %(n)s tiêu chí chưa có kết quả đánh giá ngoài: %(list)s.",
            "Còn %(n)s tiêu chí chưa có kết quả đánh giá ngoài: %(list)s.", len(missing),
        ) % {
            "n": len(missing), "list": ", ".join(missing[:10]) + ("…" if len(missing) > 10 else "")})
    if evaluation.proposed_accreditation_level is None or evaluation.proposed_national_standard is None:
        problems.append(_("Chưa ghi cấp độ và mức độ chuẩn quốc gia đề nghị công nhận."))
    return problems


def evaluation_complete(*, evaluation: ExternalEvaluation, by: User, notify_school: bool = True) -> ExternalEvaluation:
    """Close the evaluation with its final report, once everything the report needs is recorded,
    and tell the school's principals (unless ``notify_school`` is False: loading past records)."""
    return _apply(evaluation, "complete", by, notify_school=notify_school)


def _completion_guard(user: User, evaluation: ExternalEvaluation) -> str | None:
    """What still keeps the evaluation from its final report (the refusal), or None when ready."""
    return " ".join(evaluation_completion_problems(evaluation)) or None


def _complete(step: Step) -> None:
    current = step.obj
    current.completed_at, current.completed_by = timezone.now(), step.by
    _bump(current)
    step.update_fields = ["completed_at", "completed_by", "revision"]
    step.audit_data = {"proposed_accreditation_level": current.proposed_accreditation_level,
                       "proposed_national_standard": current.proposed_national_standard}


def _completed(step: Step) -> None:
    if step.data.get("notify_school", True):
        _notify_school(step.obj)


def _notify_school(evaluation: ExternalEvaluation) -> None:
    url = reverse("evaluations:evaluation_detail", args=[evaluation.pk])
    title = Text(N_("Đoàn đánh giá ngoài đã có báo cáo chính thức về %(school)s"), {"school": str(evaluation.school)})
    body = Text(N_("Xem kết quả từng tiêu chí và các kiến nghị của đoàn để xây dựng kế hoạch cải tiến chất lượng."))
    notify_many(
        Message(user=user, kind="general", url=url, title=title, body=body,
                dedupe_key=f"evaluation:{evaluation.pk}:completed:r{evaluation.revision}")
        for user in principals_of([evaluation.school_id]).get(evaluation.school_id, [])
    )


def evaluation_reopen(*, evaluation: ExternalEvaluation, by: User) -> ExternalEvaluation:
    return _apply(evaluation, "reopen", by)


def _reopen(step: Step) -> None:
    step.obj.completed_at, step.obj.completed_by = None, None
    _bump(step.obj)
    step.update_fields = ["completed_at", "completed_by", "revision"]


def _apply(evaluation: ExternalEvaluation, action: str, by: User, **data: Any) -> ExternalEvaluation:
    """Make ``action`` through the workflow layer; a refused rule is a 403, any other refusal a message."""
    try:
        return cast(ExternalEvaluation, EXTERNAL_EVALUATION.apply(evaluation, action, by, **data))
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from None
    except WorkflowError as exc:
        raise EvaluationsError(exc.message) from None


def _lock(evaluation: ExternalEvaluation) -> ExternalEvaluation:
    return (ExternalEvaluation.objects.select_for_update(of=("self",)).select_related("school", "regulation_version")
            .get(pk=evaluation.pk))


# The evaluation is recorded while in progress; its final report completes it (once nothing is
# missing: the guard says what is), and the district may reopen it to correct (declared once).
_S = ExternalEvaluation.Status
EXTERNAL_EVALUATION = register(Workflow(
    "evaluations.external_evaluation", "evaluations.ExternalEvaluation",
    transitions=(
        Transition(action="complete", source=_S.IN_PROGRESS, target=_S.COMPLETED, rule="evaluation.record",
                   verb="completed", label=N_("Ghi nhận báo cáo chính thức"), guards=(_completion_guard,),
                   effect=_complete, after=_completed),
        Transition(action="reopen", source=_S.COMPLETED, target=_S.IN_PROGRESS, rule="evaluation.record",
                   verb="reopened", label=N_("Mở lại để sửa"), effect=_reopen),
    ),
    audit_prefix="evaluations.evaluation",
    refused_messages={"complete": gettext_lazy("Đánh giá ngoài này đã hoàn thành."),
                      "reopen": gettext_lazy("Đánh giá ngoài này đang được cập nhật.")},
    lock=_lock,
    tones={_S.IN_PROGRESS: "info", _S.COMPLETED: "success"},
))
