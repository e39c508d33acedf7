"""Writing notifications: one row per recipient now, the e-mail copy after commit."""

import logging
import smtplib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from notifications.models import Notification

logger = logging.getLogger(__name__)
SEND_EMAILS_TASK = "notifications.tasks.send_notification_emails"


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
        transaction.on_commit(lambda: _queue_emails(ids))
    return created


@dataclass(frozen=True)
class Notice:
    """One notice for several recipients, for notification_send_many."""

    recipient_ids: tuple[int, ...]
    kind: str
    title: str
    body: str = ""
    url: str = ""
    bulletin_id: int | None = None
    dedupe_key: str = ""


def notification_send_many(*, notices: Iterable[Notice]) -> list[int]:
    """Create the inbox rows of many notices in one INSERT and e-mail them after commit.

    For periodic jobs that notify about many bulletins at once: the number of queries does not
    grow with the number of notices. With a dedupe_key a recipient gets a notice at most once
    (INSERT … ON CONFLICT DO NOTHING on the partial unique constraint). Recipients must be active
    users (the caller selects them). Returns the ids of the rows created now.
    """
    rows = []
    for notice in notices:
        for recipient_id in dict.fromkeys(notice.recipient_ids):
            rows.append(
                (
                    recipient_id,
                    notice.bulletin_id,
                    notice.kind,
                    notice.title,
                    notice.body,
                    notice.url,
                    notice.dedupe_key,
                )
            )
    if not rows:
        return []
    table = Notification._meta.db_table
    columns = "recipient_id, bulletin_id, kind, title, body, url, dedupe_key, created_at"
    conflict = "ON CONFLICT (recipient_id, dedupe_key) WHERE NOT (dedupe_key = '') DO NOTHING RETURNING id"
    now = timezone.now()
    # One statement whatever the number of rows: the columns travel as arrays.
    arrays = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "
            "SELECT r, b, k, t, bd, u, d, %s FROM unnest("
            "%s::bigint[], %s::bigint[], %s::varchar[], %s::varchar[], %s::text[], %s::varchar[], %s::varchar[]"
            f") AS x(r, b, k, t, bd, u, d) {conflict}",
            [now, *arrays],
        )
        ids = [row[0] for row in cursor.fetchall()]
    if ids:
        transaction.on_commit(lambda: _queue_emails(ids))
    return ids


def _queue_emails(notification_ids: list[int]) -> None:
    """Hand e-mail copies to Celery; a broker outage must not fail the request that already
    committed. Unsent copies keep emailed_at empty and the periodic catch-up sends them."""
    # By name: the tasks module imports this one (NotificationsConfig.ready() registers it).
    send = current_app.tasks[SEND_EMAILS_TASK]
    try:
        send.delay(notification_ids)
    except Exception:  # noqa: BLE001 - any broker failure; the catch-up task retries later
        logger.warning("Broker unavailable; %d e-mail(s) left for the catch-up task", len(notification_ids))


def notification_pending_email_ids(*, older_than_minutes: int = 10, limit: int = 500) -> list[int]:
    """E-mail copies still to send, oldest first: never tried and older than `older_than_minutes`
    (e.g. the broker was down; the regular task may still be on its way), or due for another try."""
    now = timezone.now()
    cutoff = now - timedelta(minutes=older_than_minutes)
    pending = Notification.objects.filter(
        Q(email_retry_at__isnull=True, created_at__lt=cutoff) | Q(email_retry_at__lte=now),
        emailed_at__isnull=True,
        email_failed_at__isnull=True,
        recipient__email__gt="",
    ).order_by("created_at")
    return list(pending.values_list("pk", flat=True)[:limit])


def notification_mark_read(*, user, notification_ids: Iterable[int]) -> int:
    """Mark the given notifications of the user as read; returns how many were unread.

    All or nothing: when an id is not one of the user's notifications (or does not exist),
    Notification.DoesNotExist is raised and nothing changes.
    """
    wanted = set(notification_ids)
    if not wanted:
        raise Notification.DoesNotExist("No notification given.")
    with transaction.atomic():
        mine = list(
            Notification.objects.select_for_update()
            .filter(recipient=user, pk__in=wanted)
            .values_list("pk", "read_at", named=True)
        )
        if len(mine) != len(wanted):
            raise Notification.DoesNotExist("Not one of the user's notifications.")
        unread = [row.pk for row in mine if row.read_at is None]
        return Notification.objects.filter(pk__in=unread).update(read_at=timezone.now()) if unread else 0


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user as read (the inbox's explicit button)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_open(*, user, notification_id: int) -> Notification:
    """The user opens one of their notices: it is read from now on. Someone else's is DoesNotExist."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return notification


def notification_resolve(*, bulletin_id: int, kind: str) -> int:
    """Resolve every recipient's still-open notices of `kind` about a bulletin, because what they
    asked for was done (a bulletin "to review" was decided). They no longer count as unread."""
    return Notification.objects.filter(bulletin_id=bulletin_id, kind=kind, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


# Per notice, not per task: a notice the mail server refuses for now waits EMAIL_RETRY_BASE_MINUTES,
# doubled at each attempt up to EMAIL_RETRY_MAX_MINUTES, then is given up after EMAIL_MAX_ATTEMPTS
# and kept for an administrator (Django admin → notifications, "e-mail failed").
EMAIL_RETRY_BASE_MINUTES = 1
EMAIL_RETRY_MAX_MINUTES = 60
EMAIL_MAX_ATTEMPTS = 8
# Control and format characters (newlines, bidirectional overrides, zero-width) have no place in a
# subject line; a newline there makes Django refuse the whole message (BadHeaderError).
_UNSAFE_IN_A_LINE = {"Cc", "Cf", "Zl", "Zp"}


def email_subject(title: str) -> str:
    """The title as one safe line of at most 150 characters."""
    cleaned = "".join(" " if unicodedata.category(char) in _UNSAFE_IN_A_LINE else char for char in title)
    return " ".join(cleaned.split())[:150]


def _refused_for_good(error: Exception) -> bool:
    """5xx from the server (a recipient unknown, a message refused) or a message that cannot be
    built: sending again would fail the same way. Anything else may pass later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False  # the site's mail settings: fixed by an administrator, then it all goes out
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return isinstance(error, ValueError)  # BadHeaderError, an address that cannot be encoded


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send one notification's e-mail copy unless it was already sent or given up; True when sent now.

    A failure of this notice never reaches the caller: it is recorded on the row (the reason, when
    to try again, or given up for good), so a batch or the catch-up goes on with the next notice.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if (
            notification is None
            or notification.emailed_at is not None
            or notification.email_failed_at is not None
            or not notification.recipient.email
        ):
            return False
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
        message = "\n\n".join(part for part in (notification.body, link) if part)
        now = timezone.now()
        try:
            send_mail(email_subject(notification.title), message, None, [notification.recipient.email])
        except Exception as error:  # noqa: BLE001 - recorded on the notice; the others go on
            notification.email_attempts += 1
            notification.email_error = _describe(error)
            if _refused_for_good(error) or notification.email_attempts >= EMAIL_MAX_ATTEMPTS:
                notification.email_failed_at = now
                notification.email_retry_at = None
                logger.warning("E-mail of notification %s given up: %s", notification.pk, notification.email_error)
            else:
                wait = min(EMAIL_RETRY_BASE_MINUTES * 2 ** (notification.email_attempts - 1), EMAIL_RETRY_MAX_MINUTES)
                notification.email_retry_at = now + timedelta(minutes=wait)
                logger.info(
                    "E-mail of notification %s retried in %s min: %s", notification.pk, wait, notification.email_error
                )
            notification.save(update_fields=["email_attempts", "email_error", "email_failed_at", "email_retry_at"])
            return False
        notification.emailed_at = now
        notification.email_retry_at = None
        notification.save(update_fields=["emailed_at", "email_retry_at"])
        return True
