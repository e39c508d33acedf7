"""Forms of calls; the rules (lengths, the deadline's range, the targets) are the services'."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from bulletins.forms import MultipleFileField
from calls.models import (
    MAX_ITEMS_PER_UNIT,
    POINT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REQUIREMENTS_MAX_LENGTH,
    THEME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TargetMode,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class _Helper(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> carries the token


class CallForm(_Helper):
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX_LENGTH)
    theme = forms.CharField(label=_("theme"), max_length=THEME_MAX_LENGTH)
    requirements = forms.CharField(
        label=_("requirements"),
        max_length=REQUIREMENTS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    deadline_at = forms.DateTimeField(label=_("deadline"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    target_mode = forms.ChoiceField(
        label=_("addressed to"), choices=TargetMode.choices, widget=forms.RadioSelect, initial=TargetMode.ONE_LEVEL
    )
    # The tree picker (static/js/unit_tree.js) writes the chosen ids here, comma-separated.
    chosen_units = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40_000)
    items_per_unit = forms.IntegerField(
        label=_("items asked of each unit"), required=False, min_value=1, max_value=MAX_ITEMS_PER_UNIT
    )
    files = MultipleFileField(label=_("attachments"), required=False)

    def clean_chosen_units(self):
        raw = self.cleaned_data.get("chosen_units") or ""
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("The chosen units could not be read; choose them again.")) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target_mode") == TargetMode.CHOSEN and not cleaned.get("chosen_units"):
            self.add_error("chosen_units", _("Choose at least one unit below yours."))
        return cleaned


class ExtendForm(_Helper):
    deadline_at = forms.DateTimeField(label=_("new deadline"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    reason = forms.CharField(label=_("reason"), max_length=REASON_MAX_LENGTH)


class CloseForm(_Helper):
    reason = forms.CharField(label=_("why the call is closed early"), max_length=REASON_MAX_LENGTH)


class PointListForm(_Helper):
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX_LENGTH)
    period_start = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))
    themes = forms.CharField(
        label=_("themes, one per line"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50 * (POINT_MAX_LENGTH + 2),
    )

    def clean_themes(self):
        return [line.strip() for line in self.cleaned_data["themes"].splitlines() if line.strip()]
