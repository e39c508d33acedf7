import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0011_bounds")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="deadline_minutes",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                help_text="Minutes after the event within which the bulletin must be sent upward (1440 = 24 hours); empty for none.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(43200),
                ],
                verbose_name="submission deadline (minutes)",
            ),
        ),
        migrations.RunSQL(
            "UPDATE bulletins_category SET deadline_minutes = deadline_hours * 60 WHERE deadline_hours IS NOT NULL",
            "UPDATE bulletins_category SET deadline_hours = deadline_minutes / 60 WHERE deadline_minutes IS NOT NULL",
        ),
        migrations.RemoveField(model_name="category", name="deadline_hours"),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("deadline_minutes__isnull", True),
                    models.Q(("deadline_minutes__gte", 1), ("deadline_minutes__lte", 43200)),
                    _connector="OR",
                ),
                name="category_deadline_minutes_range",
            ),
        ),
    ]
