"""A "to review" notice is resolved when its bulletin is decided, by whoever decides it."""

import pytest

from notifications.models import Notification
from notifications.selectors import notification_unread_count
from review.services import bulletin_submit, bulletin_withdraw, review_adopt, review_return, review_sign_off

pytestmark = pytest.mark.django_db


def open_arrivals(user):
    return list(
        Notification.objects.filter(recipient=user, kind="arrived", resolved_at__isnull=True).values_list(
            "bulletin__title", flat=True
        )
    )


def test_each_decision_resolves_the_notices_that_asked_for_it(tree, make_draft):
    staff = tree.user("county_a1", "staff")
    county_reviewer, county_head = tree.user("county_a1", "reviewer"), tree.user("county_a1", "head")
    city_reviewer, city_head = tree.user("city_a", "reviewer"), tree.user("city_a", "head")
    bulletin, other = make_draft(), make_draft(title="另一条信息")
    bulletin_submit(actor=staff, bulletin=bulletin)
    bulletin_submit(actor=staff, bulletin=other)
    assert notification_unread_count(user=county_head) == 2

    # The reviewer signs off: the head's notice about it is resolved too, unread, yet not counted.
    review_sign_off(actor=county_reviewer, bulletin=bulletin)
    assert open_arrivals(county_head) == ["另一条信息"] and open_arrivals(county_reviewer) == ["另一条信息"]
    assert notification_unread_count(user=county_head) == 1
    assert Notification.objects.get(recipient=county_head, bulletin=bulletin).read_at is None
    assert open_arrivals(city_reviewer) == [bulletin.title]  # now the city's turn

    review_return(actor=city_head, bulletin=bulletin, reason="verify", comment="请核实")
    assert open_arrivals(city_reviewer) == [] and notification_unread_count(user=city_reviewer) == 0
    bulletin_withdraw(actor=staff, bulletin=other)
    assert open_arrivals(county_head) == [] and notification_unread_count(user=county_head) == 0


def test_the_next_arrival_stays_open_until_it_is_decided(tree, make_draft):
    staff = tree.user("county_a1", "staff")
    city_reviewer = tree.user("city_a", "reviewer")
    bulletin = make_draft()
    bulletin_submit(actor=staff, bulletin=bulletin)
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    review_adopt(actor=city_reviewer, bulletin=bulletin, kind="full", forward=True)
    province_reviewer = tree.user("province", "reviewer")
    assert open_arrivals(province_reviewer) == [bulletin.title]
    assert open_arrivals(city_reviewer) == []
    review_adopt(actor=tree.user("province", "head"), bulletin=bulletin, kind="abridged")
    assert open_arrivals(province_reviewer) == [] and notification_unread_count(user=province_reviewer) == 0
    # The author's notices about decisions are not "to review" ones: they stay until read.
    assert notification_unread_count(user=staff) == 2
