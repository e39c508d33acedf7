# Fill bulletins_bulletin.reached_unit_ids (bulletins migration 0008) from the queue entries: every
# unit a bulletin's entries were opened at, in order of first arrival, as review.services._open_entry
# keeps it from now on. Bulletins that never reached a queue keep the empty default.
#
# Cost: like any UPDATE of every bulletin, each new row version is indexed again by the keyword
# bigram GIN (bulletin_keyword_bigrams), about 1 ms a row on the 2-core bench machine (20,000
# bulletins: ~20 s, 2.4 s without that index). At a million bulletins, plan a maintenance window.

from django.db import migrations

BACKFILL_SQL = """
UPDATE bulletins_bulletin b SET reached_unit_ids = r.unit_ids
FROM (
    SELECT bulletin_id, array_agg(unit_id ORDER BY first_entry_id) AS unit_ids
    FROM (
        SELECT bulletin_id, unit_id, min(id) AS first_entry_id
        FROM review_queueentry GROUP BY bulletin_id, unit_id
    ) first_arrivals
    GROUP BY bulletin_id
) r
WHERE b.id = r.bulletin_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0008_reached_unit_ids"),
        ("review", "0004_queue_deadline_order"),
    ]

    # Reversing drops nothing here: unapplying bulletins 0008 drops the column.
    operations = [migrations.RunSQL(BACKFILL_SQL, migrations.RunSQL.noop)]
