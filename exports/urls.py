from django.urls import path

from . import views, views_plan57

app_name = "exports"

urlpatterns = [
    path("reports/<int:pk>/", views.report_exports, name="report_exports"),
    path("reports/<int:pk>/report.<str:fmt>", views.report_download, name="report_download"),
    path("reports/<int:pk>/report.<str:fmt>/job/", views.report_request, name="report_request"),
    path("reports/<int:pk>/bieu-2.<str:fmt>", views_plan57.plan57_download, name="plan57_download"),
    path("reports/<int:pk>/sheets/<slug:sheet>.xlsx", views.report_sheet, name="report_sheet"),
    path("reports/<int:pk>/forms/<slug:form>.<str:fmt>", views.report_form, name="report_form"),
    path("evaluations/<int:pk>/result.xlsx", views.evaluation_sheet, name="evaluation_sheet"),
    path("summary/", views.district_summary, name="district_summary"),
    path("summary/download/", views.district_summary_download, name="district_summary_download"),
    path("summary/job/", views.district_summary_request, name="district_summary_request"),
    path("dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/job/", views.dashboard_request, name="dashboard_request"),
    path("rounds/<int:pk>/", views.round_exports, name="round_exports"),
    path("rounds/<int:pk>/letter.<str:fmt>", views.round_letter, name="round_letter"),
    path("rounds/<int:pk>/dossier/", views.dossier_build, name="dossier_build"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<uuid:uuid>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:uuid>/status/", views.job_status, name="job_status"),
    path("jobs/<uuid:uuid>/download/", views.job_download, name="job_download"),
    path("jobs/<uuid:uuid>/retry/", views.job_retry, name="job_retry"),
    path("verify/", views.verify, name="verify"),
]
