"""The figures of the fixed data set (tests/dashboards/conftest.py), computed by hand."""

from datetime import date
from decimal import Decimal

import pytest

from dashboards.models import ScoringRuleSet, UnitMonthStats
from dashboards.periods import Period
from dashboards.selectors import dashboard_get, month_score, rules_by_month

pytestmark = pytest.mark.django_db

MARCH = Period.containing("month", date(2025, 3, 1))
APRIL = Period.containing("month", date(2025, 4, 1))
YEAR = Period.containing("year", date(2025, 1, 1))


def rows_by_code(dash):
    return {row.unit.code: row for row in dash.children}


def test_city_head_march(dataset, tree, city_head):
    dash = dashboard_get(user=city_head, unit=tree.city_a, period=MARCH)
    rows = rows_by_code(dash)
    dh, xl = rows["lj-dh"], rows["lj-xl"]

    # 东湖区: B1 and B2 filed (B2 at 23:30 on 31 March), B1 and B8 signed off (B8 at 00:00 on 1 March).
    assert (dh.counts["filed"], dh.counts["signed_off"]) == (2, 2)
    assert dh.adoptions_by_level == [1, 1, 1]  # central, province, city
    assert dh.adoption_rate == 0.5  # B1 of {B1, B8}
    assert dh.counts["instructions"] == 1
    assert dh.score == Decimal("20")  # 10 + 5 × 0.6 + 2 + 5
    assert dh.counts["incidents"] == 0 and dh.timeliness_rate is None
    assert dh.top_return_reasons == []

    # 西岭县: three filed and signed off, two incidents (one late), one declined, four returns.
    assert (xl.counts["filed"], xl.counts["signed_off"]) == (3, 3)
    assert xl.adoptions_by_level == [0, 0, 0]
    assert xl.adoption_rate == 0
    assert (xl.counts["incidents"], xl.counts["incidents_late"]) == (2, 1)
    assert xl.timeliness_rate == 0.5
    assert xl.counts["declined"] == 1
    assert xl.returned == 4
    assert xl.score == Decimal("-2")

    assert [(row.unit.code, row.rank) for row in dash.children] == [("lj-dh", 1), ("lj-xl", 2)]

    # The city's own bulletin B7: adopted by the province in full.
    assert (dash.own.counts["filed"], dash.own.adopted_at("province"), dash.own.score) == (1, 1, Decimal("5"))
    assert dash.own.rank is None
    assert dash.total.counts["filed"] == 6
    assert dash.total.adoptions_by_level == [1, 2, 1]
    assert dash.total.score == Decimal("23")


def test_return_reasons_are_ranked_with_ties_in_list_order(dataset, tree, city_head):
    dash = dashboard_get(user=city_head, unit=tree.city_a, period=MARCH)
    xl = rows_by_code(dash)["lj-xl"]
    from review.models import ReturnReason

    assert xl.top_return_reasons == [
        (str(ReturnReason.LATE.label), 2),
        (str(ReturnReason.PERTINENCE.label), 1),
        (str(ReturnReason.WORDING.label), 1),
    ]


def test_month_boundary_is_midnight_in_shanghai(dataset, tree):
    b2_unit = tree.county_a1
    march = UnitMonthStats.objects.get(unit=b2_unit, month=date(2025, 3, 1))
    april = UnitMonthStats.objects.get(unit=b2_unit, month=date(2025, 4, 1))
    february = UnitMonthStats.objects.get(unit=b2_unit, month=date(2025, 2, 1))
    assert (february.filed, february.signed_off) == (1, 0)  # B8 at 23:59 on 28 February
    assert (march.filed, march.signed_off) == (2, 2)
    assert (april.filed, april.signed_off, april.return_verify, april.adopt_city_combined) == (0, 1, 1, 1)


def test_april_scores_the_digest(dataset, tree, city_head):
    dash = dashboard_get(user=city_head, unit=tree.city_a, period=APRIL)
    dh = rows_by_code(dash)["lj-dh"]
    assert dh.score == Decimal("0.6")
    assert dh.adoption_rate == 1.0  # B2 signed off in April and adopted
    assert dh.top_return_reasons[0][1] == 1


def test_province_year_uses_the_rules_of_each_month(dataset, tree):
    head = tree.user("province", "head")
    dash = dashboard_get(user=head, unit=tree.province, period=YEAR)
    rows = rows_by_code(dash)
    # city B's subtree: B6 in August under the second rule set: 5 + 20 × 0.5 + 10 = 25.
    assert rows["qs"].score == Decimal("25")
    # city A's subtree: March 23 + April 0.6.
    assert rows["lj"].score == Decimal("23.6")
    assert [(row.unit.code, row.rank) for row in dash.children] == [("qs", 1), ("lj", 2)]
    assert rows["lj"].counts["filed"] == 7  # B8 was filed in February
    assert dash.total.score == Decimal("48.6")
    assert dash.several_rule_sets


def test_one_rule_set_would_rank_differently(dataset, tree, rules):
    """Guard for the test above: under the first rule set B6 scores 16 and city A would lead."""
    rules.delete()
    head = tree.user("province", "head")
    dash = dashboard_get(user=head, unit=tree.province, period=YEAR)
    assert rows_by_code(dash)["qs"].score == Decimal("16")
    assert dash.children[0].unit.code == "lj"


def test_forwarding_credit_multiplier(dataset, tree):
    ScoringRuleSet.objects.update(forward_credit_multiplier=Decimal("0.5"))
    head = tree.user("province", "head")
    dash = dashboard_get(user=head, unit=tree.city_a.parent, period=MARCH)
    # city A forwarded B1 (adopted by the province abridged, 3, and the central department, 10):
    # its subtree gains (3 + 10) × 0.5; the province forwarded B1 to the central department: 10 × 0.5.
    assert rows_by_code(dash)["lj"].score == Decimal("23") + Decimal("6.5")
    assert dash.own.score == Decimal("5")


def test_central_head_sees_the_province(dataset, tree):
    head = tree.user("central", "head")
    dash = dashboard_get(user=head, unit=tree.central, period=YEAR)
    assert [row.unit.code for row in dash.children] == ["jd"]
    assert dash.children[0].score == Decimal("48.6")
    assert dash.total.adoptions_by_level == [2, 3, 2]


def test_county_page_lists_its_own_bulletins(dataset, tree):
    head = tree.user("county_a2", "head")
    dash = dashboard_get(user=head, unit=tree.county_a2, period=MARCH)
    assert dash.children == []
    assert dash.own.counts["filed"] == 3
    assert {b.title for b in dash.bulletins} == {"西岭县突发事件一", "西岭县突发事件二", "西岭县干部培训动态"}


def test_trend_covers_twelve_months(dataset, tree, city_head):
    dash = dashboard_get(user=city_head, unit=tree.city_a, period=APRIL)
    data = dash.chart_data()
    assert data["trend"]["months"][0] == "2024-05" and data["trend"]["months"][-1] == "2025-04"
    assert data["trend"]["filed"][-3:] == [1, 6, 0]  # Feb, Mar, Apr
    assert data["trend"]["adoptions"][-2:] == [4, 1]


def test_rule_in_force_per_month(rules):
    by_month = rules_by_month([date(2024, 12, 1), date(2025, 6, 1), date(2025, 7, 1)])
    assert by_month[date(2024, 12, 1)].pk is None  # before any rule set: the defaults
    assert by_month[date(2025, 6, 1)].name == "2025年上半年"
    assert by_month[date(2025, 7, 1)] == rules
    from collections import Counter

    assert month_score(Counter(adopt_central_abridged=1, incidents_late=1), rules) == Decimal("7")


def test_an_incident_still_overdue_counts_as_late_for_timeliness_and_score(dataset, tree, city_head):
    """西岭县 sent one incident on time and one late in March; 东湖区 now has one flagged and never
    sent up (deadline 21 March 08:00): it shows as overdue, costs the late weight (2 in March) and
    March's timeliness falls to 1/3."""
    import time_machine

    from incidents.services import incidents_flag_overdue
    from tests.committed import committed
    from tests.dashboards.journey import Journey, sh

    j = Journey(tree)
    j.bulletin("county_a1", title="东湖区突发事件未报", category="incident", occurred_at=sh(2025, 3, 20, 8))
    with time_machine.travel(sh(2025, 3, 21, 9), tick=False), committed():
        incidents_flag_overdue()

    dash = dashboard_get(user=city_head, unit=tree.city_a, period=MARCH)
    rows = rows_by_code(dash)
    east, west = rows["lj-dh"], rows["lj-xl"]
    assert (east.counts["incidents"], east.counts["incidents_late"], east.counts["incidents_overdue_open"]) == (1, 1, 1)
    assert east.timeliness_rate == 0.0
    assert east.score == Decimal("18")  # 20 − 2
    assert (west.counts["incidents"], west.counts["incidents_late"], west.timeliness_rate) == (2, 1, 0.5)
    assert dash.total.counts["incidents_overdue_open"] == 1
    assert dash.total.timeliness_rate == pytest.approx(1 / 3)
    # Not in April's figures: its deadline fell in March.
    april = dashboard_get(user=city_head, unit=tree.city_a, period=APRIL).total
    assert (april.counts["incidents_overdue_open"], april.counts["incidents_late"]) == (0, 0)
