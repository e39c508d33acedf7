"""The period chooser: this month, a quarter, a year, or a custom range of whole months (local time)."""

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.periods import Period, add_months

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MAX_CUSTOM_MONTHS = 60


class MonthField(forms.CharField):
    """A calendar month as "YYYY-MM" (an <input type=month>), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "class": "form-control form-control-sm"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH_RE.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date(int(match.group(1)), int(match.group(2)), 1)


class PeriodForm(forms.Form):
    PERIODS = [
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("custom", _("Custom range")),
    ]
    period = forms.ChoiceField(
        label=_("Period"),
        choices=PERIODS,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    ref = MonthField(label=_("Month in the period"), required=False)
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("A custom range needs both a first and a last month."))
            if start > end:
                raise forms.ValidationError(_("The first month must not come after the last month."))
            if add_months(start, MAX_CUSTOM_MONTHS - 1) < end:
                raise forms.ValidationError(_("A custom range covers at most 60 months."))
        return data

    def get_period(self) -> Period:
        """The chosen period; this month when nothing (or nothing valid) was chosen."""
        this_month = Period.this_month()
        if not self.is_bound or not self.is_valid():
            return this_month
        data = self.cleaned_data
        kind = data.get("period") or "month"
        if kind == "custom":
            return Period("custom", data["start"], data["end"])
        return Period.containing(kind, data.get("ref") or this_month.first)
