"""Content-Security-Policy: only our own origin, no inline scripts anywhere; NUL characters refused."""

from importlib import import_module

from django.conf import settings

from kiemdinh import views

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


def _has_nul(text: str) -> bool:
    return "\x00" in text


class InvalidCharactersMiddleware:
    """A NUL character in the path, the query string or one of our cookies is refused with the 400 page.

    PostgreSQL text cannot hold NUL ("A string literal cannot contain NUL characters"), so such a
    value reaching a filter (`/people/?q=%00`) was a 500. No page of the site takes one; answering
    400 here covers every view, present and future, before anything queries. Form posts are not
    read here (an upload view must install its handlers before the body is parsed): Django's text
    fields refuse NUL themselves (ProhibitNullCharactersValidator) with a form error.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Only the cookies the site reads (the session one is looked up in the database); a stray
        # cookie of another site on the domain must not lock a person out.
        self.cookies = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)

    def __call__(self, request):
        if _has_nul(request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")):
            # The session is looked up lazily by its key: start an empty one before anything (the
            # user, the 400 page's menu) reads it; SessionMiddleware then deletes the bad cookie.
            request.session = import_module(settings.SESSION_ENGINE).SessionStore()
            return views.bad_request(request)
        if (
            _has_nul(request.path)
            or any(_has_nul(key) or any(_has_nul(v) for v in values) for key, values in request.GET.lists())
            or any(_has_nul(request.COOKIES.get(name, "")) for name in self.cookies)
        ):
            return views.bad_request(request)
        return self.get_response(request)
