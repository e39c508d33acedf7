"""The benchmark profile's URLconf (config.settings.bench): the product's URLs and the ceilings under /bench/."""

from django.urls import include, path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [*product_urlpatterns, path("bench/", include("bench.urls"))]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
