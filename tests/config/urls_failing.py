"""The site's URLs plus one view that fails, for the tests of what a server error does."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401 - the handlers are read here


@login_not_required
def failing_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*urlpatterns, path("failing/", failing_view)]
