"""Permission matrix of the report URLs: a report of school A, seen by every persona.

School A's people read it (the principal writes it, staff_a only reads: not in the council), the
district office of A and the Sở read it, anyone outside is answered 404; only the administrator
changes its regulation; a GET on a write is 405.
"""

import datetime

from kiemdinh.testing import LOGIN, UrlCase, everyone

OUTSIDE = {"principal_c": 404, "other_reviewer": 404}
VIEW = everyone(200, **OUTSIDE)
# Writes: the principal of A; everyone else who sees the report is refused (403), outsiders 404.
WRITE_POST = everyone(403, principal_a=302, **OUTSIDE)
WRITE_PAGE = everyone(403, principal_a=200, **OUTSIDE)
GET_ON_POST = everyone(405, anonymous=LOGIN)


def setup(ctx):
    from schools.tests.factories import SchoolYearFactory
    from selfassessment import services
    from selfassessment.models import CouncilMember, Passage, PassageRevision, WorkingGroup
    from standards.models import Level4Requirement

    from .factories import criterion, indicator, load_catalog

    # The matrix shares one database with the other apps' cases: the report is written for a past
    # year under its own catalog, so that the catalog other apps see in force today stays theirs.
    load_catalog(code="MATRIX/2017", effective="2017-01-01")
    year = SchoolYearFactory(code="2017-2018", start_date=datetime.date(2017, 9, 5), end_date=datetime.date(2018, 5, 31))
    principal = ctx["principal_a"]
    report = services.report_create(school=ctx["school_a"], school_year=year, kind="periodic", by=principal)
    intro = Passage.objects.get(report=report, key="introduction")
    services.passage_save(passage=intro, text="Đặt vấn đề", base_revision=0, by=principal)
    member = services.council_member_save(report=report, member=CouncilMember(full_name="Ủy viên", role="member"),
                                          by=principal)
    group = services.working_group_save(report=report, group=WorkingGroup(name="Nhóm 1"), members=[member],
                                        criteria=[criterion(report, "1.1")], by=principal)
    improvement = services.improvement_actions_save(
        report=report, criterion=criterion(report, "1.1"), by=principal, token=services.actions_token([]),
        items=[{"id": None, "action": "Bồi dưỡng giáo viên", "responsible": "Hiệu trưởng"}],
    )[0]
    ctx.update(_tt57_setup(ctx))
    ctx.update({
        "action": improvement,
        "report": report,
        "passage": intro,
        "revision": PassageRevision.objects.get(passage=intro),
        "criterion": criterion(report, "1.1"),
        "standard": criterion(report, "1.1").standard,
        "indicator": indicator(report, "1.1", 1),
        "requirement": Level4Requirement.objects.filter(version=report.regulation_version).first(),
        "member": member,
        "group": group,
    })


def _tt57_setup(ctx) -> dict:
    """A TT57/2026 report of school A (for a later school year, so that no other case's report collides)."""
    from schools.tests.factories import SchoolYearFactory
    from selfassessment import services
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2027-2028", start_date=datetime.date(2027, 9, 5), end_date=datetime.date(2028, 5, 31))
    report = services.report_create(school=ctx["school_a"], school_year=year, kind="periodic", by=ctx["principal_a"],
                                    today=datetime.date(2027, 10, 1))
    assessment = report.criterion_assessments.select_related("criterion__standard").order_by("position").first()
    from selfassessment import services_plan57

    principal = ctx["principal_a"]
    plan = services_plan57.plan_create(report=report, by=principal)
    issue = services_plan57.issue_save(plan=plan, values={"weakness": "Thiếu phòng học bộ môn"}, by=principal)
    action = services_plan57.action_save(plan=plan, values={"issue": issue, "content": "Cải tạo phòng học"}, by=principal)
    check = services_plan57.check_save(plan=plan, point="semester1", values={"action": action, "result": "Đã khởi công"},
                                       by=principal)
    plan.refresh_from_db()
    return {"tt57_report": report, "tt57_criterion": assessment.criterion, "tt57_standard": assessment.criterion.standard,
            "plan57": plan, "plan57_issue": issue, "plan57_action": action, "plan57_check": check}


def _report(ctx):
    return {"pk": ctx["report"].pk}


def _tt57(ctx, **extra):
    return {"pk": ctx["tt57_report"].pk, **extra}


def _tt57_criterion(ctx):
    return _tt57(ctx, criterion_pk=ctx["tt57_criterion"].pk)


def _plan_data(ctx):
    from selfassessment.services import plan_token

    return {"token": plan_token(ctx["report"]), "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0",
            "steps-0-week": "1", "steps-0-activity": "Họp Hội đồng"}


def _actions_data(ctx):
    from selfassessment.services import actions_token

    return {"token": actions_token([]), "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0",
            "actions-0-action": "Bồi dưỡng giáo viên", "actions-0-responsible": "Hiệu trưởng"}


def _action(ctx):
    return {"action_pk": ctx["action"].pk}


CASES = [
    UrlCase("selfassessment:report_list", everyone(200)),
    UrlCase("selfassessment:report_create", everyone(403, principal_a=200, principal_c=200)),
    UrlCase("selfassessment:report_detail", VIEW, kwargs=_report),
    UrlCase("selfassessment:report_summary", VIEW, kwargs=_report),
    UrlCase("selfassessment:report_checks", VIEW, kwargs=_report),
    UrlCase("selfassessment:report_general", VIEW, kwargs=_report),
    UrlCase("selfassessment:report_council", VIEW, kwargs=_report),
    UrlCase("selfassessment:report_plan", VIEW, kwargs=_report),
    UrlCase("selfassessment:report_data", VIEW, kwargs=_report),
    UrlCase("selfassessment:level4_edit", VIEW, kwargs=_report),
    UrlCase("selfassessment:standard_edit", VIEW, kwargs=lambda ctx: {"pk": ctx["report"].pk, "standard_pk": ctx["standard"].pk}),
    UrlCase("selfassessment:criterion_edit", VIEW,
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "criterion_pk": ctx["criterion"].pk}),
    UrlCase("selfassessment:passage_history", VIEW,
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "passage_pk": ctx["passage"].pk}),
    UrlCase("selfassessment:report_regulation_change", everyone(403, sysadmin=200, **OUTSIDE), kwargs=_report),
    UrlCase("selfassessment:report_facts_update", WRITE_POST, method="post", kwargs=_report,
            data=lambda ctx: {"completed_cohorts": "3"}),
    UrlCase("selfassessment:report_facts_update", GET_ON_POST, kwargs=_report,
            label="selfassessment:report_facts_update:get-not-allowed"),
    UrlCase("selfassessment:passage_save", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "passage_pk": ctx["passage"].pk},
            data=lambda ctx: {"text": "Nội dung mới", "revision": "1"}),
    UrlCase("selfassessment:passage_save", GET_ON_POST,
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "passage_pk": ctx["passage"].pk},
            label="selfassessment:passage_save:get-not-allowed"),
    UrlCase("selfassessment:passage_mark_reviewed", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "passage_pk": ctx["passage"].pk}),
    UrlCase("selfassessment:passage_restore", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "passage_pk": ctx["passage"].pk, "revision_pk": ctx["revision"].pk},
            data=lambda ctx: {"revision": "1"}),
    UrlCase("selfassessment:indicator_verdict_set", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "indicator_pk": ctx["indicator"].pk},
            data=lambda ctx: {"met": "dat", "expected": ""}),
    UrlCase("selfassessment:indicator_verdict_set", GET_ON_POST,
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "indicator_pk": ctx["indicator"].pk},
            label="selfassessment:indicator_verdict_set:get-not-allowed"),
    UrlCase("selfassessment:improvement_actions_save", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "criterion_pk": ctx["criterion"].pk}, data=_actions_data),
    UrlCase("selfassessment:level4_verdict_set", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "requirement_pk": ctx["requirement"].pk},
            data=lambda ctx: {"met": "khong_dat"}),
    UrlCase("selfassessment:level4_actions_save", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "requirement_pk": ctx["requirement"].pk}, data=_actions_data),
    UrlCase("selfassessment:data_table_save", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "key": "classes"},
            data=lambda ctx: {"revision": "0", "c__grade_6__2017-2018": "4"}),
    UrlCase("selfassessment:council_update", WRITE_POST, method="post", kwargs=_report,
            data=lambda ctx: {"decision_number": "15/QĐ-THCS", "decision_date": "2024-09-10"}),
    UrlCase("selfassessment:council_member_create", WRITE_PAGE, kwargs=_report),
    UrlCase("selfassessment:council_member_update", WRITE_PAGE,
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "member_pk": ctx["member"].pk}),
    UrlCase("selfassessment:council_member_delete", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "member_pk": ctx["member"].pk}),
    UrlCase("selfassessment:council_member_account", WRITE_PAGE,
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "member_pk": ctx["member"].pk}),
    UrlCase("selfassessment:working_group_create", WRITE_PAGE, kwargs=_report),
    UrlCase("selfassessment:working_group_update", WRITE_PAGE,
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "group_pk": ctx["group"].pk}),
    UrlCase("selfassessment:working_group_delete", WRITE_POST, method="post",
            kwargs=lambda ctx: {"pk": ctx["report"].pk, "group_pk": ctx["group"].pk}),
    UrlCase("selfassessment:plan_save", WRITE_POST, method="post", kwargs=_report, data=_plan_data),
    # TT57/2026 reports (Biểu 1): read like every report page, written by the principal.
    UrlCase("selfassessment:tt57_overview", VIEW, kwargs=_tt57),
    UrlCase("selfassessment:tt57_criterion", VIEW, kwargs=_tt57_criterion),
    UrlCase("selfassessment:tt57_standard", VIEW,
            kwargs=lambda ctx: _tt57(ctx, standard_pk=ctx["tt57_standard"].pk)),
    UrlCase("selfassessment:tt57_conclusion", VIEW, kwargs=_tt57),
    UrlCase("selfassessment:tt57_appendix", VIEW, kwargs=_tt57),
    UrlCase("selfassessment:tt57_appendix", WRITE_POST, method="post", kwargs=_tt57,
            data=lambda ctx: {"revision": "0", "c__classes_total__2027-2028": "24"},
            label="selfassessment:tt57_appendix:post"),
    UrlCase("selfassessment:tt57_hint_set", WRITE_POST, method="post", kwargs=_tt57_criterion,
            data=lambda ctx: {"index": "0", "covered": "on"}),
    UrlCase("selfassessment:tt57_hint_set", GET_ON_POST, kwargs=_tt57_criterion,
            label="selfassessment:tt57_hint_set:get-not-allowed"),
    UrlCase("selfassessment:tt57_approval_set", WRITE_POST, method="post", kwargs=_tt57,
            data=lambda ctx: {"approved_on": "2028-06-01"}),
    # TT57 Biểu 2 (improvement plan): read like the report; content written by the report's writers
    # while it is editable, monitoring (status, table VI) by the principal and secretary.
    UrlCase("selfassessment:plan57", VIEW, kwargs=_tt57),
    UrlCase("selfassessment:plan57_create", WRITE_POST, method="post", kwargs=_tt57),
    UrlCase("selfassessment:plan57_create", GET_ON_POST, kwargs=_tt57, label="selfassessment:plan57_create:get-not-allowed"),
    UrlCase("selfassessment:plan57_sections", WRITE_POST, method="post", kwargs=_tt57,
            data=lambda ctx: {"revision": str(ctx["plan57"].revision), "basis_other": "Nghị quyết chi bộ"}),
    UrlCase("selfassessment:plan57_issue_add", WRITE_POST, method="post", kwargs=_tt57,
            data=lambda ctx: {"ni-revision": "0", "ni-weakness": "Kỹ năng số của giáo viên", "ni-criteria": "2.1"}),
    UrlCase("selfassessment:plan57_issue_edit", WRITE_POST, method="post",
            kwargs=lambda ctx: _tt57(ctx, issue_pk=ctx["plan57_issue"].pk),
            data=lambda ctx: {f"i{ctx['plan57_issue'].pk}-revision": str(ctx["plan57_issue"].revision),
                              f"i{ctx['plan57_issue'].pk}-weakness": "Thiếu 2 phòng học bộ môn"}),
    UrlCase("selfassessment:plan57_action_add", WRITE_POST, method="post", kwargs=_tt57,
            data=lambda ctx: {"na-revision": "0", "na-content": "Bồi dưỡng giáo viên", "na-start_on": "01/10/2027",
                              "na-end_on": "31/12/2027"}),
    UrlCase("selfassessment:plan57_action_edit", WRITE_POST, method="post",
            kwargs=lambda ctx: _tt57(ctx, action_pk=ctx["plan57_action"].pk),
            data=lambda ctx: {f"a{ctx['plan57_action'].pk}-revision": str(ctx["plan57_action"].revision),
                              f"a{ctx['plan57_action'].pk}-content": "Cải tạo 2 phòng học"}),
    UrlCase("selfassessment:plan57_action_status", WRITE_POST, method="post",
            kwargs=lambda ctx: _tt57(ctx, action_pk=ctx["plan57_action"].pk),
            data=lambda ctx: {f"s{ctx['plan57_action'].pk}-revision": str(ctx["plan57_action"].revision),
                              f"s{ctx['plan57_action'].pk}-status": "in_progress"}),
    UrlCase("selfassessment:plan57_row_delete", WRITE_POST, method="post",
            kwargs=lambda ctx: _tt57(ctx, kind="issue", row_pk=ctx["plan57_issue"].pk),
            data=lambda ctx: {"revision": str(ctx["plan57_issue"].revision)}),
    UrlCase("selfassessment:plan57_row_move", WRITE_POST, method="post",
            kwargs=lambda ctx: _tt57(ctx, kind="action", row_pk=ctx["plan57_action"].pk), data=lambda ctx: {"step": "1"}),
    UrlCase("selfassessment:plan57_check_add", WRITE_POST, method="post", kwargs=_tt57,
            data=lambda ctx: {"point": "year_end", "nyear_end-revision": "0", "nyear_end-result": "Hoàn thành"}),
    UrlCase("selfassessment:plan57_check_edit", WRITE_POST, method="post",
            kwargs=lambda ctx: _tt57(ctx, check_pk=ctx["plan57_check"].pk),
            data=lambda ctx: {f"c{ctx['plan57_check'].pk}-revision": str(ctx["plan57_check"].revision),
                              f"c{ctx['plan57_check'].pk}-result": "Đã hoàn thành 50%"}),
    # Improvement-plan tracking: the school and the district read; the principal tracks (the
    # report's writers do, whatever its status); the district roll-up is the district's and the Sở's.
    UrlCase("selfassessment:improvement_rollup",
            everyone(200, principal_a=403, staff_a=403, principal_c=403)),
    UrlCase("selfassessment:improvement_plan", VIEW, kwargs=lambda ctx: {"school_pk": ctx["school_a"].pk}),
    UrlCase("selfassessment:improvement_action_detail", VIEW, kwargs=_action),
    UrlCase("selfassessment:improvement_action_status", WRITE_POST, method="post", kwargs=_action,
            data=lambda ctx: {"status": "in_progress", "revision": str(ctx["action"].revision)}),
    UrlCase("selfassessment:improvement_action_status", GET_ON_POST, kwargs=_action,
            label="selfassessment:improvement_action_status:get-not-allowed"),
    UrlCase("selfassessment:improvement_action_update", WRITE_POST, method="post", kwargs=_action,
            data=lambda ctx: {"revision": str(ctx["action"].revision), "responsible": "Phó Hiệu trưởng",
                              "start_on": "2017-10-01", "due_on": "2018-05-31"}),
    UrlCase("selfassessment:improvement_progress_add", WRITE_POST, method="post", kwargs=_action,
            data=lambda ctx: {"date": "2018-01-10", "text": "Đã tổ chức buổi bồi dưỡng đầu tiên."}),
]
