from django.db import migrations

from bulletins.search_sql import (
    BIGRAM_FUNCTION_DROP_SQL,
    BIGRAM_FUNCTION_SQL,
    BIGRAM_INDEX_DROP_SQL,
    BIGRAM_INDEX_SQL,
)


def create_bigram_index(apps, schema_editor):
    # PostgreSQL only: SQLite (the newcomer's default) falls back to icontains in the filter.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAM_FUNCTION_SQL)
    schema_editor.execute(BIGRAM_INDEX_SQL)


def drop_bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAM_INDEX_DROP_SQL)
    schema_editor.execute(BIGRAM_FUNCTION_DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0002_default_categories")]
    operations = [migrations.RunPython(create_bigram_index, drop_bigram_index)]
