from django.contrib import admin

from review.models import Adoption, LeaderInstruction, QueueEntry, ReviewEvent


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


@admin.register(QueueEntry)
class QueueEntryAdmin(ReadOnlyAdmin):
    list_display = ["bulletin", "unit", "version_number", "state", "opened_at", "closed_at", "action"]
    list_filter = ["state"]
    list_select_related = ["bulletin", "unit"]


@admin.register(LeaderInstruction)
class LeaderInstructionAdmin(ReadOnlyAdmin):
    list_display = ["adoption", "leader", "instructed_on", "added_at"]
    list_select_related = ["adoption", "adoption__bulletin", "adoption__unit"]
