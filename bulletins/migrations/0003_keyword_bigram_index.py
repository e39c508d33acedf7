from django.db import migrations

from bulletins.search_sql import (
    BIGRAM_FUNCTION_DROP_SQL,
    BIGRAM_FUNCTION_SQL,
    BIGRAM_INDEX_DROP_SQL,
    BIGRAM_INDEX_SQL,
)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0002_default_categories")]
    operations = [
        migrations.RunSQL([BIGRAM_FUNCTION_SQL, BIGRAM_INDEX_SQL], [BIGRAM_INDEX_DROP_SQL, BIGRAM_FUNCTION_DROP_SQL])
    ]
