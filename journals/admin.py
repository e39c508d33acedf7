"""Journals and their types are set up by administrators; issues, their history and the printing
facts are read-only here (they change only through the services, and are frozen once signed off)."""

from django.contrib import admin

from journals.models import Issue, IssueEvent, Journal, JournalType, Printing


@admin.register(JournalType)
class JournalTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "tier", "sort_order")
    list_editable = ("sort_order",)


@admin.register(Journal)
class JournalAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "type", "active", "read_below", "read_above")
    list_filter = ("type", "active", "unit__level")
    search_fields = ("name", "unit__name", "masthead")
    autocomplete_fields = ("unit", "extra_readers")
    list_select_related = ("unit", "type")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "state", "total_number", "signed_off_by", "published_at")
    list_filter = ("state", "journal")
    list_select_related = ("journal", "signed_off_by")


@admin.register(IssueEvent)
class IssueEventAdmin(ReadOnlyAdmin):
    list_display = ("issue", "action", "actor", "at", "comment")
    list_select_related = ("issue__journal", "actor")


@admin.register(Printing)
class PrintingAdmin(ReadOnlyAdmin):
    list_display = ("bulletin", "issue", "treatment", "tier", "printed_at")
    list_select_related = ("bulletin", "issue__journal")
