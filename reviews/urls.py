from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.report_queue, name="report_queue"),
    path("units/<int:pk>/settings/", views.unit_settings, name="unit_settings"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("reports/<int:pk>/start/", views.report_start_review, name="report_start_review"),
    path("reports/<int:pk>/assign/", views.report_assign, name="report_assign"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("reports/<int:pk>/forward/", views.report_forward, name="report_forward"),
    path("reports/<int:pk>/close/", views.report_close, name="report_close"),
    path("reports/<int:pk>/unlock/", views.report_unlock_request, name="report_unlock_request"),
    path("unlock/<int:pk>/grant/", views.unlock_grant, name="unlock_grant"),
    path("unlock/<int:pk>/refuse/", views.unlock_refuse, name="unlock_refuse"),
    path("reports/<int:pk>/versions/<int:number>/", views.version_detail, name="version_detail"),
    path("reports/<int:pk>/versions/<int:number>/content.json", views.version_content, name="version_content"),
    path(
        "reports/<int:pk>/versions/<int:number>/criteria/<int:criterion_pk>/reviewed/",
        views.criterion_review_set,
        name="criterion_review_set",
    ),
    path("reports/<int:pk>/compare/", views.version_compare, name="version_compare"),
    path("reports/<int:pk>/threads/new/", views.thread_create, name="thread_create"),
    path("threads/<int:pk>/reply/", views.comment_create, name="comment_create"),
    path("threads/<int:pk>/fixed/", views.thread_mark_fixed, name="thread_mark_fixed"),
    path("threads/<int:pk>/resolve/", views.thread_resolve, name="thread_resolve"),
    path("threads/<int:pk>/reopen/", views.thread_reopen, name="thread_reopen"),
]
