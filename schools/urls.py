from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/new/", views.school_create, name="school_create"),
    path("schools/import/", views.school_import, name="school_import"),
    path("schools/import/template.xlsx", views.school_import_template, name="school_import_template"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_update, name="school_update"),
    path("people/", views.account_list, name="account_list"),
    path("people/new/", views.account_create, name="account_create"),
    path("people/<int:pk>/", views.account_detail, name="account_detail"),
    path("people/<int:pk>/roles/add/", views.account_membership_add, name="account_membership_add"),
    path(
        "accounts/<int:pk>/roles/<int:membership_pk>/deactivate/",
        views.account_membership_deactivate,
        name="account_membership_deactivate",
    ),
    path("people/<int:pk>/password-link/", views.account_send_password_link, name="account_send_password_link"),
    path("profile/", views.profile, name="profile"),
    path("accounts/unlock/", views.login_unlock_request, name="login_unlock_request"),
    path("accounts/unlock/<str:token>/", views.login_unlock, name="login_unlock"),
]
