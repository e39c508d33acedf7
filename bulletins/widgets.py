"""Form widgets of the bulletin list's filters; the review queue's filters use them too."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


# For the benchmark rows "review queue: ≥ 0.25 of login-only view" and "bulletin list (党建, last 12
# months): ≥ 0.25 of login-only view" (bench/results/2026-11-27.md, Targets): every <select> of
# their filter forms (review/filters.py, bulletins/filters.py).
class QuickSelect(forms.Select):
    """A single <select> written in Python, with the same markup as Django's template.

    Django renders every option through its own template (an include and an attrs loop each):
    ~40 µs an option, which made the filter forms a quarter of the review queue's render time.
    Choices with option groups fall back to Django's rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                return super().render(name, value, attrs, renderer)
            text = "" if option_value is None else str(option_value)
            is_selected = text in selected
            if is_selected:
                selected = set()  # a single select marks its first match only, as Django does
            options.append(
                format_html(
                    '<option value="{}"{}>{}</option>', text, mark_safe(" selected") if is_selected else "", label
                )
            )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>', name, flatatt(final_attrs)) + mark_safe(
            "".join(options) + "</select>"
        )
