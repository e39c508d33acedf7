# Every incident clock gets its obligation in the deadline mechanism (the scan now reads those).

from django.db import migrations
from django.urls import reverse
from django.utils import timezone

# A frozen copy of incidents.services.OBLIGATIONS_FROM_CLOCKS_SQL as it was at this migration.
OBLIGATIONS_FROM_CLOCKS_SQL = """
WITH obligations AS (
    INSERT INTO deadlines_obligation
        (kind, subject_id, unit_id, person_id, label, url, due_at, state, created_at, closed_at, closed_reason)
    SELECT %(kind)s, c.bulletin_id, c.filing_unit_id, NULL, left(b.title, 200),
        replace(%(url)s, '0', c.bulletin_id::text), c.deadline_at,
        CASE WHEN c.state IN ('on_time', 'late') THEN 'met' ELSE 'open' END, %(now)s,
        CASE WHEN c.state IN ('on_time', 'late') THEN c.sent_up_at END, ''
    FROM incidents_incidentclock c JOIN bulletins_bulletin b ON b.id = c.bulletin_id
    ON CONFLICT (kind, subject_id, unit_id) DO NOTHING
    RETURNING id, subject_id, state
), stages AS (
    INSERT INTO deadlines_stage (obligation_id, name, due_at, state, fired_at)
    SELECT o.id, s.name, s.due_at,
        CASE WHEN s.fired_at IS NULL THEN 'pending' WHEN s.sent THEN 'fired' ELSE 'skipped' END, s.fired_at
    FROM obligations o JOIN incidents_incidentclock c ON c.bulletin_id = o.subject_id
    CROSS JOIN LATERAL (VALUES (%(warn)s, c.warn_at, COALESCE(c.warned_at, c.flagged_at), c.warned_at IS NOT NULL),
                               (%(due)s, c.deadline_at, c.flagged_at, TRUE)) AS s(name, due_at, fired_at, sent)
    WHERE o.state = 'open'
    RETURNING obligation_id, name, due_at, state, fired_at
)
INSERT INTO deadlines_stagefiring (obligation_id, stage, due_at, fired_at, outcome)
SELECT obligation_id, name, due_at, GREATEST(fired_at, due_at), CASE WHEN state = 'fired' THEN 'sent' ELSE 'skipped' END
FROM stages WHERE state <> 'pending'
ON CONFLICT DO NOTHING
"""


def clocks_to_obligations(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            OBLIGATIONS_FROM_CLOCKS_SQL,
            {
                "kind": "incident",
                "url": reverse("bulletins:detail", args=[0]),
                "now": timezone.now(),
                "warn": "warn",
                "due": "due",
            },
        )


def drop_incident_obligations(apps, schema_editor):
    apps.get_model("deadlines", "Obligation").objects.filter(kind="incident").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0002_overdue_open_index"),
        ("deadlines", "0001_obligations"),
        ("bulletins", "0012_deadline_minutes"),
    ]

    operations = [
        migrations.RunPython(clocks_to_obligations, drop_incident_obligations),
        # The scan no longer reads the clocks: their two partial indexes go.
        migrations.RemoveIndex(model_name="incidentclock", name="incident_flag_due"),
        migrations.RemoveIndex(model_name="incidentclock", name="incident_warn_due"),
    ]
