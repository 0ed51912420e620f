"""Project-level views: the health probe and error pages (the role-based start page is home.views.home)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kiemdinh.storage import is_local

logger = logging.getLogger(__name__)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def _check_storage() -> str:
    # One HEAD of the bucket: it exists, it answers, and it accepts the keys.
    default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Deployment probe: 200 when the database (and Redis and the bucket, when configured) answer, else 503."""
    started = time.perf_counter()
    checks: dict[str, str] = {}
    healthy = True
    probes = [("database", _check_database)]
    if settings.REDIS_URL:
        probes.append(("redis", _check_redis))
    if not is_local(default_storage):
        probes.append(("storage", _check_storage))
    for name, probe in probes:
        try:
            checks[name] = probe()
        except Exception as exc:  # any failure of a dependency is reported, never raised
            logger.warning("healthz: %s check failed: %s", name, exc)
            checks[name] = "error"
            healthy = False
    body = {
        "status": "ok" if healthy else "error",
        "checks": checks,
        "ms": round((time.perf_counter() - started) * 1000, 2),
    }
    return JsonResponse(body, status=200 if healthy else 503)


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def _back_url(request) -> str:
    """The page the person came from when it is on this site (their form lives there), else "".

    Reads only headers: on a refused post the body may be unreadable (too big, too many fields).
    """
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page of a request with a bad Host header
        return ""
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return referer
    return ""


def bad_request(request, exception=None):
    # Never touches request.POST: after RequestDataTooBig or TooManyFieldsSent reading it raises again.
    return render(request, "errors/400.html", {"back_url": _back_url(request)}, status=400)


def csrf_failure(request, reason=""):
    """A post with a missing or stale CSRF token (an old tab, an expired session): say how to go on."""
    context = {"back_url": _back_url(request), "no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "errors/403_csrf.html", context, status=403)
