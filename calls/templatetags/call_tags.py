"""Template helpers of calls: the call a queue row's bulletin answers (no query), the detail panel."""

from django import template

from bulletins.models import Bulletin
from calls.selectors import bulletin_call_context, points_for_tagging

register = template.Library()


@register.filter
def answered_call_title(bulletin) -> str:
    """The title of the call the bulletin answers, when the page's selector prefetched it; else ""."""
    if not isinstance(bulletin, Bulletin):
        return ""
    relation = Bulletin.call_answer.related
    if not relation.is_cached(bulletin):
        return ""
    answer = relation.get_cached_value(bulletin, default=None)
    return answer.call.title if answer is not None else ""


@register.inclusion_tag("calls/_bulletin_panel_body.html", takes_context=True)
def call_panel(context, bulletin):
    user = context["request"].user
    data = bulletin_call_context(bulletin=bulletin)
    may_tag = user.is_officer and user.unit_id == bulletin.filing_unit_id
    tagged = {tag.point_id for tag in data["point_tags"]}
    data["taggable"] = [p for p in points_for_tagging(bulletin=bulletin) if p.pk not in tagged] if may_tag else []
    data.update(bulletin=bulletin, may_tag=may_tag, csrf_token=context.get("csrf_token"))
    return data
