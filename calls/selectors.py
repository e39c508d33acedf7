"""Reads of calls, already scoped to the user (calls.permissions.visible_calls)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import OrgUnit
from calls.models import Call, CallEvent, CallState, CallTarget, PointList, PointTag, ReportingPoint, TargetState
from calls.permissions import visible_calls


def calls_addressed_to(*, user) -> QuerySet[CallTarget]:
    """The calls addressed to the user's unit (newest first), with the unit's own state."""
    if user.unit_id is None:
        return CallTarget.objects.none()
    return (
        CallTarget.objects.filter(unit_id=user.unit_id)
        .select_related("call", "call__issuer_unit")
        .order_by("-call__issued_at", "-call_id")
    )


def calls_open_for_home(*, user, limit: int = 5) -> list[CallTarget]:
    """Open calls addressed to the unit that it has not answered yet, nearest deadline first."""
    return list(
        calls_addressed_to(user=user)
        .filter(call__state=CallState.OPEN, state=TargetState.NOT_ANSWERED)
        .order_by("call__deadline_at", "call_id")[:limit]
    )


def calls_issued_by(*, user) -> QuerySet[Call]:
    if user.unit_id is None or not (user.is_reviewer or user.is_office_head):
        return Call.objects.none()
    return (
        Call.objects.filter(issuer_unit_id=user.unit_id)
        .annotate(answered=Count("targets", filter=~Q(targets__state=TargetState.NOT_ANSWERED)))
        .order_by("-issued_at", "-pk")
    )


def call_get_for(*, user, pk: int) -> Call:
    """The call if the user's unit issued it or is addressed by it; otherwise 404 (as if absent)."""
    call = (
        visible_calls(user, Call.objects.filter(pk=pk))
        .select_related("issuer_unit", "issued_by")
        .prefetch_related("attachments")
        .first()
    )
    if call is None:
        raise Http404
    return call


def target_of(*, call: Call, unit_id: int | None) -> CallTarget | None:
    if unit_id is None:
        return None
    return CallTarget.objects.filter(call=call, unit_id=unit_id).first()


def call_history(*, call: Call) -> list[CallEvent]:
    return list(call.events.select_related("actor", "unit").order_by("at", "pk"))


@dataclass(frozen=True)
class Progress:
    total: int
    answered: int
    adopted: int
    on_time: int
    not_answered: int


def call_progress(*, call: Call, state: str = "") -> tuple[QuerySet[CallTarget], Progress]:
    """Every target with its state (filtered by `state` when given), and the totals (one query)."""
    targets = CallTarget.objects.filter(call=call).select_related("unit").order_by("unit__path")
    totals = CallTarget.objects.filter(call=call).aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=~Q(state=TargetState.NOT_ANSWERED)),
        adopted=Count("pk", filter=Q(state=TargetState.ADOPTED)),
        on_time=Count("pk", filter=Q(on_time=True)),
    )
    if state in TargetState.values:
        targets = targets.filter(state=state)
    progress = Progress(
        total=totals["total"],
        answered=totals["answered"],
        adopted=totals["adopted"],
        on_time=totals["on_time"],
        not_answered=totals["total"] - totals["answered"],
    )
    return targets, progress


def unit_children(*, root: OrgUnit, parent_id: int | None) -> list[dict]:
    """The tree picker's children of `parent_id` (the root's when None), only within the root's subtree."""
    parent = root if parent_id is None else OrgUnit.objects.filter(pk=parent_id, path__startswith=root.path).first()
    if parent is None:
        raise Http404
    children = (
        OrgUnit.objects.filter(parent=parent)
        .annotate(child_count=Count("children"))
        .order_by("code", "pk")
        .values("pk", "name", "level", "child_count")
    )
    return [
        {"id": c["pk"], "name": c["name"], "level": c["level"], "has_children": c["child_count"] > 0} for c in children
    ]


# --- reporting points ---------------------------------------------------------------------------


def point_lists_for(*, user) -> QuerySet[PointList]:
    """Reporting points of the user's unit and of the units above it (those it may report against)."""
    if user.unit_id is None:
        return PointList.objects.none()
    return (
        PointList.objects.filter(unit_id__in=user.unit.path_ids)
        .select_related("unit")
        .prefetch_related("items")
        .order_by("-period_start", "-pk")
    )


def point_list_get_for(*, user, pk: int) -> PointList:
    points = point_lists_for(user=user).filter(pk=pk).first()
    if points is None:
        raise Http404
    return points


def point_get_for_tagging(*, bulletin, pk) -> ReportingPoint:
    """One point the bulletin may be tagged with (of a unit above its filing unit); else 404."""
    above = [unit_id for unit_id in bulletin.filing_unit.path_ids if unit_id != bulletin.filing_unit_id]
    point = ReportingPoint.objects.filter(points__unit_id__in=above, pk=pk).select_related("points__unit").first()
    if point is None:
        raise Http404
    return point


def points_for_tagging(*, bulletin) -> list[ReportingPoint]:
    """The points a bulletin may be tagged with: those of the units above its filing unit."""
    above = [pk for pk in bulletin.filing_unit.path_ids if pk != bulletin.filing_unit_id]
    return list(
        ReportingPoint.objects.filter(points__unit_id__in=above)
        .select_related("points", "points__unit")
        .order_by("-points__period_start", "points_id", "number")
    )


@dataclass(frozen=True)
class Coverage:
    per_point: list  # (point, count)
    per_unit: list  # (unit name, count)
    tagged: int


def point_coverage(*, points: PointList) -> Coverage:
    """How many bulletins were tagged with each point, and per filing unit (two queries)."""
    per_point = list(ReportingPoint.objects.filter(points=points).annotate(n=Count("tags")).order_by("number"))
    per_unit = list(
        PointTag.objects.filter(point__points=points)
        .values("bulletin__filing_unit__name")
        .annotate(n=Count("bulletin", distinct=True))
        .order_by("-n", "bulletin__filing_unit__name")
    )
    tagged = PointTag.objects.filter(point__points=points).values("bulletin").distinct().count()
    return Coverage(
        per_point=[(p, p.n) for p in per_point],
        per_unit=[(row["bulletin__filing_unit__name"], row["n"]) for row in per_unit],
        tagged=tagged,
    )


def bulletin_call_context(*, bulletin) -> dict:
    """For the bulletin's detail page: the call it answers and its point tags (two queries)."""
    call = Call.objects.filter(answers__bulletin_id=bulletin.pk).select_related("issuer_unit").first()
    tags = list(PointTag.objects.filter(bulletin=bulletin).select_related("point", "point__points__unit"))
    return {"answered_call": call, "point_tags": tags}
