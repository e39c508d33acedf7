"""Dashboard pages: access by role and subtree, query counts, the Excel export, the home page."""

from datetime import date
from io import BytesIO

import pytest
from django.http import HttpRequest
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.models import ProvinceMonthStats, UnitMonthStats
from tests.factories import TEST_PASSWORD, OrgUnitFactory

pytestmark = pytest.mark.django_db

MARCH = {"period": "month", "ref": "2025-03"}


def login(client, user):
    client.force_login(user)
    return client


def unit_url(unit):
    return reverse("dashboards:unit", args=[unit.pk])


# --- access -----------------------------------------------------------------------------------


def test_city_head_sees_own_subtree(client, tree, dataset):
    login(client, tree.user("city_a", "head"))
    assert client.get(reverse("dashboards:index"), MARCH).status_code == 200
    assert client.get(unit_url(tree.city_a), MARCH).status_code == 200
    assert client.get(unit_url(tree.county_a1), MARCH).status_code == 200


@pytest.mark.parametrize("outside", ["city_b", "county_b1", "province", "central"])
def test_drilling_outside_the_subtree_is_404(client, tree, outside):
    login(client, tree.user("city_a", "head"))
    target = getattr(tree, outside)
    assert client.get(unit_url(target)).status_code == 404
    assert client.get(reverse("dashboards:export", args=[target.pk])).status_code == 404


def test_missing_unit_is_404(client, tree):
    login(client, tree.user("province", "head"))
    assert client.get(reverse("dashboards:unit", args=[999999])).status_code == 404


def test_reviewer_sees_own_unit_read_only(client, tree, dataset):
    login(client, tree.user("city_a", "reviewer"))
    response = client.get(reverse("dashboards:index"), MARCH)
    assert response.status_code == 200
    assert 'data-testid="drill"' not in response.content.decode()
    assert client.get(unit_url(tree.city_a)).status_code == 200
    assert client.get(unit_url(tree.county_a1)).status_code == 404


def test_staff_cannot_open_the_dashboard(client, tree):
    login(client, tree.user("county_a1", "staff"))
    assert client.get(reverse("dashboards:index")).status_code == 403


def test_anonymous_is_sent_to_login(client, tree):
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- page content -------------------------------------------------------------------------------


def test_page_shows_the_hand_computed_figures(client, tree, dataset):
    login(client, tree.user("city_a", "head"))
    response = client.get(reverse("dashboards:index"), MARCH)
    html = response.content.decode()
    assert "2025年3月" in html
    assert 'id="dashboard-data" type="application/json"' in html
    dh = next(row for row, _ in response.context["rows"] if row.unit and row.unit.code == "lj-dh")
    assert dh.score_display == "20.0" and dh.rank == 1
    assert "积分" in response.context["rule_text"] and "10" in response.context["rule_text"]
    assert 'data-testid="breadcrumbs"' in html


def test_county_drill_down_has_breadcrumbs_and_bulletins(client, tree, dataset):
    login(client, tree.user("province", "head"))
    response = client.get(unit_url(tree.county_a2), MARCH)
    crumbs = [unit.code for unit in response.context["dash"].breadcrumbs]
    assert crumbs == ["jd", "lj", "lj-xl"]
    assert "西岭县突发事件二" in response.content.decode()


def test_invalid_period_falls_back_with_a_message(client, tree):
    login(client, tree.user("city_a", "head"))
    response = client.get(reverse("dashboards:index"), {"period": "custom", "start": "2025-05", "end": "2025-01"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_custom_range(client, tree, dataset):
    login(client, tree.user("city_a", "head"))
    response = client.get(reverse("dashboards:index"), {"period": "custom", "start": "2025-02", "end": "2025-04"})
    assert response.context["dash"].total.counts["filed"] == 7


# --- query counts -------------------------------------------------------------------------------


def _units_with_stats(parent, n):
    units = [OrgUnitFactory(parent=parent) for _ in range(n)]
    rows = []
    for unit in units:
        ancestors = unit.path.strip("/").split("/")
        for month in (1, 2, 3):
            rows.append(
                UnitMonthStats(
                    unit=unit,
                    month=date(2025, month, 1),
                    province_id=int(ancestors[1]),
                    city_id=int(ancestors[2]) if len(ancestors) > 2 else None,
                    county_id=int(ancestors[3]) if len(ancestors) > 3 else None,
                    filed=3,
                    signed_off=2,
                    adopt_city_full=1,
                    return_late=1,
                )
            )
    UnitMonthStats.objects.bulk_create(rows)
    # The province rollup, as the hook would have kept it.
    rollup = {}
    for row in rows:
        key = (row.province_id, row.month)
        target = rollup.setdefault(key, ProvinceMonthStats(province_id=row.province_id, month=row.month))
        for column in ("filed", "signed_off", "adopt_city_full", "return_late"):
            setattr(target, column, getattr(target, column) + getattr(row, column))
    for target in rollup.values():
        ProvinceMonthStats.objects.update_or_create(
            province_id=target.province_id,
            month=target.month,
            defaults={c: getattr(target, c) for c in ("filed", "signed_off", "adopt_city_full", "return_late")},
        )


# the user with its unit, its ancestors for the breadcrumbs, its children, the rule sets, the one
# GROUP BY over the summary, the navigation's unread count; sessions come from the Redis cache
# (one more query when a test puts them in the database).
PAGE_QUERIES = 7  # session, user with its unit, rules, summary, children, breadcrumbs, overdue incidents


@pytest.fixture
def page_queries(settings):
    return PAGE_QUERIES + (0 if settings.SESSION_ENGINE.endswith("cached_db") else 1)


@pytest.mark.parametrize("n", [10, 100])
def test_query_count_does_not_grow_with_units(client, tree, rules, django_assert_num_queries, page_queries, n):
    _units_with_stats(tree.city_a, n)
    login(client, tree.user("city_a", "head"))
    url = reverse("dashboards:index")
    client.get(url, {"period": "year", "ref": "2025-01"})  # warm the session
    with django_assert_num_queries(page_queries):
        response = client.get(url, {"period": "year", "ref": "2025-01"})
    assert len(response.context["dash"].children) == n + 2
    assert response.context["dash"].total.counts["filed"] == 9 * n


@pytest.mark.parametrize("n", [10, 100])
def test_province_query_count_does_not_grow_with_units(client, tree, rules, django_assert_num_queries, page_queries, n):
    _units_with_stats(tree.province, n)
    login(client, tree.user("province", "head"))
    url = reverse("dashboards:index")
    client.get(url, {"period": "year", "ref": "2025-01"})
    with django_assert_num_queries(page_queries):
        client.get(url, {"period": "year", "ref": "2025-01"})


@pytest.mark.parametrize("n", [10, 100])
def test_central_query_count_does_not_grow_with_units(client, tree, rules, django_assert_num_queries, page_queries, n):
    provinces = [OrgUnitFactory(parent=tree.central) for _ in range(n)]
    for province in provinces[:3]:
        _units_with_stats(province, 2)
    login(client, tree.user("central", "head"))
    url = reverse("dashboards:index")
    client.get(url, {"period": "year", "ref": "2025-01"})
    # no breadcrumb query at the top of the tree
    with django_assert_num_queries(page_queries - 1):
        response = client.get(url, {"period": "year", "ref": "2025-01"})
    assert len(response.context["dash"].children) == n + 1
    assert response.context["dash"].total.counts["filed"] == 3 * 2 * 9


# --- Excel ---------------------------------------------------------------------------------------


def _workbook(response):
    return load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


def test_export_matches_the_page_and_keeps_formulas_as_text(client, tree, dataset):
    tree.county_a2.short_name = "=cmd|' /C calc'!A0"
    tree.county_a2.save()
    login(client, tree.user("city_a", "head"))
    page = client.get(reverse("dashboards:index"), MARCH)
    response = client.get(reverse("dashboards:export", args=[tree.city_a.pk]), MARCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition.lower()
    assert "%E4%B8%B4%E6%B1%9F%E5%B8%82" in disposition  # 临江市
    assert "2025-03" in disposition

    sheet = _workbook(response).worksheets[0]
    headers = [cell.value for cell in sheet[4]]
    assert headers == page.context["headers"]
    assert headers[:4] == ["排名", "单位", "报送", "已签发报送"]
    exported = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    on_page = [values for _, values in page.context["rows"]]
    assert exported == on_page
    evil = sheet.cell(row=5 + [v[1] for v in on_page].index("=cmd|' /C calc'!A0"), column=2)
    assert evil.value == "=cmd|' /C calc'!A0"
    assert evil.data_type == "s"
    dh = next(values for values in exported if values[1] == "东湖区")
    assert dh[0] == 1 and dh[2:7] == [2, 2, 1, 1, 1] and dh[9] == 20.0


def test_county_export_lists_bulletins_with_a_formula_title_as_text(client, tree, dataset):
    from bulletins.models import Bulletin

    Bulletin.objects.filter(title="西岭县干部培训动态").update(title="=cmd|' /C calc'!A0")
    login(client, tree.user("city_a", "head"))
    response = client.get(reverse("dashboards:export", args=[tree.county_a2.pk]), MARCH)
    workbook = _workbook(response)
    detail = workbook.worksheets[1]
    titles = {row[0].value: row[0].data_type for row in detail.iter_rows(min_row=2)}
    assert titles["=cmd|' /C calc'!A0"] == "s"
    assert len(titles) == 3


# --- home page ----------------------------------------------------------------------------------


def test_home_per_role(client, tree, dataset):
    from tests.dashboards.journey import Journey

    j = Journey(tree)
    draft_returned = tree.county_a2  # B4 and B5 were returned to 西岭县
    staff = tree.user("county_a2", "staff")
    response = login(client, staff).get("/")
    html = response.content.decode()
    assert 'data-testid="home-my-bulletins"' in html and "西岭县突发事件二" in html
    assert 'data-testid="home-dashboard"' not in html
    assert draft_returned

    j.bulletin("county_a1", title="等待签发的稿件")
    reviewer = tree.user("city_a", "reviewer")
    html = login(client, reviewer).get("/").content.decode()
    assert 'data-testid="home-queue"' in html and "东湖区基层组织情况" not in html

    head = tree.user("city_a", "head")
    html = login(client, head).get("/").content.decode()
    assert 'data-testid="home-dashboard"' in html and 'data-testid="home-queue"' in html


def test_home_query_count_is_small(client, tree, dataset, django_assert_max_num_queries):
    login(client, tree.user("city_a", "head"))
    client.get("/")
    with django_assert_max_num_queries(10):
        client.get("/")


def test_factory_users_log_in_with_the_test_password(client, tree):
    head = tree.user("city_a", "head")
    # django-axes refuses to authenticate without a request.
    assert not client.login(request=HttpRequest(), username=head.username, password=TEST_PASSWORD + "-wrong")
    assert client.login(request=HttpRequest(), username=head.username, password=TEST_PASSWORD)
