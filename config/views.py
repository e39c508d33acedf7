"""Site-wide views that belong to no app."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

from config.celery_app import app as celery_app


@login_not_required
@require_safe
@cache_control(max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico on every site, whatever the page links to."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness for monitoring: 200 when the database and the Celery broker both answer."""
    status = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(status.values())
    body = {"status": "ok" if healthy else "error", **{k: "ok" if v else "down" for k, v in status.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
