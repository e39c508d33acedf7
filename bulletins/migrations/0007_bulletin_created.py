# Newest first over every bulletin: the list of a user without a unit, and the keyword search's
# walk for common words (bulletins.selectors.bulletin_keyword_search). Only adds an index.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0006_bigram_index_c_collation")]

    operations = [
        migrations.AddIndex(
            model_name="bulletin",
            index=models.Index(fields=["-created_at", "-id"], name="bulletin_created"),
        ),
    ]
