from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kiemdinh.permissions import require

from . import selectors, services
from .forms import EmailPreferencesForm


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go to the page it is about."""
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    require(request.user, "notification.read", notification)
    services.notification_mark_read(notification=notification, by=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:notification_list")


@login_required
@require_POST
def notification_mark_all_read(request):
    count = services.notifications_mark_all_read(by=request.user)
    messages.success(request, ngettext(
        "Đã đánh dấu %(n)s thông báo là đã đọc.", "Đã đánh dấu %(n)s thông báo là đã đọc.", count) % {"n": count})
    return redirect("notifications:notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request):
    form = EmailPreferencesForm(request.POST or None, initial={"muted": sorted(selectors.muted_kinds(request.user))})
    if request.method == "POST" and form.is_valid():
        services.email_mutes_set(by=request.user, kinds=form.cleaned_data["muted"])
        messages.success(request, _("Đã lưu tùy chọn nhận email."))
        return redirect("notifications:email_preferences")
    return render(request, "notifications/email_preferences.html", {"form": form})
