from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification


class EmailStateFilter(admin.SimpleListFilter):
    title = _("e-mail copy")
    parameter_name = "email"

    def lookups(self, request, model_admin):
        return [("sent", _("sent")), ("waiting", _("waiting")), ("failed", _("given up"))]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(emailed_at__isnull=False)
        if self.value() == "waiting":
            return queryset.filter(emailed_at__isnull=True, email_failed_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(email_failed_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the inbox rows, and for each e-mail copy whether it left, waits, or was given up and why."""

    list_display = ("short_title", "recipient", "kind", "created_at", "emailed_at", "email_attempts", "email_failed_at")
    list_filter = (EmailStateFilter, "kind")
    list_select_related = ("recipient",)
    search_fields = ("title", "recipient__username")
    readonly_fields = [field.name for field in Notification._meta.fields]
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, obj):
        return obj.title if len(obj.title) <= 40 else obj.title[:39] + "…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
