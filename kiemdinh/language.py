"""The language of the pages: Vietnamese unless the person chose English with the switch.

Django's LocaleMiddleware follows the browser's Accept-Language, so a teacher whose browser is
set to English got English pages she never asked for. Here the language comes only from an
explicit choice: the account's stored preference (``User.language``, remembered on every device)
for a signed-in person, else the cookie the switch sets, else Vietnamese (``LANGUAGE_CODE``).

This module holds the rule every app asks (``language_of``); the middleware and the switch, which
store the choice on the account, are ``schools.language`` (the schools app owns the accounts).
"""

from __future__ import annotations

from django.conf import settings

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def valid_language(code: str | None) -> str | None:
    """``code`` when it is a language of the site, else None."""
    return code if code in SUPPORTED else None


def language_of(user) -> str:
    """The language to write to ``user`` in (pages, notifications, e-mails): their choice or Vietnamese."""
    return valid_language(getattr(user, "language", None)) or settings.LANGUAGE_CODE
