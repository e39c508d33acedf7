"""The route's rules, value by value: what each transition returns, records and refuses, and whom
it tells what.

Written so that code can move under them (issue "Layers that hold", item 7): only the services'
public functions are called and every result is read back from the models. Each test pins concrete
values: the mutation run listed what no other test caught (see `make mutation`).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from bulletins.exceptions import NotPermitted
from bulletins.models import Bulletin, BulletinStatus, Category
from notifications.models import Notification
from review.exceptions import InvalidTransition
from review.models import Adoption, LeaderInstruction, QueueEntry, QueueState, ReviewAction, ReviewEvent
from review.services import (
    adoption_add_instruction,
    bulletin_resubmit,
    bulletin_submit,
    bulletin_withdraw,
    review_adopt,
    review_decide,
    review_decline,
    review_forward,
    review_return,
    review_sign_off,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def travel(minutes: int):
    return time_machine.travel(at(minutes), tick=False)


def last_event(bulletin) -> ReviewEvent:
    return ReviewEvent.objects.filter(bulletin=bulletin).order_by("-at", "-pk").first()


def event_row(event):
    return (event.action, event.from_unit_id, event.to_unit_id, event.actor_id, event.version_number, event.at)


def entries(bulletin):
    """Every queue entry of the bulletin, oldest first, as comparable tuples."""
    return [
        (e.unit_id, e.version_number, e.state, e.opened_at, e.closed_at, e.decided_by_id, e.action)
        for e in QueueEntry.objects.filter(bulletin=bulletin).order_by("opened_at", "pk")
    ]


def state_of(bulletin):
    fresh = Bulletin.objects.get(pk=bulletin.pk)
    return (fresh.status, fresh.current_unit_id, fresh.version_count)


def notices(bulletin, kind):
    return list(Notification.objects.filter(bulletin=bulletin, kind=kind).order_by("recipient_id"))


def submitted(tree, make_draft, minutes=0):
    bulletin = make_draft()
    with travel(minutes):
        bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    return bulletin


def signed_off(tree, make_draft, minutes=0):
    bulletin = submitted(tree, make_draft, minutes)
    with travel(minutes + 1):
        review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    return bulletin


# --- review_decide: every decision reaches its service --------------------------------------------


class TestDecide:
    def test_forward(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        reviewer = tree.user("city_a", "reviewer")
        with travel(5):
            event = review_decide(actor=reviewer, bulletin=bulletin, action="forward")
        assert isinstance(event, ReviewEvent) and event.pk == last_event(bulletin).pk
        assert event_row(event) == ("forward", tree.city_a.pk, tree.province.pk, reviewer.pk, 1, at(5))
        assert state_of(bulletin) == ("in_review", tree.province.pk, 1)
        assert (bulletin.status, bulletin.current_unit_id) == ("in_review", tree.province.pk)
        assert not Adoption.objects.filter(bulletin=bulletin).exists()

    def test_decline_keeps_reason_and_stripped_comment(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        reviewer = tree.user("city_a", "reviewer")
        with travel(5):
            event = review_decide(
                actor=reviewer, bulletin=bulletin, action="decline", reason="duplicate", comment="  与前稿重复  "
            )
        assert event_row(event) == ("decline", tree.city_a.pk, None, reviewer.pk, 1, at(5))
        stored = ReviewEvent.objects.get(pk=event.pk)
        assert (stored.reason, stored.comment) == ("duplicate", "与前稿重复")
        assert state_of(bulletin) == ("declined", tree.city_a.pk, 1)
        assert bulletin.status == BulletinStatus.DECLINED

    def test_decline_without_a_reason_is_refused(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        with pytest.raises(ValidationError) as info:
            review_decide(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, action="decline", comment="x")
        assert info.value.messages == ["请选择不采用原因。"]
        assert state_of(bulletin) == ("in_review", tree.city_a.pk, 1)

    def test_sign_off(self, tree, make_draft):
        bulletin = submitted(tree, make_draft)
        reviewer = tree.user("county_a1", "reviewer")
        with travel(3):
            event = review_decide(actor=reviewer, bulletin=bulletin, action="sign_off")
        assert event_row(event) == ("sign_off", tree.county_a1.pk, tree.city_a.pk, reviewer.pk, 1, at(3))
        assert state_of(bulletin) == ("in_review", tree.city_a.pk, 1)

    @pytest.mark.parametrize(
        ("action", "kind", "status", "where", "to_unit"),
        [
            ("adopt", "abridged", "adopted", "city_a", None),
            ("adopt_forward", "combined", "in_review", "province", "province"),
        ],
    )
    def test_adopt_and_adopt_forward(self, tree, make_draft, action, kind, status, where, to_unit):
        bulletin = signed_off(tree, make_draft)
        reviewer = tree.user("city_a", "reviewer")
        with travel(5):
            event = review_decide(actor=reviewer, bulletin=bulletin, action=action, kind=kind)
        to_unit_id = getattr(tree, to_unit).pk if to_unit else None
        assert event_row(event) == (action, tree.city_a.pk, to_unit_id, reviewer.pk, 1, at(5))
        assert event.reason == kind
        assert state_of(bulletin) == (status, getattr(tree, where).pk, 1)
        adoption = Adoption.objects.get(bulletin=bulletin)
        assert (adoption.unit_id, adoption.level, adoption.kind, adoption.adopted_by_id, adoption.adopted_at) == (
            tree.city_a.pk,
            2,
            kind,
            reviewer.pk,
            at(5),
        )

    def test_adopt_without_a_kind_is_refused(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        with pytest.raises(ValidationError) as info:
            review_decide(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, action="adopt")
        assert info.value.messages == ["请选择采用方式。"]
        assert not Adoption.objects.filter(bulletin=bulletin).exists()

    def test_return(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        reviewer = tree.user("city_a", "reviewer")
        with travel(5):
            event = review_decide(
                actor=reviewer, bulletin=bulletin, action="return", reason="verify", comment=" 请核实人数。 "
            )
        assert event_row(event) == ("return", tree.city_a.pk, tree.county_a1.pk, reviewer.pk, 1, at(5))
        assert (event.reason, event.comment) == ("verify", "请核实人数。")
        assert state_of(bulletin) == ("returned", tree.county_a1.pk, 1)

    def test_return_needs_a_reason_and_a_comment(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        reviewer = tree.user("city_a", "reviewer")
        with pytest.raises(ValidationError) as info:
            review_decide(actor=reviewer, bulletin=bulletin, action="return", comment="请核实")
        assert info.value.messages == ["请选择退回原因。"]
        with pytest.raises(ValidationError) as info:
            review_decide(actor=reviewer, bulletin=bulletin, action="return", reason="verify")
        assert info.value.messages == ["退回信息必须填写意见，说明需要修改的内容。"]
        assert ReviewEvent.objects.filter(bulletin=bulletin).count() == 2

    @pytest.mark.parametrize("action", ["submit", "withdraw", "instruction", "nonsense", ""])
    def test_anything_else_is_an_unknown_decision(self, tree, make_draft, action):
        bulletin = signed_off(tree, make_draft)
        with pytest.raises(NotPermitted) as info:
            review_decide(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, action=action, kind="full")
        assert str(info.value) == "未知的处理意见。"
        assert ReviewEvent.objects.filter(bulletin=bulletin).count() == 2
        assert state_of(bulletin) == ("in_review", tree.city_a.pk, 1)


# --- where a resubmission goes: its own unit's sign-off, then the unit that returned it ----------


def resubmit_and_sign_off(tree, bulletin, minutes):
    """Resubmit (it waits for the county's sign-off), then sign it off a minute later."""
    staff = tree.user("county_a1", "staff")
    with travel(minutes):
        resubmitted = bulletin_resubmit(actor=staff, bulletin=bulletin)
    assert event_row(resubmitted) == (
        "resubmit",
        tree.county_a1.pk,
        tree.county_a1.pk,
        staff.pk,
        bulletin.version_count,
        at(minutes),
    )
    assert state_of(bulletin) == ("submitted", tree.county_a1.pk, bulletin.version_count)
    with travel(minutes + 1):
        return review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)


class TestResubmissionTarget:
    def test_a_resubmission_waits_for_its_own_units_sign_off(self, tree, make_draft):
        """Returned by the city: v2 goes into the county's own queue, not to the city."""
        staff = tree.user("county_a1", "staff")
        bulletin = signed_off(tree, make_draft, minutes=0)
        with travel(5):
            review_return(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="verify", comment="请核实")
        with travel(10):
            event = bulletin_resubmit(actor=staff, bulletin=bulletin)
        assert event_row(event) == ("resubmit", tree.county_a1.pk, tree.county_a1.pk, staff.pk, 2, at(10))
        assert state_of(bulletin) == ("submitted", tree.county_a1.pk, 2)
        assert (bulletin.status, bulletin.current_unit_id) == ("submitted", tree.county_a1.pk)
        opened = QueueEntry.objects.get(bulletin=bulletin, state="open")
        assert (opened.unit_id, opened.version_number, opened.opened_at) == (tree.county_a1.pk, 2, at(10))
        # The county's reviewers are told it waits for their sign-off; the city hears nothing yet.
        told = {n.recipient.unit_id for n in notices(bulletin, "arrived") if n.created_at >= at(10)}
        assert told == {tree.county_a1.pk}

    def test_returned_by_the_city_signed_off_goes_to_the_city(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft, minutes=0)
        with travel(5):
            review_return(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="verify", comment="请核实")
        event = resubmit_and_sign_off(tree, bulletin, 10)
        reviewer = tree.user("county_a1", "reviewer")
        assert event_row(event) == ("sign_off", tree.county_a1.pk, tree.city_a.pk, reviewer.pk, 2, at(11))
        assert state_of(bulletin) == ("in_review", tree.city_a.pk, 2)
        assert entries(bulletin)[-2:] == [
            (tree.county_a1.pk, 2, "decided", at(10), at(11), reviewer.pk, "sign_off"),
            (tree.city_a.pk, 2, "open", at(11), None, None, ""),
        ]
        assert Bulletin.objects.get(pk=bulletin.pk).reached_unit_ids == [tree.county_a1.pk, tree.city_a.pk]

    def test_returned_by_the_province_signed_off_goes_straight_to_the_province(self, tree, make_draft):
        """Forwarded by the city, returned by the province: the county's sign-off skips the city."""
        bulletin = signed_off(tree, make_draft, minutes=0)
        with travel(2):
            review_forward(actor=tree.user("city_a", "reviewer"), bulletin=bulletin)
        with travel(3):
            review_return(actor=tree.user("province", "reviewer"), bulletin=bulletin, reason="verify", comment="核实")
        event = resubmit_and_sign_off(tree, bulletin, 10)
        reviewer = tree.user("county_a1", "reviewer")
        assert event_row(event) == ("sign_off", tree.county_a1.pk, tree.province.pk, reviewer.pk, 2, at(11))
        assert state_of(bulletin) == ("in_review", tree.province.pk, 2)
        # No queue entry at the city for version 2: it did not pass through the city again.
        assert not QueueEntry.objects.filter(bulletin=bulletin, unit=tree.city_a, version_number=2).exists()
        assert QueueEntry.objects.get(bulletin=bulletin, state="open").unit_id == tree.province.pk
        told = {n.recipient.unit_id for n in notices(bulletin, "arrived") if n.created_at >= at(11)}
        assert told == {tree.province.pk}

    def test_each_bulletin_goes_back_to_its_own_returning_unit(self, tree, make_draft):
        """Two bulletins returned at different levels, the other one later: each goes to its own."""
        to_province = signed_off(tree, make_draft, minutes=0)
        to_city = signed_off(tree, make_draft, minutes=10)
        with travel(20):
            review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=to_province, kind="full", forward=True)
        with travel(21):
            review_return(
                actor=tree.user("province", "reviewer"), bulletin=to_province, reason="verify", comment="请核实"
            )
        with travel(30):  # later than the province's return, on the other bulletin
            review_return(actor=tree.user("city_a", "reviewer"), bulletin=to_city, reason="wording", comment="精炼")

        assert resubmit_and_sign_off(tree, to_province, 40).to_unit_id == tree.province.pk
        assert state_of(to_province) == ("in_review", tree.province.pk, 2)
        assert (to_province.status, to_province.current_unit_id, to_province.version_count) == (
            "in_review",
            tree.province.pk,
            2,
        )
        assert resubmit_and_sign_off(tree, to_city, 50).to_unit_id == tree.city_a.pk
        assert state_of(to_city) == ("in_review", tree.city_a.pk, 2)

    def test_the_other_bulletin_returned_later_at_the_filing_unit(self, tree, make_draft):
        """The most recent return anywhere is a sign-off-step return: this bulletin still goes up."""
        bulletin = signed_off(tree, make_draft, minutes=0)
        with travel(5):
            review_return(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="verify", comment="请核实")
        other = submitted(tree, make_draft, minutes=10)
        with travel(11):
            review_return(actor=tree.user("county_a1", "head"), bulletin=other, reason="wording", comment="精炼")
        resubmit_and_sign_off(tree, bulletin, 20)
        assert state_of(bulletin) == ("in_review", tree.city_a.pk, 2)

    def test_later_non_return_events_do_not_count(self, tree, make_draft):
        """A leader's instruction recorded after the return (by the adopting city) is not a return."""
        bulletin = signed_off(tree, make_draft)
        with travel(5):
            review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full", forward=True)
        with travel(6):
            review_return(actor=tree.user("province", "reviewer"), bulletin=bulletin, reason="verify", comment="核实")
        with travel(7):
            adoption_add_instruction(
                actor=tree.user("city_a", "head"),
                adoption=Adoption.objects.get(bulletin=bulletin),
                leader="李部长",
                text="请跟进。",
                instructed_on=date(2026, 3, 2),
            )
        assert last_event(bulletin).action == ReviewAction.INSTRUCTION
        assert last_event(bulletin).from_unit_id == tree.city_a.pk
        event = resubmit_and_sign_off(tree, bulletin, 8)
        assert event.to_unit_id == tree.province.pk
        assert state_of(bulletin) == ("in_review", tree.province.pk, 2)
        assert QueueEntry.objects.get(bulletin=bulletin, state="open").unit_id == tree.province.pk

    def test_a_return_at_the_resubmissions_sign_off_keeps_the_returning_unit(self, tree, make_draft):
        """Returned by the province, resubmitted, returned again by the county's own reviewer at the
        sign-off step, resubmitted: the sign-off still goes to the province."""
        staff = tree.user("county_a1", "staff")
        bulletin = signed_off(tree, make_draft)
        with travel(2):
            review_forward(actor=tree.user("city_a", "reviewer"), bulletin=bulletin)
        with travel(3):
            review_return(actor=tree.user("province", "reviewer"), bulletin=bulletin, reason="verify", comment="核实")
        with travel(4):
            bulletin_resubmit(actor=staff, bulletin=bulletin)
        with travel(5):
            review_return(actor=tree.user("county_a1", "head"), bulletin=bulletin, reason="wording", comment="精炼")
        assert resubmit_and_sign_off(tree, bulletin, 6).to_unit_id == tree.province.pk
        assert state_of(bulletin) == ("in_review", tree.province.pk, 3)

    def test_withdrawn_and_submitted_again_still_goes_to_the_returning_unit(self, tree, make_draft):
        staff = tree.user("county_a1", "staff")
        bulletin = signed_off(tree, make_draft)
        with travel(2):
            review_return(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="verify", comment="核实")
        with travel(3):
            bulletin_resubmit(actor=staff, bulletin=bulletin)
        with travel(4):
            bulletin_withdraw(actor=staff, bulletin=bulletin)
        with travel(5):
            bulletin_submit(actor=staff, bulletin=bulletin)
        with travel(6):
            event = review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        assert event.to_unit_id == tree.city_a.pk

    def test_after_the_sign_off_the_next_one_goes_to_the_parent_again(self, tree, make_draft):
        """Answered once, the return is settled: returned later at the sign-off step only, a
        bulletin signed off goes to the parent as usual."""
        bulletin = submitted(tree, make_draft)
        with travel(1):
            review_return(actor=tree.user("county_a1", "head"), bulletin=bulletin, reason="wording", comment="精炼")
        assert resubmit_and_sign_off(tree, bulletin, 2).to_unit_id == tree.city_a.pk
        assert state_of(bulletin) == ("in_review", tree.city_a.pk, 2)

    def test_the_latest_of_two_returns_of_the_same_bulletin(self, tree, make_draft):
        """Returned first at its sign-off step, then by the city: the second return decides."""
        bulletin = submitted(tree, make_draft)
        with travel(1):
            review_return(actor=tree.user("county_a1", "head"), bulletin=bulletin, reason="wording", comment="精炼")
        resubmit_and_sign_off(tree, bulletin, 2)
        with travel(4):
            review_return(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="verify", comment="核实")
        event = resubmit_and_sign_off(tree, bulletin, 5)
        assert event.to_unit_id == tree.city_a.pk
        assert state_of(bulletin) == ("in_review", tree.city_a.pk, 3)

    def test_the_latest_of_two_returns_in_the_same_instant(self, tree, make_draft):
        """Everything at one frozen instant: the later row (by id) is the latest return."""
        staff = tree.user("county_a1", "staff")
        reviewer = tree.user("county_a1", "reviewer")
        bulletin = make_draft()
        with travel(0):
            bulletin_submit(actor=staff, bulletin=bulletin)
            review_return(actor=tree.user("county_a1", "head"), bulletin=bulletin, reason="wording", comment="精炼")
            bulletin_resubmit(actor=staff, bulletin=bulletin)
            review_sign_off(actor=reviewer, bulletin=bulletin)
            review_forward(actor=tree.user("city_a", "reviewer"), bulletin=bulletin)
            review_return(actor=tree.user("province", "reviewer"), bulletin=bulletin, reason="verify", comment="核实")
            bulletin_resubmit(actor=staff, bulletin=bulletin)
            review_sign_off(actor=reviewer, bulletin=bulletin)
        assert state_of(bulletin) == ("in_review", tree.province.pk, 3)


# --- where the bulletin is, and which queue entries open and close --------------------------------


class TestQueueEntries:
    def test_a_journey_opens_and_closes_each_entry_with_who_when_and_what(self, tree, make_draft):
        staff = tree.user("county_a1", "staff")
        county_reviewer = tree.user("county_a1", "reviewer")
        city_head = tree.user("city_a", "head")
        province = tree.user("province", "reviewer")
        central = tree.user("central", "reviewer")
        bulletin = make_draft()
        with travel(0):
            bulletin_submit(actor=staff, bulletin=bulletin)
        with travel(1):
            bulletin_withdraw(actor=staff, bulletin=bulletin)
        with travel(2):
            bulletin_submit(actor=staff, bulletin=bulletin)
        with travel(3):
            review_sign_off(actor=county_reviewer, bulletin=bulletin)
        with travel(4):
            review_adopt(actor=city_head, bulletin=bulletin, kind="full", forward=True)
        with travel(5):
            review_forward(actor=province, bulletin=bulletin)
        with travel(6):
            review_adopt(actor=central, bulletin=bulletin, kind="abridged")
        c, a1 = tree.central.pk, tree.county_a1.pk
        assert entries(bulletin) == [
            (a1, 1, "withdrawn", at(0), at(1), staff.pk, "withdraw"),
            (a1, 2, "decided", at(2), at(3), county_reviewer.pk, "sign_off"),
            (tree.city_a.pk, 2, "decided", at(3), at(4), city_head.pk, "adopt_forward"),
            (tree.province.pk, 2, "decided", at(4), at(5), province.pk, "forward"),
            (c, 2, "decided", at(5), at(6), central.pk, "adopt"),
        ]
        assert state_of(bulletin) == ("adopted", c, 2)

    def test_return_and_decline_close_the_entry(self, tree, make_draft):
        city = tree.user("city_a", "reviewer")
        province = tree.user("province", "head")
        returned = signed_off(tree, make_draft)
        with travel(5):
            review_return(actor=city, bulletin=returned, reason="late", comment="时效已过")
        assert entries(returned)[-1] == (tree.city_a.pk, 1, "decided", at(1), at(5), city.pk, "return")
        assert not QueueEntry.objects.filter(bulletin=returned, state=QueueState.OPEN).exists()

        declined = signed_off(tree, make_draft, minutes=10)
        with travel(12):
            review_forward(actor=city, bulletin=declined)
        with travel(15):
            review_decline(actor=province, bulletin=declined, reason="out_of_scope")
        assert entries(declined)[-1] == (tree.province.pk, 1, "decided", at(12), at(15), province.pk, "decline")
        assert not QueueEntry.objects.filter(bulletin=declined, state=QueueState.OPEN).exists()
        assert state_of(declined) == ("declined", tree.province.pk, 1)

    def test_return_at_the_sign_off_step_closes_the_own_units_entry(self, tree, make_draft):
        head = tree.user("county_a1", "head")
        bulletin = submitted(tree, make_draft)
        with travel(2):
            event = review_return(actor=head, bulletin=bulletin, reason="other", comment="补充来源")
        assert event_row(event) == ("return", tree.county_a1.pk, tree.county_a1.pk, head.pk, 1, at(2))
        assert entries(bulletin) == [(tree.county_a1.pk, 1, "decided", at(0), at(2), head.pk, "return")]

    def test_a_plain_adopt_below_central_keeps_the_bulletin_at_the_adopting_unit(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        reviewer = tree.user("city_a", "reviewer")
        with travel(5):
            event = review_adopt(actor=reviewer, bulletin=bulletin, kind="full")
        assert event_row(event) == ("adopt", tree.city_a.pk, None, reviewer.pk, 1, at(5))
        assert ReviewEvent.objects.get(pk=event.pk).to_unit_id is None
        assert state_of(bulletin) == ("adopted", tree.city_a.pk, 1)
        assert (bulletin.status, bulletin.current_unit_id) == ("adopted", tree.city_a.pk)
        assert not QueueEntry.objects.filter(bulletin=bulletin, state=QueueState.OPEN).exists()
        assert not QueueEntry.objects.filter(bulletin=bulletin, unit=tree.province).exists()

    def test_adopt_forward_opens_the_parent_units_entry(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        with travel(5):
            review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full", forward=True)
        assert entries(bulletin)[-1] == (tree.province.pk, 1, "open", at(5), None, None, "")

    def test_an_incidents_entries_carry_its_deadline(self, tree, make_draft):
        occurred = datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
        bulletin = make_draft(category=Category.objects.get(code="incident"), occurred_at=occurred, place="青石镇")
        with travel(0):
            bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        with travel(1):
            review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        deadlines = list(
            QueueEntry.objects.filter(bulletin=bulletin).order_by("pk").values_list("deadline_at", flat=True)
        )
        assert deadlines == [occurred + timedelta(hours=24)] * 2

    def test_submission_and_sign_off_times_are_set_once_and_copied_to_the_caller(self, tree, make_draft):
        staff = tree.user("county_a1", "staff")
        bulletin = make_draft()
        with travel(0):
            bulletin_submit(actor=staff, bulletin=bulletin)
        assert (bulletin.submitted_at, bulletin.signed_off_at) == (at(0), None)
        with travel(1):
            bulletin_withdraw(actor=staff, bulletin=bulletin)
        assert (bulletin.status, bulletin.current_unit_id, bulletin.version_count) == ("draft", None, 1)
        with travel(2):
            bulletin_submit(actor=staff, bulletin=bulletin)
        with travel(3):
            review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        assert (bulletin.submitted_at, bulletin.signed_off_at) == (at(0), at(3))
        assert (bulletin.status, bulletin.current_unit_id, bulletin.version_count) == ("in_review", tree.city_a.pk, 2)
        with travel(4):
            review_return(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="verify", comment="核实")
        assert (bulletin.status, bulletin.current_unit_id) == ("returned", tree.county_a1.pk)
        with travel(5):
            bulletin_resubmit(actor=staff, bulletin=bulletin)
        assert bulletin.version_count == 3
        fresh = Bulletin.objects.get(pk=bulletin.pk)
        assert (fresh.submitted_at, fresh.signed_off_at) == (at(0), at(3))


# --- every transition returns its event -----------------------------------------------------------


def test_every_transition_returns_the_event_it_recorded(tree, make_draft):
    staff = tree.user("county_a1", "staff")
    bulletin = make_draft()
    steps = [
        ("submit", lambda: bulletin_submit(actor=staff, bulletin=bulletin)),
        ("withdraw", lambda: bulletin_withdraw(actor=staff, bulletin=bulletin)),
        ("submit", lambda: bulletin_submit(actor=staff, bulletin=bulletin)),
        (
            "return",
            lambda: review_return(
                actor=tree.user("county_a1", "head"), bulletin=bulletin, reason="wording", comment="精炼"
            ),
        ),
        ("resubmit", lambda: bulletin_resubmit(actor=staff, bulletin=bulletin)),
        ("sign_off", lambda: review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)),
        (
            "adopt_forward",
            lambda: review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full", forward=True),
        ),
        ("forward", lambda: review_forward(actor=tree.user("province", "reviewer"), bulletin=bulletin)),
        ("adopt", lambda: review_adopt(actor=tree.user("central", "reviewer"), bulletin=bulletin, kind="full")),
    ]
    for minute, (action, step) in enumerate(steps):
        with travel(minute):
            event = step()
        assert isinstance(event, ReviewEvent), action
        assert (event.pk, event.action, event.at) == (last_event(bulletin).pk, action, at(minute))

    declined = signed_off(tree, make_draft, minutes=20)
    with travel(30):
        event = review_decline(actor=tree.user("city_a", "reviewer"), bulletin=declined, reason="low_value")
    assert isinstance(event, ReviewEvent)
    assert (event.pk, event.action) == (last_event(declined).pk, "decline")


# --- decline comments and leaders' instructions are stored ---------------------------------------


class TestStored:
    def test_a_decline_comment_is_stored_and_sent(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        event = review_decline(
            actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="not_timely", comment=" 已失去时效 "
        )
        stored = ReviewEvent.objects.get(pk=event.pk)
        assert (stored.action, stored.reason, stored.comment) == ("decline", "not_timely", "已失去时效")

    def test_a_decline_without_comment_stores_an_empty_one(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        event = review_decline(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, reason="other")
        assert ReviewEvent.objects.get(pk=event.pk).comment == ""

    def test_a_leaders_instruction_is_stored_with_its_leader_text_date_and_author(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        with travel(5):
            review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full")
        adoption = Adoption.objects.get(bulletin=bulletin)
        head = tree.user("city_a", "head")
        with travel(60):
            instruction = adoption_add_instruction(
                actor=head,
                adoption=adoption,
                leader=" 王书记 ",
                text=" 经验很好，请推广。 ",
                instructed_on=date(2026, 3, 5),
            )
        assert isinstance(instruction, LeaderInstruction)
        stored = LeaderInstruction.objects.get(adoption=adoption)
        assert stored.pk == instruction.pk
        assert (stored.leader, stored.text, stored.instructed_on, stored.added_by_id) == (
            "王书记",
            "经验很好，请推广。",
            date(2026, 3, 5),
            head.pk,
        )
        event = last_event(bulletin)
        assert event_row(event) == ("instruction", tree.city_a.pk, None, head.pk, 1, at(60))
        assert event.comment == "王书记（2026-03-05）：经验很好，请推广。"
        # An instruction is not a route decision: the bulletin stays where it was.
        assert state_of(bulletin) == ("adopted", tree.city_a.pk, 1)

    @pytest.mark.parametrize(
        ("leader", "text", "instructed_on"),
        [
            ("", "请推广", date(2026, 3, 5)),
            ("王书记", "  ", date(2026, 3, 5)),
            ("王书记", "请推广", None),
            # Missing altogether (a caller passing None), not only blank: a mutation run found
            # that a default put in for a missing text went unnoticed.
            (None, "请推广", date(2026, 3, 5)),
            ("王书记", None, date(2026, 3, 5)),
        ],
    )
    def test_an_instruction_needs_leader_text_and_date(self, tree, make_draft, leader, text, instructed_on):
        bulletin = signed_off(tree, make_draft)
        review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full")
        with pytest.raises(ValidationError) as info:
            adoption_add_instruction(
                actor=tree.user("city_a", "head"),
                adoption=Adoption.objects.get(bulletin=bulletin),
                leader=leader,
                text=text,
                instructed_on=instructed_on,
            )
        assert info.value.messages == ["请填写批示领导、批示内容和批示日期。"]
        assert not LeaderInstruction.objects.exists()

    def test_an_instruction_by_another_unit_is_refused_with_the_reason(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full")
        with pytest.raises(NotPermitted) as info:
            adoption_add_instruction(
                actor=tree.user("city_b", "head"),
                adoption=Adoption.objects.get(bulletin=bulletin),
                leader="王书记",
                text="请推广",
                instructed_on=date(2026, 3, 5),
            )
        assert str(info.value) == "只有采用单位的审核人可以录入领导批示。"
        assert not ReviewEvent.objects.filter(bulletin=bulletin, action="instruction").exists()


# --- refusals: the exception and its reason -----------------------------------------------------

NOT_IN_STATE = "信息处于“%s”状态，不能进行此操作。"
ONLY_FILING_OFFICERS = "只有报送单位的信息员可以进行此操作。"
ONLY_REVIEWERS = "只有审核人和办公室主任可以处理信息。"
NOT_AT_YOUR_UNIT = "该信息不在本单位待审，只能由其所在单位的审核人处理。"
NOT_YOUR_OWN = "不能签发自己撰写的信息，请由其他审核人签发。"
TOP_OF_ROUTE = "中组部是报送的最高层级，没有可以上报的单位。"
NOT_THIS_ACTION = "您不能对该信息进行此操作。"


def refusal(call, **kwargs):
    """The exception `call` raised, after checking it changed nothing."""
    bulletin = kwargs["bulletin"]
    before = (state_of(bulletin), ReviewEvent.objects.count(), entries(bulletin), Adoption.objects.count())
    with pytest.raises((InvalidTransition, NotPermitted)) as info:
        call(**kwargs)
    assert (state_of(bulletin), ReviewEvent.objects.count(), entries(bulletin), Adoption.objects.count()) == before
    return type(info.value), str(info.value)


class TestRefusals:
    def test_filing_actions_in_the_wrong_state(self, tree, make_draft):
        staff = tree.user("county_a1", "staff")
        draft = make_draft()
        assert refusal(bulletin_withdraw, actor=staff, bulletin=draft) == (InvalidTransition, NOT_IN_STATE % "草稿")
        assert refusal(bulletin_resubmit, actor=staff, bulletin=draft) == (InvalidTransition, NOT_IN_STATE % "草稿")
        at_city = signed_off(tree, make_draft)
        assert refusal(bulletin_submit, actor=staff, bulletin=at_city) == (InvalidTransition, NOT_IN_STATE % "审核中")
        assert refusal(bulletin_withdraw, actor=staff, bulletin=at_city) == (InvalidTransition, NOT_IN_STATE % "审核中")

    def test_filing_actions_by_another_officer_of_the_filing_unit_in_the_wrong_state(self, tree, make_draft):
        """Any officer of the filing unit may act for it: refused for the state, not the person."""
        colleague = UserFactory(username="lj-dh.staff2", full_name="东湖区staff2", unit=tree.county_a1, is_officer=True)
        draft = make_draft()
        assert refusal(bulletin_withdraw, actor=colleague, bulletin=draft) == (InvalidTransition, NOT_IN_STATE % "草稿")

    def test_filing_actions_by_someone_outside_the_filing_units_officers(self, tree, make_draft):
        draft = make_draft()
        for user in (tree.user("county_a2", "staff"), tree.user("county_a1", "reviewer"), tree.user("city_a", "head")):
            assert refusal(bulletin_submit, actor=user, bulletin=draft) == (NotPermitted, ONLY_FILING_OFFICERS)

    def test_decisions_in_the_wrong_state(self, tree, make_draft):
        reviewer = tree.user("county_a1", "reviewer")
        bulletin = submitted(tree, make_draft)
        expected = (InvalidTransition, NOT_IN_STATE % "待签发")
        assert refusal(review_adopt, actor=reviewer, bulletin=bulletin, kind="full") == expected
        assert refusal(review_forward, actor=reviewer, bulletin=bulletin) == expected
        assert refusal(review_decline, actor=reviewer, bulletin=bulletin, reason="other") == expected
        at_city = signed_off(tree, make_draft, minutes=5)
        city = tree.user("city_a", "reviewer")
        assert refusal(review_sign_off, actor=city, bulletin=at_city) == (InvalidTransition, NOT_IN_STATE % "审核中")
        review_adopt(actor=city, bulletin=at_city, kind="full")
        assert refusal(review_forward, actor=city, bulletin=at_city) == (InvalidTransition, NOT_IN_STATE % "已采用")
        assert refusal(review_return, actor=city, bulletin=at_city, reason="other", comment="x") == (
            InvalidTransition,
            NOT_IN_STATE % "已采用",
        )

    def test_decisions_by_someone_who_is_not_a_reviewer(self, tree, make_draft):
        at_city = signed_off(tree, make_draft)
        assert refusal(review_forward, actor=tree.user("city_a", "staff"), bulletin=at_city) == (
            NotPermitted,
            ONLY_REVIEWERS,
        )
        draft = submitted(tree, make_draft, minutes=5)
        assert refusal(review_sign_off, actor=tree.user("county_a1", "staff"), bulletin=draft) == (
            NotPermitted,
            ONLY_REVIEWERS,
        )

    def test_decisions_at_another_unit(self, tree, make_draft):
        at_city = signed_off(tree, make_draft)
        for user in (tree.user("city_b", "reviewer"), tree.user("province", "head"), tree.user("county_a1", "head")):
            assert refusal(review_adopt, actor=user, bulletin=at_city, kind="full") == (NotPermitted, NOT_AT_YOUR_UNIT)
            assert refusal(review_return, actor=user, bulletin=at_city, reason="other", comment="x") == (
                NotPermitted,
                NOT_AT_YOUR_UNIT,
            )

    def test_signing_off_ones_own_bulletin(self, tree, make_draft):
        reviewer = tree.user("county_a1", "reviewer")
        reviewer.is_officer = True
        reviewer.save(update_fields=["is_officer"])
        bulletin = make_draft(author=reviewer)
        bulletin_submit(actor=reviewer, bulletin=bulletin)
        assert refusal(review_sign_off, actor=reviewer, bulletin=bulletin) == (NotPermitted, NOT_YOUR_OWN)

    def test_sending_on_from_central(self, tree, make_draft):
        at_city = signed_off(tree, make_draft)
        review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
        review_forward(actor=tree.user("province", "reviewer"), bulletin=at_city)
        central = tree.user("central", "reviewer")
        assert refusal(review_forward, actor=central, bulletin=at_city) == (InvalidTransition, TOP_OF_ROUTE)
        assert refusal(review_adopt, actor=central, bulletin=at_city, kind="full", forward=True) == (
            InvalidTransition,
            TOP_OF_ROUTE,
        )

    def test_signing_off_at_central(self, tree, make_draft):
        draft = make_draft(author=tree.user("central", "staff"))
        bulletin_submit(actor=tree.user("central", "staff"), bulletin=draft)
        assert refusal(review_sign_off, actor=tree.user("central", "head"), bulletin=draft) == (
            InvalidTransition,
            TOP_OF_ROUTE,
        )

    def test_an_inactive_reviewer_gets_the_general_refusal(self, tree, make_draft):
        at_city = signed_off(tree, make_draft)
        reviewer = tree.user("city_a", "reviewer")
        reviewer.is_active = False
        reviewer.save(update_fields=["is_active"])
        assert refusal(review_forward, actor=reviewer, bulletin=at_city) == (NotPermitted, NOT_THIS_ACTION)

    def test_no_open_entry_to_close(self, tree, make_draft):
        at_city = signed_off(tree, make_draft)
        QueueEntry.objects.filter(bulletin=at_city, state=QueueState.OPEN).update(state=QueueState.DECIDED)
        with pytest.raises(InvalidTransition) as info:
            review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
        assert str(info.value) == "该信息不在待审队列中。"
        assert state_of(at_city) == ("in_review", tree.city_a.pk, 1)
        assert ReviewEvent.objects.filter(bulletin=at_city).count() == 2

    def test_already_decided_by_someone_else(self, tree, make_draft):
        at_city = signed_off(tree, make_draft)
        stale = Bulletin.objects.get(pk=at_city.pk)
        with travel(5):
            forwarded = review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
        with pytest.raises(InvalidTransition) as info:
            review_adopt(actor=tree.user("city_a", "head"), bulletin=stale, kind="full")
        assert info.value.decision == forwarded
        assert str(info.value) == (
            "临江市reviewer（临江市）已于2026-03-02 09:05:00对该信息作出处理：已上报。您的处理未被记录。"
        )
        assert not Adoption.objects.filter(bulletin=at_city).exists()

    def test_already_decided_in_the_same_instant_names_the_last_decision(self, tree, make_draft):
        bulletin = make_draft()
        with travel(0):
            bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
            review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
            stale = Bulletin.objects.get(pk=bulletin.pk)
            forwarded = review_forward(actor=tree.user("city_a", "reviewer"), bulletin=bulletin)
            with pytest.raises(InvalidTransition) as info:
                review_adopt(actor=tree.user("city_a", "head"), bulletin=stale, kind="full")
        assert info.value.decision == forwarded

    def test_already_decided_names_the_decision_not_a_later_instruction(self, tree, make_draft):
        at_city = signed_off(tree, make_draft)
        stale = Bulletin.objects.get(pk=at_city.pk)
        with travel(5):
            adopted = review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="full")
        with travel(6):
            adoption_add_instruction(
                actor=tree.user("city_a", "head"),
                adoption=Adoption.objects.get(bulletin=at_city),
                leader="王书记",
                text="请推广",
                instructed_on=date(2026, 3, 2),
            )
        with pytest.raises(InvalidTransition) as info:
            review_forward(actor=tree.user("city_a", "head"), bulletin=stale)
        assert info.value.decision == adopted
        assert "已采用" in str(info.value) and "2026-03-02 09:05:00" in str(info.value)

    def test_a_stale_version_count_is_a_decision_taken(self, tree, make_draft):
        """Returned and resubmitted to the same unit since the caller read it: same status and unit."""
        staff = tree.user("county_a1", "staff")
        bulletin = submitted(tree, make_draft)
        with travel(1):
            review_return(actor=tree.user("county_a1", "head"), bulletin=bulletin, reason="wording", comment="精炼")
        stale = Bulletin.objects.get(pk=bulletin.pk)
        stale.status = BulletinStatus.SUBMITTED  # as read before the return: only the version differs now
        stale.version_count = 1
        with travel(2):
            resubmitted = bulletin_resubmit(actor=staff, bulletin=bulletin)
        with pytest.raises(InvalidTransition) as info:
            review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=stale)
        assert info.value.decision == resubmitted


# --- notices: whom, what (in Chinese, whatever the caller's language), where they link ----------


class TestNotices:
    def test_arrival_at_the_own_unit(self, tree, make_draft):
        bulletin = make_draft()
        with translation.override("en"):
            event = bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        sent = notices(bulletin, "arrived")
        assert [n.recipient_id for n in sent] == sorted(
            [tree.user("county_a1", "reviewer").pk, tree.user("county_a1", "head").pk]
        )
        for n in sent:
            assert (n.title, n.body, n.url, n.bulletin_id, n.dedupe_key) == (
                "待审核：《东湖区推行党员积分管理》",
                "东湖区 · 东湖区staff 已提交（第1版）。",
                f"/review/{bulletin.pk}/",
                bulletin.pk,
                f"review:{event.pk}:arrived",
            )

    def test_arrival_after_sign_off_forward_adopt_forward_and_resubmission(self, tree, make_draft):
        bulletin = submitted(tree, make_draft)
        steps = [
            (
                review_sign_off,
                {"actor": tree.user("county_a1", "reviewer")},
                "city_a",
                "东湖区 · 东湖区reviewer 已签发报送（第1版）。",
            ),
            (
                review_forward,
                {"actor": tree.user("city_a", "head")},
                "province",
                "临江市 · 临江市head 已上报（第1版）。",
            ),
        ]
        for call, kwargs, unit, body in steps:
            with translation.override("en"):
                event = call(bulletin=bulletin, **kwargs)
            arrived = Notification.objects.filter(dedupe_key=f"review:{event.pk}:arrived").order_by("recipient_id")
            assert [n.recipient_id for n in arrived] == sorted(
                [tree.user(unit, "reviewer").pk, tree.user(unit, "head").pk]
            )
            assert {(n.title, n.body, n.url, n.bulletin_id, n.kind) for n in arrived} == {
                ("待审核：《东湖区推行党员积分管理》", body, f"/review/{bulletin.pk}/", bulletin.pk, "arrived")
            }

        with translation.override("en"):
            event = review_return(
                actor=tree.user("province", "reviewer"), bulletin=bulletin, reason="pertinence", comment="针对性不强"
            )
            event = bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        # The revision waits for the county's own sign-off: its reviewer and head are told.
        arrived = Notification.objects.get(
            dedupe_key=f"review:{event.pk}:arrived", recipient=tree.user("county_a1", "reviewer")
        )
        assert (arrived.body, arrived.url) == (
            "东湖区 · 东湖区staff 修改后重新提交（第2版）。",
            f"/review/{bulletin.pk}/",
        )
        assert Notification.objects.filter(dedupe_key=f"review:{event.pk}:arrived").count() == 2
        with translation.override("en"):
            event = review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
        arrived = Notification.objects.filter(dedupe_key=f"review:{event.pk}:arrived").order_by("recipient_id")
        assert [n.recipient_id for n in arrived] == sorted(
            [tree.user("province", "reviewer").pk, tree.user("province", "head").pk]
        )
        assert arrived[0].body == "东湖区 · 东湖区reviewer 已签发报送（第2版）。"

        with translation.override("en"):
            event = review_adopt(actor=tree.user("province", "head"), bulletin=bulletin, kind="abridged", forward=True)
        arrived = Notification.objects.filter(dedupe_key=f"review:{event.pk}:arrived").order_by("recipient_id")
        assert [n.recipient_id for n in arrived] == sorted(
            [tree.user("central", "reviewer").pk, tree.user("central", "head").pk]
        )
        assert arrived[0].body == "江东省 · 江东省head 采用并上报（第2版）。"
        assert arrived[0].url == f"/review/{bulletin.pk}/"

    @pytest.mark.parametrize(
        ("decide", "kind", "title", "body"),
        [
            (
                lambda tree, b: review_return(
                    actor=tree.user("city_a", "reviewer"), bulletin=b, reason="verify", comment="请核实人数。"
                ),
                "returned",
                "临江市退回：《东湖区推行党员积分管理》",
                "已退回 · 临江市reviewer\n原因：需核实\n请核实人数。",
            ),
            (
                lambda tree, b: review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=b, kind="full"),
                "adopted",
                "临江市采用：《东湖区推行党员积分管理》",
                "已采用 · 临江市reviewer\n采用方式：全文采用",
            ),
            (
                lambda tree, b: review_adopt(
                    actor=tree.user("city_a", "head"), bulletin=b, kind="combined", forward=True
                ),
                "adopted",
                "临江市采用：《东湖区推行党员积分管理》",
                "采用并上报 · 临江市head\n采用方式：综合采用",
            ),
            (
                lambda tree, b: review_decline(
                    actor=tree.user("city_a", "reviewer"), bulletin=b, reason="duplicate", comment="与前稿重复"
                ),
                "declined",
                "临江市不采用：《东湖区推行党员积分管理》",
                "不采用 · 临江市reviewer\n原因：内容重复\n与前稿重复",
            ),
            (
                lambda tree, b: review_decline(actor=tree.user("city_a", "reviewer"), bulletin=b, reason="low_value"),
                "declined",
                "临江市不采用：《东湖区推行党员积分管理》",
                "不采用 · 临江市reviewer\n原因：参考价值不高",
            ),
        ],
        ids=["returned", "adopted", "adopted-forwarded", "declined", "declined-no-comment"],
    )
    def test_the_author_is_told_each_decision(self, tree, make_draft, decide, kind, title, body):
        bulletin = signed_off(tree, make_draft)
        with translation.override("en"):
            event = decide(tree, bulletin)
        sent = Notification.objects.get(bulletin=bulletin, kind=kind)
        assert (sent.recipient_id, sent.title, sent.body, sent.url, sent.dedupe_key) == (
            tree.user("county_a1", "staff").pk,
            title,
            body,
            f"/bulletins/{bulletin.pk}/",
            f"review:{event.pk}:{kind}",
        )

    def test_the_author_is_told_of_a_leaders_instruction(self, tree, make_draft):
        bulletin = signed_off(tree, make_draft)
        review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=bulletin, kind="full")
        with translation.override("en"):
            adoption_add_instruction(
                actor=tree.user("city_a", "head"),
                adoption=Adoption.objects.get(bulletin=bulletin),
                leader="王书记",
                text="经验很好，请推广。",
                instructed_on=date(2026, 3, 5),
            )
        event = last_event(bulletin)
        sent = Notification.objects.get(bulletin=bulletin, kind="instruction")
        assert (sent.recipient_id, sent.title, sent.body, sent.url, sent.dedupe_key) == (
            tree.user("county_a1", "staff").pk,
            "临江市领导批示：《东湖区推行党员积分管理》",
            "登记领导批示 · 临江市head\n王书记（2026-03-05）：经验很好，请推广。",
            f"/bulletins/{bulletin.pk}/",
            f"review:{event.pk}:instruction",
        )

    def test_withdrawing_tells_nobody(self, tree, make_draft):
        bulletin = submitted(tree, make_draft)
        before = Notification.objects.count()
        bulletin_withdraw(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
        assert Notification.objects.count() == before

    def test_an_inactive_reviewer_is_not_told_of_an_arrival(self, tree, make_draft):
        head = tree.user("city_a", "head")
        head.is_active = False
        head.save(update_fields=["is_active"])
        bulletin = signed_off(tree, make_draft)
        event = last_event(bulletin)
        recipients = Notification.objects.filter(dedupe_key=f"review:{event.pk}:arrived").values_list(
            "recipient_id", flat=True
        )
        assert list(recipients) == [tree.user("city_a", "reviewer").pk]
