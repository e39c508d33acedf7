"""Writes of the dashboards: the statistics hook, the set-based rebuild and the reconcile.

The summary (`UnitMonthStats`) is bucketed by filing unit and Shanghai calendar month. Every rule
below exists twice — once incrementally in `stats_record_event` and once set-based in
`_expected_sql` — and `stats_reconcile` proves the two agree. Keep them in step:

- filed: a bulletin's first `submit` event;
- signed_off: its first `sign_off` event;
- incidents, incidents_late: an incident counts once, in the month its deadline passed (Shanghai):
  on time when its first sign-off came before deadline_at; late (incidents.rules.is_late) when
  that sign-off came at or after it, or when the incident check flagged it overdue, whether it is
  sent up later or never (the flag's deadline, frozen on the clock, is the one that passed). The
  flag and a late sign-off both count it, whichever is heard of first: LateIncidentCount keeps
  the second from counting again;
- signed_off_adopted: bulletins adopted at least once, in the month of their first sign-off
  (numerator of the adoption rate, so the rate never exceeds 100%);
- adopt_<level>_<kind>: each Adoption row, for the filing unit, in the month of adopted_at;
- adopted_bulletins: a bulletin's first adoption (by adopted_at, then id);
- fwd_<level>_<kind>: forwarding credit — for each adoption, every unit other than the filing unit
  that forwarded the bulletin (forward / adopt_forward) and sits below the adopting level;
- return_<reason>, declined, instructions: each such event, for the filing unit.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import OrgUnit, unit_path_ids
from dashboards.cache import dashboards_changed
from dashboards.models import (
    ADOPT_COLUMNS,
    ADOPTING_LEVELS,
    ADOPTION_KINDS,
    COUNTER_COLUMNS,
    FORWARD_COLUMNS,
    RETURN_REASONS,
    LateIncidentCount,
    ProvinceMonthStats,
    UnitMonthStats,
)
from dashboards.periods import add_months, month_of, month_start
from incidents.models import IncidentClock
from incidents.rules import is_late, late_sql
from review.models import Adoption, ReviewAction, ReviewEvent

TABLE = UnitMonthStats._meta.db_table
ROLLUP = ProvinceMonthStats._meta.db_table
LATE = LateIncidentCount._meta.db_table
CLOCKS = IncidentClock._meta.db_table
ANCESTOR_COLUMNS = ["province_id", "city_id", "county_id"]


# ---------------------------------------------------------------------------------------------
# Incremental: the hook called by the review services
# ---------------------------------------------------------------------------------------------


def _ancestors(path: str) -> list[int | None]:
    """Province, city and county ancestor-or-self ids from a materialized path "/1/4/17/"."""
    ids = unit_path_ids(path)
    return [ids[level] if len(ids) > level else None for level in (1, 2, 3)]


def _bump(*, unit_id: int, path: str, moment: datetime, deltas: dict[str, int]) -> None:
    """UPSERT one summary row: INSERT … ON CONFLICT (unit, month) DO UPDATE SET x = x + n."""
    month = month_of(moment)
    ancestors = _ancestors(path)
    counters = [deltas.get(col, 0) for col in COUNTER_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(*_upsert(TABLE, ["unit_id", "month", *ANCESTOR_COLUMNS], [unit_id, month, *ancestors], counters))
        if ancestors[0] is not None:  # the province rollup (the central unit's own rows have none)
            cursor.execute(*_upsert(ROLLUP, ["province_id", "month"], [ancestors[0], month], counters))


def _upsert(table: str, keys: list[str], key_values: list, counters: list[int]) -> tuple[str, list]:
    columns = [*keys, *COUNTER_COLUMNS]
    conflict = ", ".join(keys[:2])
    updates = ", ".join(
        f"{col} = {table}.{col} + EXCLUDED.{col}" for col, n in zip(COUNTER_COLUMNS, counters, strict=True) if n
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    return sql, [*key_values, *counters]


def _is_first(event, action: str) -> bool:
    return (
        not ReviewEvent.objects.filter(bulletin_id=event.bulletin_id, action=action)
        .filter(Q(at__lt=event.at) | Q(at=event.at, pk__lt=event.pk))
        .exists()
    )


def _adoption_columns(prefix: str, adoption: Adoption) -> dict[str, int]:
    level_name = ADOPTING_LEVELS.get(adoption.level)
    if level_name is None or adoption.kind not in ADOPTION_KINDS:
        return {}
    return {f"{prefix}_{level_name}_{adoption.kind}": 1}


# Resubmit, withdraw and forward change no counter (forwarding is credited on adoption).
COUNTED_ACTIONS = frozenset(
    {
        ReviewAction.SUBMIT,
        ReviewAction.SIGN_OFF,
        ReviewAction.ADOPT,
        ReviewAction.ADOPT_FORWARD,
        ReviewAction.RETURN,
        ReviewAction.DECLINE,
        ReviewAction.INSTRUCTION,
    }
)


def stats_record_event(*, event) -> None:
    """Count one committed ReviewEvent into the summary (dashboards/handlers.py calls it once per event)."""
    action = event.action
    if action not in COUNTED_ACTIONS:
        return
    dashboards_changed()
    bulletin = event.bulletin
    filing_path = OrgUnit.objects.values_list("path", flat=True).get(pk=bulletin.filing_unit_id)
    filing = {"unit_id": bulletin.filing_unit_id, "path": filing_path}

    if action == ReviewAction.SUBMIT:
        if _is_first(event, ReviewAction.SUBMIT):
            _bump(**filing, moment=event.at, deltas={"filed": 1})
    elif action == ReviewAction.SIGN_OFF:
        if _is_first(event, ReviewAction.SIGN_OFF):
            _bump(**filing, moment=event.at, deltas={"signed_off": 1})
            if bulletin.deadline_at is not None:
                _record_incident_sent_up(bulletin=bulletin, filing=filing, at=event.at)
    elif action in (ReviewAction.ADOPT, ReviewAction.ADOPT_FORWARD):
        _record_adoption(event=event, bulletin=bulletin, filing=filing)
    elif action == ReviewAction.RETURN:
        reason = event.reason if event.reason in RETURN_REASONS else "other"
        _bump(**filing, moment=event.at, deltas={f"return_{reason}": 1})
    elif action == ReviewAction.DECLINE:
        _bump(**filing, moment=event.at, deltas={"declined": 1})
    elif action == ReviewAction.INSTRUCTION:
        _bump(**filing, moment=event.at, deltas={"instructions": 1})


def _record_incident_sent_up(*, bulletin, filing: dict, at: datetime) -> None:
    """An incident's first sign-off: on time in its deadline month, or late (once) if it was
    flagged overdue or is sent up at or after its deadline."""
    flagged_deadline = (
        IncidentClock.objects.filter(bulletin_id=bulletin.pk, flagged_at__isnull=False)
        .values_list("deadline_at", flat=True)
        .first()
    )
    if flagged_deadline is not None:
        _count_late([(bulletin.pk, filing["unit_id"], filing["path"], flagged_deadline)])
    elif is_late(deadline_at=bulletin.deadline_at, at=at):
        _count_late([(bulletin.pk, filing["unit_id"], filing["path"], bulletin.deadline_at)])
    else:
        _bump(**filing, moment=bulletin.deadline_at, deltas={"incidents": 1})


def _count_late(incidents: list[tuple[int, int, str, datetime]]) -> None:
    """Count late incidents (bulletin id, filing unit id, its path, the deadline that passed) not
    counted yet: one INSERT … ON CONFLICT DO NOTHING into LateIncidentCount says which are new."""
    if not incidents:
        return
    months = {bulletin_id: month_of(deadline) for bulletin_id, _, _, deadline in incidents}
    values = ", ".join(["(%s, %s)"] * len(months))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {LATE} (bulletin_id, month) VALUES {values} ON CONFLICT DO NOTHING RETURNING bulletin_id",
            [value for pair in months.items() for value in pair],
        )
        new = {row[0] for row in cursor.fetchall()}
    per_unit_month: dict[tuple[int, str, datetime], int] = {}
    for bulletin_id, unit_id, path, _deadline in incidents:
        if bulletin_id in new:
            key = (unit_id, path, month_start(months[bulletin_id]))
            per_unit_month[key] = per_unit_month.get(key, 0) + 1
    for (unit_id, path, moment), n in per_unit_month.items():
        _bump(unit_id=unit_id, path=path, moment=moment, deltas={"incidents": n, "incidents_late": n})


def stats_record_flagged(*, bulletin_id: int) -> None:
    """Count the incidents flagged overdue by one run of the check (dashboards/handlers.py calls it
    with the bulletin id the check announced: every clock flagged in that run shares its flagged_at)."""
    dashboards_changed()
    flagged_at = IncidentClock.objects.filter(bulletin_id=bulletin_id).values_list("flagged_at", flat=True).first()
    if flagged_at is None:
        return
    clocks = IncidentClock.objects.filter(flagged_at=flagged_at).values_list(
        "bulletin_id", "filing_unit_id", "filing_unit__path", "deadline_at"
    )
    _count_late(list(clocks))


def _record_adoption(*, event, bulletin, filing: dict) -> None:
    adoptions = list(Adoption.objects.filter(bulletin_id=bulletin.pk).order_by("adopted_at", "pk"))
    adoption = next((a for a in adoptions if a.unit_id == event.from_unit_id), adoptions[-1] if adoptions else None)
    if adoption is None:
        return
    deltas = _adoption_columns("adopt", adoption)
    if adoptions[0].pk == adoption.pk:
        deltas["adopted_bulletins"] = 1
        first_sign_off = (
            ReviewEvent.objects.filter(bulletin_id=bulletin.pk, action=ReviewAction.SIGN_OFF)
            .order_by("at", "pk")
            .values_list("at", flat=True)
            .first()
        )
        if first_sign_off is not None:
            _bump(**filing, moment=first_sign_off, deltas={"signed_off_adopted": 1})
    if deltas:
        _bump(**filing, moment=adoption.adopted_at, deltas=deltas)
    credit = _adoption_columns("fwd", adoption)
    if not credit:
        return
    forwarders = (
        ReviewEvent.objects.filter(
            bulletin_id=bulletin.pk,
            action__in=[ReviewAction.FORWARD, ReviewAction.ADOPT_FORWARD],
            from_unit__level__gt=adoption.level,
        )
        .exclude(from_unit_id=bulletin.filing_unit_id)
        .values_list("from_unit_id", "from_unit__path")
        .distinct()
    )
    for unit_id, path in forwarders:
        _bump(unit_id=unit_id, path=path, moment=adoption.adopted_at, deltas=credit)


# ---------------------------------------------------------------------------------------------
# Set-based: recompute from the raw rows (rebuild) and compare (reconcile)
# ---------------------------------------------------------------------------------------------

_LEVEL_NUMBER = {name: int(level) for level, name in ADOPTING_LEVELS.items()}


def _kind_level_exprs(prefix: str) -> dict[str, str]:
    columns = ADOPT_COLUMNS if prefix == "adopt" else FORWARD_COLUMNS
    exprs = {}
    for column in columns:
        _, level_name, kind = column.split("_")
        exprs[column] = f"(a.level = {_LEVEL_NUMBER[level_name]} AND a.kind = '{kind}')::int"
    return exprs


def _source(select_from: str, at: str, unit: str, exprs: dict[str, str]) -> str:
    """One kind of contribution, already summed per (unit, month) so the final union stays small."""
    cols = ", ".join(f"{'sum(' + exprs[col] + ')' if col in exprs else '0'} AS {col}" for col in COUNTER_COLUMNS)
    month = f"(date_trunc('month', {at} AT TIME ZONE %(tz)s))::date"
    return (
        f"SELECT {unit} AS unit_id, {month} AS month, {cols} {select_from} "
        f"AND {at} >= %(start)s AND {at} < %(end)s GROUP BY 1, 2"
    )


_LATE_EXPRS = {"incidents": "1", "incidents_late": "1"}


def _late_ctes() -> str:
    """first_sign_off and late_incidents (bulletin_id, filing_unit_id, deadline_at): every late
    incident once, with the deadline that passed — flagged overdue (the clock's frozen deadline),
    or else signed off late (incidents.rules.late_sql)."""
    sent_late = late_sql(deadline_at="b.deadline_at", at="s.at")
    return (
        "first_sign_off AS MATERIALIZED (SELECT bulletin_id, min(at) AS at FROM review_reviewevent "
        f"WHERE action = '{ReviewAction.SIGN_OFF}' GROUP BY bulletin_id), "
        "late_incidents AS MATERIALIZED ("
        f"SELECT c.bulletin_id, b.filing_unit_id, c.deadline_at FROM {CLOCKS} c "
        "JOIN bulletins_bulletin b ON b.id = c.bulletin_id WHERE c.flagged_at IS NOT NULL "
        "UNION ALL "
        "SELECT b.id, b.filing_unit_id, b.deadline_at FROM first_sign_off s "
        f"JOIN bulletins_bulletin b ON b.id = s.bulletin_id LEFT JOIN {CLOCKS} c ON c.bulletin_id = b.id "
        f"WHERE b.deadline_at IS NOT NULL AND {sent_late} AND c.flagged_at IS NULL)"
    )


def _expected_sql() -> str:
    """One statement computing the summary rows for [start, end) from the raw rows."""
    first_submit, first_sign_off = "first_submit", "first_sign_off"
    known_reasons = ", ".join(f"'{r}'" for r in RETURN_REASONS if r != "other")
    returns = {f"return_{r}": f"(e.reason = '{r}')::int" for r in RETURN_REASONS if r != "other"}
    returns["return_other"] = f"(e.reason NOT IN ({known_reasons}))::int"
    sent_late = late_sql(deadline_at="b.deadline_at", at="s.at")  # incidents.rules.is_late
    sources = [
        _source(
            f"FROM {first_submit} f JOIN bulletins_bulletin b ON b.id = f.bulletin_id WHERE TRUE",
            "f.at",
            "b.filing_unit_id",
            {"filed": "1"},
        ),
        _source(
            f"FROM {first_sign_off} s JOIN bulletins_bulletin b ON b.id = s.bulletin_id WHERE TRUE",
            "s.at",
            "b.filing_unit_id",
            {"signed_off": "1"},
        ),
        # Incidents sent up on time (never flagged), in their deadline month …
        _source(
            f"FROM {first_sign_off} s JOIN bulletins_bulletin b ON b.id = s.bulletin_id "
            f"LEFT JOIN {CLOCKS} c ON c.bulletin_id = b.id "
            f"WHERE b.deadline_at IS NOT NULL AND NOT ({sent_late}) AND c.flagged_at IS NULL",
            "b.deadline_at",
            "b.filing_unit_id",
            {"incidents": "1"},
        ),
        # … and the late ones, in the month of the deadline that passed.
        _source("FROM late_incidents l WHERE TRUE", "l.deadline_at", "l.filing_unit_id", _LATE_EXPRS),
        _source(
            f"FROM {first_sign_off} s JOIN bulletins_bulletin b ON b.id = s.bulletin_id "
            "WHERE EXISTS (SELECT 1 FROM review_adoption x WHERE x.bulletin_id = s.bulletin_id)",
            "s.at",
            "b.filing_unit_id",
            {"signed_off_adopted": "1"},
        ),
        _source(
            "FROM (SELECT *, row_number() OVER (PARTITION BY bulletin_id ORDER BY adopted_at, id) AS rn "
            "FROM review_adoption) a JOIN bulletins_bulletin b ON b.id = a.bulletin_id WHERE TRUE",
            "a.adopted_at",
            "b.filing_unit_id",
            {**_kind_level_exprs("adopt"), "adopted_bulletins": "(a.rn = 1)::int"},
        ),
        _source(
            "FROM review_adoption a JOIN bulletins_bulletin b ON b.id = a.bulletin_id "
            "JOIN (SELECT DISTINCT bulletin_id, from_unit_id FROM review_reviewevent "
            f"WHERE action IN ('{ReviewAction.FORWARD}', '{ReviewAction.ADOPT_FORWARD}')) f "
            "ON f.bulletin_id = a.bulletin_id JOIN accounts_orgunit fu ON fu.id = f.from_unit_id "
            "WHERE f.from_unit_id <> b.filing_unit_id AND fu.level > a.level",
            "a.adopted_at",
            "f.from_unit_id",
            _kind_level_exprs("fwd"),
        ),
        _source(
            "FROM review_reviewevent e JOIN bulletins_bulletin b ON b.id = e.bulletin_id "
            f"WHERE e.action = '{ReviewAction.RETURN}'",
            "e.at",
            "b.filing_unit_id",
            returns,
        ),
        _source(
            "FROM review_reviewevent e JOIN bulletins_bulletin b ON b.id = e.bulletin_id "
            f"WHERE e.action = '{ReviewAction.DECLINE}'",
            "e.at",
            "b.filing_unit_id",
            {"declined": "1"},
        ),
        _source(
            "FROM review_reviewevent e JOIN bulletins_bulletin b ON b.id = e.bulletin_id "
            f"WHERE e.action = '{ReviewAction.INSTRUCTION}'",
            "e.at",
            "b.filing_unit_id",
            {"instructions": "1"},
        ),
    ]
    first = (
        "{name} AS MATERIALIZED (SELECT bulletin_id, min(at) AS at FROM review_reviewevent "
        "WHERE action = '{action}' GROUP BY bulletin_id)"
    )
    ctes = ", ".join([first.format(name=first_submit, action=ReviewAction.SUBMIT), _late_ctes()])
    sums = ", ".join(f"sum(c.{col})::int AS {col}" for col in COUNTER_COLUMNS)
    return (
        f"WITH {ctes} "
        "SELECT c.unit_id, c.month, "
        "NULLIF(split_part(min(u.path), '/', 3), '')::bigint AS province_id, "
        "NULLIF(split_part(min(u.path), '/', 4), '')::bigint AS city_id, "
        "NULLIF(split_part(min(u.path), '/', 5), '')::bigint AS county_id, "
        f"{sums} FROM ({' UNION ALL '.join(sources)}) c JOIN accounts_orgunit u ON u.id = c.unit_id "
        "GROUP BY c.unit_id, c.month"
    )


def _bounds(first: date | None, last: date | None) -> dict:
    first = first or date(1970, 1, 1)
    last = last or date(2199, 12, 1)
    return {
        "first": first.replace(day=1),
        "last": last.replace(day=1),
        "start": month_start(first.replace(day=1)),
        "end": month_start(add_months(last.replace(day=1), 1)),
        "tz": timezone.get_default_timezone_name(),
    }


def _batch_settings(cursor) -> None:
    """For this transaction only: the per-bulletin "first event" aggregates are misestimated
    (a HAVING on min()), which makes the planner choose a million index lookups; hash joins with
    enough memory are many times faster for this whole-table batch job."""
    cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute("SET LOCAL work_mem = '256MB'")


def stats_rebuild(*, first: date | None = None, last: date | None = None) -> int:
    """Recompute the summary rows of the months first..last (all when omitted) from the raw rows.

    Set-based (one DELETE and one INSERT … SELECT); returns the number of rows written. The table
    lock makes concurrent review transactions wait at their UPSERT until the rebuild commits, so
    no increment is lost or counted twice.
    """
    params = _bounds(first, last)
    columns = ", ".join(["unit_id", "month", *ANCESTOR_COLUMNS, *COUNTER_COLUMNS])
    counters = ", ".join(COUNTER_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        dashboards_changed()
        _batch_settings(cursor)
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE} WHERE month >= %(first)s AND month <= %(last)s", params)
        cursor.execute(f"INSERT INTO {TABLE} ({columns}) {_expected_sql()}", params)
        written = cursor.rowcount
        # The late incidents now counted in these months, so that a flag or sign-off heard of
        # later does not count one again.
        cursor.execute(f"LOCK TABLE {LATE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {LATE} WHERE month >= %(first)s AND month <= %(last)s", params)
        cursor.execute(
            f"WITH {_late_ctes()} INSERT INTO {LATE} (bulletin_id, month) "
            "SELECT bulletin_id, (date_trunc('month', deadline_at AT TIME ZONE %(tz)s))::date FROM late_incidents "
            "WHERE deadline_at >= %(start)s AND deadline_at < %(end)s ON CONFLICT DO NOTHING",
            params,
        )
        cursor.execute(f"LOCK TABLE {ROLLUP} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {ROLLUP} WHERE month >= %(first)s AND month <= %(last)s", params)
        cursor.execute(f"INSERT INTO {ROLLUP} (province_id, month, {counters}) {_rollup_sql()}", params)
        return written


def _rollup_sql() -> str:
    """The province rollup recomputed from the unit rows of the period."""
    sums = ", ".join(f"sum({col})::int AS {col}" for col in COUNTER_COLUMNS)
    return (
        f"SELECT province_id, month, {sums} FROM {TABLE} "
        "WHERE province_id IS NOT NULL AND month >= %(first)s AND month <= %(last)s GROUP BY 1, 2"
    )


@dataclass(frozen=True)
class StatsDifference:
    unit_id: int
    month: date
    field: str
    expected: int | None
    actual: int | None


def stats_reconcile(*, first: date | None = None, last: date | None = None) -> list[StatsDifference]:
    """Recompute the months first..last from the raw rows and list every difference with the summary."""
    params = _bounds(first, last)
    fields = ANCESTOR_COLUMNS + COUNTER_COLUMNS
    actual_cols = ", ".join(["unit_id", "month", *fields])
    pairs = ", ".join(f"e.{col}, a.{col}" for col in fields)
    counter_diff = " OR ".join(f"COALESCE(e.{c}, 0) <> COALESCE(a.{c}, 0)" for c in COUNTER_COLUMNS)
    ancestor_diff = " OR ".join(f"e.{c} IS DISTINCT FROM a.{c}" for c in ANCESTOR_COLUMNS)
    sql = (
        f"WITH expected AS ({_expected_sql()}), "
        f"actual AS (SELECT {actual_cols} FROM {TABLE} WHERE month >= %(first)s AND month <= %(last)s) "
        f"SELECT COALESCE(e.unit_id, a.unit_id), COALESCE(e.month, a.month), "
        f"e.unit_id IS NOT NULL AND a.unit_id IS NOT NULL, {pairs} "
        "FROM expected e FULL JOIN actual a ON a.unit_id = e.unit_id AND a.month = e.month "
        f"WHERE ({counter_diff}) OR (e.unit_id IS NOT NULL AND a.unit_id IS NOT NULL AND ({ancestor_diff})) "
        "ORDER BY 1, 2"
    )
    differences = []
    with transaction.atomic(), connection.cursor() as cursor:
        _batch_settings(cursor)
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            unit_id, month, both_present, values = row[0], row[1], row[2], row[3:]
            for index, field in enumerate(fields):
                expected, actual = values[2 * index], values[2 * index + 1]
                if field in COUNTER_COLUMNS:
                    expected, actual = expected or 0, actual or 0
                elif not both_present:
                    continue  # a missing row is reported by its counters
                if expected != actual:
                    differences.append(StatsDifference(unit_id, month, field, expected, actual))
        differences.extend(_rollup_differences(cursor, params))
    return differences


def _rollup_differences(cursor, params) -> list[StatsDifference]:
    """The province rollup must equal the sum of its unit rows (fields reported as "rollup.<counter>")."""
    pairs = ", ".join(f"e.{col}, r.{col}" for col in COUNTER_COLUMNS)
    cols = ", ".join(COUNTER_COLUMNS)
    differs = " OR ".join(f"COALESCE(e.{c}, 0) <> COALESCE(r.{c}, 0)" for c in COUNTER_COLUMNS)
    cursor.execute(
        f"WITH e AS ({_rollup_sql()}), "
        f"r AS (SELECT province_id, month, {cols} FROM {ROLLUP} WHERE month >= %(first)s AND month <= %(last)s) "
        f"SELECT COALESCE(e.province_id, r.province_id), COALESCE(e.month, r.month), {pairs} "
        f"FROM e FULL JOIN r ON r.province_id = e.province_id AND r.month = e.month WHERE {differs} ORDER BY 1, 2",
        params,
    )
    found = []
    for row in cursor.fetchall():
        for index, col in enumerate(COUNTER_COLUMNS):
            expected, actual = row[2 + 2 * index] or 0, row[3 + 2 * index] or 0
            if expected != actual:
                found.append(StatsDifference(row[0], row[1], f"rollup.{col}", expected, actual))
    return found
