"""The figures follow what review and incidents announce (subscribed in dashboards/apps.py)."""

from dashboards.services import stats_record_event, stats_record_flagged
from review.models import ReviewEvent


def dashboards_on_route_event(event_id: int) -> None:
    event = ReviewEvent.objects.select_related("bulletin").get(pk=event_id)
    stats_record_event(event=event)


def dashboards_on_incidents_flagged(bulletin_id: int) -> None:
    """One run of the incident check flagged incidents overdue: each costs the late weight, in its deadline month."""
    stats_record_flagged(bulletin_id=bulletin_id)
