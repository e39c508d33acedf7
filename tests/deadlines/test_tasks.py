"""The scan as Celery runs it: a real worker on the Redis broker, and a redelivered task firing nothing twice."""

import time
from datetime import timedelta

import pytest
from celery.result import EagerResult
from celery.signals import task_postrun
from django.db import connections
from django.utils import timezone

from config.celery_app import app
from deadlines.models import FiringOutcome, StageFiring
from deadlines.services import StageSpec, obligations_arm
from deadlines.tasks import deadlines_scan_task
from tests.deadlines.conftest import KIND


def _arm_due_now(units):
    now = timezone.now()
    obligations_arm(
        kind=KIND,
        subject_id=7,
        unit_ids=[u.pk for u in units],
        label="专题约稿",
        due_at=now - timedelta(minutes=1),
        stages=[StageSpec("due", now - timedelta(minutes=1), fire_if_past=True)],
        now=now,
    )


@pytest.mark.django_db
def test_the_task_run_twice_fires_once(tree, handled):
    _arm_due_now([tree.county_a1, tree.county_a2])
    assert deadlines_scan_task.delay().get() == {"test.due": 2}
    assert deadlines_scan_task.delay().get() == {}  # a message delivered again after a crash
    assert StageFiring.objects.filter(outcome=FiringOutcome.SENT).count() == 2


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_scan(tree, handled):
    assert app.conf.broker_url.startswith(("redis://", "redis+socket://"))
    app.conf.task_always_eager = False  # tests/conftest.py makes every other test eager
    app.control.purge()
    _arm_due_now([tree.county_a1])

    def close_worker_connections(**kwargs):
        connections.close_all()

    task_postrun.connect(close_worker_connections, weak=False)
    try:
        from celery.contrib.testing.worker import start_worker

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            sent = deadlines_scan_task.delay()
            assert not isinstance(sent, EagerResult)  # it went through the broker
            for _ in range(300):
                if StageFiring.objects.exists():
                    break
                time.sleep(0.1)
    finally:
        task_postrun.disconnect(close_worker_connections)
    assert StageFiring.objects.filter(outcome=FiringOutcome.SENT).count() == 1
    assert [len(batch) for batch in handled] == [1]
