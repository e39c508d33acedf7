"""Reads on bulletins, always through bulletins.visibility (out of scope = does not exist)."""

import json
import math
import time
from dataclasses import dataclass
from enum import StrEnum

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bulletins.diff import SideBySide, char_diff
from bulletins.models import Attachment, Bulletin, BulletinVersion
from bulletins.pagination import DEFAULT_COUNT_CAP
from bulletins.search_sql import BIGRAM_INDEX_NAME, BIGRAM_MATCH_TEMPLATE, KEYWORD_STATS_SQL
from bulletins.visibility import sees_working_copy, visible_bulletins, visible_through_bulletin

LIST_RELATED = ("category", "filing_unit", "author", "incident_clock")
_LIST_ROW_FIELDS = (
    "title",
    "status",
    "created_at",
    "filing_unit_id",
    "current_unit_id",
    "deadline_at",
    "occurred_at",
    "signed_off_at",
    "category__name",
    "author__username",
    "author__full_name",
    "incident_clock__state",
    "incident_clock__deadline_at",
    "incident_clock__warn_at",
    "incident_clock__late_by",
)


class BigramMatch(Func):
    """The text holds every bigram of `term`: the condition the GIN index serves (search_sql.py)."""

    output_field = BooleanField()

    def __init__(self, term: str):
        super().__init__(F("title"), F("body"))
        self.term = term

    def as_sql(self, compiler, connection, **extra_context):
        (title, title_params), (body, body_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return BIGRAM_MATCH_TEMPLATE.format(title=title, body=body), (*title_params, *body_params, self.term)


def _term_contains(term: str) -> Q:
    """Title or body contains `term`, literally (no wildcards), ignoring the case of letters.

    A term without cased letters (Chinese, digits) is compared as it is: no UPPER() over every
    body (3.5 times faster per row at 560 characters).
    """
    cased = term.lower() != term.upper()
    # strpos() instead of LIKE '%term%': 1.2 against 4.7 µs per 560-character body, and the
    # planner takes it to match a third of the rows instead of guessing from the body's
    # histogram, so a newest-first walk is never traded for a sort of the whole scope.
    needle = Upper(Value(term)) if cased else Value(term)
    return Q(GreaterThan(StrIndex(Upper("title") if cased else "title", needle), 0)) | Q(
        GreaterThan(StrIndex(Upper("body") if cased else "body", needle), 0)
    )


def bulletin_keyword_filter(queryset: QuerySet, keyword: str, *, use_index: bool = True) -> QuerySet:
    """Bulletins whose title or body contains every whitespace-separated term of `keyword`.

    With `use_index`, a term of two or more characters is first narrowed by the bigram GIN index
    (bulletins/search_sql.py), then confirmed by the substring test; otherwise, and for
    one-character terms, only the substring test runs. Which of the two is fast depends on the
    word and the scope: bulletin_keyword_search decides.
    """
    for term in (keyword or "").split():
        if use_index and len(term) >= 2:
            queryset = queryset.filter(BigramMatch(term))
        queryset = queryset.filter(_term_contains(term))
    return queryset


# ---------------------------------------------------------------------------------------------
# Keyword search: which way to find a word, newest first
#
# For the benchmark rows "keyword search 党建 (2 chars) / 乡村振兴 (4 chars), all the central head
# may see / list of the unit with most bulletins, first page + count ≤ 20 ms"
# (bench/results/2026-11-27.md, Targets): the bigram index for every word took 41-96 s over all 1M
# bulletins (bench/notes.md).
#
# The list shows the newest 25 matches. Two ways to find them:
# - walk: read the scope newest first (B-tree bulletin_created, or a unit's (unit, created_at)
#   index) and test each row until the page is full. A word in 17 % of bulletins (党建) fills a
#   page after ~150 rows; a word in no bulletin reads the whole scope (a million rows: seconds).
# - index: the bigram GIN index finds every candidate, which are then fetched, tested and sorted.
#   A rare word costs a few candidates; a common one costs all of them, and past ~60,000 heap
#   pages (work_mem 4MB) the bitmap turns lossy and the recheck recomputes bd_bigrams on every
#   row of those pages (乡村振兴, 121,812 matches: 41 s).
# At a million bulletins the two cost the same for a word in ~0.3 % of them (~3,000 matches).
# A small scope (a county's list) is simply tested row by row, as before.
# The choice comes from PostgreSQL's statistics of the GIN index's expression (pg_stats:
# most_common_elems / most_common_elem_freqs): a word occurs in at most the share of bulletins of
# its rarest bigram, and a bigram missing from the list is rarer than the least common listed.
# Where they cannot tell (a bigram not listed, which with the default statistics target means
# anything under the 1,000th bigram's share, 8 % in the benchmark's texts; several terms; a
# one-character term), a probe tests at most PROBE_ROWS of the newest rows in scope: if
# PROBE_MATCHES of them match, the walk is cheap; if not, the word is rare there and the index is
# used, unless the statistics say its candidates may be too many for an exact bitmap (then the
# walk, slow for a rare word but never the recheck). The statistics' list being that coarse, a
# rare word over a large scope is probed before the index (3 ms over all 1M bulletins).
#
# The count: the index's candidates are few, so the capped count is exact. The walk's capped
# count would test (cap + 1) / share rows (党建: 5,900, 乡村振兴: 8,400); past EXACT_COUNT_ROWS
# the list shows an estimate instead: the share × the rows in scope (the planner's estimate).

# A scope of at most this many rows (the planner's estimate) is simply tested row by row: a probe
# would read as many. For the benchmark row "bulletin list (党建, last 12 months): ≤ 10 queries,
# equal for 1 and many rows": a province's own list of the year (907 rows estimated) was probed
# (one query more) once its estimate was right, at 500.
SMALL_SCOPE_ROWS = 1_500
# The index without probing when the statistics bound its candidates to this many rows.
INDEX_DIRECT_ROWS = 5_000
# After a failed probe, the index when its candidates are estimated at most this many rows (the
# bitmap of 4MB work_mem holds ~60,000 heap pages exactly) or when a bigram is below the list.
INDEX_SAFE_ROWS = 50_000
# The probe tests at most PROBE_ROWS of the newest rows in scope and stops at PROBE_MATCHES
# matches: the walk is taken for a word in at least ~0.5 % of the scope's newest rows.
PROBE_ROWS = 1_500
PROBE_MATCHES = 8
# The walk's capped count is exact when it would test at most this many rows, else estimated.
EXACT_COUNT_ROWS = 2_000
# pg_stats is read at most once per process and database every STATS_TTL seconds.
STATS_TTL = 300.0


class KeywordStrategy(StrEnum):
    NONE = "none"  # no keyword
    SCAN = "scan"  # a small scope: test every row
    WALK = "walk"  # newest first, test rows until the page is full
    INDEX = "index"  # the bigram GIN index, then test its candidates


@dataclass(frozen=True)
class KeywordSearch:
    queryset: QuerySet
    strategy: KeywordStrategy
    # None: count exactly (cheap). Otherwise the list shows "about N" (bulletins.pagination).
    estimated_count: int | None = None


@dataclass(frozen=True)
class _BigramStats:
    freqs: dict  # the most common bigrams -> share of bulletins containing each; empty before ANALYZE
    floor: float  # the least common listed share: any bigram not listed is rarer (1 if none listed)
    rows: float  # bulletins in the table (pg_class.reltuples; -1 before the first VACUUM or ANALYZE)


# For the same benchmark rows "keyword search …, first page + count ≤ 20 ms"
# (bench/results/2026-11-27.md, Targets): pg_stats read once per process and STATS_TTL, not per search.
_stats_cache: dict = {}


def keyword_stats_clear() -> None:
    """Forget the cached statistics (after ANALYZE, in tests)."""
    _stats_cache.clear()


def _bigram_stats() -> _BigramStats:
    """The keyword index's statistics, read from pg_stats at most once per STATS_TTL seconds."""
    key = (connection.alias, connection.settings_dict["NAME"])
    cached = _stats_cache.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(KEYWORD_STATS_SQL, [BIGRAM_INDEX_NAME])
        elems, freqs, rows = cursor.fetchone()
    if elems:
        stats = _BigramStats(freqs=dict(zip(elems, freqs, strict=False)), floor=freqs[len(elems)], rows=rows)
    else:
        stats = _BigramStats(freqs={}, floor=1.0, rows=rows)
    _stats_cache[key] = (time.monotonic() + STATS_TTL, stats)
    return stats


def _bigrams(term: str) -> set[str]:
    """bd_bigrams in Python (lower case, distinct pairs of characters), for looking terms up."""
    text = term.lower()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _estimated_rows(queryset: QuerySet) -> int:
    """The planner's estimate of the rows of `queryset` (EXPLAIN: planning only, nothing read)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _probe(queryset: QuerySet, terms: list[str]) -> tuple[int, int]:
    """Test the newest PROBE_ROWS rows of `queryset` until PROBE_MATCHES match: (matches, rows read).

    The rows read are those up to the last match found, or PROBE_ROWS if fewer matched. The
    conditions are _term_contains's, written out: a test after a LIMIT needs a subquery.
    """
    newest = queryset.order_by("-created_at", "-pk").values_list("title", "body")[:PROBE_ROWS]
    inner_sql, inner_params = newest.query.sql_with_params()
    conditions, params = [], []
    for term in terms:
        if term.lower() == term.upper():
            conditions.append("(strpos(p.title, %s) > 0 OR strpos(p.body, %s) > 0)")
        else:
            conditions.append("(strpos(upper(p.title), upper(%s)) > 0 OR strpos(upper(p.body), upper(%s)) > 0)")
        params += [term, term]
    # row_number() numbers the rows as the ordered subquery yields them; LIMIT stops the scan.
    sql = (
        f"SELECT p.n FROM (SELECT row_number() OVER () AS n, w.* FROM ({inner_sql}) w) p "
        f"WHERE {' AND '.join(conditions)} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*inner_params, *params, PROBE_MATCHES))
        found = [n for (n,) in cursor.fetchall()]
    return len(found), (found[-1] if len(found) >= PROBE_MATCHES else PROBE_ROWS)


def bulletin_keyword_search(
    queryset: QuerySet, keyword: str, *, page_rows: int = 25, count_cap: int = DEFAULT_COUNT_CAP
) -> KeywordSearch:
    """`queryset` (scoped and filtered) narrowed to the bulletins containing every term of
    `keyword`, found the cheaper way for this word and this scope (see above), and how to count them.

    `page_rows` (the list's page size) and `count_cap` (the paginator's cap): the index path
    keeps the ids of the pages the paginator may show; the count is exact or estimated by the cap.
    """
    terms = (keyword or "").split()
    if not terms:
        return KeywordSearch(queryset, KeywordStrategy.NONE)
    like = bulletin_keyword_filter(queryset, keyword, use_index=False)
    scope_rows = _estimated_rows(queryset)
    if scope_rows <= SMALL_SCOPE_ROWS:
        return KeywordSearch(like, KeywordStrategy.SCAN)
    # The index's matches are found, sorted and cut in a subquery that selects ids only, and only
    # then joined to what the list shows: the planner cannot tell how many candidates the index
    # will give and, taking them for one, would join each with a sequential scan (1.2 s for 1,230
    # candidates). No page lies beyond the paginator's cap, so no more ids are needed.
    ids = bulletin_keyword_filter(queryset, keyword, use_index=True).values("pk")[: count_cap + 2 * page_rows]
    index = KeywordSearch(queryset.filter(pk__in=ids), KeywordStrategy.INDEX)
    long_terms = [term for term in terms if len(term) >= 2]
    stats = _bigram_stats() if long_terms else None
    table_rows = max(stats.rows if stats else -1, scope_rows)
    # Per term of two or more characters: the share of bulletins holding its rarest bigram, an
    # upper bound of the term's share (a bigram not listed counts as the least common listed).
    shares, below_list = {}, False
    for term in long_terms:
        listed = [stats.freqs.get(bigram) for bigram in _bigrams(term)]
        below_list = below_list or None in listed
        shares[term] = min(stats.floor if share is None else share for share in listed)
    if long_terms and min(shares.values()) * table_rows <= INDEX_DIRECT_ROWS:
        return index  # few candidates for certain

    share = shares[terms[0]] if len(terms) == 1 and long_terms and not below_list else None
    if share is None or share * PROBE_ROWS < 2 * PROBE_MATCHES:
        matches, read = _probe(queryset, terms)
        if matches < PROBE_MATCHES:
            # Rare among the newest rows: the index, unless its bitmap could grow lossy (terms
            # taken as independent; a bigram below the list is taken as a sign of rarity).
            if long_terms and (below_list or table_rows * math.prod(shares.values()) <= INDEX_SAFE_ROWS):
                return index
            return KeywordSearch(like, KeywordStrategy.WALK)  # slow for a rare word, never the recheck
        share = share or matches / read
    if min(scope_rows, (count_cap + 1) / share) <= EXACT_COUNT_ROWS:
        return KeywordSearch(like, KeywordStrategy.WALK)
    return KeywordSearch(like, KeywordStrategy.WALK, _round_estimate(share * scope_rows))


def _round_estimate(value: float) -> int:
    """Two significant digits: an estimate should not look exact (123,456 -> 120,000)."""
    value = max(int(round(value)), 1)
    magnitude = 10 ** max(len(str(value)) - 2, 0)
    return round(value / magnitude) * magnitude


def overdue_q(now=None) -> Q:
    """Incidents past their deadline that have not been signed off (the partial index serves this)."""
    return Q(deadline_at__lt=now or timezone.now(), signed_off_at__isnull=True)


def bulletin_list(*, user, everything: bool = False) -> QuerySet:
    """My unit's bulletins (the filing unit is the user's unit), newest first, ready for the list page;
    with `everything`, every bulletin the user may see (bulletins.visibility): for a reviewer or a
    head, what reached their unit's queue, and for a head the signed-off bulletins below too."""
    if user.unit_id is not None and not everything:
        # The unit's own bulletins are visible by the policy's first clause, so the policy's OR is
        # not added: PostgreSQL does not reduce `unit = X AND (unit = X OR …)`, estimated the
        # biggest unit's 4,065 rows as 110 and sorted them after a nested loop, 15 ms instead of
        # 5 ms for the benchmark row "paginator count, bulletin list of the filing unit with most
        # bulletins". tests/bulletins/test_visibility.py checks the list equals the policy's answer.
        queryset = Bulletin.objects.filter(filing_unit_id=user.unit_id)
    else:
        queryset = visible_bulletins(user, Bulletin.objects.all())
    # Only what the rows show (templates/bulletins/list.html and the deadline badge): the long
    # texts stay in the table (the keyword filter reads them in SQL).
    queryset = queryset.select_related("category", "author", "incident_clock").only(*_LIST_ROW_FIELDS)
    if everything:  # the rows say which unit filed them
        queryset = queryset.select_related("filing_unit").only(*_LIST_ROW_FIELDS, "filing_unit__short_name")
    # The row's title: the working copy for the filing unit, the frozen title for anyone else
    # (bulletins.visibility.sees_working_copy). A column of the row, no join.
    working = Coalesce("revision_title", "title")
    if user.unit_id is None:
        queryset = queryset.annotate(list_title=F("title"))
    elif everything:
        queryset = queryset.annotate(
            list_title=Case(When(filing_unit_id=user.unit_id, then=working), default=F("title"))
        )
    else:
        queryset = queryset.annotate(list_title=working)
    return queryset.order_by("-created_at", "-pk")


def bulletin_get(*, user, pk: int) -> Bulletin:
    """One bulletin the user may see, with what its detail page shows; 404 otherwise."""
    queryset = visible_bulletins(user, Bulletin.objects.all()).select_related(*LIST_RELATED, "current_unit")
    queryset = queryset.prefetch_related(
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(removed_at__isnull=True).select_related("uploaded_by"),
            to_attr="active_attachments",
        ),
        Prefetch(
            "versions",
            queryset=BulletinVersion.objects.select_related("created_by", "category").order_by("-number"),
            to_attr="version_list",
        ),
        "repairs",
    )
    return get_object_or_404(queryset, pk=pk)


def attachment_get(*, user, pk: int) -> Attachment:
    """An attachment of a bulletin the user may see (removed ones too: frozen versions list them).

    Outside the filing unit, only the attachments of the latest frozen version: one added to the
    working copy since is work in progress, and a 404 like one that does not exist.
    """
    attachment = get_object_or_404(
        visible_through_bulletin(user, Attachment.objects.all()).select_related("bulletin"), pk=pk
    )
    bulletin = attachment.bulletin
    if not sees_working_copy(user, bulletin):
        frozen = (
            BulletinVersion.objects.filter(bulletin_id=bulletin.pk, number=bulletin.version_count)
            .values_list("attachments", flat=True)
            .first()
        )
        if attachment.pk not in {item["id"] for item in frozen or []}:
            raise Http404
    return attachment


@dataclass(frozen=True)
class AttachmentRow:
    pk: int
    name: str
    size: int
    content_type: str = ""
    uploaded_at: object = None  # the working copy's attachments only


@dataclass(frozen=True)
class BulletinDisplay:
    """What the bulletin's page shows: the working copy to its own unit, the latest frozen
    version to everyone else (bulletins.visibility.sees_working_copy)."""

    title: str
    body: str
    category_name: str
    occurred_at: object
    place: str
    source: str
    contact_name: str
    contact_phone: str
    attachments: list[AttachmentRow]
    version: BulletinVersion | None  # the frozen version shown, None for the working copy


def bulletin_display(*, user, bulletin: Bulletin) -> BulletinDisplay:
    """The text `user` reads on the page of `bulletin` (loaded by bulletin_get): no query."""
    if sees_working_copy(user, bulletin):
        attachments = [
            AttachmentRow(
                pk=a.pk, name=a.original_name, size=a.size, content_type=a.content_type, uploaded_at=a.uploaded_at
            )
            for a in bulletin.active_attachments
        ]
        return _display(bulletin, bulletin.working_title, bulletin.working_body, attachments, version=None)
    version = bulletin.version_list[0]  # newest first
    attachments = [
        AttachmentRow(pk=a["id"], name=a["name"], size=a["size"], content_type=a.get("content_type", ""))
        for a in version.attachments
    ]
    return _display(version, version.title, version.body, attachments, version=version)


def _display(facts, title: str, body: str, attachments: list[AttachmentRow], *, version) -> BulletinDisplay:
    """`facts`: the bulletin (its working copy) or a frozen version, which name their fields alike."""
    return BulletinDisplay(
        title=title,
        body=body,
        category_name=facts.category.name,
        occurred_at=facts.occurred_at,
        place=facts.place,
        source=facts.source,
        contact_name=facts.contact_name,
        contact_phone=facts.contact_phone,
        attachments=attachments,
        version=version,
    )


# ---------------------------------------------------------------------------------------------
# Comparing versions


@dataclass(frozen=True)
class FactRow:
    label: str
    diff: SideBySide


def _fact_text(snapshot, name: str) -> str:
    value = getattr(snapshot, name)
    if name == "occurred_at":
        return date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""
    if name == "category":
        return str(value)
    if name == "attachments":
        return "\n".join(item["name"] for item in value)
    return value or ""


FACT_FIELDS = (
    ("category", _("category")),
    ("occurred_at", _("occurred at")),
    ("place", _("place")),
    ("source", _("source and verification")),
    ("contact_name", _("contact person")),
    ("contact_phone", _("contact phone")),
    ("attachments", _("attachments")),
)


@dataclass(frozen=True)
class VersionComparison:
    old: BulletinVersion
    new: BulletinVersion
    title: SideBySide
    body: SideBySide
    facts: list[FactRow]

    @property
    def changed_facts(self) -> list[FactRow]:
        return [row for row in self.facts if row.diff.changed]

    @property
    def coarse(self) -> bool:
        """Some part was compared only in large blocks (bulletins.diff's deadline): the page says so."""
        return any(d.coarse for d in (self.title, self.body, *(row.diff for row in self.facts)))


def version_compare(*, bulletin: Bulletin, old_number: int, new_number: int) -> VersionComparison:
    """Two frozen versions of a bulletin (already fetched through scope), diffed character by character."""
    versions = {
        v.number: v
        for v in BulletinVersion.objects.filter(bulletin=bulletin, number__in=[old_number, new_number]).select_related(
            "category", "created_by"
        )
    }
    if old_number not in versions or new_number not in versions:
        raise Http404
    old, new = versions[old_number], versions[new_number]
    facts = [
        FactRow(str(label), char_diff(_fact_text(old, name), _fact_text(new, name))) for name, label in FACT_FIELDS
    ]
    return VersionComparison(
        old=old, new=new, title=char_diff(old.title, new.title), body=char_diff(old.body, new.body), facts=facts
    )
