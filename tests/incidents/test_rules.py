"""The 24-hour rule, value by value: the boundaries to the microsecond, every outcome of a sent-up
incident (with or without a clock), who is told of a flag when nobody is above, and what the
notices say and link to.

Only the public services are called (bulletins, review, incidents) and results are read from the
models, so that the code can move under these tests (issue "Layers that hold", item 7).
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import translation

from bulletins.models import Bulletin, Category
from incidents.models import ClockState, IncidentClock
from incidents.services import CheckResult, incident_clocks_backfill, incidents_flag_overdue
from notifications.models import Notification
from tests.incidents.conftest import OCCURRED, at_hours, sign_off, simulate_edit

pytestmark = pytest.mark.django_db

DEADLINE = at_hours(24)
WARN_AT = at_hours(20)
TICK = timedelta(microseconds=1)


def clock_of(bulletin) -> IncidentClock:
    return IncidentClock.objects.get(bulletin=bulletin)


def check_at(moment) -> CheckResult:
    with time_machine.travel(moment, tick=False):
        return incidents_flag_overdue()


def outcome(bulletin):
    clock = clock_of(bulletin)
    return (clock.state, clock.sent_up_at, clock.late_by)


def recipients(bulletin, kind):
    return set(Notification.objects.filter(bulletin=bulletin, kind=kind).values_list("recipient_id", flat=True))


# --- the boundaries ------------------------------------------------------------------------------


class TestWarningBoundary:
    def test_just_before(self, make_incident):
        bulletin = make_incident()
        assert check_at(WARN_AT - TICK) == CheckResult(warned=(), flagged=())
        assert (clock_of(bulletin).state, clock_of(bulletin).warned_at) == (ClockState.PENDING, None)

    def test_at(self, make_incident):
        bulletin = make_incident()
        assert check_at(WARN_AT) == CheckResult(warned=(bulletin.pk,), flagged=())
        clock = clock_of(bulletin)
        assert (clock.state, clock.warned_at, clock.flagged_at) == (ClockState.WARNED, WARN_AT, None)

    def test_just_after(self, make_incident):
        bulletin = make_incident()
        assert check_at(WARN_AT + TICK) == CheckResult(warned=(bulletin.pk,), flagged=())
        assert clock_of(bulletin).warned_at == WARN_AT + TICK

    def test_the_time_can_be_passed_instead_of_read(self, make_incident):
        bulletin = make_incident()
        with time_machine.travel(at_hours(1), tick=False):
            assert incidents_flag_overdue(now=WARN_AT) == CheckResult(warned=(bulletin.pk,), flagged=())
        assert clock_of(bulletin).warned_at == WARN_AT


class TestFlagBoundary:
    def test_just_before(self, make_incident):
        bulletin = make_incident()
        check_at(WARN_AT)
        assert check_at(DEADLINE - TICK) == CheckResult(warned=(), flagged=())
        clock = clock_of(bulletin)
        assert (clock.state, clock.flagged_at, clock.warned_at) == (ClockState.WARNED, None, WARN_AT)

    def test_at(self, make_incident):
        bulletin = make_incident()
        check_at(WARN_AT)
        assert check_at(DEADLINE) == CheckResult(warned=(), flagged=(bulletin.pk,))
        clock = clock_of(bulletin)
        # The flag keeps the warning's time; the deadline is frozen.
        assert (clock.state, clock.flagged_at, clock.warned_at, clock.deadline_at) == (
            ClockState.FLAGGED,
            DEADLINE,
            WARN_AT,
            DEADLINE,
        )

    def test_just_after_without_a_warning_first(self, make_incident):
        bulletin = make_incident()
        assert check_at(DEADLINE + TICK) == CheckResult(warned=(), flagged=(bulletin.pk,))
        clock = clock_of(bulletin)
        assert (clock.state, clock.flagged_at, clock.warned_at) == (ClockState.FLAGGED, DEADLINE + TICK, None)
        # A flagged incident is never warned afterwards.
        assert check_at(DEADLINE + timedelta(hours=1)) == CheckResult(warned=(), flagged=())
        assert clock_of(bulletin).warned_at is None

    def test_one_check_warns_one_incident_and_flags_another(self, make_incident):
        overdue = make_incident()
        near = make_incident(occurred_at=at_hours(4))
        later = make_incident(occurred_at=at_hours(5))
        assert check_at(DEADLINE) == CheckResult(warned=(near.pk,), flagged=(overdue.pk,))
        assert [clock_of(b).state for b in (overdue, near, later)] == ["flagged", "warned", "pending"]


class TestSentUpBoundary:
    def test_sent_up_just_before_the_deadline_is_on_time(self, make_incident):
        bulletin = sign_off(make_incident(), at=DEADLINE - TICK)
        assert outcome(bulletin) == (ClockState.SENT_ON_TIME, DEADLINE - TICK, None)

    def test_sent_up_at_the_deadline_is_late_by_nothing(self, make_incident):
        bulletin = sign_off(make_incident(), at=DEADLINE)
        assert outcome(bulletin) == (ClockState.SENT_LATE, DEADLINE, timedelta(0))

    def test_sent_up_after_a_warning_is_on_time(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(21))
        bulletin = sign_off(bulletin, at=at_hours(22))
        clock = clock_of(bulletin)
        assert (clock.state, clock.sent_up_at, clock.late_by, clock.warned_at) == (
            ClockState.SENT_ON_TIME,
            at_hours(22),
            None,
            at_hours(21),
        )

    def test_sent_up_after_the_flag_is_late_by_the_difference(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(25))
        bulletin = sign_off(bulletin, at=at_hours(27, 30))
        assert outcome(bulletin) == (ClockState.SENT_LATE, at_hours(27, 30), timedelta(hours=3, minutes=30))
        assert clock_of(bulletin).flagged_at == at_hours(25)

    def test_a_sent_up_incident_is_neither_warned_nor_flagged(self, make_incident):
        bulletin = sign_off(make_incident(), at=at_hours(2))
        assert check_at(WARN_AT) == CheckResult(warned=(), flagged=())
        assert check_at(DEADLINE) == CheckResult(warned=(), flagged=())
        clock = clock_of(bulletin)
        assert (clock.state, clock.warned_at, clock.flagged_at) == (ClockState.SENT_ON_TIME, None, None)
        assert not Notification.objects.filter(bulletin=bulletin, kind__startswith="incident_").exists()


# --- when the warning falls ----------------------------------------------------------------------


class TestWarningTime:
    @pytest.mark.parametrize(
        ("deadline_hours", "warn_after"),
        [
            (24, timedelta(hours=20)),
            (21, timedelta(hours=20)),
            # A deadline at the warning hour: the warning takes the same share (20/24) of it.
            (20, timedelta(hours=20) * 20 / 24),
            (6, timedelta(hours=5)),
        ],
    )
    def test_the_warning_for_each_deadline(self, make_incident, deadline_hours, warn_after):
        Category.objects.filter(code="incident").update(deadline_minutes=deadline_hours * 60)
        clock = clock_of(make_incident())
        assert (clock.deadline_at, clock.warn_at) == (
            OCCURRED + timedelta(hours=deadline_hours),
            OCCURRED + warn_after,
        )

    def test_a_warning_hour_past_the_deadline_warns_at_the_deadline(self, make_incident, settings):
        settings.INCIDENT_WARNING_HOURS = 30
        clock = clock_of(make_incident())
        assert clock.warn_at == clock.deadline_at == DEADLINE

    def test_a_deadline_moved_after_its_warning_time_keeps_the_warning(self, make_incident):
        """The new warning time has already passed: the warning given still holds, not given again."""
        bulletin = make_incident()
        check_at(WARN_AT)
        with time_machine.travel(at_hours(21), tick=False):
            simulate_edit(bulletin, occurred_at=at_hours(0, 30))
        clock = clock_of(bulletin)
        assert (clock.state, clock.warned_at, clock.warn_at, clock.deadline_at) == (
            ClockState.WARNED,
            WARN_AT,
            at_hours(20, 30),
            at_hours(24, 30),
        )
        assert check_at(at_hours(22)).warned == ()
        assert check_at(at_hours(24, 30)).flagged == (bulletin.pk,)

    def test_a_deadline_moved_before_the_warning_warns_again_later(self, make_incident):
        bulletin = make_incident()
        check_at(WARN_AT)
        with time_machine.travel(at_hours(21), tick=False):
            simulate_edit(bulletin, occurred_at=at_hours(2))
        clock = clock_of(bulletin)
        assert (clock.state, clock.warned_at, clock.warn_at) == (ClockState.PENDING, None, at_hours(22))


# --- an incident with no clock yet (filed before the rule existed) -------------------------------


def without_clock(bulletin):
    IncidentClock.objects.filter(bulletin=bulletin).delete()
    return bulletin


class TestNoClockYet:
    def test_signed_off_on_time(self, make_incident):
        bulletin = sign_off(without_clock(make_incident()), at=at_hours(3))
        clock = clock_of(bulletin)
        assert (clock.state, clock.sent_up_at, clock.late_by, clock.deadline_at, clock.warn_at) == (
            ClockState.SENT_ON_TIME,
            at_hours(3),
            None,
            DEADLINE,
            WARN_AT,
        )
        assert clock.filing_unit_id == bulletin.filing_unit_id

    def test_signed_off_late(self, make_incident):
        bulletin = sign_off(without_clock(make_incident()), at=at_hours(26, 15))
        assert outcome(bulletin) == (ClockState.SENT_LATE, at_hours(26, 15), timedelta(hours=2, minutes=15))

    def test_signed_off_at_the_deadline(self, make_incident):
        bulletin = sign_off(without_clock(make_incident()), at=DEADLINE)
        assert outcome(bulletin) == (ClockState.SENT_LATE, DEADLINE, timedelta(0))

    def test_a_bulletin_without_a_deadline_gets_no_clock_when_signed_off(self, tree, make_incident):
        bulletin = make_incident()
        simulate_edit(bulletin, category=Category.objects.get(code="news"))
        sign_off(bulletin, at=at_hours(30))
        assert not IncidentClock.objects.filter(bulletin=bulletin).exists()

    def test_the_backfill_starts_missing_clocks_with_their_outcome(self, make_incident):
        pending = without_clock(make_incident())
        late = sign_off(without_clock(make_incident()), at=at_hours(20))
        # sign_off started the clock of `late`: remove it again to backfill a signed-off incident.
        without_clock(late)
        Bulletin.objects.filter(pk=late.pk).update(signed_off_at=at_hours(25))
        kept = make_incident()
        with time_machine.travel(at_hours(1), tick=False):
            assert incident_clocks_backfill() == 2
        assert (clock_of(pending).state, clock_of(pending).deadline_at) == (ClockState.PENDING, DEADLINE)
        assert outcome(late) == (ClockState.SENT_LATE, at_hours(25), timedelta(hours=1))
        assert clock_of(kept).state == ClockState.PENDING
        assert incident_clocks_backfill() == 0


# --- who is told of a flag -----------------------------------------------------------------------


class TestFlagRecipients:
    def test_parent_unit_without_active_reviewers(self, tree, make_incident):
        for role in ("reviewer", "head"):
            user = tree.user("city_a", role)
            user.is_active = False
            user.save(update_fields=["is_active"])
        bulletin = make_incident()
        assert check_at(DEADLINE).flagged == (bulletin.pk,)
        assert recipients(bulletin, "incident_overdue") == {
            tree.user("county_a1", "head").pk,
            tree.user("county_a1", "staff").pk,
        }
        assert clock_of(bulletin).state == ClockState.FLAGGED

    def test_filed_by_central(self, tree, make_incident):
        bulletin = make_incident(unit_attr="central")
        assert check_at(DEADLINE).flagged == (bulletin.pk,)
        assert recipients(bulletin, "incident_overdue") == {
            tree.user("central", "head").pk,
            tree.user("central", "staff").pk,
        }

    def test_filed_by_a_city_tells_the_province(self, tree, make_incident):
        bulletin = make_incident(unit_attr="city_b")
        check_at(DEADLINE)
        assert recipients(bulletin, "incident_overdue") == {
            tree.user("city_b", "head").pk,
            tree.user("city_b", "staff").pk,
            tree.user("province", "reviewer").pk,
            tree.user("province", "head").pk,
        }

    def test_an_inactive_author_is_not_told(self, tree, make_incident):
        bulletin = make_incident()
        author = tree.user("county_a1", "staff")
        author.is_active = False
        author.save(update_fields=["is_active"])
        check_at(WARN_AT)
        check_at(DEADLINE)
        assert recipients(bulletin, "incident_warning") == {tree.user("county_a1", "head").pk}
        assert author.pk not in recipients(bulletin, "incident_overdue")

    def test_each_incident_tells_its_own_units(self, tree, make_incident):
        a1 = make_incident()
        b1 = make_incident(unit_attr="county_b1")
        check_at(DEADLINE)
        assert recipients(b1, "incident_overdue") == {
            tree.user("county_b1", "head").pk,
            tree.user("county_b1", "staff").pk,
            tree.user("city_b", "reviewer").pk,
            tree.user("city_b", "head").pk,
        }
        assert tree.user("city_b", "reviewer").pk not in recipients(a1, "incident_overdue")


# --- what the notices say and link to ------------------------------------------------------------


class TestNotices:
    def test_a_warning_in_chinese_with_link_bulletin_and_key(self, tree, make_incident):
        bulletin = make_incident()
        with translation.override("en"):
            check_at(at_hours(21))
        sent = list(Notification.objects.filter(kind="incident_warning"))
        assert len(sent) == 2
        assert {(n.title, n.body, n.url, n.bulletin_id, n.dedupe_key) for n in sent} == {
            (
                "突发事件信息即将超时：某镇突发山体滑坡致道路中断",
                "东湖区委组织部的突发事件信息《某镇突发山体滑坡致道路中断》须于 2026-03-02 08:00 前签发报送上级，"
                "剩余 3 小时。",
                f"/bulletins/{bulletin.pk}/",
                bulletin.pk,
                f"incident-warn-{bulletin.pk}-{int(DEADLINE.timestamp())}",
            )
        }

    def test_a_flag_in_chinese_with_link_bulletin_and_key(self, tree, make_incident):
        bulletin = make_incident()
        with translation.override("en"):
            check_at(at_hours(50, 0))
        sent = list(Notification.objects.filter(kind="incident_overdue"))
        assert len(sent) == 4
        assert {(n.title, n.body, n.url, n.bulletin_id, n.dedupe_key) for n in sent} == {
            (
                "突发事件信息逾期未报：某镇突发山体滑坡致道路中断",
                "东湖区委组织部的突发事件信息《某镇突发山体滑坡致道路中断》应于 2026-03-02 08:00 前签发报送上级，"
                "至今未报送，已逾期 1 天 2 小时。",
                f"/bulletins/{bulletin.pk}/",
                bulletin.pk,
                f"incident-flag-{bulletin.pk}",
            )
        }

    def test_two_incidents_get_their_own_notices(self, make_incident):
        first = make_incident(title="甲镇山体滑坡")
        second = make_incident(title="乙镇洪水", occurred_at=at_hours(1))
        check_at(at_hours(25))
        flags = Notification.objects.filter(kind="incident_overdue")
        assert {(n.bulletin_id, n.dedupe_key, n.title) for n in flags} == {
            (first.pk, f"incident-flag-{first.pk}", "突发事件信息逾期未报：甲镇山体滑坡"),
            (second.pk, f"incident-flag-{second.pk}", "突发事件信息逾期未报：乙镇洪水"),
        }
        assert {n.url for n in flags} == {f"/bulletins/{first.pk}/", f"/bulletins/{second.pk}/"}
