"""'Handled by my unit': what the unit decided on, scoped, filtered, with constant queries."""

import pytest
from django.urls import reverse

from review.services import bulletin_submit, review_adopt, review_return, review_sign_off

pytestmark = pytest.mark.django_db
URL = reverse("review:handled")


def _decided_at_city(tree, make_draft, n, *, title_prefix="东湖区党建动态"):
    staff, county_reviewer, city_reviewer = (
        tree.user("county_a1", "staff"),
        tree.user("county_a1", "reviewer"),
        tree.user("city_a", "reviewer"),
    )
    for i in range(n):
        bulletin = make_draft(title=f"{title_prefix}{i}")
        bulletin_submit(actor=staff, bulletin=bulletin)
        review_sign_off(actor=county_reviewer, bulletin=bulletin)
        if i % 2:
            review_return(actor=city_reviewer, bulletin=bulletin, reason="verify", comment="请核实数字")
        else:
            review_adopt(actor=city_reviewer, bulletin=bulletin, kind="full")


def test_city_reviewer_sees_what_the_city_decided(client, tree, make_draft):
    _decided_at_city(tree, make_draft, 3)
    client.force_login(tree.user("city_a", "reviewer"))
    response = client.get(URL)
    rows = response.content.decode().count('data-testid="handled-row"')
    assert rows == 3
    adopted = client.get(URL, {"action": "adopt"}).content.decode()
    assert adopted.count('data-testid="handled-row"') == 2
    assert client.get(URL, {"keyword": "党建动态1"}).content.decode().count('data-testid="handled-row"') == 1


def test_other_units_see_none_of_it(client, tree, make_draft):
    _decided_at_city(tree, make_draft, 2)
    client.force_login(tree.user("city_b", "reviewer"))
    assert 'data-testid="handled-empty"' in client.get(URL).content.decode()
    # The county decided on them too (its sign-off), so they appear there, never at county B1.
    client.force_login(tree.user("county_a1", "reviewer"))
    assert client.get(URL).content.decode().count('data-testid="handled-row"') == 2
    client.force_login(tree.user("county_b1", "reviewer"))
    assert 'data-testid="handled-empty"' in client.get(URL).content.decode()


def test_staff_may_not_open_it(client, tree):
    client.force_login(tree.user("county_a1", "staff"))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("n", [1, 30])
def test_query_count_does_not_grow_with_rows(client, tree, make_draft, django_assert_num_queries, n):
    _decided_at_city(tree, make_draft, n)
    client.force_login(tree.user("city_a", "reviewer"))
    client.get(URL)  # warm the session and caches
    with django_assert_num_queries(7):  # the session (database-only), then the page
        response = client.get(URL)
    assert response.content.decode().count('data-testid="handled-row"') == min(n, 25)
