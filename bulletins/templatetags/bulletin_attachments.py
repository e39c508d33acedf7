"""{{ content_type|opens_inline }}: whether an attachment opens in the browser or downloads."""

from django import template

from bulletins.attachments import INLINE_TYPES

register = template.Library()


@register.filter
def opens_inline(content_type: str) -> bool:
    """True for what the download view sends inline (PDF and images), as bulletins.views decides."""
    return content_type in INLINE_TYPES
