from kiemdinh.testing import UrlCase, everyone
from notifications.services import notify


def setup(ctx):
    ctx["notification"] = notify(
        user=ctx["principal_a"], kind="general", title="Thông báo thử", url="/", email=False
    )


CASES = [
    UrlCase("notifications:notification_list", everyone(200)),
    UrlCase(
        "notifications:notification_open", everyone(404, principal_a=302), method="post",
        kwargs=lambda ctx: {"pk": ctx["notification"].pk},
    ),
    UrlCase("notifications:notification_mark_all_read", everyone(302), method="post"),
    UrlCase("notifications:email_preferences", everyone(200)),
]
