"""Log in with either the username or the e-mail address (case-insensitive); the login lock's
name for an account; the password length rule with a Vietnamese message."""

from django.contrib.auth import password_validation
from django.contrib.auth.backends import ModelBackend
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


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in our catalog (Django 5.2 reworded the message and
    its Vietnamese catalog has no translation of the new wording yet)."""

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("Mật khẩu cần ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
