"""The deadline mechanism on its own: stages at minute precision, moves, skips, closing, query counts."""

from datetime import timedelta

import pytest
import time_machine

from deadlines.models import FiringOutcome, Obligation, ObligationState, Stage, StageFiring, StageState
from deadlines.services import StageSpec, deadlines_scan, obligation_stage_outcomes, obligations_arm, obligations_close
from tests.deadlines.conftest import DUE, KIND

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def stages(due=DUE):
    """Warn 15 minutes before, due at, escalate 15 minutes after."""
    return [
        StageSpec("warn", due - 15 * MINUTE),
        StageSpec("due", due),
        StageSpec("escalate", due + 15 * MINUTE),
    ]


def arm(units, *, due=DUE, subject=1, now=None, specs=None):
    return obligations_arm(
        kind=KIND,
        subject_id=subject,
        unit_ids=[u.pk for u in units],
        label="报送某专题信息",
        url="/somewhere/",
        due_at=due,
        stages=specs or stages(due),
        now=now or DUE - timedelta(days=1),
    )


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return deadlines_scan()


def fired_names(result):
    return sorted((stage.stage, stage.unit_id) for stage in result.fired)


class TestStageBoundaries:
    def test_each_stage_fires_in_its_minute_and_not_a_minute_before(self, tree, handled):
        arm([tree.county_a1])
        unit = tree.county_a1.pk
        assert scan_at(DUE - 16 * MINUTE).fired == ()
        assert fired_names(scan_at(DUE - 15 * MINUTE)) == [("warn", unit)]
        assert scan_at(DUE - MINUTE).fired == ()
        assert fired_names(scan_at(DUE)) == [("due", unit)]
        assert scan_at(DUE + 14 * MINUTE).fired == ()
        assert fired_names(scan_at(DUE + 15 * MINUTE)) == [("escalate", unit)]
        assert scan_at(DUE + timedelta(days=3)).fired == ()
        assert [len(batch) for batch in handled] == [1, 1, 1]

    def test_the_handler_gets_what_is_due_and_the_firing_is_recorded_once(self, tree, handled):
        (obligation_id,) = arm([tree.county_a1])
        scan_at(DUE)
        stage = handled[0][0]
        assert (stage.kind, stage.subject_id, stage.unit_id, stage.label, stage.url) == (
            KIND,
            1,
            tree.county_a1.pk,
            "报送某专题信息",
            "/somewhere/",
        )
        assert stage.obligation_due_at == DUE
        # The warning, overtaken by the deadline in the same scan, is recorded as skipped, not sent.
        assert [s.stage for s in handled[0]] == ["due"]
        assert obligation_stage_outcomes(obligation_id=obligation_id) == [
            ("warn", DUE - 15 * MINUTE, FiringOutcome.SKIPPED),
            ("due", DUE, FiringOutcome.SENT),
        ]
        assert Stage.objects.get(obligation_id=obligation_id, name="warn").state == StageState.SKIPPED
        assert Stage.objects.get(obligation_id=obligation_id, name="due").fired_at == DUE

    def test_a_scan_after_an_hour_down_catches_up_with_the_latest_stage_only(self, tree, handled):
        arm([tree.county_a1, tree.county_a2])
        result = scan_at(DUE + timedelta(hours=1))
        assert fired_names(result) == [("escalate", tree.county_a1.pk), ("escalate", tree.county_a2.pk)]
        assert StageFiring.objects.filter(outcome=FiringOutcome.SKIPPED).count() == 4


class TestOpening:
    def test_a_stage_already_past_when_opened_is_recorded_skipped_not_sent(self, tree, handled):
        (obligation_id,) = arm([tree.county_a1], now=DUE - 5 * MINUTE)
        assert obligation_stage_outcomes(obligation_id=obligation_id) == [
            ("warn", DUE - 15 * MINUTE, FiringOutcome.SKIPPED)
        ]
        assert scan_at(DUE - 4 * MINUTE).fired == ()
        assert fired_names(scan_at(DUE)) == [("due", tree.county_a1.pk)]
        assert [s.stage for batch in handled for s in batch] == ["due"]

    def test_a_stage_marked_fire_if_past_fires_at_the_next_scan(self, tree, handled):
        specs = [StageSpec("due", DUE, fire_if_past=True)]
        arm([tree.county_a1], now=DUE + timedelta(hours=2), specs=specs)
        assert fired_names(scan_at(DUE + timedelta(hours=2))) == [("due", tree.county_a1.pk)]

    def test_one_obligation_per_unit_and_subject(self, tree, handled):
        first = arm([tree.county_a1, tree.county_a2])
        again = arm([tree.county_a1, tree.county_a2])
        assert sorted(first) == sorted(again)
        assert Obligation.objects.count() == 2 and Stage.objects.count() == 6


class TestMoving:
    def test_a_moved_deadline_re_arms_the_stages_not_yet_fired(self, tree, handled):
        arm([tree.county_a1])
        assert fired_names(scan_at(DUE - 15 * MINUTE)) == [("warn", tree.county_a1.pk)]
        later = DUE + timedelta(days=2)  # the call extended by two days
        arm([tree.county_a1], due=later, now=DUE - 10 * MINUTE)
        assert scan_at(DUE).fired == ()
        assert scan_at(DUE + 15 * MINUTE).fired == ()
        # The warning fired for the old deadline is re-armed for the new one: a new due time, a new firing.
        assert fired_names(scan_at(later - 15 * MINUTE)) == [("warn", tree.county_a1.pk)]
        assert fired_names(scan_at(later)) == [("due", tree.county_a1.pk)]
        assert Obligation.objects.get().due_at == later

    def test_a_deadline_moved_back_to_a_time_already_fired_does_not_fire_it_again(self, tree, handled):
        arm([tree.county_a1])
        scan_at(DUE - 15 * MINUTE)
        arm([tree.county_a1], due=DUE + timedelta(days=1), now=DUE - 14 * MINUTE)
        arm([tree.county_a1], due=DUE, now=DUE - 13 * MINUTE)
        # The warning is pending again at its old time, but (obligation, warn, that time) has fired.
        assert scan_at(DUE - 12 * MINUTE).fired == ()
        assert StageFiring.objects.filter(stage="warn", outcome=FiringOutcome.SENT).count() == 1

    def test_a_deadline_moved_earlier_into_the_past_fires_a_stage_not_yet_fired(self, tree, handled):
        arm([tree.county_a1])
        arm([tree.county_a1], due=DUE - timedelta(hours=2), now=DUE - timedelta(hours=1))
        assert fired_names(scan_at(DUE - timedelta(hours=1))) == [("escalate", tree.county_a1.pk)]

    def test_a_met_obligation_is_not_re_armed(self, tree, handled):
        arm([tree.county_a1])
        obligations_close(kind=KIND, subject_id=1, unit_ids=[tree.county_a1.pk], now=DUE - timedelta(hours=3))
        arm([tree.county_a1], due=DUE + timedelta(days=1))
        assert Obligation.objects.get().state == ObligationState.MET
        assert scan_at(DUE + timedelta(days=2)).fired == ()


class TestClosing:
    def test_met_and_cancelled_obligations_fire_nothing(self, tree, handled):
        arm([tree.county_a1, tree.county_a2, tree.county_b1])
        met = obligations_close(kind=KIND, subject_id=1, unit_ids=[tree.county_a1.pk], now=DUE - timedelta(hours=5))
        assert met == [tree.county_a1.pk]
        cancelled = obligations_close(kind=KIND, subject_id=1, state=ObligationState.CANCELLED, reason="通知撤回")
        assert sorted(cancelled) == sorted([tree.county_a2.pk, tree.county_b1.pk])
        assert scan_at(DUE + timedelta(days=1)).fired == ()
        assert handled == []
        assert not Stage.objects.filter(state=StageState.PENDING).exists()
        cancelled_row = Obligation.objects.get(unit=tree.county_b1)
        assert (cancelled_row.state, cancelled_row.closed_reason) == (ObligationState.CANCELLED, "通知撤回")
        assert cancelled_row.closed_at is not None

    def test_closing_twice_closes_once(self, tree):
        arm([tree.county_a1])
        assert obligations_close(kind=KIND, subject_id=1) == [tree.county_a1.pk]
        assert obligations_close(kind=KIND, subject_id=1) == []

    def test_a_cancelled_obligation_opened_again_is_armed_again(self, tree, handled):
        arm([tree.county_a1])
        obligations_close(kind=KIND, subject_id=1, state=ObligationState.CANCELLED)
        arm([tree.county_a1])
        assert Obligation.objects.get().state == ObligationState.OPEN
        assert fired_names(scan_at(DUE)) == [("due", tree.county_a1.pk)]

    def test_only_met_or_cancelled(self, tree):
        with pytest.raises(ValueError):
            obligations_close(kind=KIND, subject_id=1, state=ObligationState.OPEN)


class TestQueryCount:
    @pytest.mark.parametrize("count", [1, 500])
    def test_the_scan_costs_the_same_for_1_and_500_due(self, tree, handled, count, django_assert_num_queries):
        units = [tree.county_a1, tree.county_a2, tree.county_b1, tree.city_a, tree.city_b]
        for subject in range(count):
            arm([units[subject % len(units)]], subject=subject)
        # savepoint, the scan, the overtaken warnings recorded as skipped, the kind's savepoint and its
        # release around the handler (which queries nothing), release
        with django_assert_num_queries(6):
            result = scan_at(DUE)
        assert len(result.fired) == count

    @pytest.mark.parametrize("count", [1, 500])
    def test_arming_costs_the_same_for_1_and_500_units(self, db, count, django_assert_num_queries):
        from tests.factories import OrgUnitFactory

        root = OrgUnitFactory()
        units = [root] + [OrgUnitFactory(parent=root) for _ in range(count - 1)]
        # savepoint, obligations, stages, the skipped ones recorded, release
        with django_assert_num_queries(5):
            armed = arm(units)
        assert len(armed) == count

    def test_nothing_due_is_one_statement(self, tree, handled, django_assert_num_queries):
        arm([tree.county_a1])
        with django_assert_num_queries(3):
            assert scan_at(DUE - timedelta(hours=1)).fired == ()


class TestFaults:
    def test_a_scan_that_dies_midway_records_nothing_and_the_next_one_fires_it_all(self, tree):
        """A worker killed mid-scan: its transaction never commits, so nothing is lost and nothing doubled."""
        from deadlines import registry

        calls = []

        def handler(*, fired, now):
            calls.append(len(fired))
            if len(calls) == 1:
                # As if the process died before the commit: SystemExit is what SIGTERM becomes in a
                # worker, and no handler's failure is caught for it.
                raise SystemExit("worker killed")

        registry.register(KIND, handler)
        try:
            arm([tree.county_a1, tree.county_a2])
            with pytest.raises(SystemExit):
                scan_at(DUE)
            assert not StageFiring.objects.exists()
            assert Stage.objects.filter(state=StageState.PENDING).count() == 6
            assert len(scan_at(DUE + timedelta(minutes=1)).fired) == 2
            assert calls == [2, 2]
        finally:
            registry.unregister(KIND)

    def test_a_failing_handler_holds_up_only_its_own_kind(self, tree, handled):
        """A bug in one owning app: its stages wait for the next scan; the other kinds are sent now."""
        from deadlines import registry

        attempts = []

        def broken(*, fired, now):
            attempts.append(len(fired))
            Obligation.objects.filter(kind="broken").update(label="written before the failure")
            if len(attempts) == 1:
                raise RuntimeError("a bug in the owning app")
            return len(fired)

        registry.register("broken", broken)
        try:
            arm([tree.county_a1])
            (broken_id,) = obligations_arm(
                kind="broken",
                subject_id=1,
                unit_ids=[tree.county_a2.pk],
                label="另一类期限",
                url="/elsewhere/",
                due_at=DUE,
                stages=[StageSpec("due", DUE)],
                now=DUE - timedelta(days=1),
            )
            first = scan_at(DUE)
            assert [(stage.kind, stage.stage) for stage in first.fired] == [(KIND, "due")]
            assert [len(batch) for batch in handled] == [1]
            # The broken kind's stage is pending again, with no firing, and what its handler wrote is undone.
            assert Stage.objects.get(obligation_id=broken_id).state == StageState.PENDING
            assert obligation_stage_outcomes(obligation_id=broken_id) == []
            assert Obligation.objects.get(pk=broken_id).label == "另一类期限"

            second = scan_at(DUE + MINUTE)
            assert [(stage.kind, stage.stage) for stage in second.fired] == [("broken", "due")]
            assert obligation_stage_outcomes(obligation_id=broken_id) == [("due", DUE, FiringOutcome.SENT)]
            assert scan_at(DUE + 2 * MINUTE).fired == ()
            assert attempts == [1, 1]
            assert [len(batch) for batch in handled] == [1]
        finally:
            registry.unregister("broken")
