"""The SQL of the bigram keyword index: the one place that spells it (migration, filter, benchmark).

pg_trgm serves only patterns of three or more characters and drops CJK characters when LC_CTYPE
is C; pg_bigm is not packaged here. So we index the distinct two-character substrings of
title and body ourselves: any keyword of two or more characters is a set of bigrams that a
matching text must contain (`@>`, served by a GIN index), and a LIKE on the few candidate rows
removes those whose bigrams occur apart. Changing anything below needs a new migration.
"""

# IMMUTABLE so it may be used in an index; PARALLEL SAFE for parallel scans; STRICT: NULL in, NULL out.
# The characters are split once and zipped with themselves shifted by one (linear time; a
# substr() per position is quadratic on multibyte text: 25 times slower at 1,500 characters).
# COST tells the planner that computing it per row is expensive, so it prefers the GIN index to
# filtering a unit's rows one by one.
BIGRAM_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION bd_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 10000
AS $$
  SELECT coalesce(array_agg(DISTINCT a || b), '{}'::text[])
  FROM (SELECT regexp_split_to_array(lower(t), '') AS c) AS chars,
       unnest(c[1:cardinality(c) - 1], c[2:cardinality(c)]) AS pairs(a, b)
$$
"""

BIGRAM_FUNCTION_DROP_SQL = "DROP FUNCTION IF EXISTS bd_bigrams(text)"

# The indexed expression, on the bulletins table's own columns.
BIGRAM_DOCUMENT = "bd_bigrams(title || ' ' || body)"
BIGRAM_INDEX_NAME = "bulletin_keyword_bigrams"
BIGRAM_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {BIGRAM_INDEX_NAME} ON bulletins_bulletin USING gin (({BIGRAM_DOCUMENT}))"
)
BIGRAM_INDEX_DROP_SQL = f"DROP INDEX IF EXISTS {BIGRAM_INDEX_NAME}"

# The same expression with qualified columns, for a WHERE clause that joins other tables;
# PostgreSQL matches it to the index by meaning, not spelling. %s is the keyword.
BIGRAM_MATCH_SQL = 'bd_bigrams("bulletins_bulletin"."title" || \' \' || "bulletins_bulletin"."body") @> bd_bigrams(%s)'
