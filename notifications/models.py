"""The in-app inbox; e-mail copies are sent by a Celery task after commit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    bulletin = models.ForeignKey(
        "bulletins.Bulletin", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What happened (e.g. "returned", "arrived", "incident_overdue"); one notice per kind and
    # bulletin event, deduplicated by dedupe_key when set.
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set when what the notice asked for is no longer pending (a bulletin "to review" was decided
    # by someone): the notice stays in the inbox, marked as dealt with, and no longer counts as unread.
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # The e-mail copy's failures, each notice on its own (notifications.services.notification_email_deliver).
    # Database defaults: notification_send_many inserts its rows in raw SQL.
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0, db_default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=300, blank=True, default="", db_default="")
    email_retry_at = models.DateTimeField(_("e-mail retried at"), null=True, blank=True)
    email_failed_at = models.DateTimeField(_("e-mail given up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=Q(read_at__isnull=True, resolved_at__isnull=True),
            ),
            # notification_resolve: the unresolved notices of a kind about a bulletin.
            models.Index(fields=["bulletin", "kind"], name="notification_open", condition=Q(resolved_at__isnull=True)),
            # notification_pending_email_ids: the copies not yet sent nor given up.
            models.Index(
                fields=["created_at"],
                name="notification_email_pending",
                condition=Q(emailed_at__isnull=True, email_failed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.title
