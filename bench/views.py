"""The two ceilings every page is measured against (mounted only by the bench profile: config/urls_bench.py)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def ceiling_open(request):
    """The cheapest response the full middleware stack can give: no session, no user, no query."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def ceiling_login(request):
    """The cheapest logged-in response: session and user lookup (LoginRequiredMiddleware), nothing else."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")
