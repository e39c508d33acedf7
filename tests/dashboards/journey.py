"""TEST STAND-IN FOR review.services — replace with the real services after the merge.

The review services are not on this branch yet. This helper mimics what they do for the
statistics: write the ReviewEvent (and Adoption / LeaderInstruction / QueueEntry) rows, set the
bulletin's fields, and call `dashboards.services.stats_record_event(event=...)` in the same
transaction, exactly like the fixed interface says. Once review is merged, switch `Journey` to
call review.services (bulletin_submit, review_sign_off, review_adopt, …) and delete this file.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from bulletins.models import Bulletin, BulletinStatus, Category
from dashboards.services import stats_record_event
from review.models import (
    Adoption,
    LeaderInstruction,
    QueueEntry,
    QueueState,
    ReviewAction,
    ReviewEvent,
)

SH = ZoneInfo("Asia/Shanghai")


def sh(*args) -> datetime:
    """An aware datetime given in Shanghai wall-clock time."""
    return datetime(*args, tzinfo=SH)


class Journey:
    def __init__(self, tree):
        self.tree = tree

    def _unit(self, attr):
        return getattr(self.tree, attr)

    def _actor(self, attr, role="reviewer"):
        return self.tree.user(attr, role)

    def bulletin(self, unit_attr, *, title="关于基层党建工作的动态", category="news", occurred_at=None):
        category = Category.objects.get(code=category)
        deadline = None
        if category.deadline_hours and occurred_at:
            deadline = occurred_at + timedelta(hours=category.deadline_hours)
        return Bulletin.objects.create(
            title=title,
            body="正文" * 50,
            category=category,
            occurred_at=occurred_at,
            contact_name="张三",
            contact_phone="0571-88888888",
            filing_unit=self._unit(unit_attr),
            author=self._actor(unit_attr, "staff"),
            deadline_at=deadline,
        )

    @transaction.atomic
    def _event(self, bulletin, action, *, from_unit, to_unit=None, at, actor, reason="", comment=""):
        event = ReviewEvent.objects.create(
            bulletin=bulletin,
            version_number=bulletin.version_count or None,
            action=action,
            from_unit=from_unit,
            to_unit=to_unit,
            actor=actor,
            at=at,
            reason=reason,
            comment=comment,
        )
        stats_record_event(event=event)
        return event

    def _move(self, bulletin, to_unit, at, *, decided_by=None, action=""):
        QueueEntry.objects.filter(bulletin=bulletin, state=QueueState.OPEN).update(
            state=QueueState.DECIDED, closed_at=at, decided_by=decided_by, action=action
        )
        if to_unit is not None:
            QueueEntry.objects.create(
                bulletin=bulletin, unit=to_unit, version_number=bulletin.version_count, opened_at=at
            )

    def submit(self, bulletin, at, *, resubmit_to=None):
        bulletin.version_count += 1
        fields = ["version_count", "status", "current_unit"]
        if bulletin.submitted_at is None:
            bulletin.submitted_at = at
            fields.append("submitted_at")
        target = resubmit_to or bulletin.filing_unit
        bulletin.status = BulletinStatus.SUBMITTED if resubmit_to is None else BulletinStatus.IN_REVIEW
        bulletin.current_unit = target
        bulletin.save(update_fields=fields)
        self._move(bulletin, target, at)
        action = ReviewAction.SUBMIT if resubmit_to is None else ReviewAction.RESUBMIT
        return self._event(
            bulletin, action, from_unit=bulletin.filing_unit, to_unit=target, at=at, actor=bulletin.author
        )

    def resubmit(self, bulletin, unit_attr, at):
        return self.submit(bulletin, at, resubmit_to=self._unit(unit_attr))

    def sign_off(self, bulletin, at):
        unit = bulletin.filing_unit
        actor = self.tree.user(self._attr_of(unit), "reviewer")
        bulletin.signed_off_at = bulletin.signed_off_at or at
        bulletin.status = BulletinStatus.IN_REVIEW
        bulletin.current_unit = unit.parent
        bulletin.save(update_fields=["signed_off_at", "status", "current_unit"])
        self._move(bulletin, unit.parent, at, decided_by=actor, action=ReviewAction.SIGN_OFF)
        return self._event(bulletin, ReviewAction.SIGN_OFF, from_unit=unit, to_unit=unit.parent, at=at, actor=actor)

    def forward(self, bulletin, unit_attr, at):
        unit = self._unit(unit_attr)
        actor = self._actor(unit_attr)
        bulletin.current_unit = unit.parent
        bulletin.save(update_fields=["current_unit"])
        self._move(bulletin, unit.parent, at, decided_by=actor, action=ReviewAction.FORWARD)
        return self._event(bulletin, ReviewAction.FORWARD, from_unit=unit, to_unit=unit.parent, at=at, actor=actor)

    def adopt(self, bulletin, unit_attr, kind, at, *, forward=False):
        unit = self._unit(unit_attr)
        actor = self._actor(unit_attr)
        Adoption.objects.create(
            bulletin=bulletin, unit=unit, level=unit.level, kind=kind, adopted_at=at, adopted_by=actor
        )
        action = ReviewAction.ADOPT_FORWARD if forward else ReviewAction.ADOPT
        to_unit = unit.parent if forward else None
        bulletin.status = BulletinStatus.IN_REVIEW if forward else BulletinStatus.ADOPTED
        bulletin.current_unit = to_unit
        bulletin.save(update_fields=["status", "current_unit"])
        self._move(bulletin, to_unit, at, decided_by=actor, action=action)
        return self._event(bulletin, action, from_unit=unit, to_unit=to_unit, at=at, actor=actor)

    def return_(self, bulletin, unit_attr, reason, at):
        unit = self._unit(unit_attr)
        actor = self._actor(unit_attr)
        bulletin.status = BulletinStatus.RETURNED
        bulletin.current_unit = bulletin.filing_unit
        bulletin.save(update_fields=["status", "current_unit"])
        self._move(bulletin, None, at, decided_by=actor, action=ReviewAction.RETURN)
        return self._event(
            bulletin,
            ReviewAction.RETURN,
            from_unit=unit,
            to_unit=bulletin.filing_unit,
            at=at,
            actor=actor,
            reason=reason,
            comment="请核实后再报",
        )

    def decline(self, bulletin, unit_attr, reason, at):
        unit = self._unit(unit_attr)
        actor = self._actor(unit_attr)
        bulletin.status = BulletinStatus.DECLINED
        bulletin.current_unit = None
        bulletin.save(update_fields=["status", "current_unit"])
        self._move(bulletin, None, at, decided_by=actor, action=ReviewAction.DECLINE)
        return self._event(bulletin, ReviewAction.DECLINE, from_unit=unit, at=at, actor=actor, reason=reason)

    def instruction(self, bulletin, unit_attr, at, *, leader="李书记"):
        unit = self._unit(unit_attr)
        actor = self._actor(unit_attr)
        adoption = Adoption.objects.get(bulletin=bulletin, unit=unit)
        LeaderInstruction.objects.create(
            adoption=adoption, leader=leader, text="此经验值得推广。", instructed_on=at.date(), added_by=actor
        )
        return self._event(bulletin, ReviewAction.INSTRUCTION, from_unit=unit, at=at, actor=actor)

    def _attr_of(self, unit):
        return next(attr for attr in self.tree.unit_attrs if getattr(self.tree, attr).pk == unit.pk)
