"""The dashboard sums a period's counters and scores in SQL; here they are checked against
`month_score` applied month by month in Python, with the rules changing in the middle of the year."""

import random
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from dashboards.models import COUNTER_COLUMNS, ProvinceMonthStats, ScoringRuleSet, UnitMonthStats
from dashboards.periods import Period
from dashboards.selectors import dashboard_get, month_score

pytestmark = pytest.mark.django_db

YEAR = Period.containing("year", date(2025, 1, 1))
CHANGE = date(2025, 5, 1)  # the second rule set is in force from May
# The months with data: both sides of the change, and one month either side of the year that
# must count for nothing.
MONTHS = [date(2024, 12, 1), date(2025, 1, 1), date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
MONTHS += [date(2025, 12, 1), date(2026, 1, 1)]


@pytest.fixture
def rule_sets(db):
    """Two sets whose every coefficient differs, so a month scored by the wrong set shows."""
    first = ScoringRuleSet.objects.create(
        name="旧规则",
        valid_from=date(2024, 1, 1),
        points_city=Decimal("2.25"),
        factor_combined=Decimal("0.35"),
        forward_credit_multiplier=Decimal("0.35"),
    )
    second = ScoringRuleSet.objects.create(
        name="新规则",
        valid_from=CHANGE,
        points_central=Decimal("7.25"),
        points_province=Decimal("4.5"),
        factor_abridged=Decimal("0.55"),
        instruction_bonus=Decimal("4.5"),
        late_incident_penalty=Decimal("1.75"),
        forward_credit_multiplier=Decimal("0"),
    )
    return first, second


@pytest.fixture
def stats(tree, rule_sets):
    """Random counters for every unit below the central department (and for it) in MONTHS,
    with the province rollup kept as the hook would. City B's subtree has figures only under the
    first rule set and the central department's own only under the second: a line without any
    month under one of the sets must still score the other's."""
    rng = random.Random(20250501)
    rows = []
    for unit in [
        tree.central,
        tree.province,
        tree.city_a,
        tree.county_a1,
        tree.county_a2,
        tree.city_b,
        tree.county_b1,
    ]:
        ancestry = [int(part) for part in unit.path.strip("/").split("/")]
        for month in MONTHS:
            if (unit in (tree.city_b, tree.county_b1) and month >= CHANGE) or (unit == tree.central and month < CHANGE):
                continue
            rows.append(
                UnitMonthStats(
                    unit=unit,
                    month=month,
                    province_id=ancestry[1] if len(ancestry) > 1 else None,
                    city_id=ancestry[2] if len(ancestry) > 2 else None,
                    county_id=ancestry[3] if len(ancestry) > 3 else None,
                    **{column: rng.randint(0, 9) for column in COUNTER_COLUMNS},
                )
            )
    UnitMonthStats.objects.bulk_create(rows)
    rollup = {}
    for row in rows:
        if row.province_id is None:
            continue
        target = rollup.setdefault(row.month, Counter())
        target.update({column: getattr(row, column) for column in COUNTER_COLUMNS})
    ProvinceMonthStats.objects.bulk_create(
        ProvinceMonthStats(province=tree.province, month=month, **counts) for month, counts in rollup.items()
    )
    return rows


def expected(stats, rule_sets, belongs):
    """Counters and score of the rows `belongs` selects, month by month with month_score."""
    first, second = rule_sets
    counts, score = Counter(), Decimal(0)
    for row in stats:
        if not (YEAR.first <= row.month <= YEAR.last) or not belongs(row):
            continue
        month_counts = Counter({column: getattr(row, column) for column in COUNTER_COLUMNS})
        counts.update(month_counts)
        score += month_score(month_counts, second if row.month >= CHANGE else first)
    return counts, score


def assert_row(row, counts, score):
    assert row.score == score
    assert {column: row.counts[column] for column in COUNTER_COLUMNS} == {
        column: counts[column] for column in COUNTER_COLUMNS
    }


def test_province_rows_and_total_are_scored_by_the_rules_of_each_month(tree, stats, rule_sets):
    dash = dashboard_get(user=tree.user("province", "head"), unit=tree.province, period=YEAR)
    assert dash.several_rule_sets
    rows = {row.unit.pk: row for row in dash.children}
    assert set(rows) == {tree.city_a.pk, tree.city_b.pk}
    for city in (tree.city_a, tree.city_b):
        assert_row(rows[city.pk], *expected(stats, rule_sets, lambda r, city=city: r.city_id == city.pk))
    assert_row(dash.own, *expected(stats, rule_sets, lambda r: r.unit_id == tree.province.pk))
    total_counts, total_score = expected(stats, rule_sets, lambda r: r.province_id == tree.province.pk)
    assert_row(dash.total, total_counts, total_score)
    assert total_score != 0
    # Scoring the whole year by either rule set alone gives another figure: the change matters.
    for rules in rule_sets:
        assert month_score(total_counts, rules) != total_score


def test_city_rows_cover_the_counties_and_the_months_of_the_period_only(tree, stats, rule_sets):
    dash = dashboard_get(user=tree.user("city_a", "head"), unit=tree.city_a, period=YEAR)
    rows = {row.unit.pk: row for row in dash.children}
    for county in (tree.county_a1, tree.county_a2):
        assert_row(rows[county.pk], *expected(stats, rule_sets, lambda r, county=county: r.unit_id == county.pk))
    assert_row(dash.own, *expected(stats, rule_sets, lambda r: r.unit_id == tree.city_a.pk))
    assert_row(dash.total, *expected(stats, rule_sets, lambda r: r.city_id == tree.city_a.pk))


def test_central_rows_come_from_the_rollup_plus_its_own(tree, stats, rule_sets):
    dash = dashboard_get(user=tree.user("central", "head"), unit=tree.central, period=YEAR)
    [province] = dash.children
    assert_row(province, *expected(stats, rule_sets, lambda r: r.province_id == tree.province.pk))
    assert_row(dash.own, *expected(stats, rule_sets, lambda r: r.unit_id == tree.central.pk))
    assert_row(dash.total, *expected(stats, rule_sets, lambda r: True))


def test_trend_counts_every_month_of_the_window(tree, stats, rule_sets):
    dash = dashboard_get(user=tree.user("central", "head"), unit=tree.central, period=YEAR)
    for month in YEAR.months:
        in_month = [row for row in stats if row.month == month]
        assert dash.trend[month]["filed"] == sum(row.filed for row in in_month)
        assert dash.trend[month]["adopted_bulletins"] == sum(row.adopted_bulletins for row in in_month)
        assert dash.trend[month]["adoptions"] == sum(
            getattr(row, column) for row in in_month for column in COUNTER_COLUMNS if column.startswith("adopt_")
        )
