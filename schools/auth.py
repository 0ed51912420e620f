"""Log in with either the username or the e-mail address (case-insensitive)."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        login = username.strip()
        candidates = list(User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))[:2])
        if len(candidates) != 1:
            # Run the hasher anyway so that timing does not reveal whether the account exists.
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
