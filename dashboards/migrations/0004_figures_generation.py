from django.db import migrations


class Migration(migrations.Migration):
    """The dashboards' generation token (dashboards/cache.py) lives in PostgreSQL, not in the cache."""

    dependencies = [("dashboards", "0003_late_incidents_in_deadline_month")]

    operations = [
        migrations.RunSQL(
            # is_called from the start, so the first nextval() moves last_value on.
            "CREATE SEQUENCE dashboard_figures_generation; SELECT setval('dashboard_figures_generation', 1)",
            "DROP SEQUENCE dashboard_figures_generation",
        )
    ]
