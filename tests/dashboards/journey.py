"""Drive bulletins through the real services at chosen moments, for the dashboards' data sets.

Each step travels to its moment (time_machine, tick=False) and calls the same services the views
call: bulletins.services.bulletin_create and review.services. The statistics are therefore kept
by the real handler, after each step's commit (review's route events → dashboards/handlers.py).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from bulletins.models import Category
from bulletins.services import bulletin_create
from review.models import Adoption
from review.services import (
    adoption_add_instruction,
    bulletin_resubmit,
    bulletin_submit,
    bulletin_withdraw,
    review_adopt,
    review_decline,
    review_forward,
    review_return,
    review_sign_off,
)
from tests.committed import committed

SH = ZoneInfo("Asia/Shanghai")
# Drafts without a time of event are written at the start of the data set's year.
DRAFTED_AT = datetime(2025, 1, 2, 9, tzinfo=SH)


def sh(*args) -> datetime:
    """An aware datetime given in Shanghai wall-clock time."""
    return datetime(*args, tzinfo=SH)


class Journey:
    def __init__(self, tree):
        self.tree = tree

    def _unit(self, attr):
        return getattr(self.tree, attr)

    def _reviewer(self, attr):
        return self.tree.user(attr, "reviewer")

    def _attr_of(self, unit_id):
        return next(attr for attr in self.tree.unit_attrs if getattr(self.tree, attr).pk == unit_id)

    def bulletin(self, unit_attr, *, title="关于基层党建工作的动态", category="news", occurred_at=None, at=None):
        fields = {"occurred_at": occurred_at} if occurred_at else {}
        with time_machine.travel(at or occurred_at or DRAFTED_AT, tick=False), committed():
            return bulletin_create(
                actor=self.tree.user(unit_attr, "staff"),
                title=title,
                body="正文" * 50,
                category=Category.objects.get(code=category),
                place="某县",
                source="县委组织部提供，经核实。",
                contact_name="张三",
                contact_phone="13800000000",
                **fields,
            )

    def submit(self, bulletin, at):
        with time_machine.travel(at, tick=False), committed():
            return bulletin_submit(actor=bulletin.author, bulletin=bulletin)

    def withdraw(self, bulletin, at):
        with time_machine.travel(at, tick=False), committed():
            return bulletin_withdraw(actor=bulletin.author, bulletin=bulletin)

    def resubmit(self, bulletin, unit_attr, at):
        """Resubmit for the filing unit's sign-off, and sign it off at the same moment: it goes
        straight to the unit that returned it (`unit_attr` states which one that is)."""
        with time_machine.travel(at, tick=False), committed():
            bulletin_resubmit(actor=bulletin.author, bulletin=bulletin)
        event = self.sign_off(bulletin, at)
        assert event.to_unit_id == self._unit(unit_attr).pk
        return event

    def sign_off(self, bulletin, at):
        actor = self._reviewer(self._attr_of(bulletin.filing_unit_id))
        with time_machine.travel(at, tick=False), committed():
            return review_sign_off(actor=actor, bulletin=bulletin)

    def forward(self, bulletin, unit_attr, at):
        with time_machine.travel(at, tick=False), committed():
            return review_forward(actor=self._reviewer(unit_attr), bulletin=bulletin)

    def adopt(self, bulletin, unit_attr, kind, at, *, forward=False):
        with time_machine.travel(at, tick=False), committed():
            return review_adopt(actor=self._reviewer(unit_attr), bulletin=bulletin, kind=kind, forward=forward)

    def return_(self, bulletin, unit_attr, reason, at):
        with time_machine.travel(at, tick=False), committed():
            return review_return(
                actor=self._reviewer(unit_attr), bulletin=bulletin, reason=reason, comment="请核实后再报"
            )

    def decline(self, bulletin, unit_attr, reason, at):
        with time_machine.travel(at, tick=False), committed():
            return review_decline(actor=self._reviewer(unit_attr), bulletin=bulletin, reason=reason)

    def instruction(self, bulletin, unit_attr, at, *, leader="李书记"):
        adoption = Adoption.objects.get(bulletin=bulletin, unit=self._unit(unit_attr))
        with time_machine.travel(at, tick=False), committed():
            return adoption_add_instruction(
                actor=self._reviewer(unit_attr),
                adoption=adoption,
                leader=leader,
                text="此经验值得推广。",
                instructed_on=at.date(),
            )
