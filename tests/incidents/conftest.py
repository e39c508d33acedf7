"""Incidents built through the bulletins service, at a fixed time of event."""

from contextlib import nullcontext
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bulletins.models import Category
from bulletins.services import bulletin_create
from tests.committed import committed

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 08:00 in Shanghai: the warning falls at 04:00 and the deadline at 08:00 the next day.
OCCURRED = datetime(2026, 3, 1, 8, 0, tzinfo=SHANGHAI)


def at_hours(hours: float, minutes: float = 0) -> datetime:
    """The moment `hours` (and minutes) after OCCURRED."""
    return OCCURRED + timedelta(hours=hours, minutes=minutes)


@pytest.fixture
def make_incident(tree):
    """make_incident(unit_attr="county_a1", occurred_at=OCCURRED, **fields) → a draft incident."""

    def make(unit_attr: str = "county_a1", occurred_at: datetime = OCCURRED, **fields):
        fields.setdefault("title", "某镇突发山体滑坡致道路中断")
        # An incident is submitted only with its place and source (review.rules).
        fields.setdefault("place", "某县某镇")
        fields.setdefault("source", "镇党委值班室电话报告，正在核实。")
        with committed():
            return bulletin_create(
                actor=tree.user(unit_attr, "staff"),
                body="3月1日凌晨，某镇发生山体滑坡……",
                category=Category.objects.get(code="incident"),
                occurred_at=occurred_at,
                contact_name="张三",
                contact_phone="0571-12345678",
                **fields,
            )

    return make


def sign_off(bulletin, at=None):
    """Submit the incident and sign it off through the review services, at `at` (default: now)."""
    from accounts.models import User
    from review.services import bulletin_submit, review_sign_off

    reviewer = User.objects.filter(unit=bulletin.filing_unit, is_reviewer=True).exclude(pk=bulletin.author_id).first()
    with time_machine.travel(at, tick=False) if at else nullcontext(), committed():
        bulletin_submit(actor=bulletin.author, bulletin=bulletin)
        review_sign_off(actor=reviewer, bulletin=bulletin)
    bulletin.refresh_from_db()
    return bulletin


def simulate_edit(bulletin, **fields):
    """Edit occurred_at/category through the bulletins service (which recomputes the deadline and
    announces it; the clock follows after the commit) and refresh `bulletin` in place."""
    from bulletins.services import bulletin_update

    bulletin.refresh_from_db()
    with committed():
        bulletin_update(
            actor=bulletin.author, bulletin_id=bulletin.pk, expected_edit_version=bulletin.edit_version, **fields
        )
    bulletin.refresh_from_db()
    return bulletin
