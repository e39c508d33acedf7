"""Repairs of stored values the application can no longer read or keep (run by migrations).

A time of event before 2000-01-01 or from 2100-01-01 on (bulletins.validation's bounds) is a
mistake, and year 1 in Shanghai time is 1 BC in UTC, which psycopg2 cannot read: every page
showing the row failed. Such a time is cleared (with the deadline computed from it), on the
working copy and on the frozen versions, and each cleared value is recorded as a BulletinRepair
(its original text kept there) that the bulletin's page shows, so its unit can enter it again.

Plain SQL only, no model classes: a migration runs it against the schema of its own time. Nothing
is read into Python as a datetime (the broken values could not be).

Frozen versions are append-only (a trigger, review migration 0003). Clearing an unreadable value
is the one change made to them: the trigger is disabled for this statement's transaction only,
and the original value is kept in the repair record. An incident clock already flagged stays
flagged (incidents' rule for a deadline removed after the flag); one not yet flagged would be
flagged by the next check, as its deadline (a day after year 1) has long passed.
"""

from bulletins.validation import EARLIEST_MOMENT, END_MOMENT

VERSION_TRIGGER = "bulletins_bulletinversion_append_only"

_ORIGINAL = (
    "to_char({col} AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')"
    " || CASE WHEN {col} AT TIME ZONE %(tz)s < '0001-01-01' THEN ' BC' ELSE '' END"
)
_OUTSIDE = "({col} < %(first)s OR {col} >= %(end)s)"


def _params(tz: str) -> dict:
    return {"first": EARLIEST_MOMENT, "end": END_MOMENT, "tz": tz}


def repair_out_of_range_dates(connection, *, tz: str = "Asia/Shanghai") -> int:
    """Clear every time of event outside the bounds; returns the number of values cleared."""
    params = _params(tz)
    cleared = 0
    with connection.cursor() as cursor:
        # Foreign-key checks still deferred in this transaction would stop ALTER TABLE below.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"""
            WITH bad AS (
                SELECT id, {_ORIGINAL.format(col="occurred_at")} AS original
                FROM bulletins_bulletin WHERE {_OUTSIDE.format(col="occurred_at")} FOR UPDATE
            ), cleared AS (
                UPDATE bulletins_bulletin b
                SET occurred_at = NULL, deadline_at = NULL, edit_version = b.edit_version + 1
                FROM bad WHERE b.id = bad.id RETURNING b.id
            )
            INSERT INTO bulletins_bulletinrepair (bulletin_id, version_number, field, original, repaired_at)
            SELECT bad.id, NULL, 'occurred_at', bad.original, now() FROM bad JOIN cleared ON cleared.id = bad.id
            """,
            params,
        )
        cleared += cursor.rowcount
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM bulletins_bulletinversion WHERE {_OUTSIDE.format(col='occurred_at')})",
            params,
        )
        if not cursor.fetchone()[0]:
            return cleared
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = %s "
            "AND tgrelid = 'bulletins_bulletinversion'::regclass)",
            [VERSION_TRIGGER],
        )
        guarded = cursor.fetchone()[0]
        if guarded:
            cursor.execute(f"ALTER TABLE bulletins_bulletinversion DISABLE TRIGGER {VERSION_TRIGGER}")
        cursor.execute(
            f"""
            WITH bad AS (
                SELECT id, bulletin_id, number, {_ORIGINAL.format(col="occurred_at")} AS original
                FROM bulletins_bulletinversion WHERE {_OUTSIDE.format(col="occurred_at")} FOR UPDATE
            ), cleared AS (
                UPDATE bulletins_bulletinversion v SET occurred_at = NULL
                FROM bad WHERE v.id = bad.id RETURNING v.id
            )
            INSERT INTO bulletins_bulletinrepair (bulletin_id, version_number, field, original, repaired_at)
            SELECT bad.bulletin_id, bad.number, 'occurred_at', bad.original, now()
            FROM bad JOIN cleared ON cleared.id = bad.id
            """,
            params,
        )
        cleared += cursor.rowcount
        if guarded:
            cursor.execute(f"ALTER TABLE bulletins_bulletinversion ENABLE TRIGGER {VERSION_TRIGGER}")
    return cleared
