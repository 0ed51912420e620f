from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.regulation_list, name="regulation_list"),
    path("schedule/", views.regulation_schedule, name="regulation_schedule"),
    path("<int:pk>/", views.regulation_detail, name="regulation_detail"),
    path("<int:pk>/export/", views.regulation_export, name="regulation_export"),
    path("import/", views.catalog_import, name="catalog_import"),
    path("import/template.xlsx", views.catalog_import_template, name="catalog_import_template"),
    path("import/<int:pk>/", views.catalog_import_confirm, name="catalog_import_confirm"),
    path("import/<int:pk>/discard/", views.catalog_import_discard, name="catalog_import_discard"),
]
