"""History, frozen versions, adoptions and leaders' instructions are append-only in the database too.

The application never updates or deletes these rows; a trigger makes sure nothing else does
(a script, the shell, a future bug). TRUNCATE, used only to wipe a benchmark or test database,
is not a row change and is left alone.
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

CREATE_TRIGGERS = [
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION bd_refuse_row_change()"
    for table in TABLES
]
DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in TABLES]
DROP_FUNCTION = "DROP FUNCTION IF EXISTS bd_refuse_row_change()"


class Migration(migrations.Migration):
    dependencies = [("review", "0002_drop_duplicate_fk_indexes"), ("bulletins", "0003_keyword_bigram_index")]
    operations = [migrations.RunSQL([CREATE_FUNCTION, *CREATE_TRIGGERS], [*DROP_TRIGGERS, DROP_FUNCTION])]
