"""Site-wide middleware: the request id, the interface language, the request size bound, private pages."""

import re
import uuid

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from config.logging import request_id_var

# nginx's $request_id is 32 hex digits; anything else a client sends is replaced.
REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """One id per request, on every log line it causes (config/logging.py) and in X-Request-ID.

    Taken from the proxy's X-Request-ID (nginx sets it: docs/deploy.md) so that nginx's access log
    and the app's lines join up; made here when there is none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ChosenLanguageMiddleware:
    """In place of Django's LocaleMiddleware, which follows Accept-Language.

    Offices' computers often have English browsers; the users read Chinese. The language switch
    (Django's set_language view) stores the choice in a cookie, and that choice sticks.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than MAX_REQUEST_BYTES from its Content-Length, before any of it is read.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves file parts out, so a 300 MB upload was read and
    stored whole before the form refused it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(_("The request's length is not a number."))
        if length > settings.MAX_REQUEST_BYTES:
            limit_mb = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            message = _("The request is too large: at most %(limit)s MB can be sent at once.") % {"limit": limit_mb}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """A page for a logged-in person is theirs alone: no shared cache or browser history keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
