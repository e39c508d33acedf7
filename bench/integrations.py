"""Everything the benchmark needs from the other apps, in one place.

Each function imports what it needs when it runs, and a step reports "missing" when the data set
cannot serve it.
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.db import connection, transaction
from django.utils import timezone


class Missing(Exception):
    """The data set cannot serve this step."""


# ---------------------------------------------------------------------------------------------
# After the raw load: derived tables of other apps
# ---------------------------------------------------------------------------------------------


def after_load(*, stdout=None) -> dict:
    """Fill the derived tables of other apps after the raw COPY load; returns seconds per step."""
    timings: dict[str, float] = {}
    steps = (
        ("queue deadlines", _fill_queue_deadlines),
        ("incidents fill", _fill_incidents),
        ("deadlines fill", _fill_obligations),
        ("dashboards rebuild", _rebuild_dashboards),
        ("journals fill", _fill_journals),
    )
    for name, step in steps:
        begun = time.perf_counter()
        try:
            step()
        except Missing as exc:
            if stdout is not None:
                stdout.write(f"  {name}: skipped ({exc})")
            continue
        timings[name] = round(time.perf_counter() - begun, 2)
        if stdout is not None:
            stdout.write(f"  {name}: {timings[name]:.1f} s")
    return timings


def _fill_queue_deadlines():
    """Waiting entries carry their bulletin's deadline (review.services._open_entry does it live)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE review_queueentry q SET deadline_at = b.deadline_at FROM bulletins_bulletin b "
            "WHERE q.bulletin_id = b.id AND q.state = 'open' AND b.deadline_at IS NOT NULL"
        )


def _fill_incidents():
    """One clock per incident, in the state the periodic check would have left it (set-based).

    incidents.services.incident_clocks_backfill does the same row by row (≈1 ms each); this
    INSERT … SELECT mirrors its rules: sent up on time or late (with late_by), else flagged at
    the deadline, warned at the warning time, or still pending.
    """
    from django.conf import settings

    from incidents.models import IncidentClock
    from incidents.rules import late_sql

    table = connection.ops.quote_name(IncidentClock._meta.db_table)
    late = late_sql(deadline_at="b.deadline_at", at="b.signed_off_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (bulletin_id, filing_unit_id, state, deadline_at, warn_at, warned_at, flagged_at, sent_up_at, late_by)
            SELECT b.id, b.filing_unit_id,
                CASE WHEN b.signed_off_at IS NOT NULL
                          THEN CASE WHEN {late} THEN 'late' ELSE 'on_time' END
                     WHEN b.deadline_at <= %(now)s THEN 'flagged'
                     WHEN w.warn_at <= %(now)s THEN 'warned'
                     ELSE 'pending' END,
                b.deadline_at, w.warn_at,
                CASE WHEN w.warn_at <= COALESCE(b.signed_off_at, %(now)s) THEN w.warn_at END,
                CASE WHEN b.deadline_at <= %(now)s AND b.signed_off_at IS NULL THEN b.deadline_at END,
                b.signed_off_at,
                CASE WHEN {late} THEN b.signed_off_at - b.deadline_at END
            FROM bulletins_bulletin b
            CROSS JOIN LATERAL (
                SELECT LEAST(COALESCE(b.occurred_at, b.deadline_at) + %(warning)s, b.deadline_at) AS warn_at
            ) w
            WHERE b.deadline_at IS NOT NULL
            """,
            {"now": timezone.now(), "warning": timedelta(hours=settings.INCIDENT_WARNING_HOURS)},
        )


def _fill_obligations():
    """The incidents' obligations of the deadline mechanism, from the clocks just filled (set-based)."""
    from incidents.services import incident_obligations_backfill

    incident_obligations_backfill()


def _rebuild_dashboards():
    from dashboards.services import stats_rebuild

    stats_rebuild()


# Issue 16: every unit above county compiles a journal of about 50 issues a year, 10 to 20 items
# each, printed from what it adopted (oldest first); what is left over waits in the picker of a
# draft issue per journal.
JOURNAL_ISSUES_PER_YEAR = 50
JOURNAL_ITEMS = (10, 20)


def _fill_journals():
    """Journals, published issues (with their ready documents, items, credits, printing facts and
    history) and a draft per journal, set-based, as journals.services would have left them.

    The rows are written with the triggers off (session_replication_role = replica: the frozen-issue
    triggers would look up the issue for each of the ~1M items); the CHECK and UNIQUE constraints
    still hold them. The documents' files are not rendered (bench/documents_routes.py measures that):
    the rows name files that do not exist, so only the pages are measured, never a download.
    """
    from journals.models import JournalType
    from journals.types import ensure_default_types

    ensure_default_types(JournalType)
    regular = JournalType.objects.get(code="regular").pk
    low, high = JOURNAL_ITEMS
    span = high - low + 1
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO journals_journal (unit_id, type_id, name, masthead, compiling_office, distribution,
                security_note, read_below, read_above, running_total_start, active, created_at)
            SELECT u.id, %(type)s, left(u.short_name || '组工信息', 50), left(u.short_name || '组工信息', 50),
                left(u.name || '办公室编', 100), '报：上级组织部门' || chr(10) || '发：所属各级组织部门',
                '内部资料 注意保存', true, true, 0, true, now()
            FROM accounts_orgunit u
            WHERE u.level <= 2 AND NOT EXISTS (SELECT 1 FROM journals_journal j WHERE j.unit_id = u.id)
            """,
            {"type": regular},
        )
        # Each adoption of a journal's unit takes a slot: its year, its issue (15 a year's
        # adoptions per issue, in order), its place; an issue keeps 10 to 20 of its 15… places.
        cursor.execute(
            f"""
            CREATE TEMP TABLE bench_slots ON COMMIT DROP AS
            SELECT s.*, s.rn / {high} AS slot, s.rn % {high} + 1 AS position FROM (
                SELECT a.id AS adoption_id, a.bulletin_id, a.adopted_at, j.id AS journal_id,
                    extract(year FROM a.adopted_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
                    row_number() OVER (PARTITION BY j.id, extract(year FROM a.adopted_at AT TIME ZONE 'Asia/Shanghai')
                                       ORDER BY a.adopted_at, a.id) - 1 AS rn
                FROM review_adoption a JOIN journals_journal j ON j.unit_id = a.unit_id
            ) s
            """
        )
        cursor.execute(
            f"DELETE FROM bench_slots WHERE slot >= %s OR position > {low} + (journal_id + slot) %% {span}",
            [JOURNAL_ISSUES_PER_YEAR],
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_issues ON COMMIT DROP AS
            SELECT nextval(pg_get_serial_sequence('journals_issue', 'id')) AS issue_id,
                nextval(pg_get_serial_sequence('documents_officialdocument', 'id')) AS document_id,
                g.*, row_number() OVER (PARTITION BY g.journal_id ORDER BY g.year, g.number) AS total_number,
                h.id AS head_id, j.unit_id, j.name
            FROM (
                SELECT journal_id, year, slot + 1 AS number,
                    LEAST(max(adopted_at) + interval '2 days', now()) AS published_at
                FROM bench_slots GROUP BY journal_id, year, slot
            ) g
            JOIN journals_journal j ON j.id = g.journal_id
            JOIN LATERAL (SELECT id FROM accounts_user WHERE unit_id = j.unit_id AND is_office_head
                          ORDER BY id LIMIT 1) h ON true
            """
        )
        cursor.execute(
            """
            INSERT INTO documents_officialdocument (id, kind, title, file_stem, owner_id, owner_unit_id, description,
                state, created_at, signed_off_at, signed_off_by_id, docx, pdf, docx_sha256, pdf_sha256, rendered_at,
                attempts, last_error)
            SELECT document_id, 'journal_issue', label, label, head_id, unit_id, '{}'::jsonb, 'ready',
                published_at, published_at, head_id, 'bench/issue.docx', 'bench/issue.pdf', repeat('0', 64),
                repeat('0', 64), published_at, 1, ''
            FROM (SELECT *, '《' || name || '》' || year || '年第' || number || '期' AS label FROM bench_issues) i
            """
        )
        cursor.execute(
            """
            INSERT INTO journals_issue (id, journal_id, state, title, editors_note, signer_id, created_by_id,
                created_at, year, number, total_number, signed_off_at, signed_off_by_id, document_id, published_at)
            SELECT issue_id, journal_id, 'published', '', '', head_id, head_id, published_at - interval '1 day',
                year, number, total_number, published_at, head_id, document_id, published_at
            FROM bench_issues
            """
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_items ON COMMIT DROP AS
            SELECT nextval(pg_get_serial_sequence('journals_issueitem', 'id')) AS item_id, i.issue_id,
                i.published_at, s.adoption_id, s.bulletin_id, s.journal_id,
                row_number() OVER (PARTITION BY i.issue_id ORDER BY s.position) AS position,
                CASE WHEN s.adoption_id % 3 = 0 THEN 'abridged' ELSE 'full' END AS kind
            FROM bench_slots s JOIN bench_issues i ON i.journal_id = s.journal_id AND i.year = s.year
                AND i.number = s.slot + 1
            """
        )
        cursor.execute(
            """
            INSERT INTO journals_issueitem (id, issue_id, position, kind, section, title, body, editors_note)
            SELECT t.item_id, t.issue_id, t.position, t.kind, '', left(b.title, 100), left(b.body, 400), ''
            FROM bench_items t JOIN bulletins_bulletin b ON b.id = t.bulletin_id
            """
        )
        cursor.execute(
            "INSERT INTO journals_itemsource (item_id, adoption_id, journal_id, position)"
            " SELECT item_id, adoption_id, journal_id, 1 FROM bench_items"
        )
        cursor.execute(
            """
            INSERT INTO journals_printing (adoption_id, bulletin_id, filing_unit_id, issue_id, item_id, journal_id,
                tier, treatment, printed_at)
            SELECT t.adoption_id, t.bulletin_id, b.filing_unit_id, t.issue_id, t.item_id, t.journal_id, 'regular',
                t.kind, t.published_at
            FROM bench_items t JOIN bulletins_bulletin b ON b.id = t.bulletin_id
            """
        )
        cursor.execute(
            """
            INSERT INTO journals_issueevent (issue_id, action, actor_id, at, comment)
            SELECT issue_id, 'signed_off', head_id, published_at, '' FROM bench_issues
            UNION ALL SELECT issue_id, 'published', NULL, published_at, '' FROM bench_issues
            """
        )
        # A draft per journal: the picker's page (what the unit adopted and has not printed).
        cursor.execute(
            """
            INSERT INTO journals_issue (journal_id, state, title, editors_note, created_by_id, created_at)
            SELECT j.id, 'draft', '', '', h.id, now()
            FROM journals_journal j
            JOIN LATERAL (SELECT id FROM accounts_user WHERE unit_id = j.unit_id AND is_reviewer
                          ORDER BY id LIMIT 1) h ON true
            WHERE NOT EXISTS (SELECT 1 FROM journals_issue d WHERE d.journal_id = j.id AND d.state = 'draft')
            """
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


# ---------------------------------------------------------------------------------------------
# Pages driven over HTTP
# ---------------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    username: str | None  # None: anonymous
    kind: str = "page"  # "ceiling" or "page"
    # The same page showing one (or a few) rows, to check the query count does not grow with rows.
    small_path: str | None = None
    small_username: str | None = None
    rows: int | None = None
    small_rows: int | None = None
    notes: list[str] = field(default_factory=list)


def pages(ctx) -> list[Page]:
    """The ceilings and the pages, with the users that see them (`ctx` is bench.driver.Context)."""
    today = timezone.localdate()
    result = [
        Page("ceiling: minimal view", "/bench/open/", None, kind="ceiling"),
        Page("ceiling: login-only view", "/bench/login-only/", ctx.users["central_reviewer"], kind="ceiling"),
        Page("login page", "/accounts/login/", None),
    ]
    queue_unit, queue_rows = ctx.busiest_queue
    small_unit, small_rows = ctx.smallest_queue
    result.append(
        Page(
            "review queue",
            "/review/",
            ctx.reviewer_of(queue_unit),
            small_path="/review/",
            small_username=ctx.reviewer_of(small_unit),
            rows=queue_rows,
            small_rows=small_rows,
        )
    )
    # bulletins.filters.BulletinFilter: q (keyword), created_after / created_before (dates).
    start = today - timedelta(days=365)
    small = ctx.single_bulletin_filter
    result.append(
        Page(
            "bulletin list (党建, last 12 months)",
            "/bulletins/?"
            + urlencode({"q": "党建", "created_after": f"{start:%Y-%m-%d}", "created_before": f"{today:%Y-%m-%d}"}),
            ctx.users["province_head"],
            small_path="/bulletins/?"
            + urlencode({"q": small["keyword"], "created_after": small["date"], "created_before": small["date"]}),
            small_username=ctx.users["province_head"],
        )
    )
    # dashboards.forms.PeriodForm: period=year and a month in it; the head's own unit.
    year = urlencode({"period": "year", "ref": f"{today:%Y-%m}"})
    result.append(Page(f"province dashboard {today.year}", f"/dashboard/?{year}", ctx.users["province_head"]))
    result.append(Page(f"central dashboard {today.year}", f"/dashboard/?{year}", ctx.users["central_head"]))
    return result + _journal_pages(ctx)


def _journal_pages(ctx) -> list[Page]:
    """Issue 16: the reading room (the central unit's journal, its latest year, read by a province
    head) and the picker of the central journal's draft; each beside the journal with fewest."""
    from django.db.models import Count, Q

    from journals.models import Issue, IssueState, Journal
    from review.models import Adoption

    journals = Journal.objects.annotate(published=Count("issues", filter=Q(issues__state=IssueState.PUBLISHED))).filter(
        published__gt=0
    )
    central = journals.filter(unit_id=ctx.unit_ids["central"]).first()
    # Read by the same province head (a city below the province: its journal is sent up).
    fewest = journals.filter(unit__parent_id=ctx.unit_ids["province"]).order_by("published", "pk").first()
    if central is None or fewest is None:
        return []
    pages = [
        Page(
            "journal reading room",
            f"/journals/{central.pk}/",
            ctx.users["province_head"],
            small_path=f"/journals/{fewest.pk}/",
            small_username=ctx.users["province_head"],
            rows=min(central.published, 20),
            small_rows=min(fewest.published, 20),
        ),
        Page(
            "journal search across items",
            f"/journals/{central.pk}/?" + urlencode({"q": "党建"}),
            ctx.users["province_head"],
        ),
    ]
    drafts = Issue.objects.filter(state=IssueState.DRAFT).select_related("journal")
    draft = drafts.filter(journal=central).first()
    # The draft whose picker lists least: the unit with fewest adoptions not yet printed.
    small = min(
        drafts.filter(journal__unit__level=1)[:40],
        key=lambda d: Adoption.objects.filter(unit_id=d.journal.unit_id).count(),
        default=None,
    )
    if draft is not None and small is not None:
        pages.append(
            Page(
                "journal picker",
                f"/journals/issues/{draft.pk}/pick/",
                ctx.users["central_reviewer"],
                small_path=f"/journals/issues/{small.pk}/pick/",
                small_username=ctx.user_of_unit(small.journal.unit_id, "reviewer").username,
            )
        )
    return pages


# ---------------------------------------------------------------------------------------------
# Server-side steps, timed in the driver's process
# ---------------------------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    target_ms: float | None
    run: object  # callable() -> anything; raises Missing when not available
    prepare_each: object = None  # callable() before each run, not timed (inside the run's transaction)
    rollback: bool = False  # run each time in a transaction rolled back afterwards
    raw_sql: tuple | None = None  # (sql, params) to EXPLAIN instead of the captured queries
    note: str = ""


def _document_steps() -> list[Step]:
    """Issue 15: a 20-item journal issue to .docx and PDF (the render task's work, without storage)."""

    def render():
        from documents.pdf import soffice_path
        from documents.samples import sample_issue
        from documents.services import render_files

        if soffice_path() is None:
            raise Missing("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
        return render_files(sample_issue(20))

    return [
        Step(
            "official document, 20 items to .docx and PDF",
            5000,
            render,
            note="documents.services.render_files: python-docx, then LibreOffice headless (one profile per process)",
        )
    ]


def steps(ctx) -> list[Step]:
    from django.db.models import Count

    from bulletins.filters import BulletinFilter
    from bulletins.models import Bulletin
    from bulletins.pagination import CappedPaginator
    from bulletins.selectors import LIST_RELATED, bulletin_list
    from bulletins.views import PAGE_SIZE
    from bulletins.visibility import visible_bulletins

    result = []
    result += _dashboard_steps(ctx)
    result += _overdue_steps()
    result += _document_steps()
    central_head = ctx.user("central_head")
    biggest_unit = (
        Bulletin.objects.values("filing_unit").annotate(n=Count("id")).order_by("-n").values_list("filing_unit", "n")
    ).first()

    biggest_head = ctx.user_of_unit(biggest_unit[0], "head")

    def list_search(queryset, word):
        # As bulletins.views.bulletin_list_view runs it: the filter chooses how to find the word in
        # this scope, the paginator counts or takes the estimate, then the first page.
        filterset = BulletinFilter({"q": word}, queryset=queryset)
        paginator = CappedPaginator(filterset.qs, PAGE_SIZE, estimated_count=filterset.estimated_count)
        return list(paginator.get_page(1).object_list), paginator.count

    for word in ("党建", "乡村振兴"):
        name = f"keyword search {word} ({len(word)} chars), all the central head may see, first page + count"

        def search(word=word):
            # Every bulletin the central head may see (~all 1M), listed as bulletin_list lists a unit's.
            visible = visible_bulletins(central_head, Bulletin.objects.all()).select_related(*LIST_RELATED)
            return list_search(visible.defer("body", "source", "author__password"), word)

        note = "bulletins.filters.BulletinFilter and CappedPaginator over the central head's scope"
        result.append(Step(name, 20, search, note=note))

        def search_biggest(word=word):
            return list_search(bulletin_list(user=biggest_head), word)

        result.append(
            Step(
                f"keyword search {word} ({len(word)} chars), list of the unit with most bulletins, first page + count",
                20,
                search_biggest,
                note="the list's worst case: the list view's filter and paginator over the biggest unit's list",
            )
        )

    def paginator_count(user):
        return CappedPaginator(bulletin_list(user=user), 25).count

    for label, user in (
        ("central head", central_head),
        (f"filing unit with most bulletins ({biggest_unit[1]:,})", biggest_head),
    ):
        result.append(
            Step(
                f"paginator count, bulletin list of the {label}",
                10,
                lambda user=user: paginator_count(user),
                note=f"{CappedPaginator.__name__} over bulletins.selectors.bulletin_list, as the list view uses it",
            )
        )
    return result


def _dashboard_steps(ctx) -> list[Step]:
    from django.test.utils import CaptureQueriesContext

    from dashboards.periods import Period
    from dashboards.selectors import dashboard_get

    period = Period.containing("year", timezone.localdate().replace(day=1))
    out = []
    for label, key in (("province", "province_head"), ("central", "central_head")):
        user = ctx.user(key)

        def figures(user=user):
            data = dashboard_get(user=user, unit=user.unit, period=period)
            return list(data.rows)

        with CaptureQueriesContext(connection) as captured:
            figures()
        statements = [q["sql"] for q in captured.captured_queries]
        out.append(
            Step(
                f"dashboard SQL ({label}, year)",
                10,
                _run_statements(statements),
                note=f"the {len(statements)} statements dashboards.selectors.dashboard_get sends, as sent",
            )
        )
        out.append(
            Step(
                f"dashboard figures ({label}, year)",
                None,
                figures,
                note="dashboards.selectors.dashboard_get: its SQL, the ORM and the Python around it "
                "(a page computes it when its cached figures have expired)",
            )
        )
    return out


def _run_statements(statements: list[str]):
    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def _overdue_steps() -> list[Step]:
    from deadlines.models import Obligation, Stage
    from deadlines.services import deadlines_scan
    from incidents.models import ClockState, IncidentClock
    from incidents.services import OBLIGATION_KIND, STAGE_DUE, STAGE_WARN

    def scan():
        return deadlines_scan(now=timezone.now())

    def make_due(count):
        # `count` incidents become due (untimed); the run's transaction is rolled back afterwards.
        now = timezone.now()
        ids = list(IncidentClock.objects.order_by("-deadline_at").values_list("bulletin_id", flat=True)[:count])
        if len(ids) < count:
            raise Missing(f"only {len(ids)} incidents in the data set")
        IncidentClock.objects.filter(bulletin_id__in=ids).update(
            state=ClockState.PENDING,
            deadline_at=now - timedelta(hours=1),
            warn_at=now - timedelta(hours=5),
            warned_at=None,
            flagged_at=None,
            sent_up_at=None,
            late_by=None,
        )
        obligations = Obligation.objects.filter(kind=OBLIGATION_KIND, subject_id__in=ids)
        obligations.update(state="open", closed_at=None, due_at=now - timedelta(hours=1))
        Stage.objects.filter(obligation__in=obligations).delete()
        Stage.objects.bulk_create(
            Stage(obligation_id=pk, name=name, due_at=now - timedelta(hours=hours))
            for pk in obligations.values_list("pk", flat=True)
            for name, hours in ((STAGE_WARN, 5), (STAGE_DUE, 1))
        )

    return [
        # For the benchmark row "overdue scan ≤ 5 ms with nothing to flag": the partial index
        # deadline_stage_pending holds only the stages still to fire.
        Step("deadline scan, nothing due", 5, scan, note="deadlines.services.deadlines_scan (every kind)"),
        *(
            Step(
                f"deadline scan, {count:,} incidents to flag",
                None,
                scan,
                prepare_each=lambda count=count: make_due(count),
                rollback=True,
                note=f"same, with {count:,} incidents made due before each run (notices included; rolled back)",
            )
            for count in (100, 1000)
        ),
    ]
