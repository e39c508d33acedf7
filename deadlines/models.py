"""Every deadline in the product: an obligation, its stages (warn, due, escalate …) and each stage fired.

The leaf knows nothing of what is owed: the owning app (incidents, later calls, incident chains,
instructions) opens obligations of its `kind`, says when they are met, and registers the handler
that turns a fired stage into notices and facts (deadlines/registry.py).
"""

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Every moment here lies in this range (form and database), as in bulletins/validation.py.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _in_range(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": EARLIEST, f"{field}__lt": LATEST}), name=name)


class ObligationState(models.TextChoices):
    OPEN = "open", pgettext_lazy("obligation", "Open")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("Cancelled")


class StageState(models.TextChoices):
    PENDING = "pending", _("Pending")
    FIRED = "fired", _("Fired")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


class FiringOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    # Past when the obligation was opened, or overtaken by a later stage fired in the same scan.
    SKIPPED = "skipped", _("Skipped")


class Obligation(models.Model):
    """Something a unit (optionally one person in it) owes by a time; its meaning belongs to `kind`'s app."""

    kind = models.CharField(_("kind"), max_length=50)
    # The owning app's object (a bulletin for an incident, a call …): the app reads it by this id.
    subject_id = models.BigIntegerField(_("subject"))
    # A foreign key by name, not an import: the leaf stays below accounts in the layers.
    unit = models.ForeignKey("accounts.OrgUnit", verbose_name=_("owed by"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("what is due"), max_length=200)
    url = models.CharField(_("link"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=10, choices=ObligationState.choices, default=ObligationState.OPEN)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.CharField(_("why closed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id", "unit"], name="deadline_one_obligation_per_unit"),
            models.CheckConstraint(
                condition=Q(state=ObligationState.OPEN, closed_at__isnull=True)
                | (~Q(state=ObligationState.OPEN) & Q(closed_at__isnull=False)),
                name="deadline_closed_has_time",
            ),
            _in_range("due_at", "deadline_obligation_due_range"),
        ]
        indexes = [
            # The admin's open, due and overdue obligations per unit.
            models.Index(fields=["unit", "due_at"], name="deadline_open_by_unit", condition=Q(state="open")),
            models.Index(fields=["kind", "subject_id"], name="deadline_by_subject"),
        ]

    def __str__(self):
        return self.label


class Stage(models.Model):
    """One moment of an obligation (warn, due, escalate …); `pending` until the scan fires it."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("stage"), max_length=30)
    due_at = models.DateTimeField(_("at"))
    state = models.CharField(_("state"), max_length=10, choices=StageState.choices, default=StageState.PENDING)
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "name"], name="deadline_stage_once_per_obligation"),
            models.CheckConstraint(
                condition=Q(state=StageState.FIRED, fired_at__isnull=False) | ~Q(state=StageState.FIRED),
                name="deadline_fired_has_time",
            ),
            _in_range("due_at", "deadline_stage_due_range"),
        ]
        indexes = [
            # The scan: only pending stages are in it, so with nothing due it reads no row.
            models.Index(fields=["due_at"], name="deadline_stage_pending", condition=Q(state="pending")),
        ]

    def __str__(self):
        return f"{self.obligation_id}:{self.name}@{self.due_at:%Y-%m-%d %H:%M}"


class StageFiring(models.Model):
    """A stage fired (or skipped) for one due time: the database's proof that it happens once.

    Keyed (obligation, stage, due time): a deadline moved re-arms its stage under a new key, a
    deadline moved back to a time already fired does not fire it again. Append-only.
    """

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="firings")
    stage = models.CharField(_("stage"), max_length=30)
    due_at = models.DateTimeField(_("due at"))
    fired_at = models.DateTimeField(_("fired at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=FiringOutcome.choices)

    class Meta:
        verbose_name = _("stage fired")
        verbose_name_plural = _("stages fired")
        constraints = [
            models.UniqueConstraint(fields=["obligation", "stage", "due_at"], name="deadline_fired_once"),
            models.CheckConstraint(
                condition=Q(fired_at__gte=F("due_at")) | Q(outcome="skipped"), name="deadline_fired_when_due"
            ),
        ]

    def __str__(self):
        return f"{self.obligation_id}:{self.stage}@{self.due_at:%Y-%m-%d %H:%M} {self.outcome}"
