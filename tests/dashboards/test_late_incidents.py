"""A late incident costs the late weight once, in the month its deadline passed, whether it is
sent up late or never: on the page, in the Excel export and in the reconcile alike."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from dashboards.models import LateIncidentCount, UnitMonthStats
from dashboards.services import stats_reconcile
from incidents.models import ClockState, IncidentClock
from incidents.services import incidents_flag_overdue
from tests.committed import committed
from tests.dashboards.journey import Journey, sh

pytestmark = pytest.mark.django_db

APRIL = {"period": "month", "ref": "2025-04"}
MAY = {"period": "month", "ref": "2025-05"}


def flag_overdue(at):
    with time_machine.travel(at, tick=False), committed():
        return incidents_flag_overdue()


@pytest.fixture
def incidents(tree, rules):
    """东湖区, April 2025 (the first rule set: 2 points per late incident):

    - late: occurred 29 April 12:00, due 30 April 12:00, flagged at 13:00, sent up on 2 May;
    - never: occurred 10 April 08:00, due 11 April 08:00, flagged, never sent up;
    - on time: occurred 20 April 08:00, sent up at 18:00.
    """
    j = Journey(tree)
    late = j.bulletin("county_a1", title="东湖区突发事件逾期报送", category="incident", occurred_at=sh(2025, 4, 29, 12))
    never = j.bulletin("county_a1", title="东湖区突发事件未报", category="incident", occurred_at=sh(2025, 4, 10, 8))
    on_time = j.bulletin("county_a1", title="东湖区突发事件按时", category="incident", occurred_at=sh(2025, 4, 20, 8))
    j.submit(never, sh(2025, 4, 10, 9))
    assert flag_overdue(sh(2025, 4, 11, 9)).flagged == (never.pk,)
    j.submit(on_time, sh(2025, 4, 20, 9))
    j.sign_off(on_time, sh(2025, 4, 20, 18))
    j.submit(late, sh(2025, 4, 29, 13))
    assert flag_overdue(sh(2025, 4, 30, 13)).flagged == (late.pk,)
    j.sign_off(late, sh(2025, 5, 2, 10))
    states = dict(IncidentClock.objects.values_list("bulletin_id", "state"))
    assert states == {late.pk: ClockState.SENT_LATE, never.pk: ClockState.FLAGGED, on_time.pk: ClockState.SENT_ON_TIME}
    return {"late": late, "never": never, "on_time": on_time}


def _row(tree, month):
    return UnitMonthStats.objects.filter(unit=tree.county_a1, month=month).first()


def test_each_late_incident_counts_once_in_its_deadline_month(tree, incidents):
    april, may = _row(tree, date(2025, 4, 1)), _row(tree, date(2025, 5, 1))
    assert (april.incidents, april.incidents_late) == (3, 2)
    assert (may.incidents, may.incidents_late, may.signed_off) == (0, 0, 1)  # sent up in May, late in April
    assert set(LateIncidentCount.objects.values_list("bulletin_id", flat=True)) == {
        incidents["late"].pk,
        incidents["never"].pk,
    }
    assert stats_reconcile() == []


def test_page_export_and_reconcile_agree_on_the_score(client, tree, incidents):
    client.force_login(tree.user("city_a", "head"))
    page = client.get(reverse("dashboards:index"), APRIL)
    row = next(row for row, _ in page.context["rows"] if row.kind == "child" and row.unit.code == "lj-dh")
    assert row.score == Decimal("-4")  # two late incidents × 2
    assert (row.counts["incidents"], row.counts["incidents_late"], row.counts["incidents_overdue_open"]) == (3, 2, 1)
    assert row.timeliness_rate == pytest.approx(1 / 3)
    html = page.content.decode()
    assert 'data-unit="lj-dh"' in html and '<td data-col="score" class="fw-semibold">-4.0</td>' in html

    response = client.get(reverse("dashboards:export", args=[tree.city_a.pk]), APRIL)
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    header_row = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "排名")
    values = next(r for r in sheet.iter_rows(values_only=True) if r and r[1] == "东湖区")
    exported = dict(zip(header_row, values, strict=True))
    assert exported["积分"] == -4.0
    assert (exported["突发事件"], exported["逾期"], exported["逾期未报"]) == (3, 2, 1)

    may = client.get(reverse("dashboards:index"), MAY)
    east = next(row for row, _ in may.context["rows"] if row.kind == "child" and row.unit.code == "lj-dh")
    assert east.score == Decimal("0") and east.counts["incidents_late"] == 0

    assert stats_reconcile() == []
    call_command("reconcile_stats")  # exits 1 on any difference


def test_the_rebuild_moves_late_incidents_to_their_deadline_month(tree, incidents, capsys):
    """Summaries kept before this rule counted the late one in May (its sign-off) and the one never
    sent up nowhere; `reconcile_stats --rebuild` puts both in April and fills the ledger."""
    UnitMonthStats.objects.filter(unit=tree.county_a1, month=date(2025, 4, 1)).update(incidents=1, incidents_late=0)
    UnitMonthStats.objects.filter(unit=tree.county_a1, month=date(2025, 5, 1)).update(incidents=1, incidents_late=1)
    LateIncidentCount.objects.all().delete()
    fields = {(d.month, d.field) for d in stats_reconcile() if not d.field.startswith("rollup.")}
    assert fields == {
        (date(2025, 4, 1), "incidents"),
        (date(2025, 4, 1), "incidents_late"),
        (date(2025, 5, 1), "incidents"),
        (date(2025, 5, 1), "incidents_late"),
    }

    call_command("reconcile_stats", "--rebuild")
    assert "No differences." in capsys.readouterr().out
    april, may = _row(tree, date(2025, 4, 1)), _row(tree, date(2025, 5, 1))
    assert (april.incidents, april.incidents_late, may.incidents, may.incidents_late) == (3, 2, 0, 0)
    assert LateIncidentCount.objects.count() == 2

    # A flag heard of after the rebuild (a delivery retried) does not count the incident again.
    from dashboards.services import stats_record_flagged

    with committed():
        stats_record_flagged(bulletin_id=incidents["never"].pk)
    assert _row(tree, date(2025, 4, 1)).incidents_late == 2


def test_a_late_sign_off_before_any_check_counts_once_in_its_deadline_month(tree, rules):
    """Sent up late before the check ever ran: the sign-off counts it; the check then flags nothing."""
    j = Journey(tree)
    bulletin = j.bulletin("county_a2", category="incident", occurred_at=sh(2025, 5, 31, 12))
    j.submit(bulletin, sh(2025, 5, 31, 13))
    j.sign_off(bulletin, sh(2025, 6, 1, 13))  # due 1 June 12:00
    assert flag_overdue(sh(2025, 6, 1, 14)).flagged == ()
    row = UnitMonthStats.objects.get(unit=tree.county_a2, month=date(2025, 6, 1))
    assert (row.incidents, row.incidents_late, row.signed_off) == (1, 1, 1)
    assert not UnitMonthStats.objects.filter(unit=tree.county_a2, month=date(2025, 5, 1), incidents__gt=0).exists()
    assert stats_reconcile() == []


def test_one_check_flagging_several_incidents_counts_each_of_them(tree, rules):
    """The check announces one id per run; the statistics count every incident that run flagged."""
    j = Journey(tree)
    first = j.bulletin("county_a1", category="incident", occurred_at=sh(2025, 7, 1, 8))
    second = j.bulletin("county_b1", category="incident", occurred_at=sh(2025, 6, 30, 20))
    assert set(flag_overdue(sh(2025, 7, 2, 9)).flagged) == {first.pk, second.pk}
    east = UnitMonthStats.objects.get(unit=tree.county_a1, month=date(2025, 7, 1))
    songyuan = UnitMonthStats.objects.get(unit=tree.county_b1, month=date(2025, 7, 1))
    assert (east.incidents_late, songyuan.incidents_late) == (1, 1)
    assert stats_reconcile() == []
