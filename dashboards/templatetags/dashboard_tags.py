from django import template

register = template.Library()


@register.filter
def percent(value):
    """0.8333 → "83.3%"; no denominator → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"
