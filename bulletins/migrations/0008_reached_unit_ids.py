# The units whose queue a bulletin has reached, kept on the bulletin's row so that the visibility
# rule (bulletins.visibility) reads bulletin-side data only. Adding a NOT NULL column with a
# constant default rewrites no rows (PostgreSQL 11+). The existing rows are back-filled from the
# queue entries by review migration 0005: the route, and its table, belong to review.

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0007_bulletin_created")]

    operations = [
        migrations.AddField(
            model_name="bulletin",
            name="reached_unit_ids",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None
            ),
        ),
        migrations.AddIndex(
            model_name="bulletin",
            index=django.contrib.postgres.indexes.GinIndex(fields=["reached_unit_ids"], name="bulletin_reached_units"),
        ),
    ]
