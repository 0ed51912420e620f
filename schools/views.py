"""Views of the schools app: thin, scoped lookups, one permission check each."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kiemdinh.params import int_or_none
from kiemdinh.permissions import can, check, require

from . import importers, selectors, services
from .auth import client_address, unlock_token_read
from .forms import AccountForm, LimitedPasswordChangeForm, MembershipForm, ProfileForm, SchoolForm, SchoolImportForm
from .models import Membership, Organisation, School, User
from .permissions import grantable_roles

PAGE_SIZE = 50


@login_required
def school_list(request):
    require(request.user, "school.list")
    units = list(selectors.organisations_visible_to(request.user).exclude(kind=Organisation.Kind.DEPARTMENT))
    params = {
        "query": request.GET.get("q", "").strip()[:100],
        "level": request.GET.get("level", "") if request.GET.get("level") in School.Level.values else "",
        "unit_id": int_or_none(request.GET.get("unit")),
        "status": request.GET.get("status", "") if request.GET.get("status") in School.Status.values else "",
    }
    qs = selectors.school_list(request.user, **params)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/school_list.html",
        {
            "page": page,
            "units": units,
            "params": params,
            "levels": School.Level.choices,
            "statuses": School.Status.choices,
            "can_manage": can(request.user, "school.manage"),
        },
    )


@login_required
def school_detail(request, pk: int):
    school = get_object_or_404(selectors.schools_visible_to(request.user), pk=pk)
    require(request.user, "school.view", school)
    members = Membership.objects.filter(school=school, is_active=True).select_related("user").order_by("role")
    return render(
        request,
        "schools/school_detail.html",
        {"school": school, "members": members, "can_manage": can(request.user, "school.manage", school)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def school_create(request):
    require(request.user, "school.manage")
    return _school_form(request, School())


@login_required
@require_http_methods(["GET", "POST"])
def school_update(request, pk: int):
    school = get_object_or_404(selectors.schools_visible_to(request.user), pk=pk)
    require(request.user, "school.manage", school)
    return _school_form(request, school)


def _refuse(form, exc: services.SchoolsError) -> None:
    """Show the refusal on the form, which keeps what the person typed. After a conflict the form
    carries the stored revision, so saving again is a deliberate choice to overwrite."""
    form.add_error(None, str(exc))
    if isinstance(exc, services.SchoolsConflictError):
        form.data = form.data.copy()
        form.data[form.add_prefix("revision")] = str(exc.current.revision)


def _school_form(request, school: School):
    form = SchoolForm(
        request.POST or None,
        instance=school,
        units=selectors.units_managed_by(request.user),
        schools=selectors.schools_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        creating = school.pk is None
        try:
            saved = services.school_save(
                school=form.save(commit=False), by=request.user, revision=form.cleaned_data.get("revision")
            )
        except services.SchoolsError as exc:
            _refuse(form, exc)
        else:
            message = _("Đã tạo trường %(name)s.") if creating else _("Đã lưu thông tin trường %(name)s.")
            messages.success(request, message % {"name": saved.name})
            return redirect("schools:school_detail", pk=saved.pk)
    return render(request, "schools/school_form.html", {"form": form, "school": school})


@login_required
@require_http_methods(["GET", "POST"])
def school_import(request):
    require(request.user, "school.manage")
    form = SchoolImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        units = list(selectors.units_managed_by(request.user))
        result = importers.import_schools(by=request.user, content=content, units=units)
        if result.ok:
            # Three counts: each phrase takes its own plural form, the sentence only assembles them.
            rows = ngettext("%(n)s dòng", "%(n)s dòng", result.rows) % {"n": result.rows}
            created = ngettext("%(n)s trường mới", "%(n)s trường mới", result.created) % {"n": result.created}
            updated = ngettext(
                "%(n)s trường cập nhật", "%(n)s trường cập nhật", result.updated) % {"n": result.updated}
            messages.success(request, _("Đã nhập %(rows)s: %(created)s, %(updated)s.") % {
                "rows": rows, "created": created, "updated": updated})
            return redirect("schools:school_list")
        messages.error(request, _("Tệp có lỗi; chưa có dữ liệu nào được lưu. Hãy sửa các lỗi dưới đây rồi tải lên lại."))
    return render(request, "schools/school_import.html", {"form": form, "result": result, "columns": importers.COLUMNS})


@login_required
def school_import_template(request):
    require(request.user, "school.manage")
    response = HttpResponse(
        importers.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-truong.xlsx"'
    return response


def _membership_choices(user):
    """The roles the user may grant (the role hierarchy) and the places they reach."""
    granted = set(grantable_roles(user))
    roles = [role for role in Membership.Role if role in granted]
    organisations = selectors.organisations_visible_to(user)
    return {"roles": roles, "schools": selectors.schools_visible_to(user), "organisations": organisations}


@login_required
def account_list(request):
    require(request.user, "account.manage")
    query = request.GET.get("q", "").strip()[:100]
    qs = selectors.users_visible_to(request.user)
    if query:
        qs = qs.filter(Q(full_name__icontains=query) | Q(username__icontains=query) | Q(email__icontains=query))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "schools/account_list.html", {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    require(request.user, "account.manage")
    account_form = AccountForm(request.POST or None, prefix="account", creating=True)
    role_form = MembershipForm(request.POST or None, prefix="role", **_membership_choices(request.user))
    if request.method == "POST" and account_form.is_valid() and role_form.is_valid():
        data = role_form.cleaned_data
        membership = Membership(
            role=data["role"], school=data["school"], organisation=data["organisation"], title=data["title"]
        )
        if not can(request.user, "account.manage", membership):
            role_form.add_error(None, _("Bạn không thể cấp vai trò này ở đơn vị đã chọn."))
        else:
            user = services.account_create(
                by=request.user, user=account_form.save(commit=False), membership=membership, request=request
            )
            messages.success(
                request,
                _("Đã tạo tài khoản %(name)s; thư hướng dẫn đặt mật khẩu đã được gửi tới %(email)s.")
                % {"name": user, "email": user.email},
            )
            return redirect("schools:account_detail", pk=user.pk)
    return render(request, "schools/account_form.html", {"account_form": account_form, "role_form": role_form})


def _managed_account(request, pk: int) -> User:
    return get_object_or_404(selectors.users_visible_to(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request, pk: int):
    require(request.user, "account.manage")
    account = _managed_account(request, pk)
    edit_decision = check(request.user, "account.edit", account)
    editable = edit_decision.allowed
    if request.method == "POST":
        require(request.user, "account.edit", account)
    form = AccountForm(request.POST or None, instance=account, prefix="account") if editable else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.account_update(
                by=request.user, user=form.save(commit=False), revision=form.cleaned_data["revision"]
            )
        except services.SchoolsError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Đã lưu tài khoản."))
            return redirect("schools:account_detail", pk=account.pk)
    memberships = [
        (m, can(request.user, "account.revoke", m))
        for m in account.memberships.select_related("school", "organisation", "school__reviewing_unit")
    ]
    may_grant = editable and account.pk != request.user.pk
    role_form = MembershipForm(prefix="role", **_membership_choices(request.user)) if may_grant else None
    return render(
        request,
        "schools/account_detail.html",
        {
            "account": account, "form": form, "memberships": memberships, "role_form": role_form,
            "edit_refusal": edit_decision.reason,
        },
    )


@login_required
@require_POST
def account_membership_add(request, pk: int):
    require(request.user, "account.manage")
    account = _managed_account(request, pk)
    require(request.user, "account.edit", account)
    role_form = MembershipForm(request.POST, prefix="role", **_membership_choices(request.user))
    if role_form.is_valid():
        data = role_form.cleaned_data
        membership = Membership(
            user=account, role=data["role"], school=data["school"], organisation=data["organisation"], title=data["title"]
        )
        decision = check(request.user, "account.grant", membership)
        if decision:
            services.membership_add(by=request.user, membership=membership)
            messages.success(request, _("Đã thêm vai trò."))
        else:
            messages.error(request, decision.reason)
    else:
        for errors in role_form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("schools:account_detail", pk=account.pk)


@login_required
@require_POST
def account_membership_deactivate(request, pk: int, membership_pk: int):
    require(request.user, "account.manage")
    account = _managed_account(request, pk)
    membership = get_object_or_404(account.memberships.select_related("school", "organisation"), pk=membership_pk)
    if membership.user_id != request.user.pk:
        require(request.user, "account.revoke", membership)
    try:
        services.membership_deactivate(by=request.user, membership=membership)
    except services.SchoolsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã thu hồi vai trò."))
    return redirect("schools:account_detail", pk=account.pk)


@login_required
@require_POST
def account_send_password_link(request, pk: int):
    require(request.user, "account.manage")
    account = _managed_account(request, pk)
    require(request.user, "account.edit", account)
    if not account.email:
        messages.error(request, _("Tài khoản chưa có email nên không gửi được thư đặt lại mật khẩu."))
    else:
        services.account_send_password_link(user=account, request=request)
        messages.success(request, _("Đã gửi thư đặt lại mật khẩu tới %(email)s.") % {"email": account.email})
    return redirect("schools:account_detail", pk=account.pk)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    require(request.user, "account.profile", request.user)
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                by=request.user, user=form.save(commit=False), revision=form.cleaned_data["revision"]
            )
        except services.SchoolsError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            return redirect("schools:profile")
    return render(
        request, "schools/profile.html", {"form": form, "memberships": selectors.memberships_of(request.user)}
    )


@require_POST
def login_unlock_request(request):
    """From the lockout page: mail the account a link that lifts its lock at this address."""
    login = request.POST.get("username", "").strip()[:254]
    if login and "\x00" not in login:
        services.login_unlock_send(login=login, address=client_address(request), request=request)
    messages.info(request, _(
        "Nếu tài khoản có email, một thư có đường dẫn mở khóa vừa được gửi tới đó (dùng được trong %(minutes)s phút)."
    ) % {"minutes": settings.LOGIN_UNLOCK_LINK_MINUTES})
    return redirect("login")


@require_http_methods(["GET", "POST"])
def login_unlock(request, token: str):
    """The mailed link: a page with one button (mail scanners open links; only a click unlocks)."""
    found = unlock_token_read(token)
    if found is not None and request.method == "POST":
        user, address = found
        services.login_unlock(user=user, address=address)
        messages.success(request, _("Đã mở khóa đăng nhập. Hãy đăng nhập lại, lưu ý nhập đúng mật khẩu."))
        return redirect("login")
    return render(request, "registration/login_unlock.html", {"valid": found is not None, "token": token})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view with the login's attempt limit on the current password (see the form)."""

    form_class = LimitedPasswordChangeForm

    def _credentials(self) -> dict:
        return {"username": self.request.user.get_username()}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            kwargs["locked"] = not AxesProxyHandler.is_allowed(self.request, self._credentials())
        return kwargs

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            # Counted by django-axes as a failed login of this account from this address.
            user_login_failed.send(sender=__name__, credentials=self._credentials(), request=self.request)
        return super().form_invalid(form)
