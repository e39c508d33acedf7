from django.contrib import admin

from incidents.models import IncidentClock


@admin.register(IncidentClock)
class IncidentClockAdmin(admin.ModelAdmin):
    list_display = ["bulletin", "filing_unit", "state", "deadline_at", "flagged_at", "sent_up_at", "late_by"]
    list_filter = ["state"]
    list_select_related = ["bulletin", "filing_unit"]
    raw_id_fields = ["bulletin", "filing_unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the record is kept by the services only

    def has_delete_permission(self, request, obj=None):
        return False
