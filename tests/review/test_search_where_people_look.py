"""Reviewers and heads search everything they may see, and the queue and 已处理 take a keyword."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review.services import bulletin_submit, review_forward, review_sign_off

pytestmark = pytest.mark.django_db


def _signed_off(tree, make_draft, county, title):
    bulletin = make_draft(author=tree.user(county, "staff"), title=title)
    bulletin_submit(actor=bulletin.author, bulletin=bulletin)
    review_sign_off(actor=tree.user(county, "reviewer"), bulletin=bulletin)
    return bulletin


def _titles(response):
    return [b.list_title for b in response.context["page_obj"].object_list]


def test_a_city_reviewer_finds_what_came_up_from_its_counties(client, tree, make_draft):
    _signed_off(tree, make_draft, "county_a1", "东湖区举办村党组织书记培训班")
    _signed_off(tree, make_draft, "county_b1", "松源县举办党员培训班")  # another city's county
    client.force_login(tree.user("city_a", "reviewer"))
    own = client.get(reverse("bulletins:list"), {"q": "培训班"})
    assert _titles(own) == [], "the city's own list holds only the city's bulletins"
    everything = client.get(reverse("bulletins:list"), {"q": "培训班", "scope": "visible"})
    assert _titles(everything) == ["东湖区举办村党组织书记培训班"]
    html = everything.content.decode()
    assert 'data-testid="row-unit">东湖区<' in html and "全部可查看的信息" in html


def test_a_province_head_finds_signed_off_bulletins_below_that_never_reached_the_province(client, tree, make_draft):
    _signed_off(tree, make_draft, "county_a1", "东湖区举办村党组织书记培训班")  # waits at the city
    client.force_login(tree.user("province", "head"))
    found = client.get(reverse("bulletins:list"), {"q": "培训班", "scope": "visible"})
    assert _titles(found) == ["东湖区举办村党组织书记培训班"]
    client.force_login(tree.user("province", "reviewer"))
    assert _titles(client.get(reverse("bulletins:list"), {"q": "培训班", "scope": "visible"})) == []


def test_an_information_officer_is_not_offered_the_wider_search(client, tree, make_draft):
    _signed_off(tree, make_draft, "county_a2", "南溪县举办培训班")
    client.force_login(tree.user("county_a1", "staff"))
    response = client.get(reverse("bulletins:list"), {"q": "培训班", "scope": "visible"})
    assert _titles(response) == [] and 'name="scope"' not in response.content.decode()


@pytest.mark.parametrize("n", [1, 30])
def test_the_wider_list_runs_the_same_queries_whatever_the_rows(client, tree, make_draft, n):
    for i in range(n):
        _signed_off(tree, make_draft, "county_a1", f"东湖区第{i}期培训班")
    client.force_login(tree.user("city_a", "head"))
    url = reverse("bulletins:list")
    client.get(url, {"scope": "visible"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"scope": "visible"})
    assert len(response.context["page_obj"].object_list) == min(n, 25)
    # the session, user with unit, unread count, category choices, count, page: nothing per row
    assert len(queries.captured_queries) == 6


def test_the_queue_and_handled_take_a_keyword(client, tree, make_draft):
    training = _signed_off(tree, make_draft, "county_a1", "东湖区举办村党组织书记培训班")
    _signed_off(tree, make_draft, "county_a2", "南溪县推进基层治理")
    reviewer = tree.user("city_a", "reviewer")
    client.force_login(reviewer)
    queue = client.get(reverse("review:queue"), {"keyword": "培训班"}).content.decode()
    assert "东湖区举办村党组织书记培训班" in queue and "南溪县推进基层治理" not in queue
    review_forward(actor=reviewer, bulletin=training)
    handled = client.get(reverse("review:handled"), {"keyword": "培训班"}).content.decode()
    assert "东湖区举办村党组织书记培训班" in handled
    assert "南溪县推进基层治理" not in client.get(reverse("review:handled"), {"keyword": "培训班"}).content.decode()
