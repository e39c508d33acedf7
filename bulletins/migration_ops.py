"""Migration operations of our own (used by bulletins' and review's migrations)."""

from django.db import migrations


class AddConstraintNotValid(migrations.AddConstraint):
    """AddConstraint for a CheckConstraint, added NOT VALID in PostgreSQL.

    Django's state gets the constraint as usual (model validation, later migrations), and the
    database checks every row written from now on, but rows already there are not checked: a text
    written before its limit existed is kept as it is, not lost and not blocking the migration.
    (A later `ALTER TABLE … VALIDATE CONSTRAINT name` checks them once they have been shortened.)
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            table = schema_editor.quote_name(model._meta.db_table)
            schema_editor.execute(
                f"ALTER TABLE {table} ADD {self.constraint.constraint_sql(model, schema_editor)} NOT VALID"
            )

    def describe(self):
        return f"{super().describe()} (NOT VALID: existing rows are kept as they are)"
