"""Filters of the review queue (django-filter)."""

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.permissions import visible_units
from bulletins.models import Category
from bulletins.widgets import QuickSelect
from review.models import QueueEntry
from review.permissions import DECISION_ACTIONS

WAITING_CHOICES = [
    ("1", _("more than 1 day")),
    ("3", _("more than 3 days")),
    ("7", _("more than 7 days")),
]


def _units_in_scope(request):
    """The user's unit and the units directly below it; choosing one includes its whole subtree.

    Listing every unit in scope would put 3,000+ options on the central unit's queue page."""
    if request is None or request.user.unit_id is None:
        return OrgUnit.objects.none()
    unit_id = request.user.unit_id
    return visible_units(request.user, OrgUnit.objects.filter(Q(pk=unit_id) | Q(parent_id=unit_id))).order_by("path")


class QueueFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        field_name="bulletin__category",
        queryset=Category.objects.all(),
        label=_("Category"),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=_units_in_scope,
        method="filter_unit",
        label=_("Originating unit"),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    waiting = django_filters.ChoiceFilter(
        choices=WAITING_CHOICES,
        method="filter_waiting",
        label=_("Waiting time"),
        empty_label=_("Any time"),
        widget=QuickSelect,
    )

    keyword = django_filters.CharFilter(method="filter_keyword", label=_("Keyword"), max_length=100)

    class Meta:
        model = QueueEntry
        fields = ["keyword", "category", "unit", "waiting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "keyword" else "form-select form-select-sm"
            )
        self.form.fields["keyword"].widget.attrs.update(type="search", placeholder=_("Title or body"))

    def filter_keyword(self, queryset, name, value):
        # What waits at one unit is few enough to match by LIKE after the join; the bigram index
        # serves the search over everything on the bulletin list.
        for term in value.split():
            queryset = queryset.filter(Q(bulletin__title__icontains=term) | Q(bulletin__body__icontains=term))
        return queryset

    def filter_unit(self, queryset, name, value):
        # The user's own unit means its own bulletins; a unit below stands for its whole subtree
        # (a city for its counties).
        if self.request is not None and value.pk == self.request.user.unit_id:
            return queryset.filter(bulletin__filing_unit=value)
        return queryset.filter(bulletin__filing_unit__path__startswith=value.path)

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(opened_at__lte=timezone.now() - timedelta(days=int(value)))


DECISION_CHOICES = [(action.value, action.label) for action in DECISION_ACTIONS]


class HandledFilter(django_filters.FilterSet):
    """Filters of 'handled by my unit': category, originating unit, decision taken, keyword."""

    category = QueueFilter.base_filters["category"]
    unit = QueueFilter.base_filters["unit"]
    action = django_filters.ChoiceFilter(
        choices=DECISION_CHOICES, label=_("Decision"), empty_label=_("All"), widget=QuickSelect
    )
    keyword = QueueFilter.base_filters["keyword"]

    class Meta:
        model = QueueEntry
        fields = ["keyword", "category", "unit", "action"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "keyword" else "form-select form-select-sm"
            )

    filter_unit = QueueFilter.filter_unit
    filter_keyword = QueueFilter.filter_keyword
