"""Two checks at once flag and notify once: the conditional UPDATE decides."""

import threading

import pytest
from django.db import connection, connections, transaction

from incidents.models import ClockState, IncidentClock
from incidents.services import incidents_flag_overdue
from notifications.models import Notification
from tests.incidents.conftest import at_hours

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_thread(target, results, key):
    def body():
        try:
            results[key] = target()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


def test_two_checks_in_parallel_threads_flag_once(make_incident):
    bulletins = [make_incident() for _ in range(20)]
    barrier = threading.Barrier(2)
    results = {}

    def check():
        barrier.wait(timeout=30)
        return incidents_flag_overdue(now=at_hours(24))

    threads = [run_in_thread(check, results, key) for key in ("a", "b")]
    for thread in threads:
        thread.join(timeout=60)
    flagged = [*results["a"].flagged, *results["b"].flagged]
    assert sorted(flagged) == sorted(b.pk for b in bulletins)
    assert IncidentClock.objects.filter(state=ClockState.FLAGGED).count() == 20
    # 4 recipients per incident (county head and author, city reviewer and head), once each.
    assert Notification.objects.filter(kind="incident_overdue").count() == 80


def test_a_check_blocked_by_a_running_one_does_not_flag_again(make_incident):
    """Force the overlap: the first check holds its transaction open until the second one waits for its lock."""
    bulletin = make_incident()
    flagged, release = threading.Event(), threading.Event()
    results = {}

    def first():
        with transaction.atomic():
            result = incidents_flag_overdue(now=at_hours(24))
            flagged.set()
            release.wait(timeout=60)
        return result

    def second():
        return incidents_flag_overdue(now=at_hours(24, 1))

    first_thread = run_in_thread(first, results, "first")
    assert flagged.wait(timeout=60)
    second_thread = run_in_thread(second, results, "second")
    # Let the first commit only once the second is waiting for the row lock.
    second_waits = False
    for _ in range(10_000):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                second_waits = True
                break
    release.set()
    first_thread.join(timeout=60)
    second_thread.join(timeout=60)
    assert second_waits
    assert results["first"].flagged == (bulletin.pk,)
    assert results["second"].flagged == ()
    assert IncidentClock.objects.get(bulletin=bulletin).flagged_at == at_hours(24)
    assert Notification.objects.filter(kind="incident_overdue").count() == 4
