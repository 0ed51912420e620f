from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.library_index, name="library_index"),
    path("search/", views.evidence_search, name="evidence_search"),
    path("schools/<int:school_pk>/", views.evidence_list, name="evidence_list"),
    path("schools/<int:school_pk>/new/", views.evidence_create, name="evidence_create"),
    path("schools/<int:school_pk>/export.xlsx", views.evidence_export, name="evidence_export"),
    path("schools/<int:school_pk>/renumber/", views.evidence_renumber_preview, name="evidence_renumber_preview"),
    path("schools/<int:school_pk>/renumber/apply/", views.evidence_renumber, name="evidence_renumber"),
    path("schools/<int:school_pk>/try-citing/", views.evidence_cite_demo, name="evidence_cite_demo"),
    path("<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("<int:pk>/edit/", views.evidence_update, name="evidence_update"),
    path("<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/share/", views.evidence_share, name="evidence_share"),
    path("<int:pk>/share/<int:criterion_pk>/remove/", views.evidence_unshare, name="evidence_unshare"),
    path("<int:pk>/move/", views.evidence_move, name="evidence_move"),
    path("<int:pk>/archive/", views.evidence_archive, name="evidence_archive"),
    path("<int:pk>/restore/", views.evidence_restore, name="evidence_restore"),
    path("<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
