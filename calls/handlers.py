"""Calls follow what review announces (subscribed in calls/apps.py)."""

from calls.services import call_record_adoption, call_record_arrival
from review.models import ReviewAction, ReviewEvent


def calls_on_route_event(event_id: int) -> None:
    """An answer arrived at the caller (a sign-off or forward to it), or the caller adopted it."""
    event = ReviewEvent.objects.filter(pk=event_id).values("bulletin_id", "action", "from_unit_id", "to_unit_id", "at")
    event = event.first()
    if event is None:
        return
    if event["action"] in (ReviewAction.ADOPT, ReviewAction.ADOPT_FORWARD):
        call_record_adoption(bulletin_id=event["bulletin_id"], unit_id=event["from_unit_id"], at=event["at"])
    if event["to_unit_id"] is not None and event["action"] != ReviewAction.RETURN:
        call_record_arrival(bulletin_id=event["bulletin_id"], unit_id=event["to_unit_id"], at=event["at"])
