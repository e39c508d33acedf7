"""The bulletin list's filters (django-filter); they narrow a queryset that is already scoped."""

import django_filters
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from bulletins.models import BulletinStatus, Category
from bulletins.selectors import KeywordSearch, KeywordStrategy, bulletin_keyword_search, overdue_q
from bulletins.widgets import QuickSelect

SCOPE_VISIBLE = "visible"


class BulletinFilter(django_filters.FilterSet):
    # Which bulletins: the unit's own (the default), or every one the user may see — offered to
    # reviewers and heads, whose search must reach what came up from below. The view picks the
    # queryset (bulletins.selectors.bulletin_list); the filter only carries the choice.
    scope = django_filters.ChoiceFilter(
        label=_("Search in"),
        choices=[(SCOPE_VISIBLE, _("Everything I may see"))],
        empty_label=_("My unit's bulletins"),
        method="filter_scope",
        widget=QuickSelect,
    )
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
        for name in ("status", "category", "scope"):
            self.form.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def filter_keyword(self, queryset, name, value):
        # Applied last, in qs: how to find a word depends on the whole scope the other filters leave.
        return queryset

    def filter_scope(self, queryset, name, value):
        return queryset  # the queryset handed in is already the chosen scope

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset

    @property
    def qs(self):
        return self.keyword_search.queryset

    @cached_property
    def keyword_search(self) -> KeywordSearch:
        """The filtered list with the keyword applied, and whether the list may count it exactly."""
        queryset = super().qs
        # A stable order for pagination: the chosen sort, then newest first.
        ordering = list(queryset.query.order_by) or ["-created_at"]
        if "-pk" not in ordering:
            ordering.append("-pk")
        queryset = queryset.order_by(*ordering)
        keyword = self.form.cleaned_data.get("q") if self.is_bound else ""  # super().qs validated the form
        if not keyword:
            return KeywordSearch(queryset, KeywordStrategy.NONE)
        return bulletin_keyword_search(queryset, keyword)

    @property
    def estimated_count(self) -> int | None:
        return self.keyword_search.estimated_count
