from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from bulletins.models import Category
from deadlines.models import Obligation, ObligationState
from incidents.models import ClockState, IncidentClock
from incidents.services import OBLIGATION_KIND, incidents_flag_overdue
from notifications.models import Notification
from tests.incidents.conftest import OCCURRED, at_hours, sign_off, simulate_edit

pytestmark = pytest.mark.django_db


def clock_of(bulletin) -> IncidentClock:
    return IncidentClock.objects.get(bulletin=bulletin)


def check_at(moment):
    with time_machine.travel(moment, tick=False):
        return incidents_flag_overdue()


class TestClock:
    def test_creating_an_incident_starts_its_clock(self, make_incident):
        bulletin = make_incident()
        clock = clock_of(bulletin)
        assert clock.deadline_at == OCCURRED + timedelta(hours=24) == bulletin.deadline_at
        assert clock.warn_at == OCCURRED + timedelta(hours=20)
        assert clock.state == ClockState.PENDING
        assert clock.filing_unit_id == bulletin.filing_unit_id

    def test_a_bulletin_without_deadline_has_no_clock(self, tree):
        from bulletins.services import bulletin_create

        bulletin = bulletin_create(
            actor=tree.user("county_a1", "staff"),
            title="工作动态",
            body="正文",
            category=Category.objects.get(code="news"),
            contact_name="张三",
            place="某县某镇",
            source="县委组织部提供，经核实。",
            contact_phone="13800000000",
        )
        assert not IncidentClock.objects.filter(bulletin=bulletin).exists()

    def test_the_deadline_is_data_in_minutes(self, make_incident):
        Category.objects.filter(code="incident").update(deadline_minutes=12 * 60)
        clock = clock_of(make_incident())
        assert clock.deadline_at == OCCURRED + timedelta(hours=12)
        # A 20-hour warning would come after a 12-hour deadline: the same share of it instead.
        assert clock.warn_at == OCCURRED + timedelta(hours=10)


class TestObligation:
    """The 24-hour rule is an obligation of the deadline mechanism, owned by incidents."""

    def test_an_incident_owes_its_unit_a_warning_and_a_deadline(self, make_incident):
        bulletin = make_incident()
        obligation = Obligation.objects.get(kind=OBLIGATION_KIND, subject_id=bulletin.pk)
        assert (obligation.unit_id, obligation.due_at, obligation.state) == (
            bulletin.filing_unit_id,
            at_hours(24),
            ObligationState.OPEN,
        )
        assert obligation.label == bulletin.title and obligation.url == f"/bulletins/{bulletin.pk}/"
        assert list(obligation.stages.values_list("name", "due_at")) == [("warn", at_hours(20)), ("due", at_hours(24))]

    def test_the_sign_off_meets_it_and_a_changed_category_cancels_it(self, make_incident):
        sent = make_incident()
        with time_machine.travel(at_hours(3), tick=False):
            sign_off(sent)
        assert Obligation.objects.get(subject_id=sent.pk).state == ObligationState.MET
        dropped = make_incident()
        simulate_edit(dropped, category=Category.objects.get(code="news"))
        assert Obligation.objects.get(subject_id=dropped.pk).state == ObligationState.CANCELLED

    def test_a_15_minute_limit_is_flagged_in_its_minute(self, make_incident):
        Category.objects.filter(code="incident").update(deadline_minutes=15)
        bulletin = make_incident()
        assert check_at(at_hours(0, 14)).flagged == ()
        assert check_at(at_hours(0, 15)).flagged == (bulletin.pk,)
        assert clock_of(bulletin).flagged_at == at_hours(0, 15)


class TestBoundaries:
    def test_nothing_at_19_59(self, make_incident):
        bulletin = make_incident()
        result = check_at(at_hours(19, 59))
        assert result.warned == result.flagged == ()
        assert clock_of(bulletin).state == ClockState.PENDING

    def test_warning_at_20_00_recorded_once_with_time(self, make_incident):
        bulletin = make_incident()
        assert check_at(at_hours(20)).warned == (bulletin.pk,)
        clock = clock_of(bulletin)
        assert clock.state == ClockState.WARNED
        assert clock.warned_at == at_hours(20)
        assert check_at(at_hours(21)).warned == ()
        assert clock_of(bulletin).warned_at == at_hours(20)

    def test_no_flag_at_23_59(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(20))
        assert check_at(at_hours(23, 59)).flagged == ()
        assert clock_of(bulletin).flagged_at is None

    def test_flag_at_24_00_recorded_once_with_time(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(20))
        assert check_at(at_hours(24)).flagged == (bulletin.pk,)
        clock = clock_of(bulletin)
        assert (clock.state, clock.flagged_at) == (ClockState.FLAGGED, at_hours(24))
        assert check_at(at_hours(30)).flagged == ()
        assert clock_of(bulletin).flagged_at == at_hours(24)

    def test_a_check_after_an_outage_flags_without_a_late_warning(self, make_incident):
        bulletin = make_incident()
        result = check_at(at_hours(30))  # nothing ran since the event (broker down)
        assert result.flagged == (bulletin.pk,) and result.warned == ()
        assert Notification.objects.filter(kind="incident_warning").count() == 0

    def test_sent_up_at_23_59_is_on_time_and_never_flagged(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(20))
        with time_machine.travel(at_hours(23, 59), tick=False):
            sign_off(bulletin)
        assert check_at(at_hours(24)).flagged == ()
        assert check_at(at_hours(48)).flagged == ()
        clock = clock_of(bulletin)
        assert (clock.state, clock.sent_up_at, clock.late_by, clock.flagged_at) == (
            ClockState.SENT_ON_TIME,
            at_hours(23, 59),
            None,
            None,
        )

    def test_sent_up_at_24_01_is_late_for_good(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(24))
        with time_machine.travel(at_hours(24, 1), tick=False):
            sign_off(bulletin)
        clock = clock_of(bulletin)
        assert (clock.state, clock.late_by, clock.flagged_at) == (
            ClockState.SENT_LATE,
            timedelta(minutes=1),
            at_hours(24),
        )
        # Returned by the city, edited and resubmitted later: still late by one minute.
        from accounts.models import User
        from review.services import bulletin_resubmit, review_return

        city_reviewer = User.objects.get(unit=bulletin.filing_unit.parent, is_reviewer=True)
        with time_machine.travel(at_hours(30), tick=False):
            review_return(actor=city_reviewer, bulletin=bulletin, reason="verify", comment="请核实伤亡人数")
            simulate_edit(bulletin, occurred_at=at_hours(10))
            bulletin_resubmit(actor=bulletin.author, bulletin=bulletin)
        clock = clock_of(bulletin)
        assert (clock.state, clock.late_by, clock.sent_up_at) == (
            ClockState.SENT_LATE,
            timedelta(minutes=1),
            at_hours(24, 1),
        )

    def test_sent_up_late_before_any_check_ran_is_still_late(self, make_incident):
        bulletin = make_incident()
        with time_machine.travel(at_hours(26), tick=False):
            sign_off(bulletin)
        clock = clock_of(bulletin)
        assert (clock.state, clock.late_by, clock.flagged_at) == (ClockState.SENT_LATE, timedelta(hours=2), None)
        assert check_at(at_hours(27)).flagged == ()


class TestDeadlineChanges:
    def test_a_changed_occurred_at_moves_the_deadline(self, make_incident):
        bulletin = make_incident()
        with time_machine.travel(at_hours(3), tick=False):
            simulate_edit(bulletin, occurred_at=at_hours(2))
        clock = clock_of(bulletin)
        assert clock.deadline_at == bulletin.deadline_at == at_hours(26)
        assert clock.warn_at == at_hours(22)
        assert check_at(at_hours(24)).flagged == ()
        assert check_at(at_hours(26)).flagged == (bulletin.pk,)

    def test_a_moved_deadline_warns_again(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(20))
        with time_machine.travel(at_hours(21), tick=False):
            simulate_edit(bulletin, occurred_at=at_hours(6))
        assert clock_of(bulletin).state == ClockState.PENDING
        assert check_at(at_hours(26)).warned == (bulletin.pk,)
        warnings = Notification.objects.filter(bulletin=bulletin, kind="incident_warning")
        assert warnings.values("dedupe_key").distinct().count() == 2

    def test_a_changed_category_stops_or_starts_the_clock(self, make_incident):
        bulletin = make_incident()
        simulate_edit(bulletin, category=Category.objects.get(code="news"))
        assert bulletin.deadline_at is None
        assert not IncidentClock.objects.filter(bulletin=bulletin).exists()
        simulate_edit(bulletin, category=Category.objects.get(code="incident"))
        assert clock_of(bulletin).deadline_at == OCCURRED + timedelta(hours=24)

    def test_a_flagged_incident_stays_flagged_when_the_deadline_moves(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(24))
        with time_machine.travel(at_hours(25), tick=False):
            simulate_edit(bulletin, occurred_at=at_hours(20))
        assert bulletin.deadline_at == at_hours(44)
        clock = clock_of(bulletin)
        assert (clock.state, clock.flagged_at, clock.deadline_at) == (ClockState.FLAGGED, at_hours(24), at_hours(24))

    def test_a_flagged_incident_stays_flagged_when_its_category_changes(self, make_incident):
        bulletin = make_incident()
        check_at(at_hours(24))
        simulate_edit(bulletin, category=Category.objects.get(code="news"))
        assert clock_of(bulletin).state == ClockState.FLAGGED
        with time_machine.travel(at_hours(25), tick=False):
            sign_off(bulletin)
        assert clock_of(bulletin).state == ClockState.SENT_LATE


class TestNotifications:
    def test_warning_goes_to_the_filing_units_heads_and_the_author(self, tree, make_incident):
        make_incident()
        check_at(at_hours(20))
        recipients = set(Notification.objects.filter(kind="incident_warning").values_list("recipient", flat=True))
        assert recipients == {tree.user("county_a1", "head").pk, tree.user("county_a1", "staff").pk}

    def test_flag_also_goes_to_the_parent_units_reviewers(self, tree, make_incident):
        bulletin = make_incident()
        check_at(at_hours(24))
        recipients = set(
            Notification.objects.filter(kind="incident_overdue", bulletin=bulletin).values_list("recipient", flat=True)
        )
        assert recipients == {
            tree.user("county_a1", "head").pk,
            tree.user("county_a1", "staff").pk,
            tree.user("city_a", "reviewer").pk,
            tree.user("city_a", "head").pk,
        }

    def test_inbox_and_mail_say_which_incident_its_deadline_how_late_and_link(
        self, make_incident, django_capture_on_commit_callbacks
    ):
        bulletin = make_incident()
        with django_capture_on_commit_callbacks(execute=True):
            check_at(at_hours(26, 30))
        notice = Notification.objects.filter(kind="incident_overdue").first()
        assert bulletin.title in notice.title and "逾期" in notice.title
        assert "2026-03-02 08:00" in notice.body  # the deadline, in Shanghai time
        assert "2 小时 30 分" in notice.body
        assert notice.url == f"/bulletins/{bulletin.pk}/"
        assert len(mail.outbox) == 4
        message = mail.outbox[0]
        assert bulletin.title in message.subject
        assert "2 小时 30 分" in message.body and f"/bulletins/{bulletin.pk}/" in message.body

    def test_warning_says_how_long_is_left(self, make_incident):
        make_incident()
        check_at(at_hours(21))
        notice = Notification.objects.filter(kind="incident_warning").first()
        assert "2026-03-02 08:00" in notice.body and "3 小时" in notice.body

    def test_check_twice_flags_once_and_notifies_once(self, make_incident, django_capture_on_commit_callbacks):
        make_incident()
        with django_capture_on_commit_callbacks(execute=True):
            first = check_at(at_hours(24))
            second = check_at(at_hours(24))
        assert len(first.flagged) == 1 and second.flagged == ()
        assert Notification.objects.filter(kind="incident_overdue").count() == 4
        assert len(mail.outbox) == 4

    def test_inactive_users_are_not_notified(self, tree, make_incident):
        make_incident()
        head = tree.user("county_a1", "head")
        head.is_active = False
        head.save(update_fields=["is_active"])
        check_at(at_hours(24))
        assert not Notification.objects.filter(recipient=head).exists()


class TestQueryCount:
    @pytest.mark.parametrize("count", [1, 500])
    def test_the_scan_costs_the_same_for_1_and_500_due_incidents(
        self, tree, make_incident, count, django_assert_num_queries
    ):
        units = ["county_a1", "county_a2", "county_b1", "city_a"]
        for i in range(count):
            make_incident(unit_attr=units[i % len(units)])
            make_incident(unit_attr=units[i % len(units)], occurred_at=at_hours(4))  # due for a warning only
        # savepoint, the scan, the overtaken warnings of the overdue ones recorded as skipped, the
        # kind's savepoint, flag UPDATE, warn UPDATE, the announcement INSERT, incidents, recipients,
        # notices INSERT, the kind's release, release
        with time_machine.travel(at_hours(24), tick=False), django_assert_num_queries(12):
            result = incidents_flag_overdue()
        assert (len(result.flagged), len(result.warned)) == (count, count)

    def test_a_scan_with_nothing_due_is_one_statement(self, make_incident, django_assert_num_queries):
        make_incident()
        # savepoint, the scan's one statement, release
        with time_machine.travel(at_hours(1), tick=False), django_assert_num_queries(3):
            incidents_flag_overdue()
