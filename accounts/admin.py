from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "short_name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "short_name", "code"]
    ordering = ["path"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit):
        depth = unit.path.count("/") - 2
        return format_html('<span style="padding-left:{}em">{}{}</span>', depth * 1.5, "└ " if depth else "", unit.name)

    def get_readonly_fields(self, request, obj=None):
        # Moving a unit would rewrite its subtree's paths and history; create a new one instead.
        return ["parent", "level"] if obj else []


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "unit", "is_officer", "is_reviewer", "is_office_head", "is_active"]
    list_filter = ["is_officer", "is_reviewer", "is_office_head", "is_active", "is_superuser", "unit__level"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    ordering = ["unit__path", "username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email", "phone"]}),
        (_("Unit and roles"), {"fields": ["unit", "is_officer", "is_reviewer", "is_office_head"]}),
        (_("Administration"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2"]}),
        (_("Unit and roles"), {"fields": ["full_name", "unit", "is_officer", "is_reviewer", "is_office_head"]}),
    ]
