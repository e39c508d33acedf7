"""Bounds in the database itself (bulletins/validation.py's limits) on what reviewers type.

Added NOT VALID (bulletins/migration_ops.py): history and instructions are append-only, so a row
written before a limit existed is kept as it is; every row written from now on is checked.
"""

import datetime

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

from bulletins.migration_ops import AddConstraintNotValid


def at_most(model_name, field, limit, name):
    return AddConstraintNotValid(
        model_name=model_name,
        constraint=models.CheckConstraint(
            condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length(field), limit),
            name=name,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("review", "0005_backfill_reached_unit_ids")]

    operations = [
        at_most("reviewevent", "comment", 2070, "review_event_comment_length"),
        at_most("leaderinstruction", "text", 2000, "review_instruction_text_length"),
        AddConstraintNotValid(
            model_name="leaderinstruction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("instructed_on__gte", datetime.date(2000, 1, 1)), ("instructed_on__lt", datetime.date(2100, 1, 1))
                ),
                name="review_instruction_date_range",
            ),
        ),
    ]
