"""Permission matrix of the evaluations URLs (kiemdinh/tests/test_url_matrix.py runs every case).

District A (reviewer, head) manages its plan, round, milestones and deadlines; the Sở (officer)
sees them and records evaluations and certificates; school A's people see their own school's
entries (the principal marks its milestones done); district B and school C see nothing of A (404).
"""

import datetime

from kiemdinh.testing import LOGIN, UrlCase, everyone

OUT = {"principal_c": 404, "other_reviewer": 404}
SCHOOL_A_403 = {"principal_a": 403, "staff_a": 403}
# Pages of district A's objects that only its district office may change.
MANAGE = everyone(200, officer=403, **SCHOOL_A_403, **OUT)
MANAGE_POST = everyone(302, officer=403, **SCHOOL_A_403, **OUT)
# Creating: any district office (for its own units) and admins.
CREATE = everyone(200, officer=403, principal_c=403, **SCHOOL_A_403)
# Seen by district A, the Sở, admins and school A's people.
VIEW_A = everyone(200, **OUT)
# Records of school A the district office and the Sở write.
RECORD = everyone(200, **SCHOOL_A_403, **OUT)
RECORD_POST = everyone(302, **SCHOOL_A_403, **OUT)
# District and Sở pages (school people get 403).
DISTRICT_PAGES = everyone(200, principal_a=403, staff_a=403, principal_c=403)
POST_ONLY = everyone(405, anonymous=LOGIN)
# School A's periodic report: its principal (and admins) act; district A reviews.
PERIODIC_SCHOOL = everyone(302, staff_a=403, reviewer=403, head=403, officer=403, **OUT)
PERIODIC_DISTRICT = everyone(302, principal_a=403, staff_a=403, officer=403, **OUT)


def setup(ctx):
    from evaluations import services
    from evaluations.models import Certificate, ExternalEvaluation, Recommendation
    from evidence.tests.factories import VersionFactory, build_catalog
    from schools.tests.factories import SchoolYearFactory

    district, reviewer, school_a = ctx["district"], ctx["reviewer"], ctx["school_a"]
    version = VersionFactory()
    criteria = build_catalog(version, ["1.1", "1.2", "2.1"])
    plan = services.plan_create(unit=district, year=2024, title="Kế hoạch 2024", by=reviewer, targets={"thcs": 2})
    services.plan_schools_add(plan=plan, schools=[school_a], by=reviewer)
    round_ = services.round_create(unit=district, year=2027, number=1, by=reviewer, dossier_date=datetime.date(2027, 1, 9))
    (registration,) = services.round_schools_register(round_=round_, schools=[school_a], by=reviewer)
    ctx["eval_plan"], ctx["eval_round"], ctx["eval_registration"] = plan, round_, registration
    ctx["eval_entry"] = plan.entries.get()
    ctx["eval_school_milestone"] = round_.milestones.filter(owner="school").first()
    ctx["eval_district_milestone"] = round_.milestones.filter(owner="district").first()
    evaluation = ExternalEvaluation.objects.create(school=school_a, registration=registration, regulation_version=version)
    ctx["eval_evaluation"] = evaluation
    ctx["eval_recommendation"] = Recommendation.objects.create(evaluation=evaluation, criterion=criteria["1.1"], text="Kiến nghị")
    ctx["eval_certificate"] = Certificate.objects.create(
        school=school_a, decision_number="1/QĐ-SGDĐT", decision_date=datetime.date(2024, 6, 12),
        issuing_body="Sở GD&ĐT", accreditation_level=2, national_standard_level=1,
    )
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    ctx["eval_year"] = year
    semester1, year_end = services.reporting_deadlines_ensure(unit=district, school_year=year, by=reviewer)
    ctx["eval_deadline"] = semester1
    ctx["eval_tt57_deadline"] = services.reporting_deadline_add(unit=district, school_year=year, period="plan_approval",
                                                                by=reviewer)
    # School A's periodic reports: the semester-I one handed in, the year-end one under review.
    principal_a = ctx["principal_a"]
    ctx["eval_periodic"] = services.periodic_report_submit(school=school_a, deadline=semester1, by=principal_a)
    in_review = services.periodic_report_submit(school=school_a, deadline=year_end, by=principal_a)
    ctx["eval_periodic_review"] = services.periodic_report_start_review(report=in_review, by=reviewer)


def pk(name):
    return lambda ctx: {"pk": ctx[name].pk}


CASES = [
    # Plans.
    UrlCase("evaluations:plan_list", everyone(200)),
    UrlCase("evaluations:plan_create", CREATE),
    UrlCase("evaluations:plan_detail", VIEW_A, kwargs=pk("eval_plan")),
    UrlCase("evaluations:plan_update", MANAGE, kwargs=pk("eval_plan")),
    UrlCase("evaluations:plan_schools_add", MANAGE, kwargs=pk("eval_plan")),
    UrlCase("evaluations:plan_entry_update", MANAGE, kwargs=pk("eval_entry")),
    UrlCase("evaluations:plan_entry_remove", MANAGE_POST, method="post", kwargs=pk("eval_entry")),
    UrlCase("evaluations:plan_entry_remove", POST_ONLY, kwargs=pk("eval_entry"), label="evaluations:plan_entry_remove:get"),
    # Rounds and milestones.
    UrlCase("evaluations:round_list", everyone(200)),
    UrlCase("evaluations:round_create", CREATE),
    UrlCase("evaluations:round_detail", VIEW_A, kwargs=pk("eval_round")),
    UrlCase("evaluations:round_update", MANAGE, kwargs=pk("eval_round")),
    UrlCase("evaluations:round_schools_add", MANAGE, kwargs=pk("eval_round")),
    UrlCase("evaluations:milestone_create", MANAGE, kwargs=pk("eval_round")),
    UrlCase("evaluations:milestone_defaults", MANAGE_POST, method="post", kwargs=pk("eval_round")),
    UrlCase("evaluations:milestone_defaults", POST_ONLY, kwargs=pk("eval_round"), label="evaluations:milestone_defaults:get"),
    # A registration: school A's people see it (403), district B does not (404).
    UrlCase("evaluations:round_registration_remove", MANAGE_POST, method="post", kwargs=pk("eval_registration")),
    UrlCase("evaluations:round_registration_remove", POST_ONLY, kwargs=pk("eval_registration"),
            label="evaluations:round_registration_remove:get"),
    UrlCase("evaluations:evaluation_start", RECORD_POST, method="post", kwargs=pk("eval_registration")),
    UrlCase("evaluations:evaluation_start", POST_ONLY, kwargs=pk("eval_registration"), label="evaluations:evaluation_start:get"),
    UrlCase("evaluations:milestone_update", MANAGE, kwargs=pk("eval_school_milestone")),
    UrlCase("evaluations:milestone_delete", MANAGE_POST, method="post", kwargs=pk("eval_school_milestone")),
    UrlCase("evaluations:milestone_delete", POST_ONLY, kwargs=pk("eval_school_milestone"), label="evaluations:milestone_delete:get"),
    # A school milestone: the principal of school A marks it (staff may not); the Sở may not.
    UrlCase("evaluations:milestone_complete", everyone(302, staff_a=403, officer=403, **OUT), method="post",
            kwargs=pk("eval_school_milestone"), data=lambda ctx: {"registration": ctx["eval_registration"].pk}),
    UrlCase("evaluations:milestone_reopen", everyone(302, staff_a=403, officer=403, **OUT), method="post",
            kwargs=pk("eval_school_milestone"), data=lambda ctx: {"registration": ctx["eval_registration"].pk}),
    # A district milestone: only the district office.
    UrlCase("evaluations:milestone_complete", MANAGE_POST, method="post", kwargs=pk("eval_district_milestone"),
            label="evaluations:milestone_complete:district"),
    UrlCase("evaluations:milestone_reopen", POST_ONLY, kwargs=pk("eval_district_milestone"),
            label="evaluations:milestone_reopen:get"),
    # External evaluations.
    UrlCase("evaluations:evaluation_list", everyone(200)),
    UrlCase("evaluations:evaluation_create", everyone(200, principal_a=403, staff_a=403, principal_c=403)),
    UrlCase("evaluations:evaluation_detail", VIEW_A, kwargs=pk("eval_evaluation")),
    UrlCase("evaluations:evaluation_update", RECORD, kwargs=pk("eval_evaluation")),
    UrlCase("evaluations:evaluation_team", RECORD, kwargs=pk("eval_evaluation")),
    UrlCase("evaluations:evaluation_results", RECORD, kwargs=pk("eval_evaluation")),
    UrlCase("evaluations:recommendation_add", RECORD_POST, method="post", kwargs=pk("eval_evaluation"),
            data=lambda ctx: {"text": "Bổ sung thiết bị dạy học"}),
    UrlCase("evaluations:recommendation_delete", RECORD_POST, method="post", kwargs=pk("eval_recommendation")),
    UrlCase("evaluations:recommendation_delete", POST_ONLY, kwargs=pk("eval_recommendation"),
            label="evaluations:recommendation_delete:get"),
    # The principal adopts a recommendation (here the team's report is not final yet: 403 for all).
    UrlCase("evaluations:recommendation_adopt", everyone(403, **OUT), method="post",
            kwargs=pk("eval_recommendation")),
    UrlCase("evaluations:recommendation_adopt", POST_ONLY, kwargs=pk("eval_recommendation"),
            label="evaluations:recommendation_adopt:get"),
    UrlCase("evaluations:evaluation_complete", RECORD_POST, method="post", kwargs=pk("eval_evaluation")),
    UrlCase("evaluations:evaluation_reopen", RECORD_POST, method="post", kwargs=pk("eval_evaluation")),
    UrlCase("evaluations:evaluation_complete", POST_ONLY, kwargs=pk("eval_evaluation"), label="evaluations:evaluation_complete:get"),
    # Certificates.
    UrlCase("evaluations:certificate_list", DISTRICT_PAGES),
    UrlCase("evaluations:certificate_create", DISTRICT_PAGES),
    UrlCase("evaluations:certificate_update", RECORD, kwargs=pk("eval_certificate")),
    # Reporting deadlines.
    UrlCase("evaluations:deadline_list", DISTRICT_PAGES),
    UrlCase("evaluations:deadline_setup", everyone(302, officer=403, **SCHOOL_A_403, principal_c=403), method="post",
            data=lambda ctx: {"unit": ctx["district"].pk, "school_year": ctx["eval_year"].pk}),
    UrlCase("evaluations:deadline_setup", POST_ONLY, label="evaluations:deadline_setup:get"),
    UrlCase("evaluations:deadline_detail", everyone(200, principal_a=404, staff_a=404, **OUT),
            kwargs=pk("eval_deadline")),
    UrlCase("evaluations:deadline_update", everyone(200, officer=403, principal_a=404, staff_a=404, **OUT),
            kwargs=pk("eval_deadline")),
    # A unit's deadlines of a year (TT57 kinds included): district A manages, the Sở reads.
    UrlCase("evaluations:deadline_configure", everyone(200, principal_a=404, staff_a=404, **OUT),
            kwargs=lambda ctx: {"unit_pk": ctx["district"].pk, "year": ctx["eval_year"].code}),
    UrlCase("evaluations:deadline_add", everyone(302, officer=403, principal_a=404, staff_a=404, **OUT), method="post",
            kwargs=lambda ctx: {"unit_pk": ctx["district"].pk, "year": ctx["eval_year"].code},
            data=lambda ctx: {"period": "monitoring_semester1", "due_date": "", "note": ""}),
    UrlCase("evaluations:deadline_add", POST_ONLY, label="evaluations:deadline_add:get",
            kwargs=lambda ctx: {"unit_pk": ctx["district"].pk, "year": ctx["eval_year"].code}),
    UrlCase("evaluations:deadline_remove", everyone(302, officer=403, principal_a=404, staff_a=404, **OUT),
            method="post", kwargs=pk("eval_tt57_deadline"),
            data=lambda ctx: {"revision": ctx["eval_tt57_deadline"].revision}),
    UrlCase("evaluations:deadline_remove", POST_ONLY, kwargs=pk("eval_tt57_deadline"),
            label="evaluations:deadline_remove:get"),
    # TT57 national-standard recognition: the Sở records; district A reads; schools do not.
    UrlCase("evaluations:recognition_list", DISTRICT_PAGES),
    UrlCase("evaluations:recognition_school", everyone(200, **SCHOOL_A_403, **OUT), kwargs=pk("school_a")),
    UrlCase("evaluations:facilities57_set", everyone(403, officer=302, sysadmin=302, **OUT), method="post",
            kwargs=pk("school_a"), data=lambda ctx: {"degree": "1", "note": "Đủ phòng học", "revision": "0"}),
    UrlCase("evaluations:facilities57_set", POST_ONLY, kwargs=pk("school_a"), label="evaluations:facilities57_set:get"),
    # Valid form, but school A does not meet the conditions: the refusal is the form page again (400).
    UrlCase("evaluations:recognition57_create", everyone(403, officer=400, sysadmin=400, **OUT), method="post",
            kwargs=pk("school_a"), data=lambda ctx: {"decision_number": "1/QĐ", "decision_date": "01/11/2026",
                                                     "issuing_body": "Sở GD&ĐT", "degree": "1"}),
    UrlCase("evaluations:recognition57_create", POST_ONLY, kwargs=pk("school_a"),
            label="evaluations:recognition57_create:get"),
    # A school's own page.
    UrlCase("evaluations:upcoming", everyone(403, principal_a=200, staff_a=200, principal_c=200)),
    # School A's periodic reports: its people, district A and the Sở read; the principal writes,
    # sends and withdraws; district A reviews; district B and school C see nothing (404).
    UrlCase("evaluations:periodic_report_detail", VIEW_A,
            kwargs=lambda ctx: {"pk": ctx["eval_deadline"].pk, "school_pk": ctx["school_a"].pk}),
    UrlCase("evaluations:periodic_report_open", PERIODIC_SCHOOL, method="post",
            kwargs=lambda ctx: {"pk": ctx["eval_deadline"].pk, "school_pk": ctx["school_a"].pk}),
    UrlCase("evaluations:periodic_report_open", POST_ONLY, label="evaluations:periodic_report_open:get",
            kwargs=lambda ctx: {"pk": ctx["eval_deadline"].pk, "school_pk": ctx["school_a"].pk}),
    UrlCase("evaluations:periodic_report_save", PERIODIC_SCHOOL, method="post", kwargs=pk("eval_periodic"),
            data=lambda ctx: {"summary": "Tóm tắt", "revision": ctx["eval_periodic"].revision}),
    UrlCase("evaluations:periodic_report_save", POST_ONLY, kwargs=pk("eval_periodic"),
            label="evaluations:periodic_report_save:get"),
    UrlCase("evaluations:periodic_report_submit", PERIODIC_SCHOOL, method="post", kwargs=pk("eval_periodic")),
    UrlCase("evaluations:periodic_report_submit", POST_ONLY, kwargs=pk("eval_periodic"),
            label="evaluations:periodic_report_submit:get"),
    UrlCase("evaluations:periodic_report_withdraw", PERIODIC_SCHOOL, method="post", kwargs=pk("eval_periodic")),
    UrlCase("evaluations:periodic_report_withdraw", POST_ONLY, kwargs=pk("eval_periodic"),
            label="evaluations:periodic_report_withdraw:get"),
    UrlCase("evaluations:periodic_report_start_review", PERIODIC_DISTRICT, method="post", kwargs=pk("eval_periodic")),
    UrlCase("evaluations:periodic_report_start_review", POST_ONLY, kwargs=pk("eval_periodic"),
            label="evaluations:periodic_report_start_review:get"),
    UrlCase("evaluations:periodic_report_return", everyone(200, principal_a=403, staff_a=403, officer=403, **OUT),
            kwargs=pk("eval_periodic_review")),
    UrlCase("evaluations:periodic_report_return", PERIODIC_DISTRICT, method="post", kwargs=pk("eval_periodic_review"),
            data=lambda ctx: {"reason": "Bổ sung tiến độ các biện pháp"}, label="evaluations:periodic_report_return:post"),
    UrlCase("evaluations:periodic_report_accept", PERIODIC_DISTRICT, method="post", kwargs=pk("eval_periodic_review"),
            data=lambda ctx: {"note": "Đạt yêu cầu"}),
    UrlCase("evaluations:periodic_report_accept", POST_ONLY, kwargs=pk("eval_periodic_review"),
            label="evaluations:periodic_report_accept:get"),
    UrlCase("evaluations:periodic_report_unlock", PERIODIC_DISTRICT, method="post", kwargs=pk("eval_periodic_review"),
            data=lambda ctx: {"reason": "Sửa số liệu"}),
    UrlCase("evaluations:periodic_report_unlock", POST_ONLY, kwargs=pk("eval_periodic_review"),
            label="evaluations:periodic_report_unlock:get"),
]
