"""Writes of the schools app. Every write takes the acting user and checks the policy."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.selectors import events_for
from audit.services import event_record
from kiemdinh import validation
from kiemdinh.i18n import N_, Text
from kiemdinh.language import language_of
from kiemdinh.permissions import require

from .models import Membership, School, User
from .scope import reset_scope

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _role(membership: Membership) -> StrOrPromise:
    """The role's name as a lazy label: an audit summary words it in its reader's language."""
    return Membership.Role(membership.role).label


class SchoolsError(Exception):
    """A business rule refused the write; the message is for the user."""


class SchoolsConflictError(SchoolsError):
    """Someone saved the row after the page was opened; ``current`` is the stored row."""

    def __init__(self, message: str, *, current: Model) -> None:
        super().__init__(message)
        self.current = current


SCHOOL_FIELDS = (
    "code", "name", "former_names", "level", "ownership", "reviewing_unit", "founding_year", "address", "ward",
    "phone", "email", "website", "principal_name", "sites_count", "is_difficult_area",
    "is_especially_difficult_area", "status", "merged_into",
)
PROFILE_FIELDS = ("full_name", "email", "phone", "position")
ACCOUNT_FIELDS = ("username", *PROFILE_FIELDS, "is_active")


def _shown(obj: Model, name: str) -> str:
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if getattr(field, "choices", None):
        value = getattr(obj, f"get_{name}_display")()
    elif isinstance(value, bool):
        value = _("có") if value else _("không")
    return str(value) if value not in (None, "") else _("(trống)")


def _check_revision(stored: Any, submitted: Model, revision: int | None, fields: Iterable[str]) -> None:
    """Refuse a save based on an older revision when it would change what is stored now.

    The message names who saved last and when, and the stored value of every field where the
    submitted page differs, so the person sees the other change before deciding to save again.
    """
    if revision is None or stored.revision == revision:
        return
    differing = [name for name in fields if getattr(stored, name) != getattr(submitted, name)]
    if not differing:
        return  # the other save already holds exactly this: nothing would be lost
    last = events_for(stored).first()
    who = last.actor.display_name if last is not None and last.actor is not None else _("Người khác")
    when = timezone.localtime(last.created_at if last is not None else timezone.now()).strftime("%H:%M %d/%m/%Y")
    changes = "; ".join(
        f"{stored._meta.get_field(name).verbose_name}: “{_shown(stored, name)}”" for name in differing
    )
    raise SchoolsConflictError(
        _("%(who)s đã lưu thông tin này lúc %(when)s, sau khi bạn mở trang; thay đổi của bạn chưa được lưu. "
          "Đang lưu: %(changes)s. Hãy xem lại; nếu vẫn muốn dùng nội dung bạn nhập, bấm Lưu lần nữa.")
        % {"who": who, "when": when, "changes": changes},
        current=stored,
    )


@transaction.atomic
def school_save(*, school: School, by: User, revision: int | None = None) -> School:
    """Create or update a school the actor manages (its unit is checked against the actor).

    ``revision`` is the one the edit page showed: a save based on an older one that would change
    what is stored now raises SchoolsConflictError and writes nothing.
    """
    require(by, "school.manage", school)
    if school.pk:
        stored = School.objects.select_for_update().select_related("reviewing_unit").get(pk=school.pk)
        require(by, "school.manage", stored)
        _check_revision(stored, school, revision, SCHOOL_FIELDS)
        school.revision = stored.revision + 1
    creating = school.pk is None
    validation.full_clean(school)
    school.save()
    event_record(
        actor=by, action="schools.school.created" if creating else "schools.school.updated", target=school,
        school=school, summary=Text(N_("Tạo trường %(name)s") if creating else N_("Sửa trường %(name)s"), {"name": school.name}),
    )
    return school


@transaction.atomic
def account_create(*, by: User, user: User, membership: Membership, request: HttpRequest | None = None) -> User:
    """Create an account with its first role and e-mail the person a link to set a password."""
    require(by, "account.manage", membership)
    # A random password nobody knows: the e-mailed reset link lets the person choose theirs
    # (Django's reset form ignores accounts with an unusable password).
    user.set_password(secrets.token_urlsafe(32))
    validation.full_clean(user, exclude=["password"])
    user.save()
    membership.user = user
    validation.full_clean(membership)
    membership.save()
    event_record(
        actor=by, action="schools.account.created", target=user, school=membership.school,
        summary=Text(N_("Tạo tài khoản %(user)s (%(role)s)"), {"user": user.username, "role": _role(membership)}),
        data={"role": membership.role, "school": membership.school_id, "organisation": membership.organisation_id},
    )
    if user.email:
        transaction.on_commit(lambda: account_send_password_link(user=user, request=request))
    return user


@transaction.atomic
def account_update(*, by: User, user: User, revision: int | None = None) -> User:
    """Update an account's identity; only someone who manages every role it holds (account.edit).
    ``revision`` guards against overwriting a change saved after the page was opened."""
    stored = User.objects.select_for_update().get(pk=user.pk)
    require(by, "account.edit", stored)
    if user.pk == by.pk and not user.is_active:
        raise SchoolsError(_("Bạn không thể tự khóa tài khoản của mình."))
    _check_revision(stored, user, revision, ACCOUNT_FIELDS)
    user.revision = stored.revision + 1
    validation.full_clean(user, exclude=["password"])
    # Only the details: a password or last login saved meanwhile is not put back.
    user.save(update_fields=[*ACCOUNT_FIELDS, "revision"])
    event_record(actor=by, action="schools.account.updated", target=user, summary=Text(N_("Sửa tài khoản %(user)s"), {"user": user.username}),
                 data={"is_active": user.is_active})
    return user


@transaction.atomic
def profile_update(*, by: User, user: User, revision: int | None = None) -> User:
    """Save the person's own details (name, e-mail, phone, position), guarded by ``revision``.
    Only the person themself (account.profile): anyone else changes an account on its page."""
    stored = User.objects.select_for_update().get(pk=user.pk)
    require(by, "account.profile", stored)
    _check_revision(stored, user, revision, ACCOUNT_FIELDS)
    user.revision = stored.revision + 1
    validation.full_clean(user, exclude=["password"])
    user.save(update_fields=[*PROFILE_FIELDS, "revision"])
    event_record(actor=by, action="schools.account.profile_updated", target=user,
                 summary=Text(N_("Sửa thông tin cá nhân %(user)s"), {"user": user.username}))
    return user


@transaction.atomic
def membership_add(*, by: User, membership: Membership) -> Membership:
    """Grant a role to an existing account (account.grant: never to oneself, never above one's own)."""
    require(by, "account.grant", membership)
    existing = Membership.objects.filter(
        user=membership.user, role=membership.role, school=membership.school, organisation=membership.organisation
    ).first()
    if existing:
        existing.is_active = True
        existing.title = membership.title or existing.title
        existing.save(update_fields=["is_active", "title"])
        membership = existing
    else:
        validation.full_clean(membership)
        membership.save()
    event_record(
        actor=by, action="schools.membership.granted", target=membership.user, school=membership.school,
        summary=Text(N_("Cấp vai trò %(role)s cho %(user)s"), {"role": _role(membership), "user": membership.user.username}),
        data={"role": membership.role, "school": membership.school_id, "organisation": membership.organisation_id},
    )
    reset_scope(membership.user)
    return membership


@transaction.atomic
def membership_deactivate(*, by: User, membership: Membership) -> Membership:
    if membership.user_id == by.pk:
        raise SchoolsError(_("Bạn không thể tự thu hồi vai trò của mình."))
    require(by, "account.revoke", membership)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    event_record(
        actor=by, action="schools.membership.revoked", target=membership.user, school=membership.school,
        summary=Text(N_("Thu hồi vai trò %(role)s của %(user)s"), {"role": _role(membership), "user": membership.user.username}),
        data={"role": membership.role, "school": membership.school_id, "organisation": membership.organisation_id},
    )
    reset_scope(membership.user)
    return membership


def account_send_password_link(*, user: User, request: HttpRequest | None = None) -> None:
    """E-mail the standard password-reset link, which also serves to set a first password."""
    from .forms import PasswordResetRequestForm

    form = PasswordResetRequestForm(data={"email": user.email})
    if not form.is_valid():
        return
    form.save(
        request=request,
        domain_override=None if request is not None else _site_domain(),
        use_https=request.is_secure() if request is not None else _site_is_https(),
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
    )


def _site_domain() -> str:
    from django.conf import settings

    return settings.SITE_URL.split("://", 1)[-1]


def _site_is_https() -> bool:
    from django.conf import settings

    return settings.SITE_URL.startswith("https://")


UNLOCK_MAIL_INTERVAL_SECONDS = 120


def login_unlock_send(*, login: str, address: str, request: HttpRequest) -> None:
    """E-mail the account named ``login`` a link that lifts its lock at ``address``.

    Says nothing about whether the account exists (the page answers the same either way); one
    mail per account and address every two minutes, so the form cannot flood a mailbox.
    """
    from .auth import accounts_named, unlock_token

    user = accounts_named(login).filter(is_active=True).first()
    if user is None or not user.email:
        return
    if not cache.add(f"login-unlock:{user.pk}:{address}", 1, UNLOCK_MAIL_INTERVAL_SECONDS):
        return
    link = request.build_absolute_uri(reverse("schools:login_unlock", args=[unlock_token(user, address)]))
    context = {"user": user, "link": link, "minutes": settings.LOGIN_UNLOCK_LINK_MINUTES}
    with translation.override(language_of(user)):  # the account owner's language
        subject = "".join(render_to_string("registration/login_unlock_subject.txt", context).splitlines())
        body = render_to_string("registration/login_unlock_email.txt", context)
    send_mail(subject, body, None, [user.email])


def login_unlock(*, user: User, address: str) -> None:
    """Lift the login lock of ``user`` at ``address`` (the person proved they read their e-mail)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.reset_attempts(ip_address=address, username=user.username.lower())
    event_record(actor=user, action="schools.account.login_unlocked", target=user,
                 summary=Text(N_("Mở khóa đăng nhập %(user)s qua email"), {"user": user.username}), data={"address": address})


def user_language_set(user: User, language: str) -> None:
    """Remember the language the person chose with the switch (their own preference, no audit row).

    Not an edit of the account's details: the revision that guards the profile form is left alone.
    """
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
