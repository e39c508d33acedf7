"""The rendered figures of a dashboard, kept until the next change to any figure.

A dashboard reads only the summary tables, which change in a handful of places: a review event,
a rebuild, an incident flagged overdue, a rule set or the unit tree edited. Each of them calls
`dashboards_changed()` inside its transaction; after the commit the generation number is moved
on, and a cached page part is served only while the number it was rendered under is still
current — never figures older than the last committed change. Heads reload their dashboards far
more often than the figures change.

The generation is a PostgreSQL sequence, not a cache key: moving it on cannot fail because Redis
is unreachable (which would leave old parts current once Redis is back), and reading it is one
cheap query. The parts themselves are in the cache; while it is unreachable every view renders.
DASHBOARD_CACHE_SECONDS is 0 in the tests unless a test turns it on.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import get_language

from accounts.models import OrgLevel
from dashboards.selectors import can_drill_down

logger = logging.getLogger(__name__)

GENERATION_SEQUENCE = "dashboard_figures_generation"
_PART_KEY = "dashboards:part:"


def dashboards_generation_renew() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [GENERATION_SEQUENCE])
    except Exception:
        logger.exception("Dashboard generation not moved on; cached figures expire with their timeout")


def dashboards_generation() -> tuple:
    """The sequence's value, and when the server started: restoring a backup sets the sequence
    back, and parts cached before a restart of the server are never served again."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value, pg_postmaster_start_time() FROM {GENERATION_SEQUENCE}")
        return cursor.fetchone()


def dashboards_changed() -> None:
    """Call in the transaction that changes dashboard figures: cached parts expire at its commit."""
    if settings.DASHBOARD_CACHE_SECONDS:
        transaction.on_commit(dashboards_generation_renew)


def dashboard_figures_key(*, user, unit, period, query: str) -> tuple | None:
    """What a dashboard's figures depend on, or None when they are not cached.

    The unit and the period; the links (the query, drill-down rights); the breadcrumbs (the
    viewer's unit and rights); the language. A county's page is not cached: its own bulletins
    are listed page by page below the figures.
    """
    if unit.level == OrgLevel.COUNTY:
        return None
    return (
        unit.pk,
        period.kind,
        period.first,
        period.last,
        query,
        get_language(),
        can_drill_down(user),
        user.unit_id,
        user.is_superuser,
    )


def cached_part(key_parts: tuple | None, render) -> str:
    """render() once per generation for these key parts (one query and one cache round trip when it is cached);
    every time when the key is None or caching is off."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds or key_parts is None:
        return render()
    key = _PART_KEY + hashlib.sha256(repr(key_parts).encode()).hexdigest()
    # Read the generation before the figures: a change committed while rendering leaves this part
    # under the old generation, so it is never served.
    generation = dashboards_generation()
    entry = cache.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    html = render()
    cache.set(key, (generation, html), seconds)
    return html
