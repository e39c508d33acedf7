"""Times of event outside 2000-01-01 … 2099-12-31 are cleared, each with a repair record the
bulletin's page shows (bulletins/repairs.py); the bounds themselves are added by 0011."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from bulletins.repairs import repair_out_of_range_dates


def repair(apps, schema_editor):
    repair_out_of_range_dates(schema_editor.connection, tz=settings.TIME_ZONE)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0009_revision_title_body")]

    operations = [
        migrations.CreateModel(
            name="BulletinRepair",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version_number", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="version")),
                ("field", models.CharField(max_length=30, verbose_name="field")),
                ("original", models.CharField(max_length=100, verbose_name="original value")),
                ("repaired_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="repaired at")),
                (
                    "bulletin",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="repairs", to="bulletins.bulletin"
                    ),
                ),
            ],
            options={
                "verbose_name": "data repair",
                "verbose_name_plural": "data repairs",
                "ordering": ["repaired_at", "pk"],
            },
        ),
        migrations.RunPython(repair, migrations.RunPython.noop),
    ]
