"""The fixed data set whose figures tests/dashboards/test_numbers.py checks by hand."""

from datetime import date
from decimal import Decimal

import pytest

from dashboards.models import ScoringRuleSet
from tests.dashboards.journey import Journey, sh


@pytest.fixture
def rules(db):
    """Defaults from January 2025; from July 2025 central 20, abridged ×0.5, instruction +10, late −3."""
    ScoringRuleSet.objects.create(name="2025年上半年", valid_from=date(2025, 1, 1))
    return ScoringRuleSet.objects.create(
        name="2025年下半年",
        valid_from=date(2025, 7, 1),
        points_central=Decimal("20"),
        factor_abridged=Decimal("0.5"),
        instruction_bonus=Decimal("10"),
        late_incident_penalty=Decimal("3"),
    )


@pytest.fixture
def dataset(tree, rules):
    j = Journey(tree)
    b = {}
    # B1 (东湖区): adopted by the city in full, the province abridged, the central department in
    # full, with a central leader's instruction. March 2025, defaults: 2 + 3 + 10 + 5 = 20.
    b[1] = j.bulletin("county_a1", title="东湖区创新党员教育管理方式")
    j.submit(b[1], sh(2025, 3, 10, 9))
    j.sign_off(b[1], sh(2025, 3, 10, 10))
    j.adopt(b[1], "city_a", "full", sh(2025, 3, 11, 9), forward=True)
    j.adopt(b[1], "province", "abridged", sh(2025, 3, 12, 9), forward=True)
    j.adopt(b[1], "central", "full", sh(2025, 3, 13, 9))
    j.instruction(b[1], "central", sh(2025, 3, 20, 9))
    # B2 (东湖区): filed 23:30 on 31 March, signed off at 00:00 on 1 April (still March in UTC),
    # returned (facts to verify), resubmitted, adopted by the city as part of a digest: April, 0.6.
    b[2] = j.bulletin("county_a1", title="东湖区基层组织情况")
    j.submit(b[2], sh(2025, 3, 31, 23, 30))
    j.sign_off(b[2], sh(2025, 4, 1, 0, 0))
    j.return_(b[2], "city_a", "verify", sh(2025, 4, 2, 9))
    j.resubmit(b[2], "city_a", sh(2025, 4, 3, 9))
    j.adopt(b[2], "city_a", "combined", sh(2025, 4, 5, 9))
    # B8 (东湖区): filed 23:59 on 28 February, signed off at 00:00 on 1 March; never decided.
    b[8] = j.bulletin("county_a1", title="东湖区二月工作动态")
    j.submit(b[8], sh(2025, 2, 28, 23, 59))
    j.sign_off(b[8], sh(2025, 3, 1, 0, 0))
    # B3 (西岭县): an incident sent up on time, then declined by the city.
    b[3] = j.bulletin("county_a2", title="西岭县突发事件一", category="incident", occurred_at=sh(2025, 3, 5, 8))
    j.submit(b[3], sh(2025, 3, 5, 20))
    j.sign_off(b[3], sh(2025, 3, 6, 7, 59))
    j.decline(b[3], "city_a", "low_value", sh(2025, 3, 7, 9))
    # B4 (西岭县): an incident sent up late (deadline 16 March 08:00), returned twice as too late.
    b[4] = j.bulletin("county_a2", title="西岭县突发事件二", category="incident", occurred_at=sh(2025, 3, 15, 8))
    j.submit(b[4], sh(2025, 3, 16, 9))
    j.sign_off(b[4], sh(2025, 3, 16, 10))
    j.return_(b[4], "city_a", "late", sh(2025, 3, 17, 9))
    j.resubmit(b[4], "city_a", sh(2025, 3, 18, 9))
    j.return_(b[4], "city_a", "late", sh(2025, 3, 19, 9))
    # B5 (西岭县): returned for wording, resubmitted, returned for lacking pertinence.
    b[5] = j.bulletin("county_a2", title="西岭县干部培训动态")
    j.submit(b[5], sh(2025, 3, 20, 9))
    j.sign_off(b[5], sh(2025, 3, 20, 10))
    j.return_(b[5], "city_a", "wording", sh(2025, 3, 21, 9))
    j.resubmit(b[5], "city_a", sh(2025, 3, 22, 9))
    j.return_(b[5], "city_a", "pertinence", sh(2025, 3, 23, 9))
    # B7 (临江市, the city's own): adopted by the province in full. March, 5.
    b[7] = j.bulletin("city_a", title="临江市人才工作经验")
    j.submit(b[7], sh(2025, 3, 5, 9))
    j.sign_off(b[7], sh(2025, 3, 5, 10))
    j.adopt(b[7], "province", "full", sh(2025, 3, 6, 9))
    # B6 (松源县): August, second rule set: forwarded by the city, adopted by the province in full
    # and forwarded, adopted by the central department abridged, instruction at the province:
    # 5 + 20 × 0.5 + 10 = 25 (the first rule set would give 5 + 6 + 5 = 16).
    b[6] = j.bulletin("county_b1", title="松源县乡村振兴中的党建引领")
    j.submit(b[6], sh(2025, 8, 1, 9))
    j.sign_off(b[6], sh(2025, 8, 1, 10))
    j.forward(b[6], "city_b", sh(2025, 8, 2, 9))
    j.adopt(b[6], "province", "full", sh(2025, 8, 3, 9), forward=True)
    j.adopt(b[6], "central", "abridged", sh(2025, 8, 4, 9))
    j.instruction(b[6], "province", sh(2025, 8, 10, 9))
    # A draft that was never submitted counts nowhere.
    j.bulletin("county_a1", title="未提交的草稿")
    return b
