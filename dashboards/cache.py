"""The rendered figures of a dashboard, kept until the next change to any figure.

A dashboard reads only the summary tables, which change in a handful of places: a review event,
a rebuild, an incident flagged overdue, a rule set or the unit tree edited. Each of them calls
`dashboards_changed()` inside its transaction; after the commit the shared generation token is
replaced, and a cached page part is served only while the token it was rendered under is still
current — never figures older than the last committed change. Heads reload their dashboards far
more often than the figures change.

The token lives in the cache, so caching is on only where every process shares it (Redis):
DASHBOARD_CACHE_SECONDS is 0 without REDIS_URL, and in the tests unless a test turns it on.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from accounts.models import OrgLevel
from dashboards.selectors import can_drill_down

GENERATION_KEY = "dashboards:generation"
_PART_KEY = "dashboards:part:"


def _new_generation() -> str:
    return uuid.uuid4().hex


def dashboards_generation_renew() -> None:
    cache.set(GENERATION_KEY, _new_generation(), None)


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
    """render() once per generation for these key parts (one cache round trip when it is cached);
    every time when the key is None or caching is off."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds or key_parts is None:
        return render()
    key = _PART_KEY + hashlib.sha256(repr(key_parts).encode()).hexdigest()
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    # Read the token before the figures: a change committed while rendering leaves this part
    # under the old token, so it is never served.
    html = render()
    cache.set(key, (generation, html), seconds)
    return html
