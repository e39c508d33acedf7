from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingDelivery(models.Model):
    """An announcement one handler has yet to receive.

    Written in the transaction that announces, so it exists exactly when the announced change was
    committed; deleted in the transaction in which the handler did its work, so a handler runs to
    completion once per announcement, however often delivery is retried.
    """

    topic = models.CharField(_("topic"), max_length=100)
    key = models.BigIntegerField(_("key"))
    handler = models.CharField(_("handler"), max_length=100)
    created_at = models.DateTimeField(_("announced at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last failed attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("pending delivery")
        verbose_name_plural = _("pending deliveries")
        constraints = [
            models.UniqueConstraint(fields=["topic", "key", "handler"], name="events_one_pending_delivery"),
        ]
        indexes = [models.Index(fields=["created_at"], name="events_pending_by_age")]

    def __str__(self):
        return f"{self.topic}:{self.key} → {self.handler}"
