"""Permission matrix entries of the project-level and schools URLs."""

from kiemdinh.testing import LOGIN, UrlCase, everyone

SCHOOL_ROLES_403 = {"principal_a": 403, "staff_a": 403, "principal_c": 403}
MANAGERS_200 = everyone(200, **SCHOOL_ROLES_403)
STAFF_ACCOUNT = {
    "principal_a": 302, "staff_a": 403, "principal_c": 404, "reviewer": 302, "head": 302,
    "other_reviewer": 404, "officer": 302, "sysadmin": 302,
}


def setup(ctx):
    ctx["staff_membership"] = ctx["staff_a"].memberships.get()


CASES = [
    UrlCase("home", {"anonymous": LOGIN}, default=302),
    UrlCase("healthz", {}, default=200),
    UrlCase("login", {"anonymous": 200}, default=302),
    UrlCase("logout", {"anonymous": 302}, method="post", default=302),
    UrlCase("logout", {"anonymous": 405}, default=405, label="logout:get-not-allowed"),
    UrlCase("set_language", {"anonymous": 302}, method="post", default=302, data=lambda ctx: {"language": "en"}),
    UrlCase("password_change", everyone(200)),
    UrlCase("password_change_done", everyone(200)),
    UrlCase("password_reset", {"anonymous": 200}, default=200),
    UrlCase("password_reset_done", {"anonymous": 200}, default=200),
    UrlCase("password_reset_confirm", {"anonymous": 200}, default=200,
            kwargs=lambda ctx: {"uidb64": "MQ", "token": "bad-token"}),
    UrlCase("password_reset_complete", {"anonymous": 200}, default=200),
    UrlCase("schools:school_list", MANAGERS_200),
    UrlCase("schools:school_create", MANAGERS_200),
    UrlCase("schools:school_import", MANAGERS_200),
    UrlCase("schools:school_import_template", MANAGERS_200),
    UrlCase(
        "schools:school_detail",
        everyone(200, principal_c=404, other_reviewer=404),
        kwargs=lambda ctx: {"pk": ctx["school_a"].pk},
    ),
    UrlCase(
        "schools:school_update",
        everyone(200, principal_a=403, staff_a=403, principal_c=404, other_reviewer=404),
        kwargs=lambda ctx: {"pk": ctx["school_a"].pk},
    ),
    UrlCase("schools:account_list", everyone(200, staff_a=403)),
    UrlCase("schools:account_create", everyone(200, staff_a=403)),
    UrlCase(
        "schools:account_detail",
        everyone(200, staff_a=403, principal_c=404, other_reviewer=404),
        kwargs=lambda ctx: {"pk": ctx["staff_a"].pk},
    ),
    UrlCase(
        "schools:account_membership_add", STAFF_ACCOUNT, method="post",
        kwargs=lambda ctx: {"pk": ctx["staff_a"].pk},
        data=lambda ctx: {"role-role": "school_staff", "role-school": ctx["school_a"].pk, "role-title": "Thư ký"},
    ),
    UrlCase(
        "schools:account_membership_add", everyone(405, anonymous=LOGIN), kwargs=lambda ctx: {"pk": ctx["staff_a"].pk},
        label="schools:account_membership_add:get-not-allowed",
    ),
    UrlCase(
        "schools:account_membership_deactivate", STAFF_ACCOUNT, method="post",
        kwargs=lambda ctx: {"pk": ctx["staff_a"].pk, "membership_pk": ctx["staff_membership"].pk},
    ),
    UrlCase(
        "schools:account_send_password_link", STAFF_ACCOUNT, method="post",
        kwargs=lambda ctx: {"pk": ctx["staff_a"].pk},
    ),
    UrlCase("schools:profile", everyone(200)),
    UrlCase("schools:login_unlock_request", {"anonymous": 302}, method="post", default=302,
            data=lambda ctx: {"username": "reviewer"}),
    UrlCase("schools:login_unlock_request", {"anonymous": 405}, default=405,
            label="schools:login_unlock_request:get-not-allowed"),
    UrlCase("schools:login_unlock", {"anonymous": 200}, default=200, kwargs=lambda ctx: {"token": "bad-token"}),
]
