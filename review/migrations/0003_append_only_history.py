"""History, frozen versions, adoptions and leaders' instructions are append-only in the database too.

The application never updates or deletes these rows; a trigger makes sure nothing else does
(a script, the shell, a future bug). TRUNCATE, used only to wipe a benchmark or test database,
is not a row change and is left alone. PostgreSQL only: SQLite is the newcomer's demo set-up.
"""

from django.db import migrations

TABLES = ["review_reviewevent", "review_adoption", "review_leaderinstruction", "bulletins_bulletinversion"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION bd_refuse_row_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: rows cannot be changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION bd_refuse_row_change()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS bd_refuse_row_change()")


class Migration(migrations.Migration):
    dependencies = [("review", "0002_drop_duplicate_fk_indexes"), ("bulletins", "0003_keyword_bigram_index")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
