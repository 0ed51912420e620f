from django.urls import path

from . import views, views_carryforward, views_plan57, views_tt57
from .tracking import views as tracking

app_name = "selfassessment"

report = "<int:pk>/"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path(report, views.report_detail, name="report_detail"),
    path(report + "summary/", views.report_summary, name="report_summary"),
    path(report + "checks/", views.report_checks, name="report_checks"),
    path(report + "regulation/", views.report_regulation_change, name="report_regulation_change"),
    path(report + "facts/", views.report_facts_update, name="report_facts_update"),
    path(report + "general/", views.report_general, name="report_general"),
    # Texts (autosave, history)
    path(report + "texts/<int:passage_pk>/save/", views.passage_save, name="passage_save"),
    path(report + "texts/<int:passage_pk>/reviewed/", views.passage_mark_reviewed, name="passage_mark_reviewed"),
    path(report + "texts/<int:passage_pk>/history/", views.passage_history, name="passage_history"),
    path(report + "texts/<int:passage_pk>/history/<int:revision_pk>/restore/", views.passage_restore,
         name="passage_restore"),
    # Phần II
    path(report + "standards/<int:standard_pk>/", views.standard_edit, name="standard_edit"),
    path(report + "criteria/<int:criterion_pk>/", views.criterion_edit, name="criterion_edit"),
    path(report + "criteria/<int:criterion_pk>/plan/", views.improvement_actions_save, name="improvement_actions_save"),
    path(report + "indicators/<int:indicator_pk>/verdict/", views.indicator_verdict_set, name="indicator_verdict_set"),
    path(report + "level4/", views.level4_edit, name="level4_edit"),
    path(report + "level4/<int:requirement_pk>/verdict/", views.level4_verdict_set, name="level4_verdict_set"),
    path(report + "level4/<int:requirement_pk>/plan/", views.level4_actions_save, name="level4_actions_save"),
    # Phần I
    path(report + "data/", views.report_data, name="report_data"),
    path(report + "data/<slug:key>/", views.data_table_save, name="data_table_save"),
    # Council, working groups, plan
    path(report + "council/", views.report_council, name="report_council"),
    path(report + "council/decision/", views.council_update, name="council_update"),
    path(report + "council/members/new/", views.council_member_create, name="council_member_create"),
    path(report + "council/members/<int:member_pk>/", views.council_member_update, name="council_member_update"),
    path(report + "council/members/<int:member_pk>/delete/", views.council_member_delete, name="council_member_delete"),
    path(report + "council/members/<int:member_pk>/account/", views.council_member_account, name="council_member_account"),
    path(report + "council/groups/new/", views.working_group_create, name="working_group_create"),
    path(report + "council/groups/<int:group_pk>/", views.working_group_update, name="working_group_update"),
    path(report + "council/groups/<int:group_pk>/delete/", views.working_group_delete, name="working_group_delete"),
    path(report + "plan/", views.report_plan, name="report_plan"),
    path(report + "plan/save/", views.plan_save, name="plan_save"),
    # TT57/2026 reports (Biểu 1): Phần I, a criterion, a standard, Phần III, Phần IV
    path(report + "tt57/overview/", views_tt57.overview, name="tt57_overview"),
    path(report + "tt57/criteria/<int:criterion_pk>/", views_tt57.criterion, name="tt57_criterion"),
    path(report + "tt57/criteria/<int:criterion_pk>/hints/", views_tt57.hint_set, name="tt57_hint_set"),
    path(report + "tt57/standards/<int:standard_pk>/", views_tt57.standard, name="tt57_standard"),
    path(report + "tt57/conclusion/", views_tt57.conclusion, name="tt57_conclusion"),
    path(report + "tt57/conclusion/approval/", views_tt57.approval_set, name="tt57_approval_set"),
    path(report + "tt57/appendix/", views_tt57.appendix, name="tt57_appendix"),
    # TT57/2026 Biểu 2: the improvement plan of the report, and its monitoring during the year
    path(report + "tt57/plan/", views_plan57.plan57_page, name="plan57"),
    path(report + "tt57/plan/create/", views_plan57.plan57_create, name="plan57_create"),
    path(report + "tt57/plan/sections/", views_plan57.plan57_sections, name="plan57_sections"),
    path(report + "tt57/plan/issues/new/", views_plan57.plan57_issue_save, name="plan57_issue_add"),
    path(report + "tt57/plan/issues/<int:issue_pk>/", views_plan57.plan57_issue_save, name="plan57_issue_edit"),
    path(report + "tt57/plan/actions/new/", views_plan57.plan57_action_save, name="plan57_action_add"),
    path(report + "tt57/plan/actions/<int:action_pk>/", views_plan57.plan57_action_save, name="plan57_action_edit"),
    path(report + "tt57/plan/actions/<int:action_pk>/status/", views_plan57.plan57_action_status,
         name="plan57_action_status"),
    path(report + "tt57/plan/<slug:kind>/<int:row_pk>/delete/", views_plan57.plan57_row_delete, name="plan57_row_delete"),
    path(report + "tt57/plan/<slug:kind>/<int:row_pk>/move/", views_plan57.plan57_row_move, name="plan57_row_move"),
    path(report + "tt57/plan/checks/new/", views_plan57.plan57_check_save, name="plan57_check_add"),
    path(report + "tt57/plan/checks/<int:check_pk>/", views_plan57.plan57_check_save, name="plan57_check_edit"),
    # Starting the TT57 report from an earlier one: council and evidence codes to confirm
    path("schools/<int:school_pk>/carry-forward/", views_carryforward.carry_forward_start, name="carry_forward_start"),
    path(report + "carry-forward/", views_carryforward.carry_forward, name="carry_forward"),
    path(report + "carry-forward/confirm/", views_carryforward.carry_forward_confirm, name="carry_forward_confirm"),
    path(report + "carry-forward/items/<int:item_pk>/", views_carryforward.carry_forward_item, name="carry_forward_item"),
    path(report + "carry-forward/council/", views_carryforward.carry_forward_council, name="carry_forward_council"),
    # Improvement-plan tracking (kế hoạch cải tiến chất lượng)
    path("improvement/", tracking.improvement_rollup, name="improvement_rollup"),
    path("improvement/schools/<int:school_pk>/", tracking.improvement_plan, name="improvement_plan"),
    path("improvement/actions/<int:action_pk>/", tracking.improvement_action_detail, name="improvement_action_detail"),
    path("improvement/actions/<int:action_pk>/status/", tracking.improvement_action_status,
         name="improvement_action_status"),
    path("improvement/actions/<int:action_pk>/edit/", tracking.improvement_action_update,
         name="improvement_action_update"),
    path("improvement/actions/<int:action_pk>/notes/", tracking.improvement_progress_add,
         name="improvement_progress_add"),
]
