"""The 24-hour rule for incidents: the clock of each incident, its stages, the outcome.

An incident's deadline is an obligation of the deadline mechanism (deadlines/): kind "incident",
the bulletin as its subject, owed by the filing unit, with a warning stage and a due stage. The
scan (deadlines.services.deadlines_scan, every minute) fires them; incident_stages_fired turns a
fired stage into the clock's warning or overdue flag and the notices. The IncidentClock row keeps
the permanent outcome the dashboards read (on time, late and by how much, flagged when).

The clocks follow what bulletins and review announce (incidents/handlers.py): a deadline set or
moved (incident_clock_sync), a sign-off (incident_record_sent_up).
"""

from collections.abc import Sequence
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
from deadlines.models import ObligationState
from deadlines.services import FiredStage, StageSpec, deadlines_scan, obligations_arm, obligations_close
from incidents.durations import duration_text
from incidents.events import incidents_flagged
from incidents.models import OPEN_STATES, ClockState, IncidentClock
from incidents.rules import is_late, late_q, warning_time
from notifications.services import Notice, notification_send_many

# The obligations of the 24-hour rule, and their stages.
OBLIGATION_KIND = "incident"
STAGE_WARN = "warn"
STAGE_DUE = "due"

NOTICE_KIND_WARNING = "incident_warning"
NOTICE_KIND_OVERDUE = "incident_overdue"


def _sent_up_outcome(*, deadline_at: datetime, at: datetime) -> dict:
    if is_late(deadline_at=deadline_at, at=at):
        return {"state": ClockState.SENT_LATE, "sent_up_at": at, "late_by": at - deadline_at}
    return {"state": ClockState.SENT_ON_TIME, "sent_up_at": at, "late_by": None}


def _arm(*, bulletin, warn_at: datetime) -> None:
    """Open or move the incident's obligation: warn at warn_at, flag at the deadline.

    Both stages fire even when their time has passed on opening (an incident filed 21 hours after
    the event is still warned, one filed after 24 hours is flagged overdue: lateness is a fact, not
    a reminder); the scan sends only the later of two stages due at once.
    """
    obligations_arm(
        kind=OBLIGATION_KIND,
        subject_id=bulletin.pk,
        unit_ids=[bulletin.filing_unit_id],
        label=bulletin.title,
        url=_bulletin_url(bulletin.pk),
        due_at=bulletin.deadline_at,
        stages=[
            StageSpec(STAGE_WARN, warn_at, fire_if_past=True),
            StageSpec(STAGE_DUE, bulletin.deadline_at, fire_if_past=True),
        ],
    )


def incident_clock_sync(*, bulletin) -> None:
    """Called after a bulletin's deadline_at was set, moved or removed.

    Starts, moves or stops the bulletin's clock and its obligation. Only a clock not yet flagged
    moves: a flagged incident stays flagged and a sent-up one keeps its outcome, whatever the new
    deadline (both guarded in the UPDATE's WHERE, so a scan running at the same moment cannot be
    undone).
    """
    movable = IncidentClock.objects.filter(bulletin_id=bulletin.pk, state__in=[ClockState.PENDING, ClockState.WARNED])
    if bulletin.deadline_at is None:
        # No longer an incident (category changed, or no time of event): nothing to count down.
        if movable.delete()[0]:
            obligations_close(
                kind=OBLIGATION_KIND, subject_id=bulletin.pk, state=ObligationState.CANCELLED, reason="no deadline"
            )
        return
    warn_at = warning_time(occurred_at=bulletin.occurred_at, deadline_at=bulletin.deadline_at)
    changes = {"deadline_at": bulletin.deadline_at, "warn_at": warn_at}
    if warn_at > timezone.now():
        # The warning given for the old deadline no longer holds; warn again for the new one.
        changes |= {"state": ClockState.PENDING, "warned_at": None}
    if movable.update(**changes):
        _arm(bulletin=bulletin, warn_at=warn_at)
        return
    outcome = {}
    if bulletin.signed_off_at is not None:
        outcome = _sent_up_outcome(deadline_at=bulletin.deadline_at, at=bulletin.signed_off_at)
    # No clock yet (or a frozen one, which ON CONFLICT DO NOTHING leaves alone).
    with connection.cursor() as cursor:
        row = IncidentClock(
            bulletin_id=bulletin.pk,
            filing_unit_id=bulletin.filing_unit_id,
            deadline_at=bulletin.deadline_at,
            warn_at=warn_at,
            **outcome,
        )
        cursor.execute(
            f"INSERT INTO {IncidentClock._meta.db_table} (bulletin_id, filing_unit_id, state, deadline_at, warn_at, "
            "sent_up_at, late_by) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING state",
            [row.bulletin_id, row.filing_unit_id, row.state, row.deadline_at, row.warn_at, row.sent_up_at, row.late_by],
        )
        created = cursor.fetchone()
    if created is not None and created[0] == ClockState.PENDING:
        _arm(bulletin=bulletin, warn_at=warn_at)


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
    if updated:
        obligations_close(kind=OBLIGATION_KIND, subject_id=bulletin.pk, state=ObligationState.MET, now=at)
    elif bulletin.deadline_at is not None:
        # An incident whose clock was never started (e.g. filed before this app): record it now.
        incident_clock_sync(bulletin=bulletin)


@dataclass(frozen=True)
class CheckResult:
    """Bulletin ids warned and flagged by one run of the check."""

    warned: tuple[int, ...]
    flagged: tuple[int, ...]


def incidents_flag_overdue(*, now: datetime | None = None) -> CheckResult:
    """Run the deadline scan (every kind of obligation) and return what it did for incidents.

    The name is the one cron jobs and the flag_overdue_incidents command have always used.
    """
    result = deadlines_scan(now=now)
    return result.reports.get(OBLIGATION_KIND, CheckResult(warned=(), flagged=()))


def incident_stages_fired(*, fired: Sequence[FiredStage], now: datetime) -> CheckResult:
    """The scan fired incident stages: flag the overdue, warn those near their deadline, notify once.

    Runs in the scan's transaction (registered in incidents/apps.py). Set-based: one conditional
    UPDATE per stage fired, then, when something was flagged or warned, one INSERT announcing the
    flags, one query for the incidents, one for the recipients and one INSERT of all notices —
    whatever the number of incidents.

    The clocks follow the bulletins after their commits (incidents/handlers.py), so the bulletin
    row has the last word: one signed off, or whose deadline moved, in the moment before its
    clock and obligation heard of it is neither warned nor flagged (the obligation is met or
    re-armed a moment later).
    """
    at = connection.ops.adapt_datetimefield_value(now)
    table = IncidentClock._meta.db_table
    bulletins = Bulletin._meta.db_table
    due = [stage.subject_id for stage in fired if stage.stage == STAGE_DUE]
    warn = [stage.subject_id for stage in fired if stage.stage == STAGE_WARN]
    flagged: tuple[int, ...] = ()
    warned: tuple[int, ...] = ()
    with connection.cursor() as cursor:
        if due:
            cursor.execute(
                f"UPDATE {table} SET state = %s, flagged_at = %s FROM {bulletins} b "
                f"WHERE {table}.bulletin_id = ANY(%s) AND state IN (%s, %s) AND {table}.deadline_at <= %s "
                f"AND b.id = {table}.bulletin_id AND b.signed_off_at IS NULL AND b.deadline_at <= %s "
                "RETURNING bulletin_id",
                [ClockState.FLAGGED, at, due, ClockState.PENDING, ClockState.WARNED, at, at],
            )
            flagged = tuple(sorted(row[0] for row in cursor.fetchall()))
        if warn:
            cursor.execute(
                f"UPDATE {table} SET state = %s, warned_at = %s FROM {bulletins} b "
                f"WHERE {table}.bulletin_id = ANY(%s) AND state = %s AND warn_at <= %s "
                f"AND b.id = {table}.bulletin_id AND b.signed_off_at IS NULL RETURNING bulletin_id",
                [ClockState.WARNED, at, warn, ClockState.PENDING, at],
            )
            warned = tuple(sorted(row[0] for row in cursor.fetchall()))
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


# The obligations of clocks filled in bulk (the benchmark's load; incidents/migrations/0003 holds a
# frozen copy): one per clock, met when sent up, open with its two stages otherwise (fired when the
# clock was warned or flagged, each firing recorded).
OBLIGATIONS_FROM_CLOCKS_SQL = """
WITH obligations AS (
    INSERT INTO deadlines_obligation
        (kind, subject_id, unit_id, person_id, label, url, due_at, state, created_at, closed_at, closed_reason)
    SELECT %(kind)s, c.bulletin_id, c.filing_unit_id, NULL, left(b.title, 200),
        replace(%(url)s, '0', c.bulletin_id::text), c.deadline_at,
        CASE WHEN c.state IN ('on_time', 'late') THEN 'met' ELSE 'open' END, %(now)s,
        CASE WHEN c.state IN ('on_time', 'late') THEN c.sent_up_at END, ''
    FROM incidents_incidentclock c JOIN bulletins_bulletin b ON b.id = c.bulletin_id
    ON CONFLICT (kind, subject_id, unit_id) DO NOTHING
    RETURNING id, subject_id, state
), stages AS (
    INSERT INTO deadlines_stage (obligation_id, name, due_at, state, fired_at)
    SELECT o.id, s.name, s.due_at,
        CASE WHEN s.fired_at IS NULL THEN 'pending' WHEN s.sent THEN 'fired' ELSE 'skipped' END, s.fired_at
    FROM obligations o JOIN incidents_incidentclock c ON c.bulletin_id = o.subject_id
    CROSS JOIN LATERAL (VALUES (%(warn)s, c.warn_at, COALESCE(c.warned_at, c.flagged_at), c.warned_at IS NOT NULL),
                               (%(due)s, c.deadline_at, c.flagged_at, TRUE)) AS s(name, due_at, fired_at, sent)
    WHERE o.state = 'open'
    RETURNING obligation_id, name, due_at, state, fired_at
)
INSERT INTO deadlines_stagefiring (obligation_id, stage, due_at, fired_at, outcome)
SELECT obligation_id, name, due_at, GREATEST(fired_at, due_at), CASE WHEN state = 'fired' THEN 'sent' ELSE 'skipped' END
FROM stages WHERE state <> 'pending'
ON CONFLICT DO NOTHING
"""


def incident_obligations_backfill() -> None:
    """Give every incident clock without one its obligation (set-based, idempotent)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            OBLIGATIONS_FROM_CLOCKS_SQL,
            {
                "kind": OBLIGATION_KIND,
                "url": reverse("bulletins:detail", args=[0]),
                "now": timezone.now(),
                "warn": STAGE_WARN,
                "due": STAGE_DUE,
            },
        )
