from celery import shared_task
from django.db import InterfaceError, OperationalError

from notifications.services import notification_email_deliver, notification_pending_email_ids


@shared_task(
    bind=True,
    autoretry_for=(OSError, ConnectionError, OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=12,
)
def send_notification_emails(self, notification_ids: list[int]) -> int:
    """E-mail copies of inbox notifications; retried with backoff while the mail server is down."""
    sent = 0
    for notification_id in notification_ids:
        sent += notification_email_deliver(notification_id=notification_id)
    return sent


@shared_task
def send_pending_notification_emails() -> int:
    """Catch-up: send e-mail copies that never reached the broker (it was down at the time)."""
    ids = notification_pending_email_ids()
    return sum(notification_email_deliver(notification_id=pk) for pk in ids)
