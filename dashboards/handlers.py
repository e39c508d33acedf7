"""The figures follow what review and incidents announce (subscribed in dashboards/apps.py)."""

from dashboards.cache import dashboards_changed
from dashboards.services import stats_record_event
from review.models import ReviewEvent


def dashboards_on_route_event(event_id: int) -> None:
    event = ReviewEvent.objects.select_related("bulletin").get(pk=event_id)
    stats_record_event(event=event)


def dashboards_on_incidents_flagged(_key: int) -> None:
    dashboards_changed()  # the overdue-and-not-sent-up column
