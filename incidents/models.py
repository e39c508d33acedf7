"""The 24-hour rule: one clock per bulletin that has a deadline, and its permanent outcome."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ClockState(models.TextChoices):
    PENDING = "pending", _("Counting down")
    WARNED = "warned", _("Deadline near")
    FLAGGED = "flagged", _("Overdue")
    SENT_ON_TIME = "on_time", _("Sent up on time")
    SENT_LATE = "late", _("Sent up late")


# States in which the incident has not left its unit yet (the scan looks only at these).
OPEN_STATES = (ClockState.PENDING, ClockState.WARNED, ClockState.FLAGGED)


class IncidentClock(models.Model):
    """The deadline of one incident report and what became of it.

    The schedule (when to warn, when to flag) is the incident's obligation in deadlines/, which
    the one periodic scan reads; this row is what the dashboards read: the state, the frozen
    deadline, when it was warned, flagged, sent up, and how late. A table of its own rather than
    columns on Bulletin: an UPDATE of a column used by an index is not a HOT update, so flags
    written on the bulletins table would add entries to every one of its large indexes.
    """

    bulletin = models.OneToOneField(
        "bulletins.Bulletin", primary_key=True, on_delete=models.CASCADE, related_name="incident_clock"
    )
    # Copied from the bulletin (it never changes) so timeliness per unit needs no join.
    # No index of its own: incident_unit_deadline (filing_unit, deadline_at) serves it.
    filing_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    state = models.CharField(_("state"), max_length=10, choices=ClockState.choices, default=ClockState.PENDING)
    # The bulletin's deadline, frozen once the incident is flagged or sent up.
    deadline_at = models.DateTimeField(_("deadline"))
    warn_at = models.DateTimeField(_("warning at"))
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    sent_up_at = models.DateTimeField(_("sent upward at"), null=True, blank=True)
    # How late it was sent up; empty when on time or not sent yet.
    late_by = models.DurationField(_("late by"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident deadline")
        verbose_name_plural = _("incident deadlines")
        constraints = [
            models.CheckConstraint(condition=Q(warn_at__lte=F("deadline_at")), name="incident_warn_before_deadline"),
            models.CheckConstraint(
                condition=Q(state=ClockState.FLAGGED, flagged_at__isnull=False) | ~Q(state=ClockState.FLAGGED),
                name="incident_flagged_has_time",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[ClockState.SENT_ON_TIME, ClockState.SENT_LATE], sent_up_at__isnull=False)
                | Q(state__in=OPEN_STATES, sent_up_at__isnull=True),
                name="incident_sent_up_has_time",
            ),
            models.CheckConstraint(
                condition=Q(state=ClockState.SENT_LATE, late_by__isnull=False) | Q(late_by__isnull=True),
                name="incident_late_by_only_when_late",
            ),
        ]
        indexes = [
            # Timeliness per unit and period (dashboards).
            models.Index(fields=["filing_unit", "deadline_at"], name="incident_unit_deadline"),
            # Dashboards: incidents flagged and still not sent up, by deadline.
            models.Index(fields=["deadline_at"], name="incident_overdue_open", condition=Q(state=ClockState.FLAGGED)),
        ]

    def __str__(self):
        return f"{self.bulletin_id} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
