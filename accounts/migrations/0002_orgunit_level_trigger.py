"""The database refuses a unit whose level is not its parent's level + 1.

The rule spans two rows, which a CHECK constraint cannot see, so a trigger holds it.
"""

from django.db import migrations

CREATE_FUNCTION = """
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
$$ LANGUAGE plpgsql
"""
CREATE_TRIGGER = """
CREATE TRIGGER accounts_orgunit_level_follows_parent
    BEFORE INSERT OR UPDATE OF level, parent_id ON accounts_orgunit
    FOR EACH ROW EXECUTE FUNCTION accounts_orgunit_check_level()
"""
DROP_TRIGGER = "DROP TRIGGER IF EXISTS accounts_orgunit_level_follows_parent ON accounts_orgunit"
DROP_FUNCTION = "DROP FUNCTION IF EXISTS accounts_orgunit_check_level()"


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunSQL([CREATE_FUNCTION, CREATE_TRIGGER], [DROP_TRIGGER, DROP_FUNCTION])]
