"""The period chooser: this month, a quarter, a year, or a custom range of whole months (local time)."""

import re
from datetime import date

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bulletins.validation import EARLIEST_DATE, END_DATE
from dashboards.periods import Period, add_months

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MAX_CUSTOM_MONTHS = 60
# The years a period may fall in: those of the dates a person may enter (bulletins.validation).
YEAR_MIN, YEAR_MAX = EARLIEST_DATE.year, END_DATE.year - 1


class MonthField(forms.CharField):
    """A calendar month as "YYYY-MM" (an <input type=month>), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "class": "form-control form-control-sm"})
    default_error_messages = {
        "invalid": _("Enter a month as YYYY-MM."),
        "range": _("Enter a month from %(first)s to %(last)s."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH_RE.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not YEAR_MIN <= int(match.group(1)) <= YEAR_MAX:
            raise forms.ValidationError(
                self.error_messages["range"],
                code="range",
                params={"first": f"{YEAR_MIN}-01", "last": f"{YEAR_MAX}-12"},
            )
        return date(int(match.group(1)), int(match.group(2)), 1)


class PeriodForm(forms.Form):
    """A month as a month, a quarter as a year and a quarter, a year as a year, or a custom range.

    Only the fields of the chosen kind are read (static/js/period_form.js shows only those; with
    JavaScript off all are shown and the others are ignored). Links from before the year and
    quarter fields (``?period=year&ref=2025-03``) still work: a missing year or quarter is taken
    from ``ref``, and from this month when there is no ``ref`` either.
    """

    PERIODS = [
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("custom", _("Custom range")),
    ]
    QUARTERS = [("1", _("Q1")), ("2", _("Q2")), ("3", _("Q3")), ("4", _("Q4"))]
    # Which kinds each field belongs to (the template marks its wrapper with them).
    KINDS = {"ref": "month", "year": "quarter year", "quarter": "quarter", "start": "custom", "end": "custom"}

    period = forms.ChoiceField(
        label=_("Period"),
        choices=PERIODS,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-period-kind": ""}),
    )
    ref = MonthField(label=_("Which month"), required=False)
    year = forms.IntegerField(
        label=_("Which year"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "min_value": format_lazy(_("Enter a year from {first} to {last}."), first=YEAR_MIN, last=YEAR_MAX),
            "max_value": format_lazy(_("Enter a year from {first} to {last}."), first=YEAR_MIN, last=YEAR_MAX),
        },
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "width: 6.5rem"}),
    )
    quarter = forms.TypedChoiceField(
        label=_("Which quarter"),
        choices=[("", "—"), *QUARTERS],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
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
        ref = data.get("ref") or this_month.first
        if kind == "month":
            return Period.containing("month", ref)
        year = data.get("year") or ref.year
        if kind == "year":
            return Period.containing("year", date(year, 1, 1))
        quarter = data.get("quarter") or (ref.month - 1) // 3 + 1
        return Period.containing("quarter", date(year, 3 * quarter - 2, 1))

    @classmethod
    def showing(cls, period: Period) -> "PeriodForm":
        """An unbound form whose every control shows `period` (the chosen one, or this month)."""
        return cls(
            initial={
                "period": period.kind,
                "ref": f"{period.first:%Y-%m}",
                "year": period.first.year,
                "quarter": (period.first.month - 1) // 3 + 1,
                "start": f"{period.first:%Y-%m}",
                "end": f"{period.last:%Y-%m}",
            }
        )

    def kind_fields(self):
        """(field, kinds) for the controls after the period kind, in order."""
        return [(self[name], kinds) for name, kinds in self.KINDS.items()]
