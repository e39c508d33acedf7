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


def test_a_year_is_chosen_as_a_year_and_a_quarter_as_a_quarter(client, tree, dataset):
    login(client, tree.user("city_a", "head"))
    url = reverse("dashboards:index")
    year = client.get(url, {"period": "year", "year": "2025"})
    assert (year.context["dash"].period.first, year.context["dash"].period.last) == (
        date(2025, 1, 1),
        date(2025, 12, 1),
    )
    assert year.context["dash"].total.counts["filed"] == 7
    quarter = client.get(url, {"period": "quarter", "year": "2025", "quarter": "2"})
    period = quarter.context["dash"].period
    assert (period.kind, period.first, period.last, period.label) == (
        "quarter",
        date(2025, 4, 1),
        date(2025, 6, 1),
        "2025年第2季度",
    )
    first = client.get(url, {"period": "quarter", "year": "2025", "quarter": "1"})
    assert first.context["dash"].total.counts["filed"] == 7  # February and March
    # Links from before the year and quarter controls still open the same period.
    legacy = client.get(url, {"period": "quarter", "ref": "2025-05"}).context["dash"].period
    assert (legacy.first, legacy.last) == (date(2025, 4, 1), date(2025, 6, 1))


def test_every_period_control_is_there_without_javascript_and_shows_the_period(client, tree, dataset):
    """With JavaScript off every control shows (period_form.js hides the others); each shows the
    period chosen, and the server reads only those of its kind."""
    login(client, tree.user("city_a", "head"))
    html = client.get(
        reverse("dashboards:index"), {"period": "quarter", "year": "2025", "quarter": "3", "ref": "2020-01"}
    ).content.decode()
    assert html.count("data-period-kinds=") == 5
    assert 'data-period-kinds="quarter year"' in html and 'data-period-kinds="custom"' in html
    assert 'name="year" value="2025"' in html
    assert '<option value="3" selected>第三季度</option>' in html
    assert 'name="ref" value="2025-07"' in html  # the quarter's first month, not the ignored 2020-01
    assert "static/js/period_form.js" in html and "onchange" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"period": "quarter", "year": "2025", "quarter": "5"},
        {"period": "year", "year": "12025"},
        {"period": "year", "year": "1899"},
        {"period": "quarter", "year": "二〇二五", "quarter": "1"},
    ],
)
def test_a_bad_year_or_quarter_is_refused_with_a_message(client, tree, query):
    login(client, tree.user("city_a", "head"))
    response = client.get(reverse("dashboards:index"), query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "现显示本月数据。" in response.content.decode()
    assert response.context["dash"].period.kind == "month"


def test_the_kpis_count_bulletins_adopted_beside_adoptions_per_level(client, tree, dataset):
    """March, 临江市 and below: six bulletins signed off (B1, B8, B3, B4, B5, B7), two of them
    adopted (B1, B7): 采用数 2, 采用率 2 ÷ 6; four adoptions: central 1, province 2, city 1."""
    login(client, tree.user("city_a", "head"))
    response = client.get(reverse("dashboards:index"), MARCH)
    total = response.context["dash"].total
    assert (total.counts["signed_off"], total.adopted, total.adoptions) == (6, 2, 4)
    assert total.adoption_rate == pytest.approx(2 / 6)
    html = response.content.decode()
    assert '<div class="fs-4" data-testid="total-adopted">2</div>' in html
    assert '<div class="fs-4" data-testid="total-rate">33.3%</div>' in html
    assert "采用次数：中组部 1 · 省级 2 · 市级 1" in html
    assert "签发 6 条，被采用 2 条" in html
    assert "采用情况" not in html.split('data-testid="totals"')[1].split('data-testid="rule-text"')[0]


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


def _header_row(sheet) -> int:
    """The header row: the one the sheet repeats on every printed page."""
    return int(sheet.print_title_rows.split(":")[0].lstrip("$"))


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
    header = _header_row(sheet)
    headers = [cell.value for cell in sheet[header]]
    assert headers == page.context["headers"]
    assert headers[:4] == ["排名", "单位", "报送", "已签发报送"]
    exported = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=header + 1)]
    on_page = [values for _, values in page.context["rows"]]
    assert exported == on_page
    evil = sheet.cell(row=header + 1 + [v[1] for v in on_page].index("=cmd|' /C calc'!A0"), column=2)
    assert evil.value == "=cmd|' /C calc'!A0"
    assert evil.data_type == "s"
    dh = dict(zip(headers, next(values for values in exported if values[1] == "东湖区"), strict=True))
    assert (dh["排名"], dh["报送"], dh["已签发报送"], dh["积分"]) == (1, 2, 2, 20.0)
    assert (dh["采用数"], dh["采用率"]) == (1, 0.5)


@pytest.fixture
def frozen_today():
    import time_machine

    from tests.dashboards.journey import sh

    with time_machine.travel(sh(2026, 12, 2, 10), tick=False):
        yield


def test_every_sheet_of_the_export_is_print_ready(client, tree, dataset, frozen_today):
    """A4 landscape, one page wide, the header repeated, a merged centred title, the compiling unit
    and date, thin borders, named CJK fonts with sizes, and a width on every column — on every
    sheet (the ranking, the adopted bulletins, a county's own bulletins)."""
    login(client, tree.user("province", "head"))
    for unit in (tree.city_a, tree.county_a1):
        workbook = _workbook(client.get(reverse("dashboards:export", args=[unit.pk]), MARCH))
        names = workbook.sheetnames
        assert names[:2] == ["通报排名", "采用信息明细"]
        assert names[2:] == (["信息稿件"] if unit == tree.county_a1 else [])
        for sheet in workbook.worksheets:
            setup = sheet.page_setup
            assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
            assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
            header = _header_row(sheet)
            assert sheet.print_title_rows == f"${header}:${header}"
            width = sheet.max_column
            last = sheet.cell(row=header, column=width).column_letter
            assert f"A1:{last}1" in {str(r) for r in sheet.merged_cells.ranges}
            title = sheet["A1"]
            assert title.alignment.horizontal == "center"
            assert (title.font.name, title.font.size, title.font.b) == ("黑体", 16, True)
            assert unit.name in title.value and "2025年3月" in title.value
            compiled = sheet.cell(row=header - 1, column=1).value
            assert compiled == "制表单位：江东省委组织部    制表日期：2026年12月2日"
            for column in range(1, width + 1):
                letter = sheet.cell(row=header, column=column).column_letter
                assert sheet.column_dimensions[letter].width, f"{sheet.title} column {letter} has no width"
            for row in sheet.iter_rows(min_row=header, max_row=sheet.max_row):
                for cell in row:
                    assert cell.font.name in ("宋体", "黑体") and cell.font.size, cell.coordinate
                    assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", cell.coordinate
            headers = [cell.font for cell in sheet[header]]
            assert {(font.name, font.b) for font in headers} == {("黑体", True)}


def test_the_adopted_bulletins_sheet_lists_what_the_figures_count(client, tree, dataset, django_assert_num_queries):
    """March at the province: B1 (city full, province abridged, central full) and B7 (province
    full): four adoptions, as on the page; B2 was adopted in April."""
    login(client, tree.user("province", "head"))
    page = client.get(reverse("dashboards:index"), MARCH)
    assert page.context["dash"].total.adoptions == 4
    workbook = _workbook(client.get(reverse("dashboards:export", args=[tree.province.pk]), MARCH))
    sheet = workbook["采用信息明细"]
    header = _header_row(sheet)
    assert [c.value for c in sheet[header]] == ["序号", "标题", "报送单位", "采用层级及方式", "首次采用日期"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=header + 1)]
    assert rows == [
        [1, "临江市人才工作经验", "临江市", "省级·江东省：全文采用", "2025-03-06"],
        [
            2,
            "东湖区创新党员教育管理方式",
            "东湖区",
            "中组部：全文采用；省级·江东省：摘要采用；市级·临江市：全文采用",
            "2025-03-11",
        ],
    ]


def test_the_adopted_bulletins_are_read_in_one_streamed_query(tree, dataset, django_assert_num_queries):
    from dashboards.periods import Period
    from dashboards.selectors import adopted_bulletins_iter

    head = tree.user("central", "head")
    assert head.unit == tree.central  # loaded before counting
    year = Period.containing("year", date(2025, 1, 1))
    with django_assert_num_queries(1):
        items = list(adopted_bulletins_iter(user=head, unit=tree.central, period=year))
    assert [item.title for item in items] == [
        "临江市人才工作经验",
        "东湖区创新党员教育管理方式",
        "东湖区基层组织情况",
        "松源县乡村振兴中的党建引领",
    ]
    assert sum(len(item.adoptions) for item in items) == 7


def test_a_reviewer_lists_only_the_adopted_bulletins_they_may_see(client, tree, dataset):
    """The city reviewer's own dashboard: the county bulletins adopted in the period all reached
    the city's queue; B7 is the city's own."""
    login(client, tree.user("city_b", "reviewer"))
    workbook = _workbook(
        client.get(reverse("dashboards:export", args=[tree.city_b.pk]), {"period": "year", "ref": "2025-01"})
    )
    sheet = workbook["采用信息明细"]
    titles = [row[1].value for row in sheet.iter_rows(min_row=_header_row(sheet) + 1)]
    assert titles == ["松源县乡村振兴中的党建引领"]


def test_county_export_lists_bulletins_with_a_formula_title_as_text(client, tree, dataset):
    from bulletins.models import Bulletin

    Bulletin.objects.filter(title="西岭县干部培训动态").update(title="=cmd|' /C calc'!A0")
    login(client, tree.user("city_a", "head"))
    response = client.get(reverse("dashboards:export", args=[tree.county_a2.pk]), MARCH)
    workbook = _workbook(response)
    detail = workbook["信息稿件"]
    titles = {row[0].value: row[0].data_type for row in detail.iter_rows(min_row=_header_row(detail) + 1)}
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
