"""Site-wide views that belong to no app."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe


@login_not_required
@require_safe
@cache_control(max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico on every site, whatever the page links to."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness, for the load balancer: this process answers. Nothing else is checked on purpose.

    The database, Redis, the storage, the workers and the beat are the detailed report's
    (/healthz/detail, config/health.py): a shared part failing must not take every host out of
    the pool at once, and with Redis down the site still serves (config/cache.py).
    """
    return JsonResponse({"status": "ok"})
