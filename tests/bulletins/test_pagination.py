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
