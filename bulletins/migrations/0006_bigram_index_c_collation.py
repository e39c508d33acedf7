from django.db import migrations

from bulletins.search_sql import BIGRAM_INDEX_DROP_SQL, BIGRAM_INDEX_SQL

# 0003 built the index under the database's collation; rebuild it under "C" (search_sql.py says why).
# The same rows match: only the order of the keys inside the index changes.
OLD_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS bulletin_keyword_bigrams ON bulletins_bulletin "
    "USING gin ((bd_bigrams(title || ' ' || body)))"
)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0005_drop_duplicate_fk_indexes")]
    operations = [migrations.RunSQL([BIGRAM_INDEX_DROP_SQL, BIGRAM_INDEX_SQL], [BIGRAM_INDEX_DROP_SQL, OLD_INDEX_SQL])]
