"""Announcements between apps: delivered once after the commit, retried after a failure, never a 500."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from dashboards.models import UnitMonthStats
from events.models import PendingDelivery
from events.topics import GRACE, RETRY_PAUSE, Topic, deliver_pending
from review.services import bulletin_submit, review_sign_off
from tests.committed import committed

received: list[tuple[str, int]] = []
failing = {"on": False}


def _record(key: int) -> None:
    received.append(("record", key))


def _flaky(key: int) -> None:
    if failing["on"]:
        raise RuntimeError("the handler's server is down")
    received.append(("flaky", key))


topic = Topic("tests.topic")
topic.subscribe("tests.record", _record)
topic.subscribe("tests.flaky", _flaky, kinds={"interesting"})


@pytest.fixture(autouse=True)
def _reset():
    received.clear()
    failing["on"] = False
    yield
    failing["on"] = False


@pytest.mark.django_db
def test_each_handler_receives_the_key_once_after_the_commit():
    with committed():
        topic.announce(7, kind="interesting")
        assert received == []  # nothing before the commit
    assert sorted(received) == [("flaky", 7), ("record", 7)]
    assert not PendingDelivery.objects.exists()


@pytest.mark.django_db
def test_only_handlers_of_the_kind_get_a_delivery():
    with committed():
        topic.announce(8, kind="dull")
        assert list(PendingDelivery.objects.values_list("handler", flat=True)) == ["tests.record"]
    assert received == [("record", 8)]


@pytest.mark.django_db
def test_a_change_rolled_back_announces_nothing():
    with committed(), pytest.raises(ZeroDivisionError), transaction.atomic():
        topic.announce(9, kind="interesting")
        1 / 0  # noqa: B018
    assert received == []
    assert not PendingDelivery.objects.exists()


@pytest.mark.django_db
def test_the_same_key_announced_twice_before_delivery_is_delivered_once():
    with committed():
        topic.announce(10)
        topic.announce(10)
    assert received == [("record", 10)]


@pytest.mark.django_db
def test_a_failing_handler_is_logged_kept_and_retried_once_it_works(caplog):
    failing["on"] = True
    with committed():
        topic.announce(11, kind="interesting")  # does not raise
    assert received == [("record", 11)]
    pending = PendingDelivery.objects.get()
    assert (pending.handler, pending.key, pending.attempts) == ("tests.flaky", 11, 1)
    assert "the handler's server is down" in pending.last_error
    assert "stays pending" in caplog.text

    assert deliver_pending() == 0  # its pause is not over
    failing["on"] = False
    assert deliver_pending(now=timezone.now() + RETRY_PAUSE + timedelta(seconds=1)) == 1
    assert received == [("record", 11), ("flaky", 11)]
    assert not PendingDelivery.objects.exists()
    assert deliver_pending(now=timezone.now() + timedelta(days=1)) == 0  # never twice


@pytest.mark.django_db
def test_the_pause_grows_with_each_failure():
    failing["on"] = True
    with committed():
        topic.announce(12, kind="interesting")
    later = timezone.now()
    for attempt in range(2, 5):
        later += RETRY_PAUSE * (attempt - 1) + timedelta(seconds=1)
        assert deliver_pending(now=later) == 0
        assert PendingDelivery.objects.get().attempts == attempt
    assert deliver_pending(now=later + RETRY_PAUSE) == 0  # 4 failures: 4 minutes, not 1
    assert PendingDelivery.objects.get().attempts == 4


@pytest.mark.django_db
def test_an_announcement_whose_delivery_never_ran_is_taken_by_the_periodic_run():
    topic.announce(13)  # inside the test's transaction: as if the process died at the commit
    assert deliver_pending() == 0  # left to its own request for a while
    assert deliver_pending(now=timezone.now() + GRACE + timedelta(seconds=1)) == 1
    assert received == [("record", 13)]


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_delivers_the_statistics_and_a_failing_handler_costs_the_decision_nothing(tree, monkeypatch):
    from bulletins.models import Category
    from bulletins.services import bulletin_create
    from review.events import route_events

    def broken(event_id):
        raise RuntimeError("statistics unavailable")

    staff, reviewer = tree.user("county_a1", "staff"), tree.user("county_a1", "reviewer")
    bulletin = bulletin_create(
        actor=staff, title="真实提交", body="正文", category=Category.objects.get(code="news"),
        contact_name="张三", contact_phone="13800000000", place="某县某镇", source="县委组织部提供，经核实。",
    )  # fmt: skip
    bulletin_submit(actor=staff, bulletin=bulletin)  # committed for real: the figures follow at once
    assert UnitMonthStats.objects.get(unit=tree.county_a1).filed == 1

    subscription = route_events.subscriptions["dashboards.statistics"]
    monkeypatch.setitem(route_events.subscriptions, "dashboards.statistics", replace(subscription, handler=broken))
    event = review_sign_off(actor=reviewer, bulletin=bulletin)  # no exception: the decision stands
    assert event.pk and bulletin.signed_off_at is not None
    assert UnitMonthStats.objects.get(unit=tree.county_a1).signed_off == 0
    assert PendingDelivery.objects.get().handler == "dashboards.statistics"

    monkeypatch.setitem(route_events.subscriptions, "dashboards.statistics", subscription)
    assert deliver_pending(now=timezone.now() + RETRY_PAUSE + timedelta(seconds=1)) == 1
    assert UnitMonthStats.objects.get(unit=tree.county_a1).signed_off == 1
