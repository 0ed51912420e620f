"""Log in with either the username or the e-mail address (case-insensitive); the login lock's
name for an account; the password length rule with a Vietnamese message."""

import ipaddress

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.utils.translation import gettext as _

from .models import User


def accounts_named(login: str):
    """The account a login name leads to (a queryset of at most one, by the database's rules).

    A name with "@" is an e-mail, anything else a username, both compared without case. The
    constraints on User (unique lowered username and e-mail; a username holds "@" only when it is
    the account's own e-mail) make the answer one account or none, so a principal who creates
    "Admin" or names an account after someone's e-mail cannot shadow the real one.
    """
    login = (login or "").strip()
    if "@" in login:
        return User.objects.filter(email__iexact=login)
    return User.objects.filter(username__iexact=login)


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        candidates = list(accounts_named(username)[:2])
        if len(candidates) != 1:
            # Run the hasher anyway so that timing does not reveal whether the account exists.
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_login_name(request, credentials=None) -> str:
    """The name axes counts failures under: the account's username, however it was typed.

    The login backend accepts the username in any case and the e-mail address too; counted as
    typed, "Reviewer", "REVIEWER" and the e-mail would each get their own allowance of attempts
    and a locked account could still log in under another spelling.
    """
    data = credentials if credentials is not None else getattr(request, "POST", {})
    typed = str(data.get("username") or "").strip().lower()
    if not typed:
        return typed
    matches = list(accounts_named(typed).values_list("username", flat=True)[:2])
    return matches[0].lower() if len(matches) == 1 else typed


def client_address(request) -> str:
    """The client's address for the login lock (AXES_CLIENT_IP_CALLABLE).

    Without proxies (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR. Behind N trusted proxies, each
    appends to X-Forwarded-For the address it received the request from, so the N-th entry from
    the right is the address the outermost trusted proxy saw; entries further left are what the
    client claimed and are ignored (an attacker cannot pick the address its failures count under).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote  # the request did not come through every proxy
    candidate = hops[-count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


UNLOCK_SALT = "kiemdinh.login-unlock"


def unlock_token(user: User, address: str) -> str:
    """A signed token that lifts the lock of ``user`` at ``address`` (mailed to the person).

    It names the last login, so it stops working once the person has logged in again.
    """
    stamp = int(user.last_login.timestamp()) if user.last_login else 0
    return signing.TimestampSigner(salt=UNLOCK_SALT).sign_object([user.pk, address, stamp])


def unlock_token_read(token: str) -> tuple[User, str] | None:
    """The account and the address of a valid, unexpired unlock token, else None."""
    max_age = settings.LOGIN_UNLOCK_LINK_MINUTES * 60
    try:
        pk, address, stamp = signing.TimestampSigner(salt=UNLOCK_SALT).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or stamp != (int(user.last_login.timestamp()) if user.last_login else 0):
        return None
    return user, address


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in our catalog (Django 5.2 reworded the message and
    its Vietnamese catalog has no translation of the new wording yet)."""

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("Mật khẩu cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
