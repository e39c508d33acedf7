"""Everything the benchmark needs from the other apps, in one place.

Each function imports what it needs lazily and reports "missing" (or falls back to a raw-SQL
stand-in, said so in its name) when the app that provides it has not landed yet, so the
harness runs on any branch and fills in as the apps land.
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.db import connection
from django.utils import timezone


class Missing(Exception):
    """The app (or function) this step needs is not there yet."""


# ---------------------------------------------------------------------------------------------
# After the raw load: derived tables of other apps
# ---------------------------------------------------------------------------------------------


def after_load(*, stdout=None) -> dict:
    """Fill the derived tables of other apps after the raw COPY load; returns seconds per step."""
    timings: dict[str, float] = {}
    for name, step in (("incidents fill", _fill_incidents), ("dashboards rebuild", _rebuild_dashboards)):
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


def _fill_incidents():
    raise Missing("incidents app has no bulk fill yet")


def _rebuild_dashboards():
    raise Missing("dashboards app has no rebuild function yet")


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
    start = today - timedelta(days=365)
    small = ctx.single_bulletin_filter
    result.append(
        Page(
            "bulletin list (党建, last 12 months)",
            "/bulletins/?"
            + urlencode({"keyword": "党建", "date_from": f"{start:%Y-%m-%d}", "date_to": f"{today:%Y-%m-%d}"}),
            ctx.users["province_head"],
            small_path="/bulletins/?"
            + urlencode({"keyword": small["keyword"], "date_from": small["date"], "date_to": small["date"]}),
            small_username=ctx.users["province_head"],
        )
    )
    year = today.year
    result.append(
        Page(
            f"province dashboard {year}",
            f"/dashboard/?unit={ctx.unit_ids['province']}&year={year}",
            ctx.users["province_head"],
        )
    )
    result.append(
        Page(
            f"central dashboard {year}",
            f"/dashboard/?unit={ctx.unit_ids['central']}&year={year}",
            ctx.users["central_head"],
        )
    )
    return result


# ---------------------------------------------------------------------------------------------
# Server-side steps, timed in the driver's process
# ---------------------------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    target_ms: float | None
    run: object  # callable() -> anything; raises Missing when not available
    setup: object = None  # callable() run once before timing (e.g. create 1,000 overdue incidents)
    teardown: object = None
    raw_sql: tuple | None = None  # (sql, params) to EXPLAIN when the step is raw SQL
    note: str = ""


def _raw_keyword_sql(word: str):
    # Stand-in until the bulletins filter lands: the naive LIKE over title and body.
    sql = (
        "SELECT id FROM bulletins_bulletin WHERE (title || ' ' || body) LIKE %s "
        "ORDER BY created_at DESC, id DESC LIMIT 50"
    )
    return sql, [f"%{word}%"]


def _run_raw(sql, params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def steps(ctx) -> list[Step]:
    from django.core.paginator import Paginator

    from accounts.permissions import scope
    from bulletins.models import Bulletin

    result = []
    for label in ("province", "central"):
        result.append(Step(f"dashboard SQL ({label}, year)", 10, _missing("dashboards selectors not merged yet")))
    result.append(Step("overdue scan, nothing to flag", 5, _missing("incidents scan not merged yet")))
    result.append(Step("overdue scan, 1,000 to flag", None, _missing("incidents scan not merged yet")))
    for word in ("党建", "乡村振兴"):
        sql, params = _raw_keyword_sql(word)
        result.append(
            Step(
                f"keyword search {word} ({len(word)} chars)",
                20,
                _run_raw(sql, params),
                raw_sql=(sql, params),
                note="raw SQL stand-in (naive LIKE, no bigram index): the bulletins filter is not merged yet",
            )
        )
    central_head = ctx.user("central_head")

    def paginator_count():
        return Paginator(scope(central_head, Bulletin.objects.all()), 50).count

    result.append(
        Step(
            "paginator count, biggest list (central head)",
            10,
            paginator_count,
            note="django.core.paginator.Paginator (no shared capped paginator yet)",
        )
    )
    return result


def _missing(reason):
    def run():
        raise Missing(reason)

    return run
