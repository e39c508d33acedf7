from django.db import migrations

from bulletins.search_sql import BIGRAM_INDEX_DROP_SQL, BIGRAM_INDEX_SQL

# 0003 built the index under the database's collation; rebuild it under "C" (search_sql.py says why).
# The same rows match: only the order of the keys inside the index changes.
OLD_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS bulletin_keyword_bigrams ON bulletins_bulletin "
    "USING gin ((bd_bigrams(title || ' ' || body)))"
)


def rebuild(apps, schema_editor, index_sql):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BIGRAM_INDEX_DROP_SQL)
        schema_editor.execute(index_sql)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0005_drop_duplicate_fk_indexes")]
    operations = [
        migrations.RunPython(
            lambda apps, editor: rebuild(apps, editor, BIGRAM_INDEX_SQL),
            lambda apps, editor: rebuild(apps, editor, OLD_INDEX_SQL),
        )
    ]
