"""The clocks follow the bulletins after each commit; until then the bulletin row has the last word."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bulletins.services import bulletin_update
from events.topics import deliver_pending
from incidents.models import ClockState, IncidentClock
from incidents.services import incidents_flag_overdue
from review.services import bulletin_submit, review_sign_off
from tests.incidents.conftest import at_hours

pytestmark = pytest.mark.django_db


def _deliver_everything():
    deliver_pending(now=timezone.now() + timedelta(days=2))


def test_a_sign_off_its_clock_has_not_heard_of_is_neither_flagged_nor_warned(tree, make_incident):
    bulletin = make_incident()
    with time_machine.travel(at_hours(2), tick=False):  # not delivered: as in the moment after the commit
        bulletin_submit(actor=bulletin.author, bulletin=bulletin)
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    assert IncidentClock.objects.get(bulletin=bulletin).state == ClockState.PENDING
    with time_machine.travel(at_hours(25), tick=False):
        result = incidents_flag_overdue()
    assert (result.flagged, result.warned) == ((), ())

    _deliver_everything()
    clock = IncidentClock.objects.get(bulletin=bulletin)
    assert (clock.state, clock.sent_up_at, clock.late_by) == (ClockState.SENT_ON_TIME, at_hours(2), None)


def test_a_deadline_moved_later_is_not_flagged_at_the_old_one_before_the_clock_follows(tree, make_incident):
    bulletin = make_incident()
    bulletin.refresh_from_db()
    with time_machine.travel(at_hours(23), tick=False):  # the time of event corrected: 20 hours later
        bulletin_update(
            actor=bulletin.author,
            bulletin_id=bulletin.pk,
            expected_edit_version=bulletin.edit_version,
            occurred_at=at_hours(20),
        )
    with time_machine.travel(at_hours(25), tick=False):
        assert incidents_flag_overdue().flagged == ()

    _deliver_everything()
    assert IncidentClock.objects.get(bulletin=bulletin).deadline_at == at_hours(44)
