"""Views of the evaluations app: thin, scoped lookups, one permission check each, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kiemdinh.permissions import can, require
from schools.models import School, SchoolYear
from schools.selectors import own_school_ids_unless_wider, own_schools_of, schools_visible_to
from schools.years import school_year_chosen
from standards import engine
from standards.models import Criterion

from . import certification, reports, selectors, services
from .forms import (
    CertificateForm,
    DeadlineForm,
    DeadlineSetupForm,
    EvaluationForm,
    EvaluationStartForm,
    MilestoneForm,
    PlanEntryForm,
    PlanForm,
    PlanSchoolsForm,
    RecommendationForm,
    RegistrationChoiceForm,
    ResultsForm,
    RoundForm,
    RoundSchoolsForm,
    TeamFormSet,
)
from .models import (
    Certificate,
    EvaluationRound,
    ExternalEvaluation,
    Milestone,
    PlannedSchool,
    Recommendation,
    ReportingDeadline,
)


def _today():
    return timezone.localdate()


def _error(request, exc: services.EvaluationsError) -> None:
    messages.error(request, str(exc))


def _plan_levels(units) -> list[tuple[str, str]]:
    """The school levels a plan form asks targets for: MN, TH, THCS, and any other level the
    units have schools of."""
    labels = dict(School.Level.choices)
    present = set(School.objects.filter(reviewing_unit__in=units, status=School.Status.ACTIVE).values_list("level", flat=True))
    return [(lvl, labels[lvl]) for lvl in School.Level.values if lvl in selectors.PLAN_LEVELS or lvl in present]


# --- Plans ------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    require(request.user, "plan.view")
    plans = selectors.plan_list(request.user)
    return render(request, "evaluations/plan_list.html", {
        "plans": plans, "can_create": can(request.user, "plan.manage") and selectors.units_managed_by(request.user).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    require(request.user, "plan.manage")
    units = selectors.units_managed_by(request.user)
    form = PlanForm(request.POST or None, units=units, levels=_plan_levels(units),
                    initial={"title": _("Kế hoạch triển khai công tác kiểm định chất lượng giáo dục năm %(y)s")
                             % {"y": _today().year}})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                unit=data["unit"], year=data["year"], title=data["title"], by=request.user, targets=form.targets,
                document_number=data["document_number"], document_date=data["document_date"], note=data["note"],
            )
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã tạo kế hoạch. Hãy thêm các trường thực hiện kiểm định trong năm."))
            return redirect("evaluations:plan_schools_add", pk=plan.pk)
    return render(request, "evaluations/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)
    require(request.user, "plan.view", plan)
    # School people see their own school's row; the district, the Sở and admins see every row.
    progress = selectors.plan_progress(plan, school_ids=own_school_ids_unless_wider(request.user))
    return render(request, "evaluations/plan_detail.html", {
        "plan": plan, "progress": progress, "can_manage": can(request.user, "plan.manage", plan), "today": _today(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request, pk: int):
    plan = get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)
    require(request.user, "plan.manage", plan)
    levels = _plan_levels([plan.unit])
    initial = {"title": plan.title, "document_number": plan.document_number, "document_date": plan.document_date,
               "note": plan.note, "revision": plan.revision}
    initial.update({f"target_{t.level}": t.count for t in plan.targets.all()})
    form = PlanForm(request.POST or None, units=None, levels=levels, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_update(
                plan=plan, by=request.user, revision=data["revision"], title=data["title"], targets=form.targets,
                document_number=data["document_number"], document_date=data["document_date"], note=data["note"],
            )
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("evaluations:plan_detail", pk=plan.pk)
    return render(request, "evaluations/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_schools_add(request, pk: int):
    plan = get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)
    require(request.user, "plan.manage", plan)
    candidates = selectors.plan_candidates(plan)
    form = PlanSchoolsForm(
        request.POST or None, schools=School.objects.filter(pk__in=[s.pk for s, _cert in candidates]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.plan_schools_add(
                plan=plan, schools=data["schools"], by=request.user, purpose=data["purpose"],
                target_accreditation_level=data["target_accreditation_level"],
                target_national_standard=data["target_national_standard"],
            )
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, ngettext(
                "Đã thêm %(n)s trường vào kế hoạch.", "Đã thêm %(n)s trường vào kế hoạch.", len(added)) % {"n": len(added)})
            return redirect("evaluations:plan_detail", pk=plan.pk)
    selected = {str(v) for v in form["schools"].value() or []}
    return render(request, "evaluations/plan_schools_add.html", {
        "plan": plan, "form": form, "candidates": candidates, "selected": selected, "today": _today(),
    })


def _entry(request, pk: int) -> PlannedSchool:
    return get_object_or_404(
        PlannedSchool.objects.select_related("plan", "plan__unit", "school").filter(plan__in=selectors.plans_visible_to(request.user)),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_entry_update(request, pk: int):
    entry = _entry(request, pk)
    require(request.user, "plan.manage", entry.plan)
    form = PlanEntryForm(request.POST or None, initial={
        "purpose": entry.purpose, "target_accreditation_level": entry.target_accreditation_level,
        "target_national_standard": entry.target_national_standard, "note": entry.note, "revision": entry.revision,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_entry_update(entry=entry, by=request.user, **form.cleaned_data)
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu %(school)s trong kế hoạch.") % {"school": entry.school})
            return redirect("evaluations:plan_detail", pk=entry.plan_id)
    return render(request, "evaluations/plan_entry_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def plan_entry_remove(request, pk: int):
    entry = _entry(request, pk)
    require(request.user, "plan.manage", entry.plan)
    services.plan_entry_remove(entry=entry, by=request.user)
    messages.success(request, _("Đã bỏ %(school)s khỏi kế hoạch.") % {"school": entry.school})
    return redirect("evaluations:plan_detail", pk=entry.plan_id)


# --- Rounds -----------------------------------------------------------------------------------


@login_required
def round_list(request):
    require(request.user, "round.view")
    return render(request, "evaluations/round_list.html", {
        "rounds": selectors.round_list(request.user).order_by("-year", "number", "unit__name"),
        "can_create": can(request.user, "round.manage") and selectors.units_managed_by(request.user).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require(request.user, "round.manage")
    form = RoundForm(request.POST or None, units=selectors.units_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                unit=data["unit"], year=data["year"], number=data["number"], by=request.user,
                dossier_date=data["dossier_date"], note=data["note"], with_default_schedule=data["with_default_schedule"],
            )
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã tạo %(round)s. Hãy đăng ký các trường tham gia.") % {"round": round_})
            return redirect("evaluations:round_schools_add", pk=round_.pk)
    return render(request, "evaluations/round_form.html", {"form": form, "round": None})


def _round(request, pk: int) -> EvaluationRound:
    return get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)


@login_required
def round_detail(request, pk: int):
    round_ = _round(request, pk)
    require(request.user, "round.view", round_)
    today = _today()
    schedule = selectors.round_schedule(round_, request.user, today)
    can_manage = can(request.user, "round.manage", round_)
    # Which cells the user may toggle: decided once per registration, not per cell.
    toggles = {
        r.pk: can(request.user, "milestone.complete", (Milestone(round=round_, owner=Milestone.Owner.SCHOOL), r))
        for r in schedule.registrations
    }
    for row in schedule.school_rows:
        for cell in row.cells:
            cell.can_toggle = toggles[cell.registration.pk]
    return render(request, "evaluations/round_detail.html", {
        "round": round_, "schedule": schedule, "can_manage": can_manage, "today": today,
        "can_record": can(request.user, "evaluation.record", round_.unit),
    })


@login_required
@require_http_methods(["GET", "POST"])
def round_update(request, pk: int):
    round_ = _round(request, pk)
    require(request.user, "round.manage", round_)
    form = RoundForm(request.POST or None, round_=round_, initial={
        "dossier_date": round_.dossier_date, "note": round_.note, "revision": round_.revision,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_update(round_=round_, by=request.user, revision=data["revision"],
                                  dossier_date=data["dossier_date"], note=data["note"])
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu %(round)s.") % {"round": round_})
            return redirect("evaluations:round_detail", pk=round_.pk)
    return render(request, "evaluations/round_form.html", {"form": form, "round": round_})


@login_required
@require_http_methods(["GET", "POST"])
def round_schools_add(request, pk: int):
    round_ = _round(request, pk)
    require(request.user, "round.manage", round_)
    candidates = selectors.round_candidates(round_)
    form = RoundSchoolsForm(request.POST or None, schools=School.objects.filter(pk__in=[s.pk for s, _p in candidates]))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.round_schools_register(round_=round_, schools=form.cleaned_data["schools"], by=request.user)
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, ngettext(
                "Đã đăng ký %(n)s trường vào %(round)s.", "Đã đăng ký %(n)s trường vào %(round)s.", len(added),
            ) % {"n": len(added), "round": round_})
            return redirect("evaluations:round_detail", pk=round_.pk)
    selected = {str(v) for v in form["schools"].value() or []}
    return render(request, "evaluations/round_schools_add.html", {
        "round": round_, "form": form, "candidates": candidates, "selected": selected,
    })


@login_required
@require_POST
def round_registration_remove(request, pk: int):
    registration = get_object_or_404(selectors.registrations_visible_to(request.user), pk=pk)
    require(request.user, "round.manage", registration.round)
    try:
        services.round_registration_remove(registration=registration, by=request.user)
    except services.EvaluationsError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã rút %(school)s khỏi %(round)s.") % {"school": registration.school, "round": registration.round})
    return redirect("evaluations:round_detail", pk=registration.round_id)


# --- Milestones -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request, pk: int):
    round_ = _round(request, pk)
    require(request.user, "round.manage", round_)
    form = MilestoneForm(request.POST or None, unit=round_.unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_create(round_=round_, by=request.user, owner=data["owner"], title=data["title"],
                                      due_date=data["due_date"], description=data["description"])
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã thêm mốc “%(title)s”.") % {"title": data["title"]})
            return redirect("evaluations:round_detail", pk=round_.pk)
    return render(request, "evaluations/milestone_form.html", {"form": form, "round": round_, "milestone": None})


@login_required
@require_POST
def milestone_defaults(request, pk: int):
    """Add the default steps the round lacks, dated from its dossier date."""
    round_ = _round(request, pk)
    require(request.user, "round.manage", round_)
    if round_.dossier_date is None:
        messages.error(request, _("Hãy ghi ngày nộp hồ sơ đăng ký của đợt trước khi lập lịch mặc định."))
        return redirect("evaluations:round_update", pk=round_.pk)
    created = services.milestones_from_template(round_=round_, dossier_date=round_.dossier_date, by=request.user)
    messages.success(request, ngettext(
        "Đã thêm %(n)s mốc theo lịch mặc định.", "Đã thêm %(n)s mốc theo lịch mặc định.", len(created)) % {"n": len(created)})
    return redirect("evaluations:round_detail", pk=round_.pk)


def _milestone(request, pk: int) -> Milestone:
    return get_object_or_404(selectors.milestones_visible_to(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_update(request, pk: int):
    milestone = _milestone(request, pk)
    require(request.user, "round.manage", milestone.round)
    form = MilestoneForm(request.POST or None, milestone=milestone, initial={
        "title": milestone.title, "due_date": milestone.due_date, "description": milestone.description,
        "revision": milestone.revision,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_update(milestone=milestone, by=request.user, revision=data["revision"], title=data["title"],
                                      due_date=data["due_date"], description=data["description"])
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu mốc “%(title)s”.") % {"title": data["title"]})
            return redirect("evaluations:round_detail", pk=milestone.round_id)
    return render(request, "evaluations/milestone_form.html", {"form": form, "round": milestone.round, "milestone": milestone})


@login_required
@require_POST
def milestone_delete(request, pk: int):
    milestone = _milestone(request, pk)
    require(request.user, "round.manage", milestone.round)
    services.milestone_delete(milestone=milestone, by=request.user)
    messages.success(request, _("Đã xóa mốc “%(title)s”.") % {"title": milestone.title})
    return redirect("evaluations:round_detail", pk=milestone.round_id)


def _milestone_toggle(request, pk: int, service, done_message: str):
    """Mark a milestone done or not done, for one registered school when the school owns it."""
    milestone = _milestone(request, pk)
    registration = None
    if milestone.is_school:
        form = RegistrationChoiceForm(request.POST)
        if not form.is_valid() or not form.cleaned_data["registration"]:
            messages.error(request, _("Hãy chọn trường cần cập nhật mốc này."))
            return redirect("evaluations:round_detail", pk=milestone.round_id)
        registration = get_object_or_404(
            selectors.registrations_visible_to(request.user).filter(round_id=milestone.round_id),
            pk=form.cleaned_data["registration"],
        )
    require(request.user, "milestone.complete", (milestone, registration))
    try:
        changed = service(milestone=milestone, by=request.user, registration=registration)
    except services.EvaluationsError as exc:
        _error(request, exc)
    else:
        if changed:
            who = registration.school if registration else milestone.round.unit
            messages.success(request, done_message % {"title": milestone.title, "who": who})
    return redirect(f"{_round_url(milestone)}#milestone-{milestone.pk}")


@login_required
@require_POST
def milestone_complete(request, pk: int):
    return _milestone_toggle(request, pk, services.milestone_complete, _("Đã đánh dấu hoàn thành “%(title)s” – %(who)s."))


@login_required
@require_POST
def milestone_reopen(request, pk: int):
    return _milestone_toggle(request, pk, services.milestone_reopen, _("Đã bỏ đánh dấu hoàn thành “%(title)s” – %(who)s."))


def _round_url(milestone: Milestone) -> str:
    return reverse("evaluations:round_detail", args=[milestone.round_id])


# --- Reporting deadlines ----------------------------------------------------------------------


def _school_year_from(request) -> SchoolYear | None:
    return school_year_chosen(request.GET.get("year"), _today())


@login_required
def deadline_list(request):
    require(request.user, "deadline.view")
    year = _school_year_from(request)
    overview = selectors.deadline_overview(request.user, year, _today()) if year else []
    managed = selectors.units_managed_by(request.user)
    return render(request, "evaluations/deadline_list.html", {
        "year": year, "years": SchoolYear.objects.all()[:10], "overview": overview,
        "managed_ids": set(managed.values_list("pk", flat=True)), "today": _today(),
    })


@login_required
@require_POST
def deadline_setup(request):
    require(request.user, "deadline.manage")
    form = DeadlineSetupForm(request.POST, units=selectors.units_managed_by(request.user), years=SchoolYear.objects.all())
    if not form.is_valid():
        messages.error(request, _("Hãy chọn đơn vị và năm học."))
        return redirect("evaluations:deadline_list")
    data = form.cleaned_data
    services.reporting_deadlines_ensure(unit=data["unit"], school_year=data["school_year"], by=request.user)
    messages.success(request, _("Đã lập hạn báo cáo định kỳ năm học %(year)s cho %(unit)s (20/12 và 10/5; có thể sửa).")
                     % {"year": data["school_year"], "unit": data["unit"]})
    return redirect(f"{_deadline_list_url()}?year={data['school_year'].code}")


def _deadline(request, pk: int) -> ReportingDeadline:
    return get_object_or_404(selectors.deadlines_visible_to(request.user), pk=pk)


@login_required
def deadline_detail(request, pk: int):
    deadline = _deadline(request, pk)
    require(request.user, "deadline.view", deadline)
    if not deadline.is_report:  # a TT57 deadline has no reports: its unit's page of the year shows it
        return redirect("evaluations:deadline_configure", unit_pk=deadline.unit_id, year=deadline.school_year.code)
    today = _today()
    return render(request, "evaluations/deadline_detail.html", {
        "deadline": deadline, "status": selectors.deadline_status_of(deadline, today), "can_manage": can(request.user, "deadline.manage", deadline),
        "today": today,
    })


@login_required
@require_http_methods(["GET", "POST"])
def deadline_update(request, pk: int):
    deadline = _deadline(request, pk)
    require(request.user, "deadline.manage", deadline)
    form = DeadlineForm(request.POST or None, initial={
        "due_date": deadline.due_date, "note": deadline.note, "revision": deadline.revision,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reporting_deadline_update(deadline=deadline, by=request.user, revision=data["revision"],
                                               due_date=data["due_date"], note=data["note"])
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu hạn nộp %(deadline)s.") % {"deadline": deadline})
            if not deadline.is_report:  # back to the unit's page of the year, where TT57 deadlines are listed
                return redirect("evaluations:deadline_configure", unit_pk=deadline.unit_id, year=deadline.school_year.code)
            return redirect(f"{_deadline_list_url()}?year={deadline.school_year.code}")
    return render(request, "evaluations/deadline_form.html", {"form": form, "deadline": deadline})


def _deadline_list_url() -> str:
    return reverse("evaluations:deadline_list")


@login_required
def upcoming(request):
    """“Hạn sắp tới”: a school's deadlines, milestones and certificate expiry."""
    require(request.user, "upcoming.view")
    today = _today()
    schools = list(own_schools_of(request.user))
    sections = [(school, selectors.upcoming_deadlines_for_school(school, today)) for school in schools]
    return render(request, "evaluations/upcoming.html", {"sections": sections, "today": today})


# --- External evaluations ---------------------------------------------------------------------


@login_required
def evaluation_list(request):
    if not can(request.user, "evaluation.list"):
        raise Http404
    evaluations = selectors.evaluation_list(request.user)
    return render(request, "evaluations/evaluation_list.html", {
        "evaluations": evaluations, "can_create": can(request.user, "evaluation.record"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request):
    """Open an evaluation record for a school outside the district's rounds."""
    require(request.user, "evaluation.record")
    schools = schools_visible_to(request.user).filter(status=School.Status.ACTIVE)
    form = EvaluationStartForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        school = form.cleaned_data["school"]
        require(request.user, "evaluation.record", school)
        try:
            evaluation = services.evaluation_start(by=request.user, school=school)
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    return render(request, "evaluations/evaluation_create.html", {"form": form})


@login_required
@require_POST
def evaluation_start(request, pk: int):
    """Open (or go to) the evaluation record of a registered school."""
    registration = get_object_or_404(selectors.registrations_visible_to(request.user), pk=pk)
    require(request.user, "evaluation.record", registration)
    try:
        evaluation = services.evaluation_start(by=request.user, registration=registration)
    except services.EvaluationsError as exc:
        _error(request, exc)
        return redirect("evaluations:round_detail", pk=registration.round_id)
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


def _evaluation(request, pk: int) -> ExternalEvaluation:
    try:
        return selectors.evaluation_for_page(selectors.evaluations_visible_to(request.user), pk)
    except ObjectDoesNotExist:
        raise Http404


@login_required
def evaluation_detail(request, pk: int):
    evaluation = _evaluation(request, pk)
    require(request.user, "evaluation.view", evaluation)
    report = reports.report_for_evaluation(evaluation)
    rows = selectors.evaluation_result_rows(evaluation, report=report)
    can_record = can(request.user, "evaluation.record", evaluation)
    recommendation_form = None
    if can_record and not evaluation.is_completed:
        recommendation_form = RecommendationForm(criteria=_criteria(evaluation))
    return render(request, "evaluations/evaluation_detail.html", {
        "evaluation": evaluation, "rows": rows, "can_record": can_record, "report": report,
        "suggestion": selectors.evaluation_suggestion(evaluation, rows),
        "problems": services.evaluation_completion_problems(evaluation) if not evaluation.is_completed else [],
        "recommendation_form": recommendation_form,
        "recorded": sum(1 for r in rows if r.result is not None),
        "binary": _binary(evaluation),
        "can_adopt": can(request.user, "recommendation.adopt", Recommendation(evaluation=evaluation)),
    })


def _binary(evaluation: ExternalEvaluation) -> bool:
    """Whether the catalog's criteria are only đạt / không đạt (the legacy regulations)."""
    family = evaluation.regulation_version.regulation.family
    return family in engine.family_names() and engine.get_family(family).binary


def _criteria(evaluation: ExternalEvaluation):
    return Criterion.objects.filter(standard__version=evaluation.regulation_version, is_repealed=False).order_by(
        "standard__position", "position"
    )


def _editable_or_redirect(request, evaluation: ExternalEvaluation):
    if evaluation.is_completed:
        messages.warning(request, _("Đánh giá ngoài đã có báo cáo chính thức; hãy mở lại trước khi sửa."))
        return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_update(request, pk: int):
    evaluation = _evaluation(request, pk)
    require(request.user, "evaluation.record", evaluation)
    if (response := _editable_or_redirect(request, evaluation)) is not None:
        return response
    initial = {name: getattr(evaluation, name) for name in services.EVALUATION_FIELDS}
    initial["revision"] = evaluation.revision
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            services.evaluation_update(evaluation=evaluation, by=request.user, revision=revision, **data)
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu thông tin đánh giá ngoài."))
            return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    return render(request, "evaluations/evaluation_form.html", {"form": form, "evaluation": evaluation})


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_team(request, pk: int):
    evaluation = _evaluation(request, pk)
    require(request.user, "evaluation.record", evaluation)
    if (response := _editable_or_redirect(request, evaluation)) is not None:
        return response
    initial = [{"full_name": m.full_name, "role": m.role, "workplace": m.workplace, "position": m.position}
               for m in evaluation.team.all()]
    formset = TeamFormSet(request.POST or None, initial=initial, prefix="team")
    revision = request.POST.get("revision") if request.method == "POST" else evaluation.revision
    if request.method == "POST" and formset.is_valid():
        try:
            services.evaluation_team_set(evaluation=evaluation, by=request.user, revision=_int(revision),
                                         members=formset.members)
        except services.EvaluationsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã lưu danh sách đoàn đánh giá ngoài."))
            return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    return render(request, "evaluations/evaluation_team.html", {
        "evaluation": evaluation, "formset": formset, "revision": revision,
    })


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_results(request, pk: int):
    evaluation = _evaluation(request, pk)
    require(request.user, "evaluation.record", evaluation)
    if (response := _editable_or_redirect(request, evaluation)) is not None:
        return response
    report = reports.report_for_evaluation(evaluation)
    rows = selectors.evaluation_result_rows(evaluation, report=report)
    regulation = evaluation.regulation_version.regulation
    binary = _binary(evaluation)
    form = ResultsForm(request.POST or None, rows=rows, level_count=regulation.level_count, binary=binary,
                       initial={"revision": evaluation.revision})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.evaluation_results_set(evaluation=evaluation, by=request.user,
                                                    revision=form.cleaned_data["revision"], results=form.results)
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu kết quả %(n)s/%(total)s tiêu chí.") % {"n": count, "total": len(rows)})
            return redirect("evaluations:evaluation_detail", pk=evaluation.pk)
    return render(request, "evaluations/evaluation_results.html", {"evaluation": evaluation, "form": form, "report": report})


@login_required
@require_POST
def recommendation_add(request, pk: int):
    evaluation = _evaluation(request, pk)
    require(request.user, "evaluation.record", evaluation)
    if (response := _editable_or_redirect(request, evaluation)) is not None:
        return response
    form = RecommendationForm(request.POST, criteria=_criteria(evaluation))
    if not form.is_valid():
        messages.error(request, _("Hãy nhập nội dung kiến nghị."))
    else:
        services.recommendation_add(evaluation=evaluation, by=request.user, text=form.cleaned_data["text"],
                                    criterion=form.cleaned_data["criterion"])
        messages.success(request, _("Đã thêm kiến nghị."))
    return redirect(f"{_evaluation_url(evaluation)}#recommendations")


def _evaluation_url(evaluation) -> str:
    return reverse("evaluations:evaluation_detail", args=[evaluation.pk])


@login_required
@require_POST
def recommendation_delete(request, pk: int):
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("evaluation", "evaluation__school", "evaluation__school__reviewing_unit")
        .filter(evaluation__in=selectors.evaluations_visible_to(request.user)),
        pk=pk,
    )
    evaluation = recommendation.evaluation
    require(request.user, "evaluation.record", evaluation)
    if (response := _editable_or_redirect(request, evaluation)) is not None:
        return response
    services.recommendation_delete(recommendation=recommendation, by=request.user)
    messages.success(request, _("Đã xóa kiến nghị."))
    return redirect(f"{_evaluation_url(evaluation)}#recommendations")


@login_required
@require_POST
def recommendation_adopt(request, pk: int):
    """The principal makes a recommendation an improvement action of the school's plan."""
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("evaluation", "evaluation__school", "criterion")
        .filter(evaluation__in=selectors.evaluations_visible_to(request.user)),
        pk=pk,
    )
    require(request.user, "recommendation.adopt", recommendation)
    try:
        action = services.recommendation_adopt(recommendation=recommendation, by=request.user)
    except services.EvaluationsError as exc:
        _error(request, exc)
        return redirect(f"{_evaluation_url(recommendation.evaluation)}#recommendations")
    messages.success(request, _("Đã đưa kiến nghị vào kế hoạch cải tiến của tiêu chí %(n)s; hãy ghi người thực hiện, thời hạn và nguồn lực.")
                     % {"n": recommendation.criterion.number})
    return redirect("selfassessment:criterion_edit", pk=action.report_id, criterion_pk=action.criterion_id)


@login_required
@require_POST
def evaluation_complete(request, pk: int):
    evaluation = _evaluation(request, pk)
    require(request.user, "evaluation.record", evaluation)
    try:
        services.evaluation_complete(evaluation=evaluation, by=request.user)
    except services.EvaluationsError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã ghi nhận báo cáo chính thức của đoàn đánh giá ngoài; nhà trường đã được thông báo."))
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


@login_required
@require_POST
def evaluation_reopen(request, pk: int):
    evaluation = _evaluation(request, pk)
    require(request.user, "evaluation.record", evaluation)
    try:
        services.evaluation_reopen(evaluation=evaluation, by=request.user)
    except services.EvaluationsError as exc:
        _error(request, exc)
    else:
        messages.info(request, _("Đã mở lại hồ sơ đánh giá ngoài để cập nhật."))
    return redirect("evaluations:evaluation_detail", pk=evaluation.pk)


# --- Certificates -----------------------------------------------------------------------------


def _certificate_filters() -> list[tuple[str, str]]:
    """The certificate list's filter by validity: each state, and "none" (no recognition yet)."""
    return [
        (certification.VALID, _("Còn hiệu lực")), (certification.EXPIRING, _("Hết hạn trong 6 tháng tới")),
        (certification.EXPIRED, _("Đã hết hạn")), ("none", _("Chưa được công nhận")),
    ]


@login_required
def certificate_list(request):
    require(request.user, "certificate.view")
    today = _today()
    state_filters = _certificate_filters()
    state = request.GET.get("state", "")
    if state not in dict(state_filters):
        state = ""
    level = request.GET.get("level", "") if request.GET.get("level") in School.Level.values else ""
    schools = schools_visible_to(request.user).filter(status=School.Status.ACTIVE)
    if level:
        schools = schools.filter(level=level)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(code__icontains=query))
    rows = selectors.certificate_rows(schools, today, state=state)
    from . import recognition_selectors  # TT57 recognitions shown beside the certificates of before 07/7/2026

    return render(request, "evaluations/certificate_list.html", {
        "recognitions57": recognition_selectors.latest_recognitions([row.school.pk for row in rows]),
        "rows": rows, "state": state, "state_filters": state_filters, "level": level, "query": query,
        "levels": School.Level.choices, "can_record": can(request.user, "certificate.record"), "today": today,
    })


def _certificate_form(request, *, certificate: Certificate | None, school: School | None):
    schools = schools_visible_to(request.user).filter(status=School.Status.ACTIVE)
    evaluations = selectors.evaluations_visible_to(request.user).filter(status=ExternalEvaluation.Status.COMPLETED)
    if certificate is not None:
        evaluations = evaluations.filter(school=certificate.school)
        initial = {name: getattr(certificate, name) for name in services.CERTIFICATE_FIELDS}
        initial["revision"] = certificate.revision
    else:
        initial = {"school": school, "issuing_body": _default_issuer(request.user, school)}
    form = CertificateForm(request.POST or None, schools=schools, evaluations=evaluations, certificate=certificate,
                           initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            if certificate is None:
                target = data.pop("school")
                require(request.user, "certificate.record", target)
                saved = services.certificate_record(school=target, by=request.user, **data)
            else:
                saved = services.certificate_update(certificate=certificate, by=request.user, revision=revision, **data)
        except services.EvaluationsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu quyết định %(n)s: hiệu lực đến %(until)s, được đăng ký nâng mức từ %(up)s.") % {
                "n": saved.decision_number, "until": saved.valid_until.strftime("%d/%m/%Y"),
                "up": saved.earliest_upgrade_date.strftime("%d/%m/%Y"),
            })
            return redirect("evaluations:certificate_list")
    return render(request, "evaluations/certificate_form.html", {"form": form, "certificate": certificate})


def _default_issuer(user, school: School | None) -> str:
    if school is not None and school.reviewing_unit.parent_id:
        return school.reviewing_unit.parent.name
    unit = selectors.units_overseen_by(user).select_related("parent").first()
    return unit.parent.name if unit is not None and unit.parent else ""


@login_required
@require_http_methods(["GET", "POST"])
def certificate_create(request):
    require(request.user, "certificate.record")
    school = None
    school_id = _int(request.GET.get("school"))
    if school_id:
        school = get_object_or_404(schools_visible_to(request.user), pk=school_id)
        require(request.user, "certificate.record", school)
    return _certificate_form(request, certificate=None, school=school)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_update(request, pk: int):
    certificate = get_object_or_404(selectors.certificates_visible_to(request.user), pk=pk)
    require(request.user, "certificate.record", certificate)
    return _certificate_form(request, certificate=certificate, school=certificate.school)

