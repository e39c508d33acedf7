"""The one periodic deadline scan (CELERY_BEAT_SCHEDULE "flag-overdue-incidents", every minute)."""

from celery import shared_task
from django.db import close_old_connections
from django.db.utils import InterfaceError, OperationalError

from deadlines.services import deadlines_scan

RETRY_BACKOFF_SECONDS = 5
RETRY_BACKOFF_MAX_SECONDS = 40  # below the interval: the next beat run takes over anyway


# acks_late (CELERY_TASK_ACKS_LATE) is safe only because the scan is idempotent: a message
# redelivered after a worker crash fires nothing twice. The state lives in the database, not in
# per-obligation countdown tasks, so after the broker or the worker was down for an hour the next
# run catches up on everything that fell due meanwhile.
@shared_task(bind=True, max_retries=3)
def deadlines_scan_task(self) -> dict:
    """Run the scan once; retried with a short backoff while the database is unavailable."""
    try:
        result = deadlines_scan()
    except (OperationalError, InterfaceError) as exc:
        close_old_connections()  # a broken connection must not be reused by the retry
        countdown = min(RETRY_BACKOFF_SECONDS * 2**self.request.retries, RETRY_BACKOFF_MAX_SECONDS)
        raise self.retry(exc=exc, countdown=countdown) from exc
    counts: dict[str, int] = {}
    for stage in result.fired:
        counts[f"{stage.kind}.{stage.stage}"] = counts.get(f"{stage.kind}.{stage.stage}", 0) + 1
    return counts
