"""The language of the pages, read and stored: the middleware and the language switch.

Vietnamese unless the person chose English: the account's stored preference (``User.language``)
for a signed-in person, else the cookie the switch sets, else ``LANGUAGE_CODE``; never the
browser's Accept-Language (see ``kiemdinh.language``, which holds the rule every app asks).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kiemdinh.language import valid_language

from .services import user_language_set


def request_language(request) -> str:
    user = getattr(request, "user", None)
    if "\x00" in request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""):
        # A session key with NUL cannot be looked up (PostgreSQL refuses it): no account to ask;
        # InvalidCharactersMiddleware answers the 400 page after this.
        user = None
    cookie = valid_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if user is not None and user.is_authenticated:
        chosen = valid_language(getattr(user, "language", ""))
        if chosen:
            return chosen
        if cookie:
            # Chosen with the switch before signing in: now the account's choice too, so that
            # e-mails and notifications to the person follow it (once; then the account decides).
            user_language_set(user, cookie)
    return cookie or settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activate the chosen language (never Accept-Language); must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@require_POST
def set_language(request):
    """The language switch: Django's cookie, plus the account's stored preference when signed in."""
    response = django_set_language(request)
    language = valid_language(request.POST.get("language"))
    user = getattr(request, "user", None)
    if language and user is not None and user.is_authenticated and user.language != language:
        user_language_set(user, language)
    return response
