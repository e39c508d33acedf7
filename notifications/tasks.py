from celery import shared_task

from notifications.services import notification_email_deliver


@shared_task(
    bind=True,
    autoretry_for=(OSError, ConnectionError),
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
