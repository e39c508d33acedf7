"""The database refuses a unit whose level is not its parent's level + 1.

The rule spans two rows, which a CHECK constraint cannot see, so a trigger holds it on
PostgreSQL and on SQLite alike.
"""

from django.db import migrations

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION accounts_orgunit_check_level() RETURNS trigger AS $$
DECLARE parent_level smallint;
BEGIN
    IF NEW.parent_id IS NOT NULL THEN
        SELECT level INTO parent_level FROM accounts_orgunit WHERE id = NEW.parent_id;
        IF NEW.level <> parent_level + 1 THEN
            RAISE EXCEPTION 'accounts_orgunit_level_follows_parent: level % under parent level %',
                NEW.level, parent_level USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_orgunit_level_follows_parent
    BEFORE INSERT OR UPDATE OF level, parent_id ON accounts_orgunit
    FOR EACH ROW EXECUTE FUNCTION accounts_orgunit_check_level();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS accounts_orgunit_level_follows_parent ON accounts_orgunit;
DROP FUNCTION IF EXISTS accounts_orgunit_check_level();
"""
SQLITE_CREATE = [
    f"""
CREATE TRIGGER accounts_orgunit_level_follows_parent_{event}
BEFORE {event} ON accounts_orgunit
WHEN NEW.parent_id IS NOT NULL
 AND NEW.level <> (SELECT level + 1 FROM accounts_orgunit WHERE id = NEW.parent_id)
BEGIN
    SELECT RAISE(ABORT, 'accounts_orgunit_level_follows_parent');
END;
"""
    for event in ("INSERT", "UPDATE")
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS accounts_orgunit_level_follows_parent_{event}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
