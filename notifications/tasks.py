from celery import shared_task
from django.db import InterfaceError, OperationalError

from notifications.services import notification_email_deliver, notification_pending_email_ids

# Below the broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS): a retry waiting longer
# would be handed to a second worker as well.
RETRY_BACKOFF_MAX_SECONDS = 240


# Mail failures are recorded per notice and never raise here (notification_email_deliver), so one
# refused recipient or bad header cannot hold back the rest of the batch; only the database being
# unreachable retries the whole (idempotent) task.
@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=15,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    max_retries=5,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail copies of inbox notifications, each on its own."""
    return sum(notification_email_deliver(notification_id=pk) for pk in notification_ids)


@shared_task
def send_pending_notification_emails() -> int:
    """Catch-up: copies that never reached the broker, and those due for another try."""
    return sum(notification_email_deliver(notification_id=pk) for pk in notification_pending_email_ids())
