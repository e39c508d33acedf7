"""The 24-hour rule for incidents: the clock of each incident, the periodic check, the outcome.

The clocks follow what bulletins and review announce (incidents/handlers.py): a deadline set or
moved (incident_clock_sync), a sign-off (incident_record_sent_up). The periodic check is
incidents_flag_overdue, run by the Celery beat task and the flag_overdue_incidents command.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, DurationField, ExpressionWrapper, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.models import User
from bulletins.models import Bulletin
from incidents.durations import duration_text
from incidents.events import incidents_flagged
from incidents.models import OPEN_STATES, ClockState, IncidentClock
from incidents.rules import is_late, late_q, warning_time
from notifications.services import Notice, notification_send_many

NOTICE_KIND_WARNING = "incident_warning"
NOTICE_KIND_OVERDUE = "incident_overdue"


def _sent_up_outcome(*, deadline_at: datetime, at: datetime) -> dict:
    if is_late(deadline_at=deadline_at, at=at):
        return {"state": ClockState.SENT_LATE, "sent_up_at": at, "late_by": at - deadline_at}
    return {"state": ClockState.SENT_ON_TIME, "sent_up_at": at, "late_by": None}


def incident_clock_sync(*, bulletin) -> None:
    """Called after a bulletin's deadline_at was set, moved or removed.

    Starts, moves or stops the bulletin's clock. Only a clock not yet flagged moves: a flagged
    incident stays flagged and a sent-up one keeps its outcome, whatever the new deadline (both
    guarded in the UPDATE's WHERE, so a check running at the same moment cannot be undone).
    """
    movable = IncidentClock.objects.filter(bulletin_id=bulletin.pk, state__in=[ClockState.PENDING, ClockState.WARNED])
    if bulletin.deadline_at is None:
        # No longer an incident (category changed, or no time of event): nothing to count down.
        movable.delete()
        return
    warn_at = warning_time(occurred_at=bulletin.occurred_at, deadline_at=bulletin.deadline_at)
    changes = {"deadline_at": bulletin.deadline_at, "warn_at": warn_at}
    if warn_at > timezone.now():
        # The warning given for the old deadline no longer holds; warn again for the new one.
        changes |= {"state": ClockState.PENDING, "warned_at": None}
    if movable.update(**changes):
        return
    outcome = {}
    if bulletin.signed_off_at is not None:
        outcome = _sent_up_outcome(deadline_at=bulletin.deadline_at, at=bulletin.signed_off_at)
    # No clock yet (or a frozen one, which ON CONFLICT DO NOTHING leaves alone).
    IncidentClock.objects.bulk_create(
        [
            IncidentClock(
                bulletin_id=bulletin.pk,
                filing_unit_id=bulletin.filing_unit_id,
                deadline_at=bulletin.deadline_at,
                warn_at=warn_at,
                **outcome,
            )
        ],
        ignore_conflicts=True,
    )


def incident_record_sent_up(*, bulletin, at) -> None:
    """Called after the sign-off at `at`, when the bulletin left its own unit.

    Records for good whether it left on time or late, and by how much. Only the first sign-off
    counts (a bulletin returned from above and resubmitted does not leave its unit again).
    """
    late = Q(state=ClockState.FLAGGED) | late_q(at=at)
    updated = IncidentClock.objects.filter(bulletin_id=bulletin.pk, state__in=OPEN_STATES).update(
        sent_up_at=at,
        state=Case(When(late, then=Value(ClockState.SENT_LATE)), default=Value(ClockState.SENT_ON_TIME)),
        late_by=Case(
            When(
                late,
                then=ExpressionWrapper(
                    Value(at, output_field=DateTimeField()) - F("deadline_at"), output_field=DurationField()
                ),
            ),
            default=Value(None, output_field=DurationField()),
        ),
    )
    if not updated and bulletin.deadline_at is not None:
        # An incident whose clock was never started (e.g. filed before this app): record it now.
        incident_clock_sync(bulletin=bulletin)


@dataclass(frozen=True)
class CheckResult:
    """Bulletin ids warned and flagged by one run of the check."""

    warned: tuple[int, ...]
    flagged: tuple[int, ...]


def incidents_flag_overdue(*, now: datetime | None = None) -> CheckResult:
    """Flag every incident not sent up by its deadline and warn those near it, each exactly once.

    Set-based: two conditional UPDATEs served by the partial indexes (nothing due: two queries
    that read no rows), then, when something was due, one INSERT announcing the flags, one query
    for the incidents, one for the recipients and one INSERT of all notices — whatever the number
    of incidents. The WHERE on
    the state makes it idempotent under concurrency: a second check blocks on the row lock,
    re-reads the row, no longer matches it, and neither flags nor notifies again.

    The clocks follow the bulletins after their commits (incidents/handlers.py), so the bulletin
    row has the last word: one signed off, or whose deadline moved, in the moment before its
    clock heard of it is neither warned nor flagged.
    """
    now = now or timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    table = IncidentClock._meta.db_table
    bulletins = Bulletin._meta.db_table
    still_due = f"b.id = {table}.bulletin_id AND b.signed_off_at IS NULL AND b.deadline_at <= %s"
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Flag first: an incident already past its deadline gets the flag, not a late warning.
            cursor.execute(
                f"UPDATE {table} SET state = %s, flagged_at = %s FROM {bulletins} b "
                f"WHERE state IN (%s, %s) AND {table}.deadline_at <= %s AND {still_due} RETURNING bulletin_id",
                [ClockState.FLAGGED, at, ClockState.PENDING, ClockState.WARNED, at, at],
            )
            flagged = tuple(row[0] for row in cursor.fetchall())
            cursor.execute(
                f"UPDATE {table} SET state = %s, warned_at = %s FROM {bulletins} b "
                f"WHERE state = %s AND warn_at <= %s AND b.id = {table}.bulletin_id AND b.signed_off_at IS NULL "
                "RETURNING bulletin_id",
                [ClockState.WARNED, at, ClockState.PENDING, at],
            )
            warned = tuple(row[0] for row in cursor.fetchall())
        if flagged:
            # One id for the run: the dashboards count every incident flagged with it as late.
            incidents_flagged.announce(min(flagged))
        if flagged or warned:
            _notify(flagged=flagged, warned=warned, now=now)
    return CheckResult(warned=warned, flagged=flagged)


def _bulletin_url(bulletin_id: int) -> str:
    return reverse("bulletins:detail", args=[bulletin_id])


def _notify(*, flagged: tuple[int, ...], warned: tuple[int, ...], now: datetime) -> None:
    """Tell the filing unit's office heads and the author (on a flag also the parent unit's reviewers)."""

    clocks = list(
        IncidentClock.objects.filter(bulletin_id__in=flagged + warned).values(
            "bulletin_id",
            "deadline_at",
            "bulletin__title",
            "bulletin__author_id",
            "filing_unit_id",
            "filing_unit__name",
            "filing_unit__parent_id",
        )
    )
    flagged_ids = set(flagged)
    units = {c["filing_unit_id"] for c in clocks}
    parents = {c["filing_unit__parent_id"] for c in clocks if c["bulletin_id"] in flagged_ids} - {None}
    authors = {c["bulletin__author_id"] for c in clocks}
    heads, reviewers, active = {}, {}, set()
    users = User.objects.filter(is_active=True).filter(
        Q(pk__in=authors)
        | Q(unit_id__in=units, is_office_head=True)
        | (Q(unit_id__in=parents) & (Q(is_reviewer=True) | Q(is_office_head=True)))
    )
    for user_id, unit_id, is_reviewer, is_head in users.values_list("pk", "unit_id", "is_reviewer", "is_office_head"):
        active.add(user_id)
        if is_head:
            heads.setdefault(unit_id, []).append(user_id)
        if is_head or is_reviewer:
            reviewers.setdefault(unit_id, []).append(user_id)

    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        for clock in clocks:
            bulletin_id, deadline_at = clock["bulletin_id"], clock["deadline_at"]
            recipients = [*heads.get(clock["filing_unit_id"], [])]
            if clock["bulletin__author_id"] in active:
                recipients.append(clock["bulletin__author_id"])
            names = {
                "title": clock["bulletin__title"],
                "unit": clock["filing_unit__name"],
                "deadline": date_format(timezone.localtime(deadline_at), "Y-m-d H:i"),
            }
            if bulletin_id in flagged_ids:
                recipients += reviewers.get(clock["filing_unit__parent_id"], [])
                kind, key = NOTICE_KIND_OVERDUE, f"incident-flag-{bulletin_id}"
                title = _("Incident report overdue: %(title)s") % names
                body = _(
                    "The incident report “%(title)s” of %(unit)s had to be signed off and sent upward "
                    "by %(deadline)s and has not been: %(late)s overdue."
                ) % {**names, "late": duration_text(now - deadline_at)}
            else:
                kind, key = NOTICE_KIND_WARNING, f"incident-warn-{bulletin_id}-{int(deadline_at.timestamp())}"
                title = _("Incident report due soon: %(title)s") % names
                body = _(
                    "The incident report “%(title)s” of %(unit)s must be signed off and sent upward "
                    "by %(deadline)s: %(left)s left."
                ) % {**names, "left": duration_text(deadline_at - now)}
            notices.append(
                Notice(
                    recipient_ids=tuple(recipients),
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=_bulletin_url(bulletin_id),
                    bulletin_id=bulletin_id,
                    dedupe_key=key,
                )
            )
    notification_send_many(notices=notices)


def incident_clocks_backfill() -> int:
    """Start the clock of every bulletin that has a deadline but no clock (idempotent); returns how many."""
    missing = Bulletin.objects.filter(deadline_at__isnull=False, incident_clock__isnull=True).only(
        "pk", "filing_unit_id", "occurred_at", "deadline_at", "signed_off_at"
    )
    count = 0
    for bulletin in missing.iterator(chunk_size=2000):
        with transaction.atomic():
            incident_clock_sync(bulletin=bulletin)
        count += 1
    return count
