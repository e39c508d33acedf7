"""The summary kept by the hook equals the set-based recomputation from the raw rows."""

from datetime import date

import pytest
from django.core.management import call_command

from dashboards.models import COUNTER_COLUMNS, UnitMonthStats
from dashboards.services import stats_rebuild, stats_reconcile
from tests.dashboards.journey import Journey, sh

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        (row["unit_id"], row["month"]): row
        for row in UnitMonthStats.objects.values(
            "unit_id", "month", "province_id", "city_id", "county_id", *COUNTER_COLUMNS
        )
    }


def test_hook_and_rebuild_agree(dataset):
    assert stats_reconcile() == []
    kept_by_hook = snapshot()
    assert stats_rebuild() == len(kept_by_hook)
    assert snapshot() == kept_by_hook


def test_reconcile_reports_a_difference_and_the_command_fails(dataset, tree, capsys):
    row = UnitMonthStats.objects.get(unit=tree.county_a1, month=date(2025, 3, 1))
    UnitMonthStats.objects.filter(pk=row.pk).update(filed=row.filed + 1)
    UnitMonthStats.objects.filter(unit=tree.county_a2, month=date(2025, 3, 1)).delete()

    differences = stats_reconcile(first=date(2025, 3, 1), last=date(2025, 3, 1))
    assert ("filed", 2, 3) in {(d.field, d.expected, d.actual) for d in differences if d.unit_id == tree.county_a1.pk}
    unit_differences = [d for d in differences if not d.field.startswith("rollup.")]
    assert {d.unit_id for d in unit_differences} == {tree.county_a1.pk, tree.county_a2.pk}
    # The province rollup no longer equals the sum of its (tampered) unit rows either.
    assert {d.unit_id for d in differences if d.field.startswith("rollup.")} == {tree.province.pk}
    assert stats_reconcile(first=date(2025, 8, 1), last=date(2025, 12, 1)) == []

    with pytest.raises(SystemExit) as exit_info:
        call_command("reconcile_stats", "--from", "2025-03", "--to", "2025-03")
    assert exit_info.value.code == 1
    assert "expected 2, found 3" in capsys.readouterr().out

    call_command("reconcile_stats", "--from", "2025-03", "--to", "2025-03", "--rebuild")
    assert "No differences." in capsys.readouterr().out
    assert stats_reconcile() == []


def test_province_rollup_equals_its_units(dataset, tree):
    from django.db.models import Sum

    from dashboards.models import ProvinceMonthStats

    rollup = ProvinceMonthStats.objects.get(province=tree.province, month=date(2025, 3, 1))
    sums = UnitMonthStats.objects.filter(province=tree.province, month=date(2025, 3, 1)).aggregate(
        filed=Sum("filed"), adopt=Sum("adopt_central_full")
    )
    assert (rollup.filed, rollup.adopt_central_full) == (sums["filed"], sums["adopt"]) == (6, 1)


def test_ancestor_columns(dataset, tree):
    row = UnitMonthStats.objects.get(unit=tree.county_a1, month=date(2025, 3, 1))
    assert (row.province_id, row.city_id, row.county_id) == (tree.province.pk, tree.city_a.pk, tree.county_a1.pk)
    city_row = UnitMonthStats.objects.get(unit=tree.city_a, month=date(2025, 3, 1))
    assert (city_row.province_id, city_row.city_id, city_row.county_id) == (tree.province.pk, tree.city_a.pk, None)


def test_forwarding_credit_rows(dataset, tree):
    city_a = UnitMonthStats.objects.get(unit=tree.city_a, month=date(2025, 3, 1))
    assert (city_a.fwd_province_abridged, city_a.fwd_central_full, city_a.fwd_city_full) == (1, 1, 0)
    city_b = UnitMonthStats.objects.get(unit=tree.city_b, month=date(2025, 8, 1))
    assert (city_b.fwd_province_full, city_b.fwd_central_abridged, city_b.filed) == (1, 1, 0)
    province = UnitMonthStats.objects.get(unit=tree.province, month=date(2025, 8, 1))
    assert (province.fwd_central_abridged, province.fwd_province_full) == (1, 0)


def test_withdraw_and_resubmit_count_once(tree, rules):
    j = Journey(tree)
    bulletin = j.bulletin("county_a1")
    j.submit(bulletin, sh(2025, 5, 1, 9))
    j.withdraw(bulletin, sh(2025, 5, 1, 15))
    j.submit(bulletin, sh(2025, 5, 2, 9))  # submitted again after the withdrawal: still one filing
    j.sign_off(bulletin, sh(2025, 5, 2, 10))
    row = UnitMonthStats.objects.get(unit=tree.county_a1, month=date(2025, 5, 1))
    assert (row.filed, row.signed_off) == (1, 1)
    assert stats_reconcile() == []


def test_beat_schedule_has_the_daily_reconcile(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reconcile-dashboard-stats"]
    assert entry["task"] == "dashboards.tasks.reconcile_stats"
    from dashboards.tasks import reconcile_stats

    assert reconcile_stats.delay().get() == 0


def test_incident_sent_up_exactly_at_its_deadline_is_late_as_on_its_clock(tree, rules):
    from incidents.models import ClockState, IncidentClock

    j = Journey(tree)
    bulletin = j.bulletin("county_a2", category="incident", occurred_at=sh(2025, 6, 1, 8))
    j.submit(bulletin, sh(2025, 6, 1, 20))
    j.sign_off(bulletin, sh(2025, 6, 2, 8))  # 24 hours to the second: the first late instant
    assert IncidentClock.objects.get(bulletin=bulletin).state == ClockState.SENT_LATE
    row = UnitMonthStats.objects.get(unit=tree.county_a2, month=date(2025, 6, 1))
    assert (row.incidents, row.incidents_late) == (1, 1)
    assert stats_reconcile() == []
