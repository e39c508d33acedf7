"""The picker's order (a unit's adoptions, newest first) as an index on review's adoptions.

For the benchmark row "journal picker": without it PostgreSQL joins every adoption of the unit to
its bulletin before sorting (200 ms for the central unit at 100,000 bulletins); with it, it walks
the newest 25 and joins those. Created here, by the app whose page needs it, rather than as a
model index of review (review names nothing of journals); review may adopt it as its own.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("journals", "0003_default_types"), ("review", "0006_bounds")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS journals_adoption_unit_newest"
            " ON review_adoption (unit_id, adopted_at DESC, id DESC)",
            "DROP INDEX IF EXISTS journals_adoption_unit_newest",
        )
    ]
