"""Site-wide views that belong to no app."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
@cache_control(max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico on every site, whatever the page links to."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
