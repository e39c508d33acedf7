"""{% bulletin_panels "<slot>" %}: the templates other apps registered for a slot (bulletins/panels.py)."""

from django import template
from django.utils.safestring import mark_safe

from bulletins.panels import panel_templates

register = template.Library()

_CACHE_KEY = object()


@register.simple_tag(takes_context=True)
def bulletin_panels(context, slot: str) -> str:
    """Every template registered for the slot, rendered in order with the page's context, like {% include %}."""
    # Compiled templates are kept for the rest of this render, as {% include %} keeps them (per-row slots).
    compiled = context.render_context.dicts[0].setdefault(_CACHE_KEY, {})
    html = []
    for name in panel_templates(slot):
        if name not in compiled:
            compiled[name] = context.template.engine.get_template(name)
        with context.push():
            html.append(compiled[name].render(context))
    return mark_safe("".join(html))  # rendered templates: each escaped its own variables
