"""Reads of incident deadlines: the timeliness record (及时率) per filing unit."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from incidents.models import ClockState, IncidentClock


@dataclass(frozen=True)
class Timeliness:
    """Incidents of one unit whose deadline fell in a period, by outcome."""

    on_time: int = 0
    late: int = 0  # sent up after the deadline
    overdue: int = 0  # flagged and still not sent up
    pending: int = 0  # deadline not reached (or not checked yet) and not sent up

    @property
    def due(self) -> int:
        """Incidents whose outcome is known: sent up, or overdue."""
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        """Timeliness rate (及时率): on time / (on time + late + overdue); None when nothing was due."""
        return self.on_time / self.due if self.due else None


def incident_timeliness_by_unit(*, unit_ids: Iterable[int], start: datetime, end: datetime) -> dict[int, Timeliness]:
    """Timeliness per filing unit for incidents with a deadline in [start, end); one GROUP BY query.

    Served by the (filing_unit, deadline_at) index of the small incident table, not the bulletins.
    """
    rows = (
        IncidentClock.objects.filter(filing_unit_id__in=list(unit_ids), deadline_at__gte=start, deadline_at__lt=end)
        .values("filing_unit_id")
        .annotate(
            on_time=Count("pk", filter=Q(state=ClockState.SENT_ON_TIME)),
            late=Count("pk", filter=Q(state=ClockState.SENT_LATE)),
            overdue=Count("pk", filter=Q(state=ClockState.FLAGGED)),
            pending=Count("pk", filter=Q(state__in=[ClockState.PENDING, ClockState.WARNED])),
        )
        .order_by()
    )
    return {
        row["filing_unit_id"]: Timeliness(
            on_time=row["on_time"], late=row["late"], overdue=row["overdue"], pending=row["pending"]
        )
        for row in rows
    }
