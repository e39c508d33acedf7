"""Writing notifications: one row per recipient now, the e-mail copy after commit."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notification_send(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    bulletin=None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Create inbox entries for each distinct recipient and e-mail them after commit.

    With a dedupe_key a recipient gets the notice at most once, even when two callers race:
    the database's partial unique constraint decides.
    """
    unique_recipients = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not unique_recipients:
        return []
    fields = {"kind": kind, "title": title, "body": body, "url": url, "bulletin": bulletin}
    if dedupe_key:
        # get_or_create retries the lookup on IntegrityError, so concurrent callers create one row.
        created = []
        for user_id in unique_recipients:
            notification, was_created = Notification.objects.get_or_create(
                recipient_id=user_id, dedupe_key=dedupe_key, defaults=fields
            )
            if was_created:
                created.append(notification)
    else:
        created = Notification.objects.bulk_create(
            [Notification(recipient_id=user_id, **fields) for user_id in unique_recipients]
        )
    ids = [n.pk for n in created]
    if ids:
        from notifications.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones when no ids are given) as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send one notification's e-mail copy unless it was already sent; True when sent now."""
    from django.conf import settings
    from django.core.mail import send_mail

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None or not notification.recipient.email:
            return False
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
        message = "\n\n".join(part for part in (notification.body, link) if part)
        # A failure raises and rolls back, so emailed_at stays empty and the task retries.
        send_mail(notification.title, message, None, [notification.recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True
