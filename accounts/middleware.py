import time

from django.conf import settings


class IdleSessionMiddleware:
    """Log people out after SESSION_IDLE_MINUTES of inactivity.

    The session's expiry is pushed forward on activity, but at most once per
    SESSION_REFRESH_SECONDS, so that a busy page does not write the session on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
            now = int(time.time())
            last = session.get("_last_refresh", 0)
            if now - last >= settings.SESSION_REFRESH_SECONDS:
                session["_last_refresh"] = now
        return self.get_response(request)
