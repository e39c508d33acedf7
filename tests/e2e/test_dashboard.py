"""A city office head opens the dashboard, sees the charts, drills into a county and exports."""

import re

import pytest
from openpyxl import load_workbook

from tests.dashboards.conftest import dataset, rules  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_head_dashboard_charts_drill_down_and_export(page, login, live_server, tree, dataset, tmp_path):  # noqa: F811
    login(tree.user("city_a", "head"))
    page.goto(f"{live_server.url}/dashboard/?period=year&ref=2025-03")
    assert "临江市委组织部" in page.inner_text("h1")
    assert page.locator('[data-testid="period-label"]').inner_text() == "2025年"

    # The charts render as SVG holding the data: bars and lines, and the counties' names.
    page.wait_for_selector("#chart-trend svg path", state="attached")
    page.wait_for_selector("#chart-ranking svg path", state="attached")
    assert page.locator("#chart-trend svg path").count() > 5
    assert page.locator("#chart-levels svg path").count() >= 3
    ranking_text = page.inner_text("#chart-ranking")
    ranking_svg = page.inner_html("#chart-ranking")
    assert "东湖区" in ranking_text or "东湖区" in ranking_svg
    assert "20" in ranking_svg

    row = page.locator('tr[data-unit="lj-dh"]')
    assert row.locator('[data-col="score"]').inner_text() == "20.6"

    # Drill down into 东湖区: breadcrumbs lead back up, its own bulletins are listed.
    row.get_by_role("link", name="东湖区").click()
    page.wait_for_url(re.compile(r"/dashboard/unit/\d+/\?period=year&ref=2025-03"))
    crumbs = page.locator('[data-testid="breadcrumbs"]')
    assert "临江市" in crumbs.inner_text() and "东湖区" in crumbs.inner_text()
    bulletins = page.locator('[data-testid="county-bulletins"]')
    assert "东湖区创新党员教育管理方式" in bulletins.inner_text()
    assert "未提交的草稿" not in bulletins.inner_text()

    with page.expect_download() as download_info:
        page.click('[data-testid="export"]')
    download = download_info.value
    assert download.suggested_filename == "东湖区_2025_采用排名.xlsx"
    target = tmp_path / "export.xlsx"
    download.save_as(target)
    sheet = load_workbook(target).worksheets[0]
    assert sheet.cell(row=4, column=1).value == "排名"

    crumbs.get_by_role("link", name="临江市").click()
    page.wait_for_selector('tr[data-unit="lj-xl"]')


def test_period_controls_show_only_the_chosen_kind_and_the_trend_marks_this_month(page, login, live_server, tree):
    from django.utils import timezone

    from dashboards.periods import month_of

    login(tree.user("city_a", "head"))
    page.goto(f"{live_server.url}/dashboard/")
    form = page.locator('[data-testid="period-form"]')

    def shown():
        return [
            wrapper.get_attribute("data-period-kinds")
            for wrapper in form.locator("[data-period-kinds]").all()
            if wrapper.is_visible()
        ]

    assert shown() == ["month"]
    form.locator("select[name=period]").select_option("quarter")
    assert shown() == ["quarter year", "quarter"]
    form.locator("select[name=period]").select_option("custom")
    assert shown() == ["custom", "custom"]
    form.locator("select[name=period]").select_option("year")
    assert shown() == ["quarter year"]

    form.locator("select[name=period]").select_option("quarter")
    form.locator("input[name=year]").fill("2025")
    form.locator("select[name=quarter]").select_option("2")
    form.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"period=quarter"))
    # The hidden controls were not sent: the address names a year and a quarter only.
    assert page.url.endswith("/dashboard/?period=quarter&year=2025&quarter=2")
    assert page.locator('[data-testid="period-label"]').inner_text() == "2025年第2季度"
    assert shown() == ["quarter year", "quarter"]

    this_month = f"{month_of(timezone.now()):%Y-%m}"
    page.goto(f"{live_server.url}/dashboard/?period=year&year={this_month[:4]}")
    # The dashed line's label and the month's axis label both say 本月.
    page.locator("#chart-trend svg text", has_text="本月").first.wait_for(state="attached")
    labels = page.locator("#chart-trend svg text").all_text_contents()
    assert this_month in labels and labels.count("本月") == 2
    page.goto(f"{live_server.url}/dashboard/?period=year&year=2024")
    page.wait_for_selector("#chart-trend svg path", state="attached")
    assert "本月" not in page.inner_html("#chart-trend")
