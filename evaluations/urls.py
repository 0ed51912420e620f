from django.urls import path

from . import views, views_periodic, views_recognition

app_name = "evaluations"

urlpatterns = [
    # The year's accreditation plan (kế hoạch kiểm định năm).
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_update, name="plan_update"),
    path("plans/<int:pk>/schools/add/", views.plan_schools_add, name="plan_schools_add"),
    path("plans/entries/<int:pk>/edit/", views.plan_entry_update, name="plan_entry_update"),
    path("plans/entries/<int:pk>/remove/", views.plan_entry_remove, name="plan_entry_remove"),
    # External-evaluation rounds (đợt đánh giá ngoài) and their milestones.
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_update, name="round_update"),
    path("rounds/<int:pk>/schools/add/", views.round_schools_add, name="round_schools_add"),
    path("rounds/<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("rounds/<int:pk>/milestones/defaults/", views.milestone_defaults, name="milestone_defaults"),
    path("registrations/<int:pk>/remove/", views.round_registration_remove, name="round_registration_remove"),
    path("registrations/<int:pk>/evaluation/", views.evaluation_start, name="evaluation_start"),
    path("milestones/<int:pk>/edit/", views.milestone_update, name="milestone_update"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("milestones/<int:pk>/complete/", views.milestone_complete, name="milestone_complete"),
    path("milestones/<int:pk>/reopen/", views.milestone_reopen, name="milestone_reopen"),
    # External evaluations (đánh giá ngoài).
    path("external/", views.evaluation_list, name="evaluation_list"),
    path("external/new/", views.evaluation_create, name="evaluation_create"),
    path("external/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("external/<int:pk>/edit/", views.evaluation_update, name="evaluation_update"),
    path("external/<int:pk>/team/", views.evaluation_team, name="evaluation_team"),
    path("external/<int:pk>/results/", views.evaluation_results, name="evaluation_results"),
    path("external/<int:pk>/recommendations/add/", views.recommendation_add, name="recommendation_add"),
    path("external/<int:pk>/complete/", views.evaluation_complete, name="evaluation_complete"),
    path("external/<int:pk>/reopen/", views.evaluation_reopen, name="evaluation_reopen"),
    path("recommendations/<int:pk>/delete/", views.recommendation_delete, name="recommendation_delete"),
    path("recommendations/<int:pk>/adopt/", views.recommendation_adopt, name="recommendation_adopt"),
    # Certificates (quyết định công nhận).
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/new/", views.certificate_create, name="certificate_create"),
    path("certificates/<int:pk>/edit/", views.certificate_update, name="certificate_update"),
    # Periodic reporting deadlines (20/12, 10/5) and a school's upcoming deadlines.
    path("deadlines/", views.deadline_list, name="deadline_list"),
    path("deadlines/setup/", views.deadline_setup, name="deadline_setup"),
    path("deadlines/<int:pk>/", views.deadline_detail, name="deadline_detail"),
    path("deadlines/<int:pk>/edit/", views.deadline_update, name="deadline_update"),
    path("upcoming/", views.upcoming, name="upcoming"),
    # A unit's deadlines of a school year, TT57 kinds included (15/6 approval, Biểu 2 monitoring points).
    path("deadlines/units/<int:unit_pk>/<str:year>/", views_recognition.deadline_configure, name="deadline_configure"),
    path("deadlines/units/<int:unit_pk>/<str:year>/add/", views_recognition.deadline_add, name="deadline_add"),
    path("deadlines/<int:pk>/remove/", views_recognition.deadline_remove, name="deadline_remove"),
    # National-standard recognition under TT57/2026 (Điều 16-19), by the Sở.
    path("recognition/", views_recognition.recognition_list, name="recognition_list"),
    path("recognition/schools/<int:pk>/", views_recognition.recognition_school, name="recognition_school"),
    path("recognition/schools/<int:pk>/facilities/", views_recognition.facilities57_set, name="facilities57_set"),
    path("recognition/schools/<int:pk>/record/", views_recognition.recognition57_create, name="recognition57_create"),
    # A school's periodic report (báo cáo định kỳ) for a deadline, and its review.
    path("deadlines/<int:pk>/schools/<int:school_pk>/", views_periodic.periodic_report_detail,
         name="periodic_report_detail"),
    path("deadlines/<int:pk>/schools/<int:school_pk>/open/", views_periodic.periodic_report_open,
         name="periodic_report_open"),
    path("periodic/<int:pk>/save/", views_periodic.periodic_report_save, name="periodic_report_save"),
    path("periodic/<int:pk>/submit/", views_periodic.periodic_report_submit, name="periodic_report_submit"),
    path("periodic/<int:pk>/withdraw/", views_periodic.periodic_report_withdraw, name="periodic_report_withdraw"),
    path("periodic/<int:pk>/review/", views_periodic.periodic_report_start_review, name="periodic_report_start_review"),
    path("periodic/<int:pk>/return/", views_periodic.periodic_report_return, name="periodic_report_return"),
    path("periodic/<int:pk>/accept/", views_periodic.periodic_report_accept, name="periodic_report_accept"),
    path("periodic/<int:pk>/reopen/", views_periodic.periodic_report_unlock, name="periodic_report_unlock"),
]
