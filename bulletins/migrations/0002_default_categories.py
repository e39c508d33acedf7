from django.db import migrations

from bulletins.categories import ensure_default_categories


def create_categories(apps, schema_editor):
    ensure_default_categories(apps.get_model("bulletins", "Category"))


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
