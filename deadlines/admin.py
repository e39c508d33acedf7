from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines.models import Obligation, ObligationState, Stage, StageFiring
from deadlines.registry import label_for
from deadlines.selectors import DUE_WINDOW, obligations_per_unit


class TimingFilter(admin.SimpleListFilter):
    title = _("timing")
    parameter_name = "timing"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("due", _("Due within 24 hours")), ("later", _("Due later"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        open_ = queryset.filter(state=ObligationState.OPEN)
        if self.value() == "overdue":
            return open_.filter(due_at__lte=now)
        if self.value() == "due":
            return open_.filter(due_at__gt=now, due_at__lte=now + DUE_WINDOW)
        if self.value() == "later":
            return open_.filter(due_at__gt=now + DUE_WINDOW)
        return queryset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StageInline(ReadOnlyInline):
    model = Stage
    fields = ["name", "due_at", "state", "fired_at"]
    readonly_fields = fields


class FiringInline(ReadOnlyInline):
    model = StageFiring
    fields = ["stage", "due_at", "fired_at", "outcome"]
    readonly_fields = fields


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    """Read-only: obligations are opened, moved and closed by the owning apps' services."""

    list_display = ["label", "kind_label", "unit", "due_at", "state", "closed_at"]
    list_filter = [TimingFilter, "state", "kind", "unit__level"]
    list_select_related = ["unit"]
    search_fields = ["label", "unit__name", "unit__code"]
    date_hierarchy = "due_at"
    ordering = ["due_at", "pk"]
    readonly_fields = [f.name for f in Obligation._meta.fields]
    inlines = [StageInline, FiringInline]
    change_list_template = "admin/deadlines/obligation/change_list.html"

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obligation):
        return label_for(obligation.kind)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        summary = self.admin_site.admin_view(self.per_unit_view)
        return [path("per-unit/", summary, name="deadlines_obligation_per_unit"), *super().get_urls()]

    def per_unit_view(self, request):
        """Open, due and overdue obligations per unit, worst first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Obligations per unit"),
            "rows": obligations_per_unit(),
        }
        return TemplateResponse(request, "admin/deadlines/obligation/per_unit.html", context)
