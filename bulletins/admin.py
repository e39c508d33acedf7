from django.contrib import admin

from bulletins.models import Bulletin, BulletinRepair, BulletinVersion, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "deadline_minutes", "sort_order"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "filing_unit", "status", "current_unit", "created_at"]
    list_filter = ["status", "category", "filing_unit__level"]
    search_fields = ["title"]
    list_select_related = ["category", "filing_unit", "current_unit"]
    raw_id_fields = ["filing_unit", "author", "current_unit"]

    def has_add_permission(self, request):
        return False  # bulletins are filed through the application, which records their history

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BulletinVersion)
class BulletinVersionAdmin(admin.ModelAdmin):
    list_display = ["bulletin", "number", "title", "created_by", "created_at"]
    list_select_related = ["bulletin", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BulletinRepair)
class BulletinRepairAdmin(admin.ModelAdmin):
    list_display = ["bulletin", "version_number", "field", "original", "repaired_at"]
    list_select_related = ["bulletin"]
    raw_id_fields = ["bulletin"]

    def has_add_permission(self, request):
        return False  # written by bulletins/repairs.py only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
