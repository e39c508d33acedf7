"""seed_demo shows every state of the 24-hour rule and non-empty dashboards, and is idempotent."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import OrgUnit, User
from bulletins.models import Bulletin
from dashboards.periods import Period
from dashboards.selectors import dashboard_get
from dashboards.services import stats_reconcile
from demo.incidents import INCIDENTS
from incidents.models import ClockState, IncidentClock

pytestmark = pytest.mark.django_db


def demo_clocks():
    titles = {scenario[3]: key for key, scenario in INCIDENTS.items()}
    clocks = IncidentClock.objects.filter(bulletin__title__in=titles).select_related("bulletin")
    return {titles[clock.bulletin.title]: clock for clock in clocks}


def test_seed_demo_shows_each_incident_state_once():
    call_command("seed_demo")
    clocks = demo_clocks()
    assert {key: clock.state for key, clock in clocks.items()} == {
        "countdown": ClockState.PENDING,
        "warned": ClockState.WARNED,
        "overdue": ClockState.FLAGGED,
        "on_time": ClockState.SENT_ON_TIME,
        "late": ClockState.SENT_LATE,
    }
    assert clocks["overdue"].flagged_at is not None and clocks["late"].late_by > timedelta(0)
    counts = (Bulletin.objects.count(), IncidentClock.objects.count())

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        call_command("seed_demo")
    assert (Bulletin.objects.count(), IncidentClock.objects.count()) == counts
    assert demo_clocks()["overdue"].flagged_at == clocks["overdue"].flagged_at  # flagged once


def test_seed_demo_fills_the_demo_dashboards():
    call_command("seed_demo")
    assert stats_reconcile() == []
    period = Period.containing("year", timezone.localdate())
    for unit_code in ("jd", "lj"):
        head = User.objects.get(username=f"{unit_code}.head")
        dash = dashboard_get(user=head, unit=OrgUnit.objects.get(code=unit_code), period=period)
        assert dash.total.counts["filed"] > 0 and dash.total.counts["signed_off"] > 0
    lj = dashboard_get(user=User.objects.get(username="lj.head"), unit=OrgUnit.objects.get(code="lj"), period=period)
    assert sum(lj.total.adoptions_by_level) > 0
