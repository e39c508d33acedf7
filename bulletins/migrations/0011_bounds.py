"""Bounds in the database itself (bulletins/validation.py's limits).

The times of event are checked for every row (0010 cleared those outside). The text limits are
added NOT VALID (bulletins/migration_ops.py): a text written before its limit existed (one source
of 1,000,000 characters is known) is kept as it is and read as before, every write from now on
is checked, and the bulletin's unit is told to shorten it before it can be submitted again.
"""

import datetime

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

from bulletins.migration_ops import AddConstraintNotValid

EARLIEST = datetime.datetime(1999, 12, 31, 16, 0, tzinfo=datetime.UTC)  # 2000-01-01 00:00 in Shanghai
END = datetime.datetime(2099, 12, 31, 16, 0, tzinfo=datetime.UTC)  # 2100-01-01 00:00 in Shanghai


def at_most(model_name, field, limit, name):
    return AddConstraintNotValid(
        model_name=model_name,
        constraint=models.CheckConstraint(
            condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length(field), limit),
            name=name,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0010_bulletin_repairs")]

    operations = [
        migrations.AddConstraint(
            model_name="bulletin",
            constraint=models.CheckConstraint(
                condition=models.Q(("occurred_at__gte", EARLIEST), ("occurred_at__lt", END)),
                name="bulletin_occurred_at_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="bulletinversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("occurred_at__gte", EARLIEST), ("occurred_at__lt", END)),
                name="bulletin_version_occurred_at_range",
            ),
        ),
        at_most("bulletin", "body", 5000, "bulletin_body_length"),
        at_most("bulletin", "revision_body", 5000, "bulletin_revision_body_length"),
        at_most("bulletin", "source", 2000, "bulletin_source_length"),
        at_most("bulletinversion", "body", 5000, "bulletin_version_body_length"),
        at_most("bulletinversion", "source", 2000, "bulletin_version_source_length"),
    ]
