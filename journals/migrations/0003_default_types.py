from django.db import migrations

from journals.types import ensure_default_types


def forwards(apps, schema_editor):
    ensure_default_types(apps.get_model("journals", "JournalType"))


class Migration(migrations.Migration):
    dependencies = [("journals", "0002_frozen_when_signed_off")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
