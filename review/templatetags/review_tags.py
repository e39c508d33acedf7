from django import template

from review.permissions import can_decide as _can_decide
from review.permissions import filing_actions as _filing_actions
from review.rules import missing_for_submit as _missing_for_submit
from review.selectors import bulletin_route as _bulletin_route
from review.selectors import return_notice as _return_notice

register = template.Library()


@register.simple_tag
def bulletin_route(bulletin):
    """The route stops for the timeline (two queries)."""
    return _bulletin_route(bulletin=bulletin)


@register.simple_tag
def return_notice(bulletin):
    """A returned bulletin's latest return and where its revision goes (one query; none otherwise)."""
    return _return_notice(bulletin=bulletin)


@register.simple_tag
def missing_for_submit(bulletin):
    """What an incident report lacks to be submitted (review.rules; no query)."""
    return _missing_for_submit(bulletin)


@register.simple_tag(takes_context=True)
def filing_actions(context, bulletin):
    """Submit / resubmit / withdraw, as the current user may use them now."""
    request = context.get("request")
    if request is None:
        return []
    return [a.value for a in _filing_actions(request.user, bulletin)]


@register.simple_tag(takes_context=True)
def may_decide(context, bulletin) -> bool:
    """Whether the current user may take a decision on the bulletin now (links to the decision page)."""
    request = context.get("request")
    return request is not None and _can_decide(request.user, bulletin)
