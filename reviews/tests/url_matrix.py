"""Permission matrix entries of the district review URLs (style.md item 20).

The report of school A is submitted (version 1), under review by ``reviewer`` with one open
thread, and has a pending unlock request, so that every URL has an object to act on. Expected
statuses are about who may: a right person whose action the workflow refuses from the current
status still gets the usual redirect with a message.
"""

from kiemdinh.testing import LOGIN, UrlCase, everyone

OUTSIDERS = {"principal_c": 404, "other_reviewer": 404}
# Visible to the school, its district and the Sở; a 404 for the other district and school.
VIEWERS = everyone(200, **OUTSIDERS)
# Every district office has its own queue (empty for the other district).
DISTRICT_PAGE = everyone(403, reviewer=200, head=200, other_reviewer=200)
PRINCIPAL_ACTION = everyone(403, principal_a=302, **OUTSIDERS)
REVIEWER_ACTION = everyone(403, reviewer=302, head=302, **OUTSIDERS)
THREAD_ACTION = everyone(403, principal_a=302, staff_a=302, reviewer=302, head=302, **OUTSIDERS)
SCHOOL_THREAD_ACTION = everyone(403, principal_a=302, staff_a=302, **OUTSIDERS)
DISTRICT_THREAD_ACTION = everyone(403, reviewer=302, head=302, **OUTSIDERS)
POST_ONLY_GET = everyone(405, anonymous=LOGIN)


def setup(ctx):
    from reviews import services
    from reviews.models import UnlockRequest
    from reviews.tests import factories
    from standards.models import Criterion

    # A complete report, so that it goes through the real submission gate.
    report = factories.complete(factories.report_for(ctx["school_a"], ctx["principal_a"]), ctx["principal_a"])
    version = services.report_submit(report=report, by=ctx["principal_a"])
    ctx["review_report"] = report
    ctx["review_version"] = version
    ctx["review_thread"] = services.thread_open(report=report, by=ctx["reviewer"], text="Bổ sung minh chứng")
    ctx["review_criterion"] = Criterion.objects.get(number="1.1", standard__version=report.regulation_version)
    ctx["review_unlock"] = UnlockRequest.objects.create(
        report=report, reason="Sửa số liệu", requested_by=ctx["principal_a"]
    )


def _report(ctx):
    return {"pk": ctx["review_report"].pk}


def _version(ctx):
    return {"pk": ctx["review_report"].pk, "number": ctx["review_version"].number}


def _thread(ctx):
    return {"pk": ctx["review_thread"].pk}


def _unlock(ctx):
    return {"pk": ctx["review_unlock"].pk}


def _criterion(ctx):
    return {**_version(ctx), "criterion_pk": ctx["review_criterion"].pk}


def _post_only(name, kwargs):
    return UrlCase(name, POST_ONLY_GET, kwargs=kwargs, label=f"{name}:get-not-allowed")


CASES = [
    UrlCase("reviews:report_queue", DISTRICT_PAGE),
    UrlCase("reviews:report_queue", DISTRICT_PAGE, query="?tab=unassigned", label="reviews:report_queue:unassigned"),
    # The unit's head and the Sở set how the unit reviews; schools and the other district do not see the unit.
    UrlCase("reviews:unit_settings", everyone(404, head=200, officer=200, reviewer=403, sysadmin=403),
            kwargs=lambda ctx: {"pk": ctx["district"].pk}),
    UrlCase("reviews:unit_settings", everyone(404, head=302, officer=302, reviewer=403, sysadmin=403), method="post",
            kwargs=lambda ctx: {"pk": ctx["district"].pk}, data=lambda ctx: {"requires_head_approval": "on"},
            label="reviews:unit_settings:post"),
    UrlCase("reviews:report_detail", VIEWERS, kwargs=_report),
    UrlCase("reviews:report_submit", PRINCIPAL_ACTION, method="post", kwargs=_report),
    _post_only("reviews:report_submit", _report),
    UrlCase("reviews:report_withdraw", PRINCIPAL_ACTION, method="post", kwargs=_report),
    _post_only("reviews:report_withdraw", _report),
    UrlCase("reviews:report_start_review", REVIEWER_ACTION, method="post", kwargs=_report),
    _post_only("reviews:report_start_review", _report),
    UrlCase("reviews:report_assign", REVIEWER_ACTION, method="post", kwargs=_report,
            data=lambda ctx: {"reviewer": ctx["reviewer"].pk}),
    _post_only("reviews:report_assign", _report),
    UrlCase("reviews:report_return", everyone(403, reviewer=200, head=200, **OUTSIDERS), kwargs=_report),
    UrlCase("reviews:report_return", REVIEWER_ACTION, method="post", kwargs=_report,
            data=lambda ctx: {"reason": "Cần bổ sung minh chứng cho tiêu chí 1.1"}, label="reviews:report_return:post"),
    UrlCase("reviews:report_accept", REVIEWER_ACTION, method="post", kwargs=_report),
    _post_only("reviews:report_accept", _report),
    UrlCase("reviews:report_forward", REVIEWER_ACTION, method="post", kwargs=_report),
    _post_only("reviews:report_forward", _report),
    UrlCase("reviews:report_close", everyone(403, officer=302, **OUTSIDERS), method="post", kwargs=_report),
    _post_only("reviews:report_close", _report),
    UrlCase("reviews:report_unlock_request", everyone(403, principal_a=200, **OUTSIDERS), kwargs=_report),
    # The report is in review, so the request is refused and the form comes back with the reason kept.
    UrlCase("reviews:report_unlock_request", everyone(403, principal_a=200, **OUTSIDERS), method="post",
            kwargs=_report, data=lambda ctx: {"reason": "Sửa số liệu"}, label="reviews:report_unlock_request:post"),
    UrlCase("reviews:unlock_grant", REVIEWER_ACTION, method="post", kwargs=_unlock),
    _post_only("reviews:unlock_grant", _unlock),
    UrlCase("reviews:unlock_refuse", REVIEWER_ACTION, method="post", kwargs=_unlock, data=lambda ctx: {"note": "Không"}),
    _post_only("reviews:unlock_refuse", _unlock),
    UrlCase("reviews:version_detail", VIEWERS, kwargs=_version),
    UrlCase("reviews:version_content", VIEWERS, kwargs=_version),
    UrlCase("reviews:version_compare", VIEWERS, kwargs=_report),
    UrlCase("reviews:criterion_review_set", REVIEWER_ACTION, method="post", kwargs=_criterion,
            data=lambda ctx: {"reviewed": "on"}),
    _post_only("reviews:criterion_review_set", _criterion),
    UrlCase("reviews:thread_create", REVIEWER_ACTION, method="post", kwargs=_report,
            data=lambda ctx: {"text": "Góp ý mới", "version": ctx["review_version"].number}),
    _post_only("reviews:thread_create", _report),
    UrlCase("reviews:comment_create", THREAD_ACTION, method="post", kwargs=_thread, data=lambda ctx: {"text": "Đã sửa"}),
    _post_only("reviews:comment_create", _thread),
    # "Đã sửa" is the school's; closing and reopening the district's.
    UrlCase("reviews:thread_mark_fixed", SCHOOL_THREAD_ACTION, method="post", kwargs=_thread,
            data=lambda ctx: {"text": "Đã sửa"}),
    _post_only("reviews:thread_mark_fixed", _thread),
    UrlCase("reviews:thread_resolve", DISTRICT_THREAD_ACTION, method="post", kwargs=_thread),
    _post_only("reviews:thread_resolve", _thread),
    UrlCase("reviews:thread_reopen", DISTRICT_THREAD_ACTION, method="post", kwargs=_thread),
    _post_only("reviews:thread_reopen", _thread),
]
