from django.contrib import admin

from review.models import Adoption, ReviewEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is append-only: the admin shows it but never edits or deletes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["bulletin", "action", "from_unit", "to_unit", "actor", "at", "reason"]
    list_filter = ["action"]
    list_select_related = ["bulletin", "from_unit", "to_unit", "actor"]


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ["bulletin", "unit", "level", "kind", "adopted_at"]
    list_filter = ["level", "kind"]
    list_select_related = ["bulletin", "unit"]
