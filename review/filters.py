"""Filters of the review queue (django-filter)."""

from datetime import timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.permissions import scope
from bulletins.models import Category
from review.models import QueueEntry

WAITING_CHOICES = [
    ("1", _("more than 1 day")),
    ("3", _("more than 3 days")),
    ("7", _("more than 7 days")),
]


def _units_in_scope(request):
    if request is None:
        return OrgUnit.objects.none()
    return scope(request.user, OrgUnit.objects.all()).order_by("path")


class QueueFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        field_name="bulletin__category", queryset=Category.objects.all(), label=_("Category"), empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=_units_in_scope, method="filter_unit", label=_("Originating unit"), empty_label=_("All")
    )
    waiting = django_filters.ChoiceFilter(
        choices=WAITING_CHOICES, method="filter_waiting", label=_("Waiting time"), empty_label=_("Any time")
    )

    class Meta:
        model = QueueEntry
        fields = ["category", "unit", "waiting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter_unit(self, queryset, name, value):
        # The chosen unit and every unit below it (a city stands for its counties).
        return queryset.filter(bulletin__filing_unit__path__startswith=value.path)

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(opened_at__lte=timezone.now() - timedelta(days=int(value)))
