from celery import shared_task

from events.topics import deliver_pending


@shared_task(ignore_result=True)
def deliver_pending_announcements() -> int:
    return deliver_pending()
