from django.contrib import admin

from documents.models import OfficialDocument


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents change only through documents.services (a ready one never)."""

    list_display = ["title", "kind", "state", "owner", "signed_off_at", "rendered_at", "attempts", "last_error"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
