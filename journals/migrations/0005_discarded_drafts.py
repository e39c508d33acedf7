"""Deleted drafts (删除草稿): a draft nobody will sign off keeps its row, marked "discarded",
for its history; it has no number like a draft. Once deleted it is frozen like a signed-off
issue: the trigger of migration 0002 already refuses every change to an issue that is not a
draft (and to its items and sources); its message now names both cases.
"""

from django.conf import settings
from django.db import migrations, models

FROZEN_SQL = """
CREATE OR REPLACE FUNCTION journals_issue_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.state = 'draft' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.state = 'signed_off' AND NEW.state = 'published'
     AND (to_jsonb(NEW) - 'state' - 'published_at') = (to_jsonb(OLD) - 'state' - 'published_at') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'journals_issue %: a signed-off issue or a deleted draft cannot be changed or deleted', OLD.id
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

FROZEN_REVERSE = FROZEN_SQL.replace("a signed-off issue or a deleted draft", "a signed-off issue")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_frozen_when_ready"),
        ("journals", "0004_picker_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="issue",
            name="issue_state_valid",
        ),
        migrations.RemoveConstraint(
            model_name="issue",
            name="issue_numbered_when_signed_off",
        ),
        migrations.AlterField(
            model_name="issue",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Being compiled"),
                    ("signed_off", "Signed off, rendering"),
                    ("published", "Published"),
                    ("discarded", "Deleted draft"),
                ],
                default="draft",
                max_length=12,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="issueevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Draft created"),
                    ("edited", "Issue edited"),
                    ("item_added", "Item added"),
                    ("item_edited", "Item edited"),
                    ("item_removed", "Item removed"),
                    ("reordered", "Items reordered"),
                    ("signed_off", "Signed off and numbered"),
                    ("published", "Published"),
                    ("discarded", "Draft deleted"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AddConstraint(
            model_name="issue",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["draft", "signed_off", "published", "discarded"])),
                name="issue_state_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="issue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("number__isnull", True),
                        ("published_at__isnull", True),
                        ("signed_off_at__isnull", True),
                        ("signed_off_by__isnull", True),
                        ("state__in", ("draft", "discarded")),
                        ("total_number__isnull", True),
                        ("year__isnull", True),
                    ),
                    models.Q(
                        models.Q(("state__in", ("draft", "discarded")), _negated=True),
                        ("document__isnull", False),
                        ("number__isnull", False),
                        ("signed_off_at__isnull", False),
                        ("signed_off_by__isnull", False),
                        ("signer__isnull", False),
                        ("total_number__isnull", False),
                        ("year__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="issue_numbered_when_signed_off",
            ),
        ),
        migrations.RunSQL(FROZEN_SQL, FROZEN_REVERSE),
    ]
