"""The clocks follow what bulletins and review announce (subscribed in incidents/apps.py)."""

from bulletins.models import Bulletin
from incidents.services import incident_clock_sync, incident_record_sent_up
from review.models import ReviewEvent

CLOCK_FIELDS = ("filing_unit_id", "title", "occurred_at", "deadline_at", "signed_off_at")


def incident_on_deadline_changed(bulletin_id: int) -> None:
    incident_clock_sync(bulletin=Bulletin.objects.only(*CLOCK_FIELDS).get(pk=bulletin_id))


def incident_on_sign_off(event_id: int) -> None:
    event = ReviewEvent.objects.select_related("bulletin").get(pk=event_id)
    incident_record_sent_up(bulletin=event.bulletin, at=event.at)
