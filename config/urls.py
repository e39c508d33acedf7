from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from config.health import DetailedHealthView
from config.views import favicon, healthz

admin.site.site_header = admin.site.site_title = "组工信息报送审核平台 · 管理"

urlpatterns = [
    path("", include("home.urls")),
    path("", include("accounts.urls")),
    path("healthz", healthz, name="healthz"),
    path("healthz/detail", login_not_required(DetailedHealthView.as_view()), name="healthz-detail"),
    path("bulletins/", include("bulletins.urls")),
    path("review/", include("review.urls")),
    path("calls/", include("calls.urls")),
    path("inbox/", include("notifications.urls")),
    path("documents/", include("documents.urls")),
    path("journals/", include("journals.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
