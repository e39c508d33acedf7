"""Reads for the review pages: scoped through bulletins.visibility, queries kept constant."""

from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import OrgUnit
from bulletins.models import Bulletin, BulletinStatus, BulletinVersion
from bulletins.visibility import visible_bulletins, visible_through_bulletin
from review.models import Adoption, QueueEntry, QueueState, ReviewAction, ReviewEvent
from review.rules import sign_off_target_id

_LIST_DEFERRED = ("bulletin__body", "bulletin__source")
_QUEUE_ROW_FIELDS = (
    "unit_id",
    "state",
    "version_number",
    "opened_at",
    "deadline_at",
    "bulletin__title",
    "bulletin__status",
    "bulletin__filing_unit_id",
    "bulletin__current_unit_id",
    "bulletin__deadline_at",
    "bulletin__occurred_at",
    "bulletin__signed_off_at",
    "bulletin__category__name",
    "bulletin__filing_unit__short_name",
    "bulletin__author__username",
    "bulletin__author__full_name",
)


# What apps above review show on each queue row (bulletins.panels' per-row slots), loaded once per
# page: each registers a prefetch lookup in its AppConfig.ready() (calls: the call a bulletin answers).
_row_prefetches: list = []


def queue_row_prefetch_register(lookup) -> None:
    """Prefetch `lookup` (a string or a Prefetch, from QueueEntry) for every queue page."""
    _row_prefetches.append(lookup)


def queue_entries_for(*, user) -> QuerySet[QueueEntry]:
    """What waits at the user's unit: incidents first by deadline, then the oldest arrival first."""
    if user.unit_id is None:
        return QueueEntry.objects.none()
    # The entries at the user's own unit, and no per-bulletin visibility check: an entry here
    # means the bulletin reached the unit, which is itself the rule that makes it visible
    # (bulletins.visibility). At a million bulletins the generic check cost 10-15 ms of planning.
    return (
        QueueEntry.objects.filter(unit_id=user.unit_id, state=QueueState.OPEN)
        .select_related("bulletin", "bulletin__category", "bulletin__filing_unit", "bulletin__author")
        # Only what the rows show (templates/review/queue.html, incidents/_deadline_badge.html):
        # compiling and loading ~60 columns of five models was a third of the page's time.
        .only(*_QUEUE_ROW_FIELDS)
        # A fifth join doubled the planning time at 1M (2.4 → 5.5 ms); one small query is cheaper.
        .prefetch_related("bulletin__incident_clock", *_row_prefetches)
        # Incidents first by deadline (NULLs sort last), then the oldest arrival: served by the
        # partial index queue_open_order.
        .order_by(F("deadline_at").asc(nulls_last=True), "opened_at", "id")
    )


def bulletin_get_for(*, user, pk: int) -> Bulletin:
    """The bulletin if the user may see it; otherwise 404, exactly like one that does not exist."""
    bulletins = Bulletin.objects.select_related(
        "category", "filing_unit", "author", "current_unit", "current_unit__parent", "incident_clock"
    )
    return get_object_or_404(visible_bulletins(user, bulletins), pk=pk)


def open_entry_for(*, bulletin: Bulletin) -> QueueEntry | None:
    return QueueEntry.objects.filter(bulletin=bulletin, state=QueueState.OPEN).first()


def decision_closing(*, bulletin: Bulletin, entry_id: int) -> ReviewEvent | None:
    """The decision that closed queue entry `entry_id` of `bulletin` (None while it is open)."""
    entry = QueueEntry.objects.filter(pk=entry_id, bulletin=bulletin).first()
    if entry is None or entry.state == QueueState.OPEN:
        return None
    return (
        ReviewEvent.objects.filter(bulletin=bulletin, from_unit_id=entry.unit_id, at=entry.closed_at)
        .select_related("actor", "from_unit")
        .first()
    )


def bulletin_history(*, bulletin: Bulletin) -> QuerySet[ReviewEvent]:
    return (
        ReviewEvent.objects.filter(bulletin=bulletin)
        .select_related("actor", "from_unit", "to_unit")
        .order_by("at", "pk")
    )


def bulletin_adoptions(*, bulletin: Bulletin) -> QuerySet[Adoption]:
    return (
        Adoption.objects.filter(bulletin=bulletin)
        .select_related("unit", "adopted_by")
        .prefetch_related("instructions")
        .order_by("-level")
    )


@dataclass
class VersionsForUnit:
    current: BulletinVersion | None
    seen_before: BulletinVersion | None  # the version this unit decided on last time, if older


def versions_for_unit(*, bulletin: Bulletin, unit_id: int | None) -> VersionsForUnit:
    """The current frozen version and the one the given unit saw before (for the diff)."""
    current = BulletinVersion.objects.filter(bulletin=bulletin, number=bulletin.version_count).first()
    seen_before = None
    if current is not None and unit_id is not None:
        seen_number = (
            QueueEntry.objects.filter(bulletin=bulletin, unit_id=unit_id, version_number__lt=current.number)
            .exclude(state=QueueState.OPEN)
            .order_by("-version_number")
            .values_list("version_number", flat=True)
            .first()
        )
        if seen_number:
            seen_before = BulletinVersion.objects.filter(bulletin=bulletin, number=seen_number).first()
    return VersionsForUnit(current=current, seen_before=seen_before)


@dataclass
class ReturnNotice:
    """Why a returned bulletin came back, and where its revision goes after the sign-off."""

    event: ReviewEvent  # the latest return
    returns_to: OrgUnit | None  # the upper unit owed the revision (None: the parent, as usual)


def return_notice(*, bulletin: Bulletin) -> ReturnNotice | None:
    """For a bulletin waiting for revision: its latest return (one query), else None (no query)."""
    if bulletin.status != BulletinStatus.RETURNED:
        return None
    events = list(
        ReviewEvent.objects.filter(bulletin_id=bulletin.pk, action__in=(ReviewAction.RETURN, ReviewAction.SIGN_OFF))
        .select_related("actor", "from_unit")
        .order_by("at", "pk")
    )
    returns = [e for e in events if e.action == ReviewAction.RETURN]
    if not returns:
        return None
    owed = sign_off_target_id(events, filing_unit_id=bulletin.filing_unit_id)
    returns_to = next((e.from_unit for e in reversed(returns) if e.from_unit_id == owed), None)
    return ReturnNotice(event=returns[-1], returns_to=returns_to)


# --- the route timeline -----------------------------------------------------------------------


@dataclass
class RouteStop:
    unit: OrgUnit
    state: str  # "done", "here", "final", "ahead"
    events: list = field(default_factory=list)


class Route(list):
    """The route's stops, filing unit first; `returns_to` is the upper unit that returned the
    bulletin and to which its revision goes straight after the filing unit's sign-off (or None)."""

    returns_to: OrgUnit | None = None


def bulletin_route(*, bulletin: Bulletin) -> Route:
    """The filing unit and each unit above it up to central, with the decisions taken there.

    Two queries: the units on the path, and the bulletin's history.
    """
    filing = bulletin.filing_unit
    ids = filing.path_ids
    units = {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=ids)}
    stops = {pk: RouteStop(unit=units[pk], state="ahead") for pk in reversed(ids) if pk in units}
    events = list(
        ReviewEvent.objects.filter(bulletin_id=bulletin.pk).select_related("actor", "to_unit").order_by("at", "pk")
    )
    for event in events:
        stop = stops.get(event.from_unit_id)
        if stop is not None:
            stop.events.append(event)
            stop.state = "done"
    waiting = bulletin.status in (BulletinStatus.SUBMITTED, BulletinStatus.IN_REVIEW)
    final = bulletin.status in (BulletinStatus.ADOPTED, BulletinStatus.DECLINED)
    if bulletin.current_unit_id in stops and (waiting or final):
        stops[bulletin.current_unit_id].state = "here" if waiting else "final"
    if final:
        # The final decision was taken at the last unit that decided; nothing above it is "ahead".
        last = next((s for s in reversed(list(stops.values())) if s.events), None)
        if last is not None:
            last.state = "final"
    route = Route(stops.values())
    if bulletin.status in (BulletinStatus.RETURNED, BulletinStatus.DRAFT, BulletinStatus.SUBMITTED):
        owed = sign_off_target_id(events, filing_unit_id=bulletin.filing_unit_id)
        route.returns_to = units.get(owed)
    return route


def handled_entries_for(*, user) -> QuerySet[QueueEntry]:
    """What my unit has already decided on, newest decision first (the queue's other half)."""
    if user.unit_id is None:
        return QueueEntry.objects.none()
    entries = QueueEntry.objects.filter(unit_id=user.unit_id, state=QueueState.DECIDED)
    return (
        visible_through_bulletin(user, entries)
        .select_related(
            "decided_by",
            "bulletin",
            "bulletin__category",
            "bulletin__filing_unit",
            "bulletin__current_unit",
            "bulletin__incident_clock",
        )
        .defer(*_LIST_DEFERRED, "decided_by__password")
        .order_by("-closed_at", "-pk")
    )
