"""A signed-off issue is frozen: PostgreSQL refuses any change to it, to its items and to their
sources, and their deletion. The one change left is its publication (signed_off → published,
setting published_at and nothing else) once both files exist. The history and the printing
facts are append-only (review's bd_refuse_row_change, migration review 0003).
"""

from django.db import migrations

SQL = """
CREATE FUNCTION journals_issue_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.state = 'draft' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.state = 'signed_off' AND NEW.state = 'published'
     AND (to_jsonb(NEW) - 'state' - 'published_at') = (to_jsonb(OLD) - 'state' - 'published_at') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'journals_issue %: a signed-off issue cannot be changed or deleted', OLD.id
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER journals_issue_frozen BEFORE UPDATE OR DELETE ON journals_issue
FOR EACH ROW EXECUTE FUNCTION journals_issue_frozen();

CREATE FUNCTION journals_item_frozen() RETURNS trigger AS $$
DECLARE
  issue_ids bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    issue_ids := ARRAY[NEW.issue_id];
  ELSIF TG_OP = 'UPDATE' THEN
    issue_ids := ARRAY[OLD.issue_id, NEW.issue_id];
  ELSE
    issue_ids := ARRAY[OLD.issue_id];
  END IF;
  IF EXISTS (SELECT 1 FROM journals_issue WHERE id = ANY(issue_ids) AND state <> 'draft') THEN
    RAISE EXCEPTION 'journals_issueitem: the items of a signed-off issue cannot be changed'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER journals_item_frozen BEFORE INSERT OR UPDATE OR DELETE ON journals_issueitem
FOR EACH ROW EXECUTE FUNCTION journals_item_frozen();

CREATE FUNCTION journals_source_frozen() RETURNS trigger AS $$
DECLARE
  item_ids bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    item_ids := ARRAY[NEW.item_id];
  ELSIF TG_OP = 'UPDATE' THEN
    item_ids := ARRAY[OLD.item_id, NEW.item_id];
  ELSE
    item_ids := ARRAY[OLD.item_id];
  END IF;
  IF EXISTS (
    SELECT 1 FROM journals_issueitem i JOIN journals_issue s ON s.id = i.issue_id
    WHERE i.id = ANY(item_ids) AND s.state <> 'draft'
  ) THEN
    RAISE EXCEPTION 'journals_itemsource: what a signed-off issue credits cannot be changed'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER journals_source_frozen BEFORE INSERT OR UPDATE OR DELETE ON journals_itemsource
FOR EACH ROW EXECUTE FUNCTION journals_source_frozen();

CREATE TRIGGER journals_issueevent_append_only BEFORE UPDATE OR DELETE ON journals_issueevent
FOR EACH ROW EXECUTE FUNCTION bd_refuse_row_change();
CREATE TRIGGER journals_printing_append_only BEFORE UPDATE OR DELETE ON journals_printing
FOR EACH ROW EXECUTE FUNCTION bd_refuse_row_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS journals_printing_append_only ON journals_printing;
DROP TRIGGER IF EXISTS journals_issueevent_append_only ON journals_issueevent;
DROP TRIGGER IF EXISTS journals_source_frozen ON journals_itemsource;
DROP FUNCTION IF EXISTS journals_source_frozen();
DROP TRIGGER IF EXISTS journals_item_frozen ON journals_issueitem;
DROP FUNCTION IF EXISTS journals_item_frozen();
DROP TRIGGER IF EXISTS journals_issue_frozen ON journals_issue;
DROP FUNCTION IF EXISTS journals_issue_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("journals", "0001_initial"), ("review", "0003_append_only_history")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
