from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dashboards.models import ScoringRuleSet


@admin.register(ScoringRuleSet)
class ScoringRuleSetAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "valid_from",
        "points_central",
        "points_province",
        "points_city",
        "factor_full",
        "factor_abridged",
        "factor_combined",
        "instruction_bonus",
        "late_incident_penalty",
        "forward_credit_multiplier",
    ]
    ordering = ["-valid_from"]
    fieldsets = [
        (None, {"fields": ["name", "valid_from"]}),
        (_("Points per adopting level"), {"fields": ["points_central", "points_province", "points_city"]}),
        (_("Factors per adoption kind"), {"fields": ["factor_full", "factor_abridged", "factor_combined"]}),
        (
            _("Bonus and deductions"),
            {"fields": ["instruction_bonus", "late_incident_penalty", "forward_credit_multiplier"]},
        ),
    ]
