"""The incident rules "late" and "warned when", each written once.

The deadline is the first late instant: the overdue flag fires at deadline_at, so an incident
sent up at its deadline or after it is late. The rule has three spellings here, for Python, the
ORM and raw SQL; they say the same thing and change together.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q


def warning_time(*, occurred_at: datetime, deadline_at: datetime) -> datetime:
    """INCIDENT_WARNING_HOURS after the event; for a shorter deadline, the same share of it."""
    warning = timedelta(hours=settings.INCIDENT_WARNING_HOURS)
    if occurred_at + warning < deadline_at:
        return occurred_at + warning
    share = min(settings.INCIDENT_WARNING_HOURS / 24, 1)
    return occurred_at + (deadline_at - occurred_at) * share


def is_late(*, deadline_at: datetime, at: datetime) -> bool:
    """Whether sending up at `at` is late for `deadline_at`."""
    return at >= deadline_at


def late_q(*, at: datetime) -> Q:
    """is_late as an ORM condition on a row's deadline_at, for sending up at `at`."""
    return Q(deadline_at__lte=at)


def late_sql(*, deadline_at: str, at: str) -> str:
    """is_late as an SQL boolean over two SQL expressions, e.g. late_sql(deadline_at="b.deadline_at", at="s.at")."""
    return f"{at} >= {deadline_at}"
