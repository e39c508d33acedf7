from django.contrib import admin

from calls.models import Call, CallEvent, CallTarget, PointList, ReportingPoint


class ReadOnly(admin.ModelAdmin):
    """Calls are changed by their services only (each change is recorded); the admin reads them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TargetInline(admin.TabularInline):
    model = CallTarget
    fields = ["unit", "state", "answered_at", "on_time", "answers_arrived", "answers_adopted", "last_reminded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    raw_id_fields = ["unit"]

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(TargetInline):
    model = CallEvent
    fields = ["at", "action", "actor", "unit", "old_deadline_at", "new_deadline_at", "reason"]
    readonly_fields = fields
    raw_id_fields = ["actor", "unit"]


@admin.register(Call)
class CallAdmin(ReadOnly):
    list_display = ["title", "issuer_unit", "deadline_at", "state", "target_count", "issued_at"]
    list_filter = ["state", "target_mode"]
    list_select_related = ["issuer_unit"]
    search_fields = ["title", "theme", "issuer_unit__name"]
    readonly_fields = [f.name for f in Call._meta.fields]
    inlines = [EventInline]


class PointInline(TargetInline):
    model = ReportingPoint
    fields = ["number", "theme"]
    readonly_fields = fields
    raw_id_fields = []


@admin.register(PointList)
class PointListAdmin(ReadOnly):
    list_display = ["title", "unit", "period_start", "period_end", "published_at"]
    list_select_related = ["unit"]
    readonly_fields = [f.name for f in PointList._meta.fields]
    inlines = [PointInline]
