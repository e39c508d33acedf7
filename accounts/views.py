from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    """Each role's first concern on top: staff their drafts and returned bulletins, reviewers their
    queue, office heads this month's dashboard summary."""
    from dashboards.selectors import home_overview

    return render(request, "accounts/home.html", {"overview": home_overview(user=request.user)})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _broker_ok() -> bool:
    from config.celery_app import app

    try:
        with app.connection_for_write() as conn:
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
