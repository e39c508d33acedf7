"""Reads of obligations: the admin's open, due and overdue obligations per unit."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from deadlines.models import Obligation, ObligationState

# "Due" in the admin: open and falling due within this window.
DUE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class UnitObligations:
    unit_id: int
    unit_name: str
    open: int
    due: int
    overdue: int


def obligations_per_unit(*, now: datetime | None = None, kind: str | None = None) -> list[UnitObligations]:
    """Per unit with open obligations: how many are open, due within DUE_WINDOW, and overdue (one query)."""
    now = now or timezone.now()
    rows = Obligation.objects.filter(state=ObligationState.OPEN)
    if kind:
        rows = rows.filter(kind=kind)
    rows = (
        rows.values("unit_id", "unit__name")
        .annotate(
            open=Count("pk"),
            due=Count("pk", filter=Q(due_at__gt=now, due_at__lte=now + DUE_WINDOW)),
            overdue=Count("pk", filter=Q(due_at__lte=now)),
        )
        .order_by("-overdue", "-due", "unit__name")
    )
    return [UnitObligations(r["unit_id"], r["unit__name"], r["open"], r["due"], r["overdue"]) for r in rows]
