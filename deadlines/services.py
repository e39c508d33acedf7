"""Opening, moving and closing obligations, and the one periodic scan that fires their stages.

Every function is set-based: an obligation for one unit and a call to 3,200 units cost the same
number of queries. "Exactly once" is a database fact: a stage fires when the scan's UPDATE moves it
from pending (so a second scan blocks on the row and then no longer matches it), and its firing is
an INSERT … ON CONFLICT DO NOTHING keyed (obligation, stage, due time). What the owning app does
about it (notices, facts) runs in the same transaction; e-mail copies leave after the commit.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from deadlines.models import FiringOutcome, Obligation, ObligationState, Stage, StageFiring, StageState
from deadlines.registry import handler_for

logger = logging.getLogger(__name__)

OBLIGATIONS = Obligation._meta.db_table
STAGES = Stage._meta.db_table
FIRINGS = StageFiring._meta.db_table
LABEL_LENGTH = Obligation._meta.get_field("label").max_length


@dataclass(frozen=True)
class StageSpec:
    """A stage to arm: its name, its time, and what to do when that time has passed on opening.

    `fire_if_past=False` (the default): a reminder whose moment is gone is recorded as skipped, not
    sent. True for stages that record a fact rather than remind (an incident found already
    overdue is flagged overdue).
    """

    name: str
    due_at: datetime
    fire_if_past: bool = False


@dataclass(frozen=True)
class FiredStage:
    """One stage fired by the scan, with what its handler needs to know of the obligation."""

    obligation_id: int
    kind: str
    subject_id: int
    unit_id: int
    person_id: int | None
    stage: str
    due_at: datetime
    label: str
    url: str
    obligation_due_at: datetime


def obligations_arm(
    *,
    kind: str,
    subject_id: int,
    unit_ids: Iterable[int],
    label: str,
    due_at: datetime,
    stages: Sequence[StageSpec],
    url: str = "",
    person_id: int | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Open the obligation of each unit for `subject_id`, or move it: returns the ids armed.

    Opening: each stage is pending, or skipped when its time has passed (unless fire_if_past).
    Moving (the same call with new times): a stage whose time changed is re-armed when its new
    time is ahead, a stage not fired yet keeps waiting (due at the next scan when its new time is
    past), a stage already fired or skipped stays so when its new time is past. A met obligation
    is left as it is; a cancelled one opens again. Three statements whatever the number of units.
    """
    now = now or timezone.now()
    units = list(dict.fromkeys(unit_ids))
    if not units:
        return []
    names = [spec.name for spec in stages]
    if len(set(names)) != len(names):
        raise ValueError("stage names must be distinct")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OBLIGATIONS} (kind, subject_id, unit_id, person_id, label, url, due_at, state, created_at, "
            "closed_at, closed_reason) "
            "SELECT %(kind)s, %(subject)s, u, %(person)s, %(label)s, %(url)s, %(due)s, 'open', %(now)s, NULL, '' "
            "FROM unnest(%(units)s::bigint[]) AS u "
            "ON CONFLICT (kind, subject_id, unit_id) DO UPDATE SET label = EXCLUDED.label, url = EXCLUDED.url, "
            "due_at = EXCLUDED.due_at, person_id = EXCLUDED.person_id, "
            f"state = CASE WHEN {OBLIGATIONS}.state = 'met' THEN 'met' ELSE 'open' END, "
            f"closed_at = CASE WHEN {OBLIGATIONS}.state = 'met' THEN {OBLIGATIONS}.closed_at END, "
            f"closed_reason = CASE WHEN {OBLIGATIONS}.state = 'met' THEN {OBLIGATIONS}.closed_reason ELSE '' END "
            "RETURNING id, state",
            {
                "kind": kind,
                "subject": subject_id,
                "person": person_id,
                "label": label[:LABEL_LENGTH],
                "url": url,
                "due": due_at,
                "now": now,
                "units": units,
            },
        )
        armed = [pk for pk, state in cursor.fetchall() if state == ObligationState.OPEN]
        if not armed or not stages:
            return armed
        # A stage row per (obligation, name); on conflict the rules of a move (see the docstring).
        cursor.execute(
            f"INSERT INTO {STAGES} AS s (obligation_id, name, due_at, state, fired_at) "
            "SELECT o, x.name, x.due_at, "
            "CASE WHEN x.due_at <= %(now)s AND NOT x.fire_if_past THEN 'skipped' ELSE 'pending' END, NULL "
            "FROM unnest(%(armed)s::bigint[]) AS o CROSS JOIN "
            "unnest(%(names)s::varchar[], %(dues)s::timestamptz[], %(fire)s::boolean[]) "
            "AS x(name, due_at, fire_if_past) "
            "ON CONFLICT (obligation_id, name) DO UPDATE SET due_at = EXCLUDED.due_at, state = CASE "
            "WHEN s.state = 'cancelled' THEN EXCLUDED.state "
            "WHEN s.due_at = EXCLUDED.due_at THEN s.state "
            "WHEN EXCLUDED.due_at > %(now)s THEN 'pending' "
            "ELSE s.state END, "
            "fired_at = CASE WHEN EXCLUDED.due_at > %(now)s AND s.due_at <> EXCLUDED.due_at THEN NULL "
            "WHEN s.state = 'cancelled' THEN NULL ELSE s.fired_at END",
            {
                "now": now,
                "armed": armed,
                "names": names,
                "dues": [spec.due_at for spec in stages],
                "fire": [spec.fire_if_past for spec in stages],
            },
        )
        # The stages of these obligations no longer named, and the skipped ones recorded as such.
        cursor.execute(
            f"WITH gone AS (UPDATE {STAGES} SET state = 'cancelled' WHERE obligation_id = ANY(%(armed)s) "
            "AND state = 'pending' AND NOT (name = ANY(%(names)s)) RETURNING id) "
            f"INSERT INTO {FIRINGS} (obligation_id, stage, due_at, fired_at, outcome) "
            f"SELECT obligation_id, name, due_at, %(now)s, 'skipped' FROM {STAGES} "
            "WHERE obligation_id = ANY(%(armed)s) AND state = 'skipped' ON CONFLICT DO NOTHING",
            {"now": now, "armed": armed, "names": names},
        )
    return armed


def obligations_close(
    *,
    kind: str,
    subject_id: int,
    state: str = ObligationState.MET,
    unit_ids: Iterable[int] | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> list[int]:
    """Close the open obligations of `subject_id` (all, or those of `unit_ids`) as met or cancelled.

    Their stages not fired yet are cancelled, so the scan never reads them again. Returns the unit
    ids closed now (an obligation already closed is left as it was). One statement.
    """
    if state not in (ObligationState.MET, ObligationState.CANCELLED):
        raise ValueError(f"an obligation is closed as met or cancelled, not {state!r}")
    now = now or timezone.now()
    units = None if unit_ids is None else list(unit_ids)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH closed AS (UPDATE {OBLIGATIONS} SET state = %(state)s, closed_at = %(now)s, "
            "closed_reason = %(reason)s WHERE kind = %(kind)s AND subject_id = %(subject)s AND state = 'open' "
            "AND (%(units)s::bigint[] IS NULL OR unit_id = ANY(%(units)s::bigint[])) RETURNING id, unit_id), "
            f"cancelled AS (UPDATE {STAGES} s SET state = 'cancelled' FROM closed "
            "WHERE s.obligation_id = closed.id AND s.state = 'pending') "
            "SELECT unit_id FROM closed",
            {"state": state, "now": now, "reason": reason[:200], "kind": kind, "subject": subject_id, "units": units},
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class ScanResult:
    """What one scan fired (the stages sent) and what each kind's handler reported."""

    fired: tuple[FiredStage, ...]
    reports: dict


_SCAN = (
    f"WITH fired AS (UPDATE {STAGES} s SET state = 'fired', fired_at = %(now)s FROM {OBLIGATIONS} o "
    "WHERE s.state = 'pending' AND s.due_at <= %(now)s AND o.id = s.obligation_id AND o.state = 'open' "
    "RETURNING s.obligation_id, s.name, s.due_at, o.kind, o.subject_id, o.unit_id, o.person_id, o.label, o.url, "
    "o.due_at AS obligation_due_at), "
    f"recorded AS (INSERT INTO {FIRINGS} (obligation_id, stage, due_at, fired_at, outcome) "
    "SELECT obligation_id, name, due_at, %(now)s, 'sent' FROM fired "
    "ON CONFLICT (obligation_id, stage, due_at) DO NOTHING RETURNING obligation_id, stage, due_at) "
    "SELECT f.obligation_id, f.kind, f.subject_id, f.unit_id, f.person_id, f.name, f.due_at, f.label, f.url, "
    "f.obligation_due_at FROM fired f JOIN recorded r "
    "ON r.obligation_id = f.obligation_id AND r.stage = f.name AND r.due_at = f.due_at"
)

_SUPERSEDE = (
    "WITH x AS (SELECT * FROM unnest(%(ids)s::bigint[], %(names)s::varchar[], %(dues)s::timestamptz[]) "
    f"AS x(obligation_id, name, due_at)), stages AS (UPDATE {STAGES} s SET state = 'skipped' FROM x "
    "WHERE s.obligation_id = x.obligation_id AND s.name = x.name AND s.due_at = x.due_at) "
    f"UPDATE {FIRINGS} f SET outcome = 'skipped' FROM x "
    "WHERE f.obligation_id = x.obligation_id AND f.stage = x.name AND f.due_at = x.due_at"
)


# A kind whose handler failed: its stages go back to pending and their firings are removed, so the
# next scan hands them over again (the other kinds' stages are sent meanwhile).
_RETRY_LATER = (
    "WITH x AS (SELECT * FROM unnest(%(ids)s::bigint[], %(names)s::varchar[], %(dues)s::timestamptz[]) "
    f"AS x(obligation_id, name, due_at)), stages AS (UPDATE {STAGES} s SET state = 'pending', fired_at = NULL "
    "FROM x WHERE s.obligation_id = x.obligation_id AND s.name = x.name AND s.due_at = x.due_at) "
    f"DELETE FROM {FIRINGS} f USING x "
    "WHERE f.obligation_id = x.obligation_id AND f.stage = x.name AND f.due_at = x.due_at"
)


def deadlines_scan(*, now: datetime | None = None) -> ScanResult:
    """Fire every stage whose time has come, exactly once, and hand each kind's to its handler.

    With nothing due: one statement over the partial index of pending stages (no row read). With
    something due: that statement, one more when a stage was overtaken (after an outage, an
    obligation's warning and its deadline both due: only the later one is sent, the earlier is
    recorded as skipped), then each kind's handler, whose queries do not grow with the stages.
    Two scans at once: the second waits for the first's row locks, then finds those stages no
    longer pending. A scan killed midway commits nothing; the next one does it all. A handler that
    fails is rolled back to its own savepoint and its stages wait for the next scan (logged), while
    the other kinds' stages are sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_SCAN, {"now": now})
            rows = [FiredStage(*row) for row in cursor.fetchall()]
        latest: dict[int, FiredStage] = {}
        for stage in rows:
            kept = latest.get(stage.obligation_id)
            if kept is None or (stage.due_at, stage.stage) > (kept.due_at, kept.stage):
                latest[stage.obligation_id] = stage
        sent = [stage for stage in rows if latest[stage.obligation_id] is stage]
        overtaken = [stage for stage in rows if latest[stage.obligation_id] is not stage]
        if overtaken:
            with connection.cursor() as cursor:
                cursor.execute(
                    _SUPERSEDE,
                    {
                        "ids": [s.obligation_id for s in overtaken],
                        "names": [s.stage for s in overtaken],
                        "dues": [s.due_at for s in overtaken],
                    },
                )
        by_kind: dict[str, list[FiredStage]] = {}
        for stage in sorted(sent, key=lambda s: (s.kind, s.due_at, s.obligation_id)):
            by_kind.setdefault(stage.kind, []).append(stage)
        reports = {}
        failed_kinds: set[str] = set()
        for kind, fired in by_kind.items():
            handler = handler_for(kind)
            if handler is None:
                # Recorded, not sent: an app that opened obligations and is no longer installed.
                logger.error("no handler for %d fired stage(s) of kind %r", len(fired), kind)
                continue
            try:
                # A savepoint per kind: one kind's failure (a bug in its handler) must not hold up the
                # others' notices, as it did when the whole scan rolled back.
                with transaction.atomic():
                    reports[kind] = handler(fired=fired, now=now)
            except Exception:  # any failure of the owning app's code: logged, retried by the next scan
                logger.exception("the handler of %r failed; its %d stage(s) wait for the next scan", kind, len(fired))
                with connection.cursor() as cursor:
                    cursor.execute(
                        _RETRY_LATER,
                        {
                            "ids": [s.obligation_id for s in fired],
                            "names": [s.stage for s in fired],
                            "dues": [s.due_at for s in fired],
                        },
                    )
                failed_kinds.add(kind)
    return ScanResult(fired=tuple(stage for stage in sent if stage.kind not in failed_kinds), reports=reports)


def obligation_stage_outcomes(*, obligation_id: int) -> list[tuple[str, datetime, str]]:
    """(stage, due time, outcome) of every firing of one obligation, in order (for tests and the admin)."""
    return list(
        StageFiring.objects.filter(obligation_id=obligation_id)
        .order_by("due_at", "stage")
        .values_list("stage", "due_at", "outcome")
    )


__all__ = [
    "FiredStage",
    "FiringOutcome",
    "ScanResult",
    "StageSpec",
    "StageState",
    "deadlines_scan",
    "obligations_arm",
    "obligations_close",
]
