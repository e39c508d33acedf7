"""The periodic 24-hour check (scheduled by CELERY_BEAT_SCHEDULE "flag-overdue-incidents")."""

from celery import shared_task
from django.db import close_old_connections
from django.db.utils import InterfaceError, OperationalError

from incidents.services import incidents_flag_overdue

RETRY_BACKOFF_SECONDS = 15
RETRY_BACKOFF_MAX_SECONDS = 240  # below the check interval: the next beat run takes over anyway


# acks_late (CELERY_TASK_ACKS_LATE) is safe here only because the check is idempotent: a
# message redelivered after a worker crash flags and notifies nothing twice. The state lives in
# the database, not in per-incident countdown tasks, so after the broker or the worker was down
# for hours the next run catches up on everything that fell due meanwhile.
@shared_task(bind=True, max_retries=5)
def flag_overdue_incidents(self) -> dict:
    """Run the check once; retried with exponential backoff while the database is unavailable."""
    try:
        result = incidents_flag_overdue()
    except (OperationalError, InterfaceError) as exc:
        # A broken connection must not be reused by the retry.
        close_old_connections()
        countdown = min(RETRY_BACKOFF_SECONDS * 2**self.request.retries, RETRY_BACKOFF_MAX_SECONDS)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return {"warned": len(result.warned), "flagged": len(result.flagged)}
