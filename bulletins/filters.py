"""The bulletin list's filters (django-filter); they narrow a queryset that is already scoped."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from bulletins.models import BulletinStatus, Category
from bulletins.selectors import bulletin_keyword_filter, overdue_q
from config.widgets import QuickSelect


class BulletinFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Keyword"),
        method="filter_keyword",
        widget=forms.TextInput(attrs={"placeholder": _("Title or body, e.g. 党建"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=BulletinStatus.choices, empty_label=_("All"), widget=QuickSelect
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All"), widget=QuickSelect
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Created between"),
        field_name="created_at",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Incidents past their deadline"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("created_at", "date"), ("title", "title")),
        field_labels={"created_at": _("Date"), "title": _("Title")},
        empty_label=None,
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["class"] = "form-control form-control-sm"
        for name in ("status", "category"):
            self.form.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def filter_keyword(self, queryset, name, value):
        # The list (bulletin_list) holds one unit's bulletins, unless the user has no unit.
        user = getattr(self.request, "user", None)
        return bulletin_keyword_filter(queryset, value, use_index=getattr(user, "unit_id", None) is None)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset

    @property
    def qs(self):
        queryset = super().qs
        # A stable order for pagination: the chosen sort, then newest first.
        ordering = list(queryset.query.order_by) or ["-created_at"]
        if "-pk" not in ordering:
            ordering.append("-pk")
        return queryset.order_by(*ordering)
