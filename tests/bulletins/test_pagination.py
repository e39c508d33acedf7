import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import OrgUnit
from bulletins.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


def test_count_is_exact_below_the_cap_and_stops_above_it(tree):
    units = OrgUnit.objects.order_by("pk")  # seven units in the tree fixture
    exact = CappedPaginator(units, 2, count_cap=10)
    assert (exact.count, exact.is_capped, exact.num_pages) == (7, False, 4)
    capped = CappedPaginator(units, 2, count_cap=5)
    with CaptureQueriesContext(connection) as queries:
        assert (capped.count, capped.is_capped) == (6, True)
    assert "LIMIT 6" in queries[0]["sql"].upper()
    assert [u.pk for u in capped.page(3)] == list(units.values_list("pk", flat=True)[4:6])


def test_list_page_says_more_than_the_cap(client, tree, monkeypatch):
    from bulletins import pagination
    from bulletins.models import Category
    from bulletins.services import bulletin_create

    staff = tree.user("county_a1", "staff")
    for n in range(4):
        bulletin_create(
            actor=staff,
            title=f"第{n}条动态",
            body="正文",
            category=Category.objects.get(code="news"),
            contact_name="张三",
            contact_phone="13800000000",
        )
    monkeypatch.setattr(pagination, "DEFAULT_COUNT_CAP", 3)
    client.force_login(staff)
    content = client.get("/bulletins/").content.decode()
    assert "超过 3 条" in content


def test_an_estimated_count_is_shown_until_a_page_reaches_the_end(tree):
    units = OrgUnit.objects.order_by("pk")  # seven units
    paginator = CappedPaginator(units, 2, estimated_count=100)
    with CaptureQueriesContext(connection) as queries:
        first = paginator.get_page(1)
    assert len(queries) == 1 and "COUNT(" not in queries[0]["sql"].upper()  # the page and one row more
    assert [u.pk for u in first] == list(units.values_list("pk", flat=True)[:2])
    assert (paginator.count, paginator.is_estimated, first.has_next()) == (100, True, True)

    paginator = CappedPaginator(units, 2, estimated_count=3)  # too low: never below the rows seen
    assert paginator.get_page(2).has_next() and paginator.count == 5

    paginator = CappedPaginator(units, 2, estimated_count=100)
    last = paginator.get_page(4)
    assert [u.pk for u in last] == list(units.values_list("pk", flat=True)[6:])
    assert (paginator.count, paginator.is_estimated, last.has_next(), last.has_previous()) == (7, False, False, True)


def test_an_estimated_count_pages_no_farther_than_the_cap(tree):
    units = OrgUnit.objects.order_by("pk")
    paginator = CappedPaginator(units, 2, count_cap=3, estimated_count=5000)
    assert paginator.is_capped and paginator.num_pages == 2  # as far as the capped count would go
    assert paginator.get_page(3).number == 1  # beyond it, or beyond the results: the first page
    assert CappedPaginator(units, 2, estimated_count=50).get_page(9).number == 1
    assert CappedPaginator(units, 2, estimated_count=50).get_page("x").number == 1
