"""Calls issued through the service at a fixed moment, and answers filed and routed through the real services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bulletins.models import Category
from calls.models import TargetMode
from calls.services import call_answer_create, call_issue
from tests.committed import committed

SHANGHAI = ZoneInfo("Asia/Shanghai")
ISSUED = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
DEADLINE = ISSUED + timedelta(days=10)  # 2026-06-11 09:00


@pytest.fixture
def issue(tree):
    """issue(unit_attr="province", mode=ALL_BELOW, **fields) → a call issued at ISSUED by that unit's reviewer."""

    def make(unit_attr="province", mode=TargetMode.ALL_BELOW, chosen=(), deadline=DEADLINE, **fields):
        fields.setdefault("title", "关于报送基层党建创新做法的约稿通知")
        fields.setdefault("theme", "基层党建创新")
        fields.setdefault("requirements", "每篇800字以内，事例具体。")
        with time_machine.travel(ISSUED, tick=False), committed():
            return call_issue(
                actor=tree.user(unit_attr, "reviewer"),
                deadline_at=deadline,
                target_mode=mode,
                chosen_unit_ids=[getattr(tree, a).pk for a in chosen],
                **fields,
            )

    return make


@pytest.fixture
def answer(tree):
    """answer(call, unit_attr="county_a1", at=…) → the answer's bulletin, a draft of that unit."""

    def make(call, unit_attr="county_a1", at=None):
        with time_machine.travel(at or ISSUED + timedelta(days=1), tick=False), committed():
            created = call_answer_create(
                actor=tree.user(unit_attr, "staff"),
                call=call,
                title="东湖区推行党员积分制管理",
                body="东湖区在全区推行党员积分制管理，参与率达百分之九十五。",
                category=Category.objects.get(code="practice"),
                source="区委组织部组织科提供，经台账核对。",
                contact_name="张明",
                contact_phone="0571-88000000",
            )
        return created.bulletin

    return make


def submit_and_sign_off(tree, bulletin, unit_attr="county_a1", at=None):
    from review.services import bulletin_submit, review_sign_off

    with time_machine.travel(at or ISSUED + timedelta(days=2), tick=False), committed():
        bulletin_submit(actor=tree.user(unit_attr, "staff"), bulletin=bulletin)
        review_sign_off(actor=tree.user(unit_attr, "reviewer"), bulletin=bulletin)
    bulletin.refresh_from_db()
    return bulletin
