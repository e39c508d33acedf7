"""The periodic task, its schedule, the cron command, and a real worker on the Redis broker."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from celery.result import EagerResult
from celery.signals import task_postrun
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.utils import OperationalError
from django.utils import timezone

from config.celery_app import app
from deadlines.tasks import deadlines_scan_task
from incidents.models import ClockState, IncidentClock
from incidents.services import CheckResult
from incidents.tasks import flag_overdue_incidents
from tests.incidents.conftest import at_hours


def test_the_beat_entry_keeps_its_name_and_runs_the_deadline_scan_every_minute_in_shanghai_time():
    entry = app.conf.beat_schedule["flag-overdue-incidents"]
    assert entry["task"] == "deadlines.tasks.deadlines_scan_task" == deadlines_scan_task.name
    assert entry["task"] in app.tasks
    # The old task name still runs the same scan (messages already queued, sites calling it by name).
    assert flag_overdue_incidents.name in app.tasks
    assert entry["schedule"] == timedelta(minutes=settings.DEADLINE_SCAN_INTERVAL_MINUTES) == timedelta(minutes=1)
    assert app.conf.timezone == settings.TIME_ZONE == "Asia/Shanghai"
    assert app.conf.task_acks_late is True


def test_the_interval_and_the_warning_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_BEAT_SCHEDULE['flag-overdue-incidents']['schedule'].total_seconds(), s.INCIDENT_WARNING_HOURS)"
    )
    env = {**os.environ, "DEADLINE_SCAN_INTERVAL_MINUTES": "2", "INCIDENT_WARNING_HOURS": "18"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["120.0", "18"]


@pytest.mark.django_db
def test_the_scan_task_flags_the_incident(make_incident):
    bulletin = make_incident()
    with time_machine.travel(at_hours(24), tick=False):
        result = deadlines_scan_task.delay().get()
    assert result == {"incident.due": 1}
    assert IncidentClock.objects.get(bulletin=bulletin).state == ClockState.FLAGGED


@pytest.mark.django_db
def test_the_task_runs_the_check(make_incident):
    bulletin = make_incident()
    with time_machine.travel(at_hours(24), tick=False):
        result = flag_overdue_incidents.delay().get()
    assert result == {"warned": 0, "flagged": 1}
    assert IncidentClock.objects.get(bulletin=bulletin).state == ClockState.FLAGGED


@pytest.mark.django_db
def test_the_task_retries_on_database_errors():
    outcomes = [OperationalError("server closed the connection"), CheckResult(warned=(), flagged=(7,))]
    with mock.patch("incidents.tasks.incidents_flag_overdue", side_effect=outcomes) as check:
        result = flag_overdue_incidents.apply()
    assert result.get() == {"warned": 0, "flagged": 1}
    assert check.call_count == 2


@pytest.mark.django_db
def test_the_command_runs_the_check_once(make_incident):
    bulletin = make_incident()
    out = StringIO()
    with time_machine.travel(at_hours(24), tick=False):
        call_command("flag_overdue_incidents", stdout=out)
    assert "flagged: 1" in out.getvalue()
    assert IncidentClock.objects.get(bulletin=bulletin).state == ClockState.FLAGGED


@pytest.mark.django_db
def test_the_command_can_start_missing_clocks(make_incident):
    bulletin = make_incident()
    IncidentClock.objects.all().delete()  # as if filed before this app existed
    out = StringIO()
    with time_machine.travel(at_hours(24), tick=False):
        call_command("flag_overdue_incidents", "--backfill", stdout=out)
    assert "clocks started: 1" in out.getvalue()
    assert IncidentClock.objects.get(bulletin=bulletin).state == ClockState.FLAGGED


@pytest.fixture
def redis_broker():
    """The real Redis broker: REDIS_URL's server, or the private one the test settings start."""
    assert app.conf.broker_url.startswith(("redis://", "redis+socket://"))
    app.conf.task_always_eager = False  # tests/conftest.py makes every other test eager
    app.control.purge()  # leftovers of an interrupted run
    return app


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_flags_the_incident(redis_broker, make_incident):
    # Committed data (transaction=True), so the worker thread's own connection sees it.
    bulletin = make_incident(occurred_at=timezone.now() - timedelta(hours=25))

    def close_worker_connections(**kwargs):
        connections.close_all()  # the worker thread's connection, so the test database can be dropped

    task_postrun.connect(close_worker_connections, weak=False)
    try:
        from celery.contrib.testing.worker import start_worker

        with start_worker(redis_broker, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            sent = deadlines_scan_task.delay()
            assert not isinstance(sent, EagerResult)  # it went through the broker
            for _ in range(300):
                clock = IncidentClock.objects.get(bulletin=bulletin)
                if clock.state == ClockState.FLAGGED:
                    break
                time.sleep(0.1)
    finally:
        task_postrun.disconnect(close_worker_connections)
    assert clock.state == ClockState.FLAGGED
    assert clock.flagged_at is not None
