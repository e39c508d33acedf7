"""Reading the inbox."""

from django.db.models import QuerySet

from notifications.models import Notification


def notification_inbox(*, user) -> QuerySet[Notification]:
    """The user's notices, newest first."""
    return Notification.objects.filter(recipient=user)


def notification_unread_count(*, user) -> int:
    """What the badge shows: notices neither read nor resolved (notification_unread, a partial index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True, resolved_at__isnull=True).count()
