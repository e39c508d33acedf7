"""Calls: issuing, answering straight to the caller, reminders on the deadline mechanism, extend, close, 催报."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from calls.models import CallAction, CallEvent, CallState, CallTarget, TargetMode, TargetState
from calls.services import (
    NOTICE_KIND_ESCALATION,
    NOTICE_KIND_MANUAL,
    NOTICE_KIND_NEW,
    NOTICE_KIND_REMINDER,
    NOTICE_KIND_SUMMARY,
    OBLIGATION_KIND,
    CallError,
    call_close,
    call_extend,
    call_remind,
)
from deadlines.models import Obligation, ObligationState
from deadlines.services import deadlines_scan
from notifications.models import Notification
from review.models import QueueEntry, QueueState
from tests.calls.conftest import DEADLINE, ISSUED, submit_and_sign_off
from tests.committed import committed

pytestmark = pytest.mark.django_db

COUNTIES = ("county_a1", "county_a2", "county_b1")


def scan_at(moment):
    with time_machine.travel(moment, tick=False), committed():
        return deadlines_scan()


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def ids(tree, *pairs):
    return {tree.user(unit, role).pk for unit, role in pairs}


class TestIssue:
    def test_a_province_call_to_all_below_addresses_cities_and_counties(self, tree, issue):
        call = issue()
        units = set(CallTarget.objects.filter(call=call).values_list("unit_id", flat=True))
        assert units == {getattr(tree, a).pk for a in ("city_a", "city_b", *COUNTIES)}
        assert call.target_count == 5
        assert Obligation.objects.filter(kind=OBLIGATION_KIND, subject_id=call.pk, state="open").count() == 5
        assert CallEvent.objects.get(call=call).action == CallAction.ISSUE
        # Each target's officers and office head hear of it.
        assert recipients(NOTICE_KIND_NEW) == ids(
            tree, *[(u, r) for u in ("city_a", "city_b", *COUNTIES) for r in ("staff", "head")]
        )

    def test_one_level_and_a_chosen_set(self, tree, issue):
        one_level = issue(mode=TargetMode.ONE_LEVEL)
        assert set(one_level.targets.values_list("unit_id", flat=True)) == {tree.city_a.pk, tree.city_b.pk}
        # A unit outside the issuer's subtree is never addressed, whatever the form sent.
        chosen = issue(unit_attr="city_a", mode=TargetMode.CHOSEN, chosen=("county_a2", "county_b1"))
        assert list(chosen.targets.values_list("unit_id", flat=True)) == [tree.county_a2.pk]

    def test_bad_input_changes_nothing(self, tree, issue):
        with pytest.raises(ValidationError) as error:
            issue(deadline=ISSUED - timedelta(hours=1), title="")
        assert {"deadline_at", "title"} <= set(error.value.error_dict)
        with pytest.raises(ValidationError):
            issue(unit_attr="city_a", mode=TargetMode.CHOSEN, chosen=("county_b1",))
        assert not CallTarget.objects.exists() and not Obligation.objects.exists()

    def test_a_county_cannot_issue(self, tree, issue):
        with pytest.raises(CallError):
            issue(unit_attr="county_a1", mode=TargetMode.ONE_LEVEL)


class TestAnswer:
    def test_an_answer_goes_straight_to_the_caller_after_its_sign_off(self, tree, issue, answer):
        call = issue()
        bulletin = submit_and_sign_off(tree, answer(call))
        assert bulletin.current_unit_id == tree.province.pk  # not the city in between
        assert QueueEntry.objects.get(bulletin=bulletin, state=QueueState.OPEN).unit_id == tree.province.pk
        target = CallTarget.objects.get(call=call, unit=tree.county_a1)
        assert (target.state, target.on_time, target.answers_arrived) == (TargetState.ANSWERED, True, 1)
        obligation = Obligation.objects.get(kind=OBLIGATION_KIND, subject_id=call.pk, unit=tree.county_a1)
        assert obligation.state == ObligationState.MET

    def test_the_caller_adopting_it_makes_it_adopted(self, tree, issue, answer):
        from review.services import review_adopt

        call = issue()
        bulletin = submit_and_sign_off(tree, answer(call))
        with committed():
            review_adopt(actor=tree.user("province", "reviewer"), bulletin=bulletin, kind="full")
        target = CallTarget.objects.get(call=call, unit=tree.county_a1)
        assert (target.state, target.answers_adopted) == (TargetState.ADOPTED, 1)

    def test_an_answer_arriving_after_the_deadline_is_late(self, tree, issue, answer):
        call = issue()
        bulletin = answer(call)
        submit_and_sign_off(tree, bulletin, at=DEADLINE + timedelta(minutes=1))
        assert CallTarget.objects.get(call=call, unit=tree.county_a1).on_time is False

    def test_a_unit_not_addressed_cannot_answer(self, tree, issue, answer):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        with pytest.raises(CallError):
            answer(call, unit_attr="county_b1")

    def test_after_the_call_is_closed_an_answer_takes_the_usual_route(self, tree, issue, answer):
        call = issue()
        bulletin = answer(call)
        with committed():
            call_close(actor=tree.user("province", "reviewer"), call=call, reason="任务调整")
        assert submit_and_sign_off(tree, bulletin).current_unit_id == tree.city_a.pk


class TestReminders:
    def test_reminders_before_and_at_the_deadline_to_those_not_answered_each_once(self, tree, issue, answer):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        submit_and_sign_off(tree, answer(call, "county_a1"))
        assert scan_at(DEADLINE - timedelta(days=3, minutes=1)).fired == ()
        three_days = scan_at(DEADLINE - timedelta(days=3))
        assert [(s.stage, s.unit_id) for s in three_days.fired] == [("remind-4320", tree.county_a2.pk)]
        assert recipients(NOTICE_KIND_REMINDER) == ids(tree, ("county_a2", "staff"), ("county_a2", "head"))
        assert scan_at(DEADLINE - timedelta(days=3)).fired == ()  # a second beat, a redelivered task
        scan_at(DEADLINE - timedelta(days=1))
        scan_at(DEADLINE)
        assert Notification.objects.filter(kind=NOTICE_KIND_REMINDER).count() == 3 * 2

    def test_after_the_deadline_the_head_is_told_and_the_issuer_gets_a_summary_once(self, tree, issue):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        scan_at(DEADLINE + timedelta(days=1))
        scan_at(DEADLINE + timedelta(days=2))
        assert recipients(NOTICE_KIND_ESCALATION) == ids(tree, ("county_a1", "head"), ("county_a2", "head"))
        summary = Notification.objects.filter(kind=NOTICE_KIND_SUMMARY)
        assert set(summary.values_list("recipient_id", flat=True)) == ids(
            tree, ("city_a", "reviewer"), ("city_a", "head")
        )
        assert "2" in summary.first().title and summary.first().url == f"/calls/{call.pk}/progress/"

    def test_a_stage_already_past_when_issued_is_skipped(self, tree, issue):
        issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL, deadline=ISSUED + timedelta(days=2))
        scan_at(ISSUED + timedelta(minutes=1))
        assert not Notification.objects.filter(kind=NOTICE_KIND_REMINDER).exists()

    def test_extending_re_arms_the_reminders(self, tree, issue):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        scan_at(DEADLINE - timedelta(days=3))
        later = DEADLINE + timedelta(days=5)
        with time_machine.travel(DEADLINE - timedelta(days=2), tick=False):
            call_extend(actor=tree.user("city_a", "reviewer"), call=call, deadline_at=later, reason="延长五天")
        assert scan_at(DEADLINE).fired == ()  # the old deadline passes quietly
        assert len(scan_at(later - timedelta(days=3)).fired) == 2  # three days before the new one, again
        event = CallEvent.objects.get(call=call, action=CallAction.EXTEND)
        assert (event.old_deadline_at, event.new_deadline_at, event.reason) == (DEADLINE, later, "延长五天")

    def test_closing_cancels_the_reminders(self, tree, issue):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        with time_machine.travel(ISSUED + timedelta(days=1), tick=False):
            call_close(actor=tree.user("city_a", "reviewer"), call=call, reason="任务取消")
        assert scan_at(DEADLINE + timedelta(days=3)).fired == ()
        call.refresh_from_db()
        assert call.state == CallState.CLOSED
        assert set(Obligation.objects.filter(subject_id=call.pk).values_list("state", flat=True)) == {"cancelled"}
        assert not Notification.objects.filter(kind=NOTICE_KIND_REMINDER).exists()

    @pytest.mark.parametrize("count", [1, 60])
    def test_a_call_to_many_units_is_one_scan_with_constant_queries(
        self, tree, issue, count, django_assert_num_queries
    ):
        from tests.factories import OrgUnitFactory, UserFactory

        for n in range(count):
            unit = OrgUnitFactory(parent=tree.city_a, name=f"测试{n}县委组织部", short_name=f"测试{n}县", code=f"t{n}")
            UserFactory(username=f"t{n}.staff", unit=unit, is_officer=True)
            UserFactory(username=f"t{n}.head", unit=unit, is_office_head=True)
        issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        targets = count + 2  # and the tree's two counties of city A
        # savepoint, the scan, the kind's savepoint, the calls, the recipients, the notices, the
        # kind's release, release
        with time_machine.travel(DEADLINE - timedelta(days=3), tick=False), django_assert_num_queries(8):
            result = deadlines_scan()
        assert len(result.fired) == targets
        assert Notification.objects.filter(kind=NOTICE_KIND_REMINDER).count() == 2 * targets


class TestManualReminder:
    def test_once_a_day_per_unit_and_logged(self, tree, issue):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        reviewer = tree.user("city_a", "reviewer")
        day = ISSUED + timedelta(days=2)
        with time_machine.travel(day, tick=False), committed():
            call_remind(actor=reviewer, call=call, unit_id=tree.county_a2.pk)
        with time_machine.travel(day + timedelta(hours=5), tick=False), pytest.raises(CallError):
            call_remind(actor=reviewer, call=call, unit_id=tree.county_a2.pk)
        with time_machine.travel(day + timedelta(days=1), tick=False), committed():
            call_remind(actor=reviewer, call=call, unit_id=tree.county_a2.pk)
        assert CallEvent.objects.filter(call=call, action=CallAction.REMIND).count() == 2
        assert (
            Notification.objects.filter(kind=NOTICE_KIND_MANUAL, recipient=tree.user("county_a2", "staff")).count() == 2
        )

    def test_only_the_issuer_reminds_and_only_those_not_answered(self, tree, issue, answer):
        call = issue(unit_attr="city_a", mode=TargetMode.ONE_LEVEL)
        with pytest.raises(CallError):
            call_remind(actor=tree.user("county_a1", "head"), call=call, unit_id=tree.county_a2.pk)
        submit_and_sign_off(tree, answer(call, "county_a1"))
        with pytest.raises(CallError):
            call_remind(actor=tree.user("city_a", "reviewer"), call=call, unit_id=tree.county_a1.pk)
