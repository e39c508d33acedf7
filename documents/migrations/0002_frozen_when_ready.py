"""A ready document is frozen: PostgreSQL refuses any change to its row, and its deletion."""

from django.db import migrations

SQL = """
CREATE FUNCTION documents_frozen_when_ready() RETURNS trigger AS $$
BEGIN
  IF OLD.state = 'ready' THEN
    RAISE EXCEPTION 'documents_officialdocument %: a ready document cannot be changed or deleted', OLD.id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER documents_frozen_when_ready
BEFORE UPDATE OR DELETE ON documents_officialdocument
FOR EACH ROW EXECUTE FUNCTION documents_frozen_when_ready();
"""

REVERSE = """
DROP TRIGGER IF EXISTS documents_frozen_when_ready ON documents_officialdocument;
DROP FUNCTION IF EXISTS documents_frozen_when_ready();
"""


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
