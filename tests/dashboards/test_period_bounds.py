"""Dashboard periods are bounded (issue 14, item 3): a year outside 2000…2099 is a message on the
dashboard and a 400 from the export, never a 500."""

import pytest
from django.urls import reverse

from dashboards.forms import PeriodForm

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [
    {"period": "month", "ref": "9999-12"},
    {"period": "month", "ref": "0000-01"},
    {"period": "month", "ref": "1999-12"},
    {"period": "year", "year": "99999"},
    {"period": "year", "year": "2100"},
    {"period": "quarter", "year": "1999", "quarter": "4"},
    {"period": "custom", "start": "2099-12", "end": "9999-12"},
    {"period": "custom", "start": "0001-01", "end": "2000-01"},
]


@pytest.fixture
def head_client(client, tree):
    client.force_login(tree.user("city_a", "head"))
    return client


@pytest.mark.parametrize("query", OUT_OF_RANGE)
def test_the_dashboard_says_the_period_is_out_of_range(head_client, query):
    response = head_client.get(reverse("dashboards:index"), query)
    assert response.status_code == 200
    assert response.context["form"].errors
    html = response.content.decode()
    assert "现显示本月数据。" in html
    assert response.context["dash"].period.kind == "month"


@pytest.mark.parametrize("query", OUT_OF_RANGE)
def test_the_export_refuses_it(head_client, tree, query):
    response = head_client.get(reverse("dashboards:export", args=[tree.city_a.pk]), query)
    assert response.status_code == 400
    assert "未导出：所选统计期间无效。" in response.content.decode()


def test_the_month_message_names_the_range():
    form = PeriodForm({"period": "month", "ref": "9999-12"})
    assert form.errors["ref"] == ["请填写 2000-01 至 2099-12 之间的月份。"]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "month", "ref": "2000-01"},
        {"period": "month", "ref": "2099-12"},
        {"period": "year", "year": "2099"},
        {"period": "custom", "start": "2095-01", "end": "2099-12"},
    ],
)
def test_the_edges_are_served(head_client, tree, query):
    page = head_client.get(reverse("dashboards:index"), query)
    assert page.status_code == 200 and not page.context["form"].errors
    export = head_client.get(reverse("dashboards:export", args=[tree.city_a.pk]), query)
    assert export.status_code == 200


def test_the_export_link_of_a_refused_period_exports_the_month_shown(head_client, tree):
    html = head_client.get(reverse("dashboards:index"), {"period": "month", "ref": "9999-12"}).content.decode()
    assert f'href="{reverse("dashboards:export", args=[tree.city_a.pk])}" data-testid="export"' in html


def test_the_year_message_names_the_range():
    assert PeriodForm({"period": "year", "year": "99999"}).errors["year"] == ["请填写 2000 至 2099 之间的年份。"]
    assert PeriodForm({"period": "year", "year": "1999"}).errors["year"] == ["请填写 2000 至 2099 之间的年份。"]
