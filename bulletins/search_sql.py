"""The SQL of the bigram keyword index: the one place that spells it (migration, filter, benchmark).

pg_trgm serves only patterns of three or more characters and drops CJK characters when LC_CTYPE
is C; pg_bigm is not packaged here. So we index the distinct two-character substrings of
title and body ourselves: any keyword of two or more characters is a set of bigrams that a
matching text must contain (`@>`, served by a GIN index), and a LIKE on the few candidate rows
removes those whose bigrams occur apart. Changing anything below needs a new migration.
"""

# IMMUTABLE so it may be used in an index; PARALLEL SAFE for parallel scans; STRICT: NULL in, NULL out.
# Built from C-level string functions only, no per-character SQL rows: regexp_replace puts a
# separator after every pair of characters, once from the first character (ab|cd|e) and once from
# the second (bc|de|), string_to_array splits, trim_array drops the odd leftover. Duplicates stay
# in the array: GIN removes them per row, and `@>` ignores them. 3.3 times faster than splitting into
# one row per character and array_agg (0.22 vs 0.72 ms for 560 characters, which made building the
# index over a million bulletins take over 20 minutes); the set of bigrams is the same.
# COST tells the planner that computing it per row is expensive, so it prefers the GIN index to
# filtering a unit's rows one by one.
BIGRAM_FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION bd_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 10000
AS $$
  SELECT CASE WHEN length(t) < 2 THEN '{}'::text[] ELSE
    trim_array(string_to_array(regexp_replace(lower(t), '(..)', '\1' || chr(1), 'g'), chr(1)), 1)
    || trim_array(string_to_array(regexp_replace(substr(lower(t), 2), '(..)', '\1' || chr(1), 'g'), chr(1)), 1)
  END
$$
"""

BIGRAM_FUNCTION_DROP_SQL = "DROP FUNCTION IF EXISTS bd_bigrams(text)"

# The indexed expression, on the bulletins table's own columns. COLLATE "C": the index compares
# bigrams byte by byte instead of through the database's locale (strcoll), which halves the time
# of sorting ~560 million bigrams when the index is built over a million bulletins. Equality, the
# only thing `@>` asks of the elements, is the same under every deterministic collation.
BIGRAM_DOCUMENT = "(bd_bigrams(title || ' ' || body) COLLATE \"C\")"
BIGRAM_INDEX_NAME = "bulletin_keyword_bigrams"
BIGRAM_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {BIGRAM_INDEX_NAME} ON bulletins_bulletin USING gin ({BIGRAM_DOCUMENT})"
BIGRAM_INDEX_DROP_SQL = f"DROP INDEX IF EXISTS {BIGRAM_INDEX_NAME}"

# The same expression in a WHERE clause, {title} and {body} being the columns as the query spells
# them (qualified by the table's alias: a subquery names it U0, and a column of the outer table
# there would turn the test into a bd_bigrams per outer row). PostgreSQL matches it to the index
# by meaning, not spelling. %s is the keyword.
BIGRAM_MATCH_TEMPLATE = "(bd_bigrams({title} || ' ' || {body}) COLLATE \"C\") @> bd_bigrams(%s)"

# PostgreSQL's statistics of the indexed expression (ANALYZE samples 300 × the statistics target
# rows and lists up to 10 × target bigrams): the listed bigrams, their shares of bulletins
# (most_common_elem_freqs holds one share per listed bigram, then the least and the greatest
# share and the share of NULL elements), and the table's estimated rows. %s is the index name.
# pg_stats hides what the role may not read; without statistics the search probes instead.
KEYWORD_STATS_SQL = """
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
FROM pg_class c LEFT JOIN pg_stats s
  ON s.schemaname = current_schema() AND s.tablename = %s AND s.most_common_elems IS NOT NULL
WHERE c.oid = 'bulletins_bulletin'::regclass
"""
