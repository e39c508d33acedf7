"""Reads of the home page: each role's first concern, from the apps below."""

from django.urls import reverse

from bulletins.models import Bulletin, BulletinStatus
from bulletins.visibility import visible_bulletins
from calls.selectors import calls_open_for_home
from dashboards.periods import Period
from dashboards.selectors import dashboard_get
from review.models import QueueEntry, QueueState


def home_overview(*, user) -> dict:
    """What the home page shows first for each of the user's roles, in a few scoped queries."""
    overview = {}
    if user.unit_id is None:
        return overview
    if user.is_officer:
        mine = (
            visible_bulletins(user, Bulletin.objects.filter(filing_unit_id=user.unit_id))
            .filter(status__in=[BulletinStatus.RETURNED, BulletinStatus.DRAFT])
            .select_related("category")
            .order_by("-status", "-updated_at")[:10]  # "returned" sorts before "draft"
        )
        overview["my_bulletins"] = [_with_url(b) for b in mine]
    if user.can_review:
        # An entry at the user's own unit means the bulletin reached it: visible by that very rule.
        queue = (
            QueueEntry.objects.filter(unit_id=user.unit_id, state=QueueState.OPEN)
            .select_related("bulletin", "bulletin__filing_unit", "bulletin__category")
            .order_by("opened_at", "pk")[:10]
        )
        overview["queue"] = [_with_url(entry.bulletin, entry=entry) for entry in queue]
    if user.is_officer or user.is_office_head:
        # Open calls addressed to the unit that it has not answered yet (约稿), nearest deadline first.
        overview["calls"] = calls_open_for_home(user=user)
    if user.is_office_head:
        overview["dashboard"] = dashboard_get(user=user, unit=user.unit, period=Period.this_month())
    return overview


def _with_url(bulletin, entry=None):
    bulletin.detail_url = reverse("bulletins:detail", args=[bulletin.pk])
    bulletin.queue_entry = entry
    return bulletin
