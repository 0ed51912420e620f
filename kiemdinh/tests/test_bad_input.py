"""Bad input never breaks the app (issue #8, item 3): property-based tests with hypothesis.

Hostile values (random Unicode with NUL, RTL overrides, emoji and combining marks; 100 000-character
texts; dates such as 31/02/2024, 2024-13-01, 0000-00-00, 0001-01-01 and 9999-12-31; negative and
huge numbers; repeated names and missing fields; files that lie about their type, empty files, zip
bombs, workbooks with one bad row) are posted through the whole stack by a logged-in client that
holds a CSRF token, and three properties are checked on every answer:

1. never a 500;
2. a refusal shows at least one message, every message is Vietnamese (once the person's own input
   echoed in it is taken out), on a page whose language is vi;
3. a refusal changes nothing: every row of the models the endpoint writes (and the audit log, and
   the stored files for uploads) is the same before and after.

Every form class is also validated on its own (fast, many examples): is_valid() never raises and
its errors are Vietnamese. Strategies and helpers live in ``kiemdinh/tests/badinput/``; the shared
test data (conftest's personas plus every app's URL-matrix objects) is built once per module and
each example runs in a savepoint rolled back afterwards. ``BADINPUT_SCALE=10`` multiplies the
examples for a long hunt by hand.

Inventory (F: the form-level test; E: an endpoint test; I: an import test; -: takes no data)

=================  =====================================================================  ======
App                Forms and formsets (``<app>/forms.py``)                                 Tests
=================  =====================================================================  ======
schools            LoginForm, PasswordResetRequestForm, SchoolForm, SchoolImportForm,     F
                   ProfileForm, AccountForm, MembershipForm
evidence           EvidenceForm (create, edit), CriterionPickForm                         F
standards          CatalogUploadForm, ScheduleForm                                        F
exports            VerifyForm, DossierForm, SummaryForm                                   F
notifications      EmailPreferencesForm                                                   F
reviews            ReturnForm, AcceptForm, AssignForm, UnlockRequestForm,                 F
                   UnlockDecisionForm, ThreadForm, ReplyForm, CriterionReviewForm,
                   CompareForm, UnitSettingsForm
selfassessment     ReportCreateForm, PassageForm, VerdictForm, ImprovementActionForm,     F
                   ImprovementActionFormSet, TokenForm, CouncilDecisionForm,
                   CouncilMemberForm, MemberAccountForm, WorkingGroupForm, PlanStepForm,
                   PlanStepFormSet, PlanResourcesForm, DataTableForm, FactsForm,
                   RegulationChangeForm; tracking/forms.py: StatusChangeForm, TrackingForm,
                   ProgressNoteForm; forms_plan57.py (TT57 Biểu 2): Plan57SectionsForm,
                   Plan57IssueForm, Plan57ActionForm, Plan57StatusForm, Plan57CheckForm,
                   Plan57PointForm, Plan57DeleteForm, Plan57MoveForm
evaluations        PlanForm, PlanSchoolsForm, PlanEntryForm, RoundForm, RoundSchoolsForm, F
                   MilestoneForm, RegistrationChoiceForm, DeadlineForm, DeadlineSetupForm,
                   EvaluationForm, TeamMemberForm, TeamFormSet, ResultsForm,
                   RecommendationForm, CertificateForm, EvaluationStartForm,
                   PeriodicReportForm, PeriodicReasonForm, PeriodicAcceptForm,
                   DeadlineAddForm, DeadlineRemoveForm, Facilities57Form, Recognition57Form
=================  =====================================================================  ======

``test_the_form_table_covers_every_form_class`` fails when a form class is added without a row in
``FORMS``.

=================  =====================================================================  ======
App                POST endpoints taking user data (url name)                             Tests
=================  =====================================================================  ======
project            login, password_reset                                                  E
                   password_change (a too-short new password)                             E
                   set_language, logout                                                   -
schools            school_create, school_update, account_create, account_detail,          E
                   account_membership_add, profile
                   school_import (XLSX upload: wrong types, zip bomb, row limit, bad row) I
                   account_membership_deactivate, account_send_password_link              -
evidence           evidence_create, evidence_update (uploads: .exe as .pdf, HTML as       E
                   .png, empty, random bytes, RTL names), evidence_share, evidence_move
                   evidence_unshare, evidence_archive, evidence_restore, evidence_delete, -
                   evidence_renumber
standards          catalog_import (JSON and XLSX: malformed, deep, huge, zip bomb)        I
                   catalog_import_confirm, catalog_import_discard                         -
                   regulation_schedule (GET ScheduleForm)                                 F
selfassessment     report_create, report_regulation_change, report_facts_update,          E
                   passage_save (autosave JSON and plain post), indicator_verdict_set,
                   level4_verdict_set (autosave JSON), data_table_save,
                   improvement_actions_save, council_update, council_member_create,
                   working_group_create, plan_save, improvement_action_status,
                   improvement_action_update, improvement_progress_add
                   level4_actions_save, council_member_update, council_member_account,    F
                   working_group_update, passage_restore (same forms as above)
                   passage_mark_reviewed, council_member_delete, working_group_delete     -
reviews            report_return, thread_create, comment_create, report_unlock_request,   E
                   report_assign, unit_settings, unlock_refuse, version_compare (GET)
                   report_accept, unlock_grant, criterion_review_set (same forms)         F
                   report_submit, report_withdraw, report_start_review, report_forward,   -
                   report_close, thread_resolve, thread_reopen
evaluations        plan_create, plan_update, plan_schools_add, plan_entry_update,         E
                   round_create, round_update, round_schools_add, milestone_create,
                   milestone_complete, deadline_update, deadline_setup,
                   evaluation_update, evaluation_team, evaluation_results,
                   recommendation_add, certificate_create, periodic_report_save,
                   periodic_report_return, deadline_add, facilities57_set,
                   recognition57_create
                   milestone_update, milestone_reopen, certificate_update,                F
                   evaluation_create, periodic_report_accept (same forms as above)
                   plan_entry_remove, round_registration_remove, milestone_defaults,      -
                   milestone_delete, evaluation_start, evaluation_complete,
                   evaluation_reopen, recommendation_delete, recommendation_adopt,
                   periodic_report_open, _submit, _withdraw, _start_review, _unlock,
                   deadline_remove (revision only)
exports            dossier_build, district_summary_request, verify (GET),                 E
                   district_summary_download (GET)
                   job_retry                                                              -
notifications      email_preferences                                                      E
                   notification_open, notification_mark_all_read                         -
=================  =====================================================================  ======

Requests refused before any view runs (too many fields, a body past 10 MB, a stale CSRF token) get the
project's Vietnamese 400 and 403 pages (kiemdinh.views.bad_request, csrf_failure): tested at the end.
"""

from __future__ import annotations

import json
import os
import re

import lxml.html
import pytest
from django.forms.formsets import BaseFormSet
from django.http import QueryDict
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evidence.tests import samples
from kiemdinh.tests.badinput import checks, files, world
from kiemdinh.tests.badinput.checks import assert_form_errors_vietnamese, is_vietnamese, posted_strings
from kiemdinh.tests.badinput.endpoints import CSRF_SECRET, Endpoint, Ref, Upload, check_post, client_for, pk
from kiemdinh.tests.badinput.strategies import form_data, hostile_value, nasty_text
from schools import importers
from selfassessment.services import actions_token, plan_token

# BADINPUT_SCALE=10 multiplies the examples, for a long hunt by hand (the suite runs with 1).
SCALE = int(os.environ.get("BADINPUT_SCALE", "1"))
settings.register_profile(
    "badinput",
    max_examples=25 * SCALE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("badinput")
# Posting through the whole stack costs 30–150 ms an example: fewer examples per endpoint (the module
# takes about 2 minutes on SQLite on a 2-core machine).
ENDPOINT = settings(PROFILE, max_examples=20 * SCALE)


@pytest.fixture
def ctx(matrix_world, db, settings):
    """The shared objects (conftest.py's ``matrix_world``: built once per module, rolled back after it)."""
    settings.MEDIA_ROOT = matrix_world["media_root"]
    matrix_world["clients"] = {}
    return matrix_world


def endpoint_test(endpoint: Endpoint, *examples: dict, strategy=None):
    """A test posting generated data to ``endpoint``; ``examples`` are posts that once found a bug."""

    @ENDPOINT
    @given(data=strategy if strategy is not None else form_data(endpoint.valid))
    def test(ctx, data):
        check_post(ctx, endpoint, data)

    for data in examples:
        test = example(data=data)(test)
    test.__doc__ = f"{endpoint.url_name} as {endpoint.persona}: never a 500, refusals in Vietnamese, nothing half-saved."
    return test


# --- accounts and schools ------------------------------------------------------------------------

test_login = endpoint_test(
    Endpoint("login", "anonymous", {"username": "principal_a", "password": "Sai-mat-khau-1"}, ("schools.User",),
             accepted=lambda response: response.status_code == 302),
)
test_password_reset = endpoint_test(
    Endpoint("password_reset", "anonymous", {"email": "principal_a@example.vn"}, ("schools.User",),
             accepted=lambda response: response.status_code == 302),
)

SCHOOL = {
    "code": "A-TH-99", "name": "Trường Tiểu học Thử", "former_names": "", "level": "th", "ownership": "public",
    "reviewing_unit": pk("district"), "founding_year": "1990", "address": "Số 1", "ward": "Kim Liên",
    "phone": "024 3852 0000", "email": "c1@hanoiedu.vn", "website": "", "principal_name": "Nguyễn Thị Lan",
    "sites_count": "1", "is_difficult_area": "", "is_especially_difficult_area": "", "status": "active",
    "merged_into": "",
}
SCHOOL_MODELS = ("schools.School", "audit.Event")
test_school_create = endpoint_test(
    Endpoint("schools:school_create", "reviewer", SCHOOL, SCHOOL_MODELS),
    {**SCHOOL, "founding_year": "0"},  # was Django's English "Constraint … is violated"
    {**SCHOOL, "sites_count": "0"},
)
test_school_update = endpoint_test(
    Endpoint("schools:school_update", "reviewer", {**SCHOOL, "code": "A-THCS-01", "revision": "0"}, SCHOOL_MODELS,
             kwargs=lambda ctx: {"pk": ctx["school_a"].pk}),
)
ACCOUNT_MODELS = ("schools.User", "schools.Membership", "audit.Event")
ROLE = {"role-role": "school_staff", "role-school": pk("school_a"), "role-organisation": "", "role-title": "Giáo viên"}
test_account_create = endpoint_test(
    Endpoint("schools:account_create", "reviewer",
             {"account-username": "gv.moi", "account-full_name": "Trần Thị Mới", "account-email": "moi@example.vn",
              "account-phone": "0912345678", "account-position": "Giáo viên", **ROLE}, ACCOUNT_MODELS),
)
test_account_membership_add = endpoint_test(
    Endpoint("schools:account_membership_add", "reviewer", {**ROLE, "role-school": pk("school_b")}, ACCOUNT_MODELS,
             kwargs=lambda ctx: {"pk": ctx["staff_a"].pk}),
)
test_account_detail = endpoint_test(
    Endpoint("schools:account_detail", "reviewer",
             {"account-username": "staff_a", "account-full_name": "Cán bộ A", "account-email": "staff_a@example.vn",
              "account-phone": "", "account-position": "Giáo viên", "account-is_active": "on", "account-revision": "0"},
             ACCOUNT_MODELS,
             kwargs=lambda ctx: {"pk": ctx["staff_a"].pk}),
)
test_profile = endpoint_test(
    Endpoint("schools:profile", "principal_a",
             {"full_name": "Nguyễn Văn A", "email": "a@example.vn", "phone": "0912", "position": "Hiệu trưởng",
              "revision": "0"},
             ("schools.User",)),
)

def test_a_too_short_new_password_is_refused_in_vietnamese(ctx):
    data = {"old_password": "Secret-pass-123", "new_password1": "Ng4n!", "new_password2": "Ng4n!"}
    seen = check_post(ctx, Endpoint("password_change", "principal_a", data, ("schools.User",)), data)
    assert not seen.accepted


# --- evidence -------------------------------------------------------------------------------------

EVIDENCE = {
    "name": "Biên bản họp Hội đồng trường", "issued_number": "15/BB-THCS", "issued_on": "05/09/2024",
    "issued_period": "", "issuer": "Trường THCS A", "box": "1", "note": "", "valid_until": "", "link": "",
}
EVIDENCE_MODELS = ("evidence.Evidence", "audit.Event")


def _criterion_pk(number):
    return Ref(lambda ctx: ctx["evidence_criteria"][number].pk)


def with_upload(valid: dict, extension: str = "pdf"):
    """A post of the evidence form with a hostile file, a valid file or none."""
    good = Upload("Biên bản.pdf", samples.pdf())
    upload = st.one_of(files.wrong_files(extension).map(lambda f: Upload(*f)), st.just(good), st.just(None))
    return st.tuples(form_data(valid), upload).map(lambda t: {**t[0], **({"upload": t[1]} if t[1] else {})})


EVIDENCE_CREATE = Endpoint("evidence:evidence_create", "staff_a", {**EVIDENCE, "criterion": _criterion_pk("1.1")},
                           EVIDENCE_MODELS, kwargs=lambda ctx: {"school_pk": ctx["school_a"].pk}, media=True)
test_evidence_create = endpoint_test(
    EVIDENCE_CREATE,
    {**EVIDENCE_CREATE.valid, "box": "0"},
    {**EVIDENCE_CREATE.valid, "upload": Upload("bao-cao.pdf", files.EXE)},
    {**EVIDENCE_CREATE.valid, "upload": Upload("anh.png", files.HTML)},
    {**EVIDENCE_CREATE.valid, "upload": Upload("rong.pdf", b"")},
    strategy=with_upload(EVIDENCE_CREATE.valid),
)
EVIDENCE_UPDATE = Endpoint("evidence:evidence_update", "staff_a",
                           {**EVIDENCE, "version": Ref(lambda ctx: ctx["evidence_staff_item"].version)},
                           EVIDENCE_MODELS, kwargs=lambda ctx: {"pk": ctx["evidence_staff_item"].pk}, media=True)
test_evidence_update = endpoint_test(EVIDENCE_UPDATE, strategy=with_upload(EVIDENCE_UPDATE.valid))
test_evidence_share = endpoint_test(
    Endpoint("evidence:evidence_share", "staff_a", {"criterion": _criterion_pk("1.2")}, EVIDENCE_MODELS,
             kwargs=lambda ctx: {"pk": ctx["evidence_item"].pk}),
)
test_evidence_move = endpoint_test(
    Endpoint("evidence:evidence_move", "principal_a", {"criterion": _criterion_pk("1.2")}, EVIDENCE_MODELS,
             kwargs=lambda ctx: {"pk": ctx["evidence_staff_item"].pk}),
)

# --- self-assessment --------------------------------------------------------------------------------

REPORT_MODELS = (
    "selfassessment.Report", "selfassessment.Passage", "selfassessment.PassageRevision",
    "selfassessment.IndicatorVerdict", "selfassessment.CriterionAssessment", "selfassessment.ImprovementAction",
    "selfassessment.CouncilMember", "selfassessment.WorkingGroup", "selfassessment.PlanResource",
    "selfassessment.PlanStep", "selfassessment.DataTable", "audit.Event",
)


def _report(ctx, **extra):
    return {"pk": ctx["report"].pk, **extra}


test_report_create = endpoint_test(
    Endpoint("selfassessment:report_create", "principal_a",
             {"school": pk("school_a"), "school_year": pk("school_year"), "kind": "periodic", "copy_previous": ""},
             REPORT_MODELS),
    {"school": "", "school_year": pk("school_year"), "kind": "periodic"},  # the school is a hidden field: was silent
)
test_report_regulation_change = endpoint_test(
    Endpoint("selfassessment:report_regulation_change", "sysadmin",
             {"version": Ref(lambda ctx: ctx["report"].regulation_version_id)}, REPORT_MODELS, kwargs=_report),
)
test_passage_autosave = endpoint_test(
    Endpoint("selfassessment:passage_save", "principal_a", {"text": "Nội dung mới", "revision": "1"}, REPORT_MODELS,
             json=True, kwargs=lambda ctx: _report(ctx, passage_pk=ctx["passage"].pk)),
)
test_passage_save_without_script = endpoint_test(
    Endpoint("selfassessment:passage_save", "principal_a", {"text": "Nội dung mới", "revision": "1"}, REPORT_MODELS,
             kwargs=lambda ctx: _report(ctx, passage_pk=ctx["passage"].pk)),
)
test_indicator_verdict_autosave = endpoint_test(
    Endpoint("selfassessment:indicator_verdict_set", "principal_a", {"met": "dat", "expected": ""}, REPORT_MODELS,
             json=True, kwargs=lambda ctx: _report(ctx, indicator_pk=ctx["indicator"].pk)),
)
test_level4_verdict_autosave = endpoint_test(
    Endpoint("selfassessment:level4_verdict_set", "principal_a", {"met": "dat", "expected": "any"}, REPORT_MODELS,
             json=True, kwargs=lambda ctx: _report(ctx, requirement_pk=ctx["requirement"].pk)),
)
TABLE = {f"c__grade_{g}__{y}": str(40 + g) for g in (6, 7) for y in ("2013-2014", "2016-2017")}
test_data_table_save = endpoint_test(
    Endpoint("selfassessment:data_table_save", "principal_a", {"revision": "0", **TABLE}, REPORT_MODELS,
             kwargs=lambda ctx: _report(ctx, key="classes")),
)
test_report_facts_update = endpoint_test(
    Endpoint("selfassessment:report_facts_update", "principal_a", {"completed_cohorts": "3"}, REPORT_MODELS,
             kwargs=_report),
)
ACTIONS = {
    "token": Ref(lambda ctx: actions_token([])), "actions-TOTAL_FORMS": "2", "actions-INITIAL_FORMS": "0",
    "actions-MIN_NUM_FORMS": "0", "actions-MAX_NUM_FORMS": "50",
    "actions-0-action": "Bồi dưỡng giáo viên", "actions-0-responsible": "Hiệu trưởng",
    "actions-0-start_on": "01/10/2024", "actions-0-due_on": "2025-05-31", "actions-0-resources": "Ngân sách",
    "actions-0-expected_result": "100% giáo viên", "actions-1-action": "Sửa phòng học", "actions-1-id": "",
}
test_improvement_actions_save = endpoint_test(
    Endpoint("selfassessment:improvement_actions_save", "principal_a", ACTIONS, REPORT_MODELS,
             kwargs=lambda ctx: _report(ctx, criterion_pk=ctx["criterion"].pk)),
    {},  # no management form: was Django's English "ManagementForm data is missing"
    {**ACTIONS, "actions-TOTAL_FORMS": "51"},
)
test_council_update = endpoint_test(
    Endpoint("selfassessment:council_update", "principal_a",
             {"decision_number": "12/QĐ-THCS", "decision_date": "15/09/2024"}, REPORT_MODELS, kwargs=_report),
)
test_council_member_create = endpoint_test(
    Endpoint("selfassessment:council_member_create", "principal_a",
             {"full_name": "Lê Thị Hoa", "title": "Phó Hiệu trưởng", "role": "vice_chair", "duty": "Phụ trách tiêu chuẩn 2",
              "in_secretary_group": "", "user": "", "token": ""}, REPORT_MODELS, kwargs=_report),
)
test_working_group_create = endpoint_test(
    Endpoint("selfassessment:working_group_create", "principal_a",
             {"name": "Nhóm 2", "leader": pk("member"), "members": [pk("member")],
              "criteria": [Ref(lambda ctx: ctx["criterion"].pk)], "token": ""}, REPORT_MODELS, kwargs=_report),
    {"name": "Nhóm 2", "criteria": "9223372036854775816"},  # was OverflowError (a 500) on SQLite
    {"name": "Nhóm 2", "criteria": ""},  # was an English message the page did not even show
)
test_plan_save = endpoint_test(
    Endpoint("selfassessment:plan_save", "principal_a",
             {"token": Ref(lambda ctx: plan_token(ctx["report"])), "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
              "steps-0-week": "1", "steps-0-activity": "Họp Hội đồng", "steps-0-responsible": "Hiệu trưởng",
              "r_{c}": "Kinh phí 5 triệu", "w_{c}": "Tháng 10"}, REPORT_MODELS,
             kwargs=_report, names=lambda ctx: {"c": ctx["criterion"].pk}),
)

# Improvement-plan tracking (kế hoạch cải tiến chất lượng): status, details, dated progress notes.
TRACKING_MODELS = ("selfassessment.ImprovementAction", "selfassessment.ImprovementProgress", "audit.Event")


def _action(ctx):
    return {"action_pk": ctx["action"].pk}


def _action_revision():
    return Ref(lambda ctx: type(ctx["action"]).objects.get(pk=ctx["action"].pk).revision)


test_improvement_action_status = endpoint_test(
    Endpoint("selfassessment:improvement_action_status", "principal_a",
             {"status": "done", "revision": _action_revision(), "reason": "", "done_on": "10/05/2018"},
             TRACKING_MODELS, kwargs=_action),
)
test_improvement_action_update = endpoint_test(
    Endpoint("selfassessment:improvement_action_update", "principal_a",
             {"revision": _action_revision(), "responsible": "Phó Hiệu trưởng", "start_on": "01/10/2017",
              "due_on": "2018-05-31", "resources": "", "expected_result": ""}, TRACKING_MODELS, kwargs=_action),
)
test_improvement_progress_add = endpoint_test(
    Endpoint("selfassessment:improvement_progress_add", "principal_a",
             {"date": "10/01/2018", "text": "Đã bồi dưỡng", "evidence_codes": "H1-1.1-01; H1-1.1-02"},
             TRACKING_MODELS, kwargs=_action),
)

# --- district review ----------------------------------------------------------------------------------

REVIEW_MODELS = (
    "selfassessment.Report", "reviews.ReviewState", "reviews.ReportVersion", "reviews.ReviewAssignment",
    "reviews.CommentThread", "reviews.Comment", "reviews.UnlockRequest", "schools.Organisation", "audit.Event",
    "notifications.Notification",
)


def _review(ctx):
    return {"pk": ctx["review_report"].pk}


test_report_return = endpoint_test(
    Endpoint("reviews:report_return", "reviewer", {"reason": "Cần bổ sung minh chứng cho tiêu chí 1.1"}, REVIEW_MODELS,
             kwargs=_review),
)
test_thread_create = endpoint_test(
    Endpoint("reviews:thread_create", "reviewer",
             {"text": "Bổ sung số liệu", "version": "1", "criterion": pk("review_criterion"), "passage_key": "",
              "quote": "Đoạn trích"}, REVIEW_MODELS, kwargs=_review),
    {"text": "Bổ sung", "version": "1", "criterion": "31/02/2024"},  # a hidden field: was refused silently
)
test_comment_create = endpoint_test(
    Endpoint("reviews:comment_create", "reviewer", {"text": "Đã xem", "next": "version"}, REVIEW_MODELS,
             kwargs=lambda ctx: {"pk": ctx["review_thread"].pk}),
)
test_report_unlock_request = endpoint_test(
    Endpoint("reviews:report_unlock_request", "principal_a", {"reason": "Sửa số liệu Phần I"}, REVIEW_MODELS,
             kwargs=_review),
)
test_unlock_refuse = endpoint_test(
    Endpoint("reviews:unlock_refuse", "reviewer", {"note": "Không đủ căn cứ"}, REVIEW_MODELS,
             kwargs=lambda ctx: {"pk": ctx["review_unlock"].pk}),
)
test_report_assign = endpoint_test(
    Endpoint("reviews:report_assign", "head", {"reviewer": pk("reviewer")}, REVIEW_MODELS, kwargs=_review),
)
test_unit_settings = endpoint_test(
    Endpoint("reviews:unit_settings", "head", {"requires_head_approval": "on"}, REVIEW_MODELS,
             kwargs=lambda ctx: {"pk": ctx["district"].pk}),
)
test_version_compare = endpoint_test(
    Endpoint("reviews:version_compare", "reviewer", {"a": "1", "b": "1", "changed_only": "on"}, (), method="get",
             kwargs=_review),
)

# --- evaluations ----------------------------------------------------------------------------------------

EVALUATION_MODELS = (
    "evaluations.AccreditationPlan", "evaluations.PlanTarget", "evaluations.PlannedSchool",
    "evaluations.EvaluationRound", "evaluations.RoundRegistration", "evaluations.Milestone",
    "evaluations.MilestoneCompletion", "evaluations.ReportingDeadline", "evaluations.ExternalEvaluation",
    "evaluations.TeamMember", "evaluations.CriterionResult", "evaluations.Recommendation", "evaluations.Certificate",
    "evaluations.Facilities57", "evaluations.Recognition57", "audit.Event",
)


def revision_of(name):
    return Ref(lambda ctx: type(ctx[name]).objects.get(pk=ctx[name].pk).revision)


PLAN = {"title": "Kế hoạch kiểm định 2025", "document_number": "150/KH-PGDĐT", "document_date": "10/01/2025",
        "note": "", "target_thcs": "2"}
test_plan_create = endpoint_test(
    Endpoint("evaluations:plan_create", "reviewer", {**PLAN, "unit": pk("district"), "year": "2025"},
             EVALUATION_MODELS),
)
test_plan_update = endpoint_test(
    Endpoint("evaluations:plan_update", "reviewer", {**PLAN, "revision": revision_of("eval_plan")}, EVALUATION_MODELS,
             kwargs=lambda ctx: {"pk": ctx["eval_plan"].pk}),
    {**PLAN, "revision": "-1"},  # a hidden field: was refused silently
)
test_plan_schools_add = endpoint_test(
    Endpoint("evaluations:plan_schools_add", "reviewer",
             {"schools": [pk("school_b")], "purpose": "first", "target_accreditation_level": "2",
              "target_national_standard": ""}, EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_plan"].pk}),
    {"schools": "9223372036854775808", "purpose": "first"},  # was OverflowError (a 500) on SQLite
)
test_plan_entry_update = endpoint_test(
    Endpoint("evaluations:plan_entry_update", "reviewer",
             {"purpose": "first", "target_accreditation_level": "2", "target_national_standard": "1", "note": ""},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_entry"].pk}),
)
test_round_create = endpoint_test(
    Endpoint("evaluations:round_create", "reviewer",
             {"unit": pk("district"), "year": "2028", "number": "1", "dossier_date": "09/01/2028",
              "with_default_schedule": "on", "note": "", "revision": ""}, EVALUATION_MODELS),
)
test_round_update = endpoint_test(
    Endpoint("evaluations:round_update", "reviewer",
             {"dossier_date": "10/01/2027", "note": "Đợt 1", "revision": revision_of("eval_round")}, EVALUATION_MODELS,
             kwargs=lambda ctx: {"pk": ctx["eval_round"].pk}),
)
test_round_schools_add = endpoint_test(
    Endpoint("evaluations:round_schools_add", "reviewer", {"schools": [pk("school_b")]}, EVALUATION_MODELS,
             kwargs=lambda ctx: {"pk": ctx["eval_round"].pk}),
)
test_milestone_create = endpoint_test(
    Endpoint("evaluations:milestone_create", "reviewer",
             {"owner": "school", "title": "Nộp hồ sơ", "due_date": "20/02/2027", "description": ""},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_round"].pk}),
)
test_milestone_complete = endpoint_test(
    Endpoint("evaluations:milestone_complete", "reviewer", {"registration": pk("eval_registration")},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_school_milestone"].pk}),
)
test_deadline_update = endpoint_test(
    Endpoint("evaluations:deadline_update", "reviewer",
             {"due_date": "15/01/2027", "note": "Hạn học kỳ I", "revision": revision_of("eval_deadline")},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_deadline"].pk}),
)
test_deadline_add = endpoint_test(
    Endpoint("evaluations:deadline_add", "reviewer", {"period": "monitoring_semester1", "due_date": "15/01/2027",
                                                      "note": "Rà soát Biểu 2"}, EVALUATION_MODELS,
             kwargs=lambda ctx: {"unit_pk": ctx["district"].pk, "year": ctx["eval_year"].code}),
)
test_facilities57_set = endpoint_test(
    Endpoint("evaluations:facilities57_set", "officer", {"degree": "1", "note": "Đủ phòng học bộ môn", "revision": "0"},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["school_a"].pk}),
)
test_recognition57_create = endpoint_test(
    Endpoint("evaluations:recognition57_create", "officer",
             {"decision_number": "15/QĐ-SGDĐT", "decision_date": "20/11/2026", "issuing_body": "Sở GD&ĐT",
              "degree": "1", "confirmed": "on", "conditions_note": "Hồ sơ lưu tại Sở", "note": ""},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["school_a"].pk}),
)
test_deadline_setup = endpoint_test(
    Endpoint("evaluations:deadline_setup", "reviewer", {"unit": pk("district"), "school_year": pk("school_year")},
             EVALUATION_MODELS),
)
STEP_DATES = ["team_decision_date", "dossier_study_date", "preliminary_visit_date", "visit_start", "visit_end",
              "draft_report_date", "school_feedback_date", "final_report_date"]
test_evaluation_update = endpoint_test(
    Endpoint("evaluations:evaluation_update", "reviewer",
             {"team_decision_number": "5/QĐ-SGDĐT", **{name: f"{10 + i:02d}/03/2027" for i, name in enumerate(STEP_DATES)},
              "strengths": "Cơ sở vật chất tốt", "weaknesses": "", "proposed_accreditation_level": "2",
              "proposed_national_standard": "1", "revision": revision_of("eval_evaluation")},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_evaluation"].pk}),
)
TEAM = {"team-TOTAL_FORMS": "9", "team-INITIAL_FORMS": "0", "team-MIN_NUM_FORMS": "9", "team-MAX_NUM_FORMS": "9",
        "team-0-full_name": "Nguyễn Văn Trưởng", "team-0-role": "leader", "team-0-workplace": "Sở GD&ĐT",
        "team-0-position": "Chuyên viên", "team-1-full_name": "Lê Thư Ký", "team-1-role": "secretary",
        **{f"team-{i}-role": "member" for i in range(2, 9)}}
test_evaluation_team = endpoint_test(
    Endpoint("evaluations:evaluation_team", "reviewer", {**TEAM, "revision": revision_of("eval_evaluation")},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_evaluation"].pk}),
    # The page shows only the names' errors: these two were refused without a word.
    {**TEAM, "team-0-workplace": "Sở GD&ĐT " * 30},
    {**TEAM, "team-1-role": "-2147483649"},
)
test_evaluation_results = endpoint_test(
    Endpoint("evaluations:evaluation_results", "reviewer",
             {"level_{c}": "2", "self_{c}": "2", "note_{c}": "Đạt", "revision": revision_of("eval_evaluation")},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_evaluation"].pk},
             names=lambda ctx: {"c": ctx["eval_recommendation"].criterion_id}),
)
test_recommendation_add = endpoint_test(
    Endpoint("evaluations:recommendation_add", "reviewer",
             {"criterion": Ref(lambda ctx: ctx["eval_recommendation"].criterion_id), "text": "Tăng cường bồi dưỡng"},
             EVALUATION_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_evaluation"].pk}),
)
PERIODIC_MODELS = ("evaluations.PeriodicReport", "evaluations.PeriodicProgress", "audit.Event",
                   "notifications.Notification")
test_periodic_report_save = endpoint_test(
    Endpoint("evaluations:periodic_report_save", "principal_a",
             {"summary": "Tóm tắt kết quả", "revision": revision_of("eval_periodic")}, PERIODIC_MODELS,
             kwargs=lambda ctx: {"pk": ctx["eval_periodic"].pk}),
)
test_periodic_report_return = endpoint_test(
    Endpoint("evaluations:periodic_report_return", "reviewer", {"reason": "Bổ sung tiến độ biện pháp 2"},
             PERIODIC_MODELS, kwargs=lambda ctx: {"pk": ctx["eval_periodic_review"].pk}),
)
test_certificate_create = endpoint_test(
    Endpoint("evaluations:certificate_create", "reviewer",
             {"school": pk("school_b"), "decision_number": "1234/QĐ-SGDĐT", "decision_date": "12/06/2024",
              "issuing_body": "Sở GD&ĐT", "accreditation_level": "2", "national_standard_level": "1", "evaluation": "",
              "note": "", "revision": ""}, EVALUATION_MODELS),
)

# --- exports and notifications ---------------------------------------------------------------------------

test_verify = endpoint_test(Endpoint("exports:verify", "reviewer", {"code": "3f9a1c0b7d2e4a61"}, (), method="get"))
test_district_summary_download = endpoint_test(
    Endpoint("exports:district_summary_download", "reviewer",
             {"unit": pk("district"), "school_year": pk("school_year"), "kind": "periodic"}, (), method="get"),
)
test_district_summary_request = endpoint_test(
    Endpoint("exports:district_summary_request", "reviewer",
             {"unit": pk("district"), "school_year": pk("school_year"), "kind": "periodic"},
             ("exports.ExportJob", "audit.Event"), accepted=lambda response: response.status_code == 302),
)
test_dossier_build = endpoint_test(
    Endpoint("exports:dossier_build", "reviewer", {"include_files": "on"}, ("exports.ExportJob", "audit.Event"),
             kwargs=lambda ctx: {"pk": ctx["export_round"].pk}),
)
test_email_preferences = endpoint_test(
    Endpoint("notifications:email_preferences", "principal_a", {"muted": ["general"]}, ("notifications.EmailMute",)),
)

# --- imports: all or nothing --------------------------------------------------------------------------

XLSX_SAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl (and Excel) cannot store


def _cell(value):
    return XLSX_SAFE.sub("", value) if isinstance(value, str) else value


def school_row(n: int) -> dict:
    return {"code": f"A-TH-{n:03d}", "name": f"Trường Tiểu học Số {n}", "level": "Tiểu học", "reviewing_unit": "pgd-a",
            "founding_year": 1990, "sites_count": 1, "is_difficult_area": "không", "email": f"th{n}@hanoiedu.vn"}


# Values that make a row wrong whatever the rest of it holds.
BAD_SCHOOL_CELLS = st.one_of(
    st.tuples(st.just("code"), st.sampled_from(["", "X" * 31, "   "])),
    st.tuples(st.just("name"), st.sampled_from(["", "  "])),
    st.tuples(st.just("level"), st.one_of(st.sampled_from(["Đại học", "12", "", "mầm"]), st.just(-1))),
    st.tuples(st.just("founding_year"), st.sampled_from(["năm ngoái", -5, 0, 1799, 2101, 10**30, "1e5", 1965.5])),
    st.tuples(st.just("sites_count"), st.sampled_from([0, -2, "hai", 1.5, 10**30, "1e3"])),
    st.tuples(st.just("is_difficult_area"), st.sampled_from(["có lẽ", "maybe", 2, "\u202ecó"])),
    st.tuples(st.just("ownership"), st.sampled_from(["quốc tế", "x"])),
    st.tuples(st.just("email"), st.sampled_from(["khong-phai-email", "a@", "@b.vn"])),
    st.tuples(st.just("reviewing_unit"), st.sampled_from(["pgd-khong-co", "pgd-b", "so-test"])),
    st.tuples(st.just("website"), st.sampled_from(["javascript:alert(1)", "http://", "ftp//x"])),
)
ANY_CELL = st.tuples(st.sampled_from([c.key for c in importers.COLUMNS]), st.one_of(hostile_value, st.integers(), st.floats()))


@st.composite
def school_workbook_with_a_bad_row(draw):
    """(file name, content, sheet row of the bad row): good rows around one wrong row."""
    count = draw(st.integers(1, 6))
    rows = [school_row(n) for n in range(count)]
    bad = draw(st.integers(0, count - 1))
    key, value = draw(BAD_SCHOOL_CELLS)
    rows[bad][key] = value
    for _ in range(draw(st.integers(0, 2))):  # hostile values elsewhere, which may or may not be valid
        other_key, other = draw(ANY_CELL)
        if other_key != key and not isinstance(other, list):
            rows[draw(st.integers(0, count - 1))][other_key] = other
    table = [[_cell(row.get(c.key, "")) for c in importers.COLUMNS] for row in rows]
    return "danh-sach.xlsx", files.workbook(table, headers=[c.header for c in importers.COLUMNS]), bad + 2


SCHOOL_IMPORT = Endpoint("schools:school_import", "reviewer", {}, ("schools.School", "schools.Organisation", "audit.Event"))


@ENDPOINT
@given(case=school_workbook_with_a_bad_row())
def test_school_import_a_bad_row_saves_nothing_and_names_the_row(ctx, case):
    name, content, bad_row = case
    seen = check_post(ctx, SCHOOL_IMPORT, {"file": Upload(name, content)})
    assert not seen.accepted, seen.describe()
    assert any(row[0] == str(bad_row) for row in seen.import_rows), (bad_row, seen.import_rows)


@ENDPOINT
@given(upload=files.wrong_files("xlsx"))
@example(upload=("bomb.xlsx", files.zip_bomb_xlsx))
@example(upload=("danh-sach.xlsx", files.truncated(files.workbook([["Mã trường"]]))))
def test_school_import_refuses_files_that_are_not_the_template(ctx, upload):
    seen = check_post(ctx, SCHOOL_IMPORT, {"file": Upload(*upload)})
    assert not seen.accepted, seen.describe()


def _never_inflate(*args, **kwargs):
    raise AssertionError("the workbook was opened: a zip bomb must be refused from its declared sizes")


def test_school_import_refuses_a_zip_bomb_without_inflating_it(ctx, monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", _never_inflate)
    seen = check_post(ctx, SCHOOL_IMPORT, {"file": Upload("bomb.xlsx", files.zip_bomb_xlsx)})
    assert not seen.accepted and any("quá lớn" in e for e in seen.errors), seen.describe()


def test_school_import_refuses_more_rows_than_a_district_has(ctx):
    rows = [[_cell(school_row(n).get(c.key, "")) for c in importers.COLUMNS] for n in range(importers.MAX_ROWS + 1)]
    content = files.workbook(rows, headers=[c.header for c in importers.COLUMNS])
    seen = check_post(ctx, SCHOOL_IMPORT, {"file": Upload("danh-sach.xlsx", content)})
    assert not seen.accepted and any(str(importers.MAX_ROWS) in e for e in seen.errors), seen.describe()


TINY_CATALOG = {
    "code": "BAD/2018",
    "catalog": {"family": "2018", "status": "current", "level_count": 3, "verification_status": "secondary_source"},
    "title": "Bộ tiêu chuẩn thử", "effective": "2018-10-10", "school_levels": ["lower_secondary"],
    "standards": [{"number": 1, "title": "Tiêu chuẩn", "criteria": [
        {"number": "1.1", "title": "Tiêu chí", "applies_to": None,
         "levels": {"1": [{"key": "a", "text": "Chỉ báo"}], "2": [], "3": []}},
        {"number": "1.2", "title": "Tiêu chí hai", "applies_to": None,
         "levels": {"1": [{"key": "a", "text": "Chỉ báo"}], "2": [], "3": []}},
    ]}],
}
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(nasty_text, inner, max_size=3)),
    max_leaves=8,
)
# Paths into the catalog, and values that make it wrong there (or merely hostile).
CATALOG_PATHS = [
    ("code",), ("title",), ("effective",), ("school_levels",), ("catalog", "level_count"), ("catalog", "family"),
    ("standards",), ("standards", 0, "number"), ("standards", 0, "criteria"), ("standards", 0, "criteria", 1, "number"),
    ("standards", 0, "criteria", 1, "levels"), ("standards", 0, "criteria", 1, "levels", "1", 0, "key"),
    ("standards", 0, "criteria", 1, "levels", "1", 0, "text"), ("standards", 0, "criteria", 0, "applies_to"),
]


def _set(data, path, value):
    data = json.loads(json.dumps(data))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@st.composite
def catalog_json(draw):
    path = draw(st.sampled_from(CATALOG_PATHS))
    value = draw(st.one_of(json_values, hostile_value.filter(lambda v: not isinstance(v, list)), st.just(None)))
    return "bo-tieu-chuan.json", json.dumps(_set(TINY_CATALOG, path, value), ensure_ascii=draw(st.booleans())).encode()


CATALOG_IMPORT = Endpoint(
    "standards:catalog_import", "sysadmin", {},
    ("standards.CatalogImport", "standards.Regulation", "standards.RegulationVersion", "standards.Criterion",
     "standards.Indicator", "audit.Event"),
    accepted=lambda response: response.status_code == 302 and "/standards/import/" in response["Location"],
)


@ENDPOINT
@given(upload=st.one_of(catalog_json(), files.wrong_files("json"), files.wrong_files("xlsx")))
@example(upload=("sau.json", b"[" * 100_000))
@example(upload=("so-lon.json", b"1" * 5_000))
@example(upload=("bomb.xlsx", files.zip_bomb_xlsx))
@example(upload=("utf16.json", json.dumps(TINY_CATALOG).encode("utf-16")))
def test_catalog_import_keeps_nothing_from_a_bad_file(ctx, upload):
    check_post(ctx, CATALOG_IMPORT, {"file": Upload(*upload)})


def test_catalog_import_refuses_a_zip_bomb_without_inflating_it(ctx, monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", _never_inflate)
    seen = check_post(ctx, CATALOG_IMPORT, {"file": Upload("bomb.xlsx", files.zip_bomb_xlsx)})
    assert not seen.accepted and any("quá lớn" in e for e in seen.errors), seen.describe()


# --- every form, on its own -------------------------------------------------------------------------------
#
# Fast and exhaustive: each form class is bound to generated data and validated directly. The
# property: is_valid() never raises, and every error it gives is Vietnamese.


def _form_factories():
    from django.test import RequestFactory

    from evaluations import forms as ev
    from evaluations.selectors import evaluation_result_rows
    from evidence import forms as evf
    from evidence.models import Evidence
    from exports import forms as ex
    from notifications import forms as no
    from reviews import forms as rv
    from schools import forms as sc
    from schools.models import Membership, Organisation, School, SchoolYear, User
    from selfassessment import forms as sa
    from selfassessment import forms_plan57 as p57
    from selfassessment import schooldata
    from selfassessment.models import CouncilMember
    from selfassessment.tracking import forms as tracking
    from standards import forms as stf
    from standards.models import Criterion, RegulationVersion

    def criteria(ctx):
        return list(ctx["evidence_criteria"].values())

    def report_criteria(ctx):
        return Criterion.objects.filter(standard__version=ctx["report"].regulation_version)

    def login(ctx, data, files):
        return sc.LoginForm(RequestFactory().post("/accounts/login/"), data=data)

    years = schooldata.school_years("2017-2018")
    return {
        "schools.LoginForm": login,
        "schools.PasswordResetRequestForm": lambda ctx, d, f: sc.PasswordResetRequestForm(d),
        "schools.LimitedPasswordChangeForm": lambda ctx, d, f: sc.LimitedPasswordChangeForm(
            User.objects.get(pk=ctx["principal_a"].pk), d),
        "schools.SchoolForm": lambda ctx, d, f: sc.SchoolForm(d, units=Organisation.objects.all(), schools=School.objects.all()),
        "schools.SchoolForm (edit)": lambda ctx, d, f: sc.SchoolForm(
            d, instance=School.objects.get(pk=ctx["school_a"].pk), units=Organisation.objects.all(),
            schools=School.objects.all()),
        "schools.SchoolImportForm": lambda ctx, d, f: sc.SchoolImportForm(d, f),
        "schools.ProfileForm": lambda ctx, d, f: sc.ProfileForm(d, instance=User.objects.get(pk=ctx["principal_a"].pk)),
        "schools.AccountForm": lambda ctx, d, f: sc.AccountForm(d, creating=True),
        "schools.MembershipForm": lambda ctx, d, f: sc.MembershipForm(
            d, roles=list(Membership.Role), schools=School.objects.all(), organisations=Organisation.objects.all()),
        "evidence.EvidenceForm": lambda ctx, d, f: evf.EvidenceForm(
            d, f, instance=Evidence(school=ctx["school_a"]), criteria=criteria(ctx)),
        "evidence.EvidenceForm (edit)": lambda ctx, d, f: evf.EvidenceForm(
            d, f, instance=Evidence.objects.get(pk=ctx["evidence_item"].pk)),
        "evidence.CriterionPickForm": lambda ctx, d, f: evf.CriterionPickForm(d, criteria=criteria(ctx)),
        "standards.CatalogUploadForm": lambda ctx, d, f: stf.CatalogUploadForm(d, f),
        "standards.ScheduleForm": lambda ctx, d, f: stf.ScheduleForm(d),
        "exports.VerifyForm": lambda ctx, d, f: ex.VerifyForm(d),
        "exports.DossierForm": lambda ctx, d, f: ex.DossierForm(d),
        "exports.SummaryForm": lambda ctx, d, f: ex.SummaryForm(
            d, units=list(Organisation.objects.all()), school_years=list(SchoolYear.objects.all())),
        "notifications.EmailPreferencesForm": lambda ctx, d, f: no.EmailPreferencesForm(d),
        "reviews.ReturnForm": lambda ctx, d, f: rv.ReturnForm(d),
        "reviews.AcceptForm": lambda ctx, d, f: rv.AcceptForm(d),
        "reviews.AssignForm": lambda ctx, d, f: rv.AssignForm(d, reviewers=[ctx["reviewer"], ctx["head"]]),
        "reviews.UnlockRequestForm": lambda ctx, d, f: rv.UnlockRequestForm(d),
        "reviews.UnlockDecisionForm": lambda ctx, d, f: rv.UnlockDecisionForm(d),
        "reviews.ThreadForm": lambda ctx, d, f: rv.ThreadForm(d),
        "reviews.ReplyForm": lambda ctx, d, f: rv.ReplyForm(d),
        "reviews.CriterionReviewForm": lambda ctx, d, f: rv.CriterionReviewForm(d),
        "reviews.CompareForm": lambda ctx, d, f: rv.CompareForm(d),
        "reviews.UnitSettingsForm": lambda ctx, d, f: rv.UnitSettingsForm(d),
        "selfassessment.ReportCreateForm": lambda ctx, d, f: sa.ReportCreateForm(
            d, schools=School.objects.filter(pk=ctx["school_a"].pk), school_years=SchoolYear.objects.all()),
        "selfassessment.PassageForm": lambda ctx, d, f: sa.PassageForm(d),
        "selfassessment.VerdictForm": lambda ctx, d, f: sa.VerdictForm(d),
        "selfassessment.ImprovementActionForm": lambda ctx, d, f: sa.ImprovementActionForm(d),
        "selfassessment.ImprovementActionFormSet": lambda ctx, d, f: sa.ImprovementActionFormSet(d, prefix="actions"),
        "selfassessment.TokenForm": lambda ctx, d, f: sa.TokenForm(d),
        "selfassessment.CouncilDecisionForm": lambda ctx, d, f: sa.CouncilDecisionForm(d),
        "selfassessment.CouncilMemberForm": lambda ctx, d, f: sa.CouncilMemberForm(
            d, instance=CouncilMember(report=ctx["report"]), accounts=User.objects.all()),
        "selfassessment.MemberAccountForm": lambda ctx, d, f: sa.MemberAccountForm(d),
        "selfassessment.WorkingGroupForm": lambda ctx, d, f: sa.WorkingGroupForm(
            d, members=CouncilMember.objects.all(), criteria=report_criteria(ctx)),
        "selfassessment.PlanStepForm": lambda ctx, d, f: sa.PlanStepForm(d),
        "selfassessment.PlanStepFormSet": lambda ctx, d, f: sa.PlanStepFormSet(d, prefix="steps"),
        "selfassessment.PlanResourcesForm": lambda ctx, d, f: sa.PlanResourcesForm(d, criteria=list(report_criteria(ctx))),
        "selfassessment.DataTableForm": lambda ctx, d, f: sa.DataTableForm(
            d, spec=schooldata.table_for("thcs", "staff"), years=years),
        "selfassessment.FactsForm": lambda ctx, d, f: sa.FactsForm(d),
        "selfassessment.RegulationChangeForm": lambda ctx, d, f: sa.RegulationChangeForm(
            d, versions=RegulationVersion.objects.all()),
        "selfassessment.tracking.StatusChangeForm": lambda ctx, d, f: tracking.StatusChangeForm(d),
        "selfassessment.tracking.TrackingForm": lambda ctx, d, f: tracking.TrackingForm(d),
        "selfassessment.tracking.ProgressNoteForm": lambda ctx, d, f: tracking.ProgressNoteForm(d),
        "selfassessment.forms_plan57.Plan57SectionsForm": lambda ctx, d, f: p57.Plan57SectionsForm(d),
        "selfassessment.forms_plan57.Plan57IssueForm": lambda ctx, d, f: p57.Plan57IssueForm(
            d, standards=[(1, "Tiêu chuẩn 1"), (2, "Tiêu chuẩn 2")]),
        "selfassessment.forms_plan57.Plan57ActionForm": lambda ctx, d, f: p57.Plan57ActionForm(d, issues=[(1, "Vấn đề 1")]),
        "selfassessment.forms_plan57.Plan57StatusForm": lambda ctx, d, f: p57.Plan57StatusForm(d),
        "selfassessment.forms_plan57.Plan57CheckForm": lambda ctx, d, f: p57.Plan57CheckForm(d, actions=[(1, "Nội dung 1")]),
        "selfassessment.forms_plan57.Plan57PointForm": lambda ctx, d, f: p57.Plan57PointForm(d),
        "selfassessment.forms_plan57.Plan57DeleteForm": lambda ctx, d, f: p57.Plan57DeleteForm(d),
        "selfassessment.forms_plan57.Plan57MoveForm": lambda ctx, d, f: p57.Plan57MoveForm(d),
        "evaluations.PlanForm": lambda ctx, d, f: ev.PlanForm(
            d, units=Organisation.objects.all(), levels=list(School.Level.choices)),
        "evaluations.PlanSchoolsForm": lambda ctx, d, f: ev.PlanSchoolsForm(d, schools=School.objects.all()),
        "evaluations.PlanEntryForm": lambda ctx, d, f: ev.PlanEntryForm(d),
        "evaluations.RoundForm": lambda ctx, d, f: ev.RoundForm(d, units=Organisation.objects.all()),
        "evaluations.RoundSchoolsForm": lambda ctx, d, f: ev.RoundSchoolsForm(d, schools=School.objects.all()),
        "evaluations.MilestoneForm": lambda ctx, d, f: ev.MilestoneForm(d),
        "evaluations.RegistrationChoiceForm": lambda ctx, d, f: ev.RegistrationChoiceForm(d),
        "evaluations.DeadlineForm": lambda ctx, d, f: ev.DeadlineForm(d),
        "evaluations.DeadlineSetupForm": lambda ctx, d, f: ev.DeadlineSetupForm(
            d, units=Organisation.objects.all(), years=SchoolYear.objects.all()),
        "evaluations.EvaluationForm": lambda ctx, d, f: ev.EvaluationForm(d),
        "evaluations.TeamMemberForm": lambda ctx, d, f: ev.TeamMemberForm(d),
        "evaluations.TeamFormSet": lambda ctx, d, f: ev.TeamFormSet(d, prefix="team"),
        "evaluations.ResultsForm": lambda ctx, d, f: ev.ResultsForm(
            d, rows=evaluation_result_rows(ctx["eval_evaluation"]), level_count=3),
        "evaluations.RecommendationForm": lambda ctx, d, f: ev.RecommendationForm(d, criteria=Criterion.objects.all()),
        "evaluations.CertificateForm": lambda ctx, d, f: ev.CertificateForm(
            d, schools=School.objects.all(), evaluations=ev.Certificate.objects.none()),
        "evaluations.EvaluationStartForm": lambda ctx, d, f: ev.EvaluationStartForm(d, schools=School.objects.all()),
        "evaluations.PeriodicReportForm": lambda ctx, d, f: ev.PeriodicReportForm(d),
        "evaluations.PeriodicReasonForm": lambda ctx, d, f: ev.PeriodicReasonForm(d),
        "evaluations.PeriodicAcceptForm": lambda ctx, d, f: ev.PeriodicAcceptForm(d),
        "evaluations.DeadlineAddForm": lambda ctx, d, f: ev.DeadlineAddForm(
            d, periods=[(v, v) for v in ("semester1", "year_end", "plan_approval", "monitoring_semester1",
                                         "monitoring_year_end")]),
        "evaluations.DeadlineRemoveForm": lambda ctx, d, f: ev.DeadlineRemoveForm(d),
        "evaluations.Facilities57Form": lambda ctx, d, f: ev.Facilities57Form(d),
        "evaluations.Recognition57Form": lambda ctx, d, f: ev.Recognition57Form(d),
    }


FORMS = _form_factories()
# A value a form field of the kind might accept, so that generated posts also get past validation.
PLAUSIBLE = st.sampled_from(["1", "2", "0", "on", "2024-09-05", "05/09/2024", "dat", "periodic", "school", "Nội dung"])


def _field_names(form) -> list[str]:
    """Every name the bound form reads: its fields, or a formset's management fields and 3 rows."""
    if isinstance(form, BaseFormSet):
        names = [form.management_form.add_prefix(n) for n in form.management_form.fields]
        empty = form.empty_form
        for index in range(3):
            names += [f"{form.prefix}-{index}-{name}" for name in empty.fields]
        return names
    return [form.add_prefix(name) for name in form.fields]


@PROFILE
@pytest.mark.parametrize("name", sorted(FORMS))
@given(draw=st.data())
def test_every_form_validates_hostile_data_in_vietnamese(ctx, name, draw):
    make = FORMS[name]
    names = _field_names(make(ctx, None, None))
    data = draw.draw(st.fixed_dictionaries({}, optional={n: st.one_of(hostile_value, PLAUSIBLE) for n in names}))
    uploads = {}
    if "file" in names or "upload" in names:
        file_name, content = draw.draw(files.wrong_files(draw.draw(st.sampled_from(["pdf", "xlsx", "json"]))))
        uploads = {"file" if "file" in names else "upload": Upload(file_name, content).file()}
    querydict = QueryDict(mutable=True)
    for key, value in data.items():
        querydict.setlist(key, value if isinstance(value, list) else [value])
    with world.rolled_back():
        form = make(ctx, querydict, MultiValueDict({k: [v] for k, v in uploads.items()}))
        if not form.is_valid():
            errors = form.non_form_errors() if isinstance(form, BaseFormSet) else None
            if errors is not None:
                messages = list(errors) + [e for f in form.forms for es in f.errors.values() for e in es]
                assert messages, f"{name}: invalid without a message"
                inputs = posted_strings(data)
                english = [m for m in messages if not is_vietnamese(str(m), inputs)]
                assert not english, f"{name}: {english!r}"
            else:
                assert_form_errors_vietnamese(form, data, where=name)


def test_the_form_table_covers_every_form_class():
    """A form added to an app's forms.py must be added to FORMS (and so to the tests above)."""
    import importlib
    import inspect

    from django import forms as django_forms

    covered = {name.split(" ")[0] for name in FORMS}
    missing = []
    for app in ("schools", "evidence", "standards", "exports", "notifications", "reviews", "selfassessment",
                "selfassessment.tracking", "evaluations"):
        module = importlib.import_module(f"{app}.forms")
        for attr, obj in vars(module).items():
            concrete = inspect.isclass(obj) and obj.__module__ == module.__name__ and not attr.startswith("_")
            if concrete and issubclass(obj, (django_forms.BaseForm, BaseFormSet)) and attr not in SHARED_BASES:
                if f"{app}.{attr}" not in covered:
                    missing.append(f"{app}.{attr}")
    assert not missing, f"forms without a bad-input test (add them to FORMS): {sorted(missing)}"


# Bases and mixins that no page uses on their own.
SHARED_BASES = {"RevisionMixin", "BaseActionFormSet", "BaseTeamFormSet", "CriterionChoiceField"}


def test_a_username_with_diacritics_is_refused_in_vietnamese(ctx):
    from selfassessment.forms import MemberAccountForm

    data = {"username": "nguyễn văn a", "email": ""}
    form = MemberAccountForm(data)
    assert not form.is_valid()
    assert_form_errors_vietnamese(form, data, where="MemberAccountForm")  # was Django's English "Enter a valid “slug”"


def test_django_messages_our_forms_can_give_are_translated():
    from django.utils.translation import gettext, ngettext

    untranslated = []
    for msgid in checks.DJANGO_MESSAGES_WITHOUT_VIETNAMESE:
        if isinstance(msgid, tuple):
            if ngettext(*msgid, 2) == msgid[1]:
                untranslated.append(msgid[1])
        elif gettext(msgid) == msgid:
            untranslated.append(msgid)
    assert not untranslated, untranslated


# --- requests refused before any view runs --------------------------------------------------------------

def _refusal_page(response) -> tuple[str, str]:
    tree = lxml.html.fromstring(response.content.decode())
    return tree.get("lang", ""), " ".join(tree.text_content().split())


@pytest.mark.parametrize("data", [
    {f"f{i}": "x" for i in range(1_001)},  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    {"full_name": "x" * (10 * 1024 * 1024 + 1)},  # past DATA_UPLOAD_MAX_MEMORY_SIZE
], ids=["too-many-fields", "too-large"])
def test_an_oversized_post_is_refused_in_vietnamese(ctx, data):
    client = client_for(ctx, "principal_a")
    response = client.post(reverse("schools:profile"), {**data, "csrfmiddlewaretoken": CSRF_SECRET})
    assert response.status_code == 400
    lang, text = _refusal_page(response)
    assert lang == "vi" and checks.is_vietnamese(text), text[:300]


def test_a_stale_csrf_token_is_refused_in_vietnamese(ctx):
    client = client_for(ctx, "principal_a")
    response = client.post(reverse("schools:profile"), {"full_name": "Nguyễn Văn A", "csrfmiddlewaretoken": "a" * 32})
    assert response.status_code == 403
    lang, text = _refusal_page(response)
    assert lang == "vi" and checks.is_vietnamese(text), text[:300]
