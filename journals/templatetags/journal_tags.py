from django import template

from journals.description import item_source_line
from journals.selectors import printed_in as _printed_in

register = template.Library()


@register.simple_tag(takes_context=True)
def printed_in(context, bulletin):
    """Where the bulletin was printed, each marked readable by the current user (two queries, none
    when it never was but the first)."""
    request = context.get("request")
    if request is None:
        return []
    return _printed_in(user=request.user, bulletin=bulletin)


@register.filter
def source_line(item) -> str:
    """（东湖区委组织部供稿）: the units an item credits (its prefetched sources)."""
    return item_source_line(item)


@register.filter
def paragraphs(text: str) -> list[str]:
    """The text's non-empty lines, each a printed paragraph."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
