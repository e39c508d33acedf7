"""Routing records: queue entries, the append-only history, adoptions and leaders' instructions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgLevel
from bulletins.models import at_most
from bulletins.validation import (
    COMMENT_MAX_LENGTH,
    EARLIEST_DATE,
    END_DATE,
    HISTORY_COMMENT_MAX_LENGTH,
    LEADER_MAX_LENGTH,
)


class QueueState(models.TextChoices):
    OPEN = "open", _("Waiting")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    RESUBMIT = "resubmit", _("Resubmitted")
    WITHDRAW = "withdraw", _("Withdrawn")
    SIGN_OFF = "sign_off", _("Signed off and sent up")
    ADOPT = "adopt", _("Adopted")
    ADOPT_FORWARD = "adopt_forward", _("Adopted and forwarded")
    FORWARD = "forward", _("Forwarded")
    RETURN = "return", _("Returned")
    DECLINE = "decline", _("Declined")
    INSTRUCTION = "instruction", _("Leader's instruction added")


class ReturnReason(models.TextChoices):
    VERIFY = "verify", _("Facts to verify")
    PERTINENCE = "pertinence", _("Lacks pertinence")
    LATE = "late", _("Too late")
    WORDING = "wording", _("Wording")
    OTHER = "other", _("Other")


class DeclineReason(models.TextChoices):
    LOW_VALUE = "low_value", _("Little reference value")
    DUPLICATE = "duplicate", _("Duplicates another report")
    NOT_TIMELY = "not_timely", _("No longer timely")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the journal's scope")
    OTHER = "other", _("Other")


class AdoptionKind(models.TextChoices):
    FULL = "full", _("Full text")
    ABRIDGED = "abridged", _("Abridged")
    COMBINED = "combined", _("Combined into a digest")


class QueueEntry(models.Model):
    """A bulletin waiting at (or once waiting at) one unit; at most one is open per bulletin."""

    bulletin = models.ForeignKey("bulletins.Bulletin", on_delete=models.PROTECT, related_name="queue_entries")
    # db_index=False: queue_unit_bulletin (unit, bulletin) leads with it.
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="queue_entries", db_index=False)
    version_number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=QueueState.choices, default=QueueState.OPEN)
    opened_at = models.DateTimeField(_("arrived at"))
    # The bulletin's deadline (incidents) copied at arrival: the queue's order — incidents by
    # deadline first, then the oldest arrival — is then one index scan, not a sort of the unit's
    # whole queue joined to the bulletins. A bulletin's deadline cannot change while it waits.
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("decision"), max_length=20, choices=ReviewAction.choices, blank=True)

    class Meta:
        verbose_name = _("queue entry")
        verbose_name_plural = _("queue entries")
        constraints = [
            models.UniqueConstraint(fields=["bulletin"], condition=Q(state="open"), name="review_one_open_queue_entry"),
        ]
        indexes = [
            models.Index(
                fields=["unit", "deadline_at", "opened_at", "id"], name="queue_open_order", condition=Q(state="open")
            ),
            models.Index(fields=["unit", "bulletin"], name="queue_unit_bulletin"),
        ]

    def __str__(self):
        return f"{self.bulletin_id}@{self.unit_id} ({self.state})"


class ReviewEvent(models.Model):
    """One line of a bulletin's history: append-only, never edited or deleted."""

    # db_index=False: event_bulletin_at (bulletin, at) leads with it.
    bulletin = models.ForeignKey("bulletins.Bulletin", on_delete=models.PROTECT, related_name="events", db_index=False)
    version_number = models.PositiveSmallIntegerField(_("version"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    from_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("from unit"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("to unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["bulletin", "at"], name="event_bulletin_at")]
        constraints = [at_most("comment", HISTORY_COMMENT_MAX_LENGTH, name="review_event_comment_length")]

    def __str__(self):
        return f"{self.bulletin_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("History entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("History entries cannot be deleted."))

    @property
    def reason_label(self) -> str:
        if self.action == ReviewAction.RETURN:
            choices = ReturnReason
        elif self.is_adoption:
            choices = AdoptionKind  # an adoption's "reason" is its kind
        else:
            choices = DeclineReason
        try:
            return choices(self.reason).label
        except ValueError:
            return self.reason

    @property
    def is_adoption(self) -> bool:
        return self.action in (ReviewAction.ADOPT, ReviewAction.ADOPT_FORWARD)

    @property
    def reason_text(self) -> str:
        """The reason with its caption: "原因：需核实", or for an adoption "采用方式：全文采用" (its kind)."""
        if self.is_adoption:
            return _("Adoption kind: %(kind)s") % {"kind": self.reason_label}
        return _("Reason: %(reason)s") % {"reason": self.reason_label}


class Adoption(models.Model):
    """A unit's adoption of a bulletin; one per bulletin and unit."""

    # db_index=False: review_adoption_once_per_unit (bulletin, unit) leads with it.
    bulletin = models.ForeignKey(
        "bulletins.Bulletin", on_delete=models.PROTECT, related_name="adoptions", db_index=False
    )
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("adopting unit"), on_delete=models.PROTECT, related_name="adoptions"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=OrgLevel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=AdoptionKind.choices)
    adopted_at = models.DateTimeField(_("adopted at"))
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "unit"], name="review_adoption_once_per_unit"),
        ]

    def __str__(self):
        return f"{self.bulletin_id} adopted by {self.unit_id}"


class LeaderInstruction(models.Model):
    """A leader's written instruction (领导批示) on an adopted bulletin."""

    adoption = models.ForeignKey(Adoption, on_delete=models.PROTECT, related_name="instructions")
    leader = models.CharField(_("leader"), max_length=LEADER_MAX_LENGTH)
    text = models.TextField(_("instruction"))
    instructed_on = models.DateField(_("date of instruction"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["instructed_on", "pk"]
        constraints = [
            at_most("text", COMMENT_MAX_LENGTH, name="review_instruction_text_length"),
            models.CheckConstraint(
                condition=Q(instructed_on__gte=EARLIEST_DATE, instructed_on__lt=END_DATE),
                name="review_instruction_date_range",
            ),
        ]

    def __str__(self):
        return f"{self.leader}: {self.text[:20]}"
