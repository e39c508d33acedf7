"""The deadline state of a bulletin for lists, queues and detail pages, computed without a query.

It reads the bulletin's own fields (deadline_at, occurred_at, signed_off_at) and, when the page's
selector loaded it with select_related("incident_clock"), the incident clock — which also knows
that a flagged incident stays flagged after its deadline moved. It never fetches the clock itself.
"""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletins.models import Bulletin
from incidents.durations import duration_text
from incidents.models import ClockState
from incidents.rules import is_late, warning_time

register = template.Library()

COUNTDOWN, WARNING, OVERDUE, LATE, ON_TIME = "countdown", "warning", "overdue", "late", "on_time"


@dataclass(frozen=True)
class DeadlineState:
    kind: str  # countdown, warning, overdue, late, on_time
    text: str  # "剩余 3 小时 12 分", "已逾期 2 小时", "迟报 5 小时", "按时报送"
    deadline_at: datetime

    @property
    def is_overdue(self) -> bool:
        return self.kind == OVERDUE


def _cached_clock(bulletin):
    if not isinstance(bulletin, Bulletin):
        return None
    relation = Bulletin.incident_clock.related
    return relation.get_cached_value(bulletin, default=None) if relation.is_cached(bulletin) else None


def _open_state(*, deadline_at: datetime, warn_at: datetime | None, warned: bool, now: datetime) -> DeadlineState:
    if now >= deadline_at:
        return DeadlineState(OVERDUE, _("%(span)s overdue") % {"span": duration_text(now - deadline_at)}, deadline_at)
    kind = WARNING if warned or (warn_at is not None and now >= warn_at) else COUNTDOWN
    return DeadlineState(kind, _("%(span)s left") % {"span": duration_text(deadline_at - now)}, deadline_at)


def _sent_state(*, deadline_at: datetime, sent_up_at: datetime) -> DeadlineState:
    if is_late(deadline_at=deadline_at, at=sent_up_at):
        text = _("sent %(span)s late") % {"span": duration_text(sent_up_at - deadline_at)}
        return DeadlineState(LATE, text, deadline_at)
    return DeadlineState(ON_TIME, _("sent up on time"), deadline_at)


def deadline_state_of(bulletin, now: datetime | None = None) -> DeadlineState | None:
    """The deadline state of a bulletin, or None when it has no deadline."""
    now = now or timezone.now()
    clock = _cached_clock(bulletin)
    if clock is not None:
        if clock.state == ClockState.FLAGGED:
            # Flagged stays flagged (its deadline is frozen at the flag).
            return _open_state(
                deadline_at=clock.deadline_at, warn_at=None, warned=True, now=max(now, clock.deadline_at)
            )
        if clock.state in (ClockState.SENT_LATE, ClockState.SENT_ON_TIME):
            if clock.state == ClockState.SENT_LATE:
                text = _("sent %(span)s late") % {"span": duration_text(clock.late_by)}
                return DeadlineState(LATE, text, clock.deadline_at)
            return DeadlineState(ON_TIME, _("sent up on time"), clock.deadline_at)
        return _open_state(
            deadline_at=clock.deadline_at, warn_at=clock.warn_at, warned=clock.state == ClockState.WARNED, now=now
        )
    deadline_at = getattr(bulletin, "deadline_at", None)
    if deadline_at is None:
        return None
    if bulletin.signed_off_at is not None:
        return _sent_state(deadline_at=deadline_at, sent_up_at=bulletin.signed_off_at)
    warn_at = warning_time(occurred_at=bulletin.occurred_at, deadline_at=deadline_at) if bulletin.occurred_at else None
    return _open_state(deadline_at=deadline_at, warn_at=warn_at, warned=False, now=now)


@register.filter
def deadline_state(bulletin) -> DeadlineState | None:
    """{% with state=bulletin|deadline_state %}: kind, text and deadline_at, or None."""
    return deadline_state_of(bulletin)


@register.filter
def deadline_text(bulletin) -> str:
    """The short inline text: "剩余 3 小时 12 分", "已逾期 2 小时", …; empty without a deadline."""
    state = deadline_state_of(bulletin)
    return state.text if state else ""
