"""Two scans at once (two beats, a task redelivered) fire each stage once: the database decides."""

import threading
from datetime import timedelta

import pytest
from django.db import connections

from deadlines.models import FiringOutcome, StageFiring
from deadlines.services import StageSpec, deadlines_scan, obligations_arm
from tests.deadlines.conftest import DUE, KIND

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_scans_in_threads_fire_each_stage_once(tree, handled):
    units = [tree.county_a1, tree.county_a2, tree.county_b1, tree.city_a, tree.city_b]
    for subject in range(40):
        obligations_arm(
            kind=KIND,
            subject_id=subject,
            unit_ids=[u.pk for u in units],
            label="专题约稿",
            due_at=DUE,
            stages=[StageSpec("due", DUE)],
            now=DUE - timedelta(days=1),
        )
    barrier = threading.Barrier(4)
    results, errors = [], []

    def scan():
        try:
            barrier.wait(timeout=30)
            results.append(deadlines_scan(now=DUE + timedelta(minutes=1)))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    fired = [stage.obligation_id for result in results for stage in result.fired]
    assert len(fired) == len(set(fired)) == 200
    assert sum(len(batch) for batch in handled) == 200
    assert StageFiring.objects.filter(outcome=FiringOutcome.SENT).count() == 200
