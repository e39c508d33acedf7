from django.contrib import admin

from events.models import PendingDelivery


@admin.register(PendingDelivery)
class PendingDeliveryAdmin(admin.ModelAdmin):
    """Read-only: what waits here is retried on its own; the list shows what failed and why."""

    list_display = ("topic", "key", "handler", "created_at", "attempts", "last_attempt_at", "last_error")
    list_filter = ("topic", "handler")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
