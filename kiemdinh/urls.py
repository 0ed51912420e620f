from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import home.urls
import reviews.urls
import schools.urls
from home import views as home_views
from schools import language
from schools.forms import LoginForm, PasswordResetRequestForm
from schools.views import PasswordChangeView

from . import views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetRequestForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # The start pages and dashboards live in the top-level app (home) under their former names.
    path("", include((home.urls.school_patterns + schools.urls.urlpatterns, "schools"))),
    path("notifications/", include("notifications.urls")),
    path("standards/", include("standards.urls")),
    path("evidence/", include("evidence.urls")),
    path("reports/", include("selfassessment.urls")),
    path("review/", include((home.urls.review_patterns + reviews.urls.urlpatterns, "reviews"))),
    path("evaluations/", include("evaluations.urls")),
    path("exports/", include("exports.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "kiemdinh.views.bad_request"
handler403 = "kiemdinh.views.permission_denied"
handler404 = "kiemdinh.views.page_not_found"
handler500 = "kiemdinh.views.server_error"
