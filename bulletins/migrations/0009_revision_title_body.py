"""The text being revised moves beside the frozen one (bulletins.models.Bulletin's docstring).

Bulletins being revised now (submitted before, returned or withdrawn to draft) get their latest
frozen version's title and body back in `title` and `body`, and keep their working copy in
`revision_title` and `revision_body` where it differs. One set-based UPDATE.
"""

from django.db import migrations, models

SPLIT_SQL = """
UPDATE bulletins_bulletin b SET
  revision_title = CASE WHEN b.title <> v.title THEN b.title END,
  revision_body = CASE WHEN b.body <> v.body THEN b.body END,
  title = v.title,
  body = v.body
FROM bulletins_bulletinversion v
WHERE v.bulletin_id = b.id AND v.number = b.version_count
  AND b.status IN ('draft', 'returned') AND (b.title <> v.title OR b.body <> v.body)
"""

JOIN_SQL = """
UPDATE bulletins_bulletin SET
  title = COALESCE(revision_title, title), body = COALESCE(revision_body, body)
WHERE revision_title IS NOT NULL OR revision_body IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0008_reached_unit_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulletin",
            name="revision_body",
            field=models.TextField(blank=True, editable=False, null=True, verbose_name="body being revised"),
        ),
        migrations.AddField(
            model_name="bulletin",
            name="revision_title",
            field=models.CharField(
                blank=True, editable=False, max_length=100, null=True, verbose_name="title being revised"
            ),
        ),
        migrations.RunSQL(SPLIT_SQL, JOIN_SQL),
    ]
