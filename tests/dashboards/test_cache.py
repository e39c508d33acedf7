"""The dashboard's figures are cached until the next committed change to any figure."""

import secrets
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulletins.models import Category
from bulletins.services import bulletin_create
from dashboards.cache import GENERATION_SEQUENCE
from dashboards.models import ScoringRuleSet
from review.services import bulletin_submit
from tests.dashboards.journey import Journey, sh

pytestmark = pytest.mark.django_db

YEAR = {"period": "year", "ref": "2025-08"}


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    # Each test database starts the sequence again: a random start keeps parts cached by an
    # earlier run (Redis outlives the test database) from matching.
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(%s, %s)", [GENERATION_SEQUENCE, secrets.randbelow(2**62) + 1])
    yield


def _get(client, user, params=YEAR):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboards:index"), params)
    assert response.status_code == 200
    summary = [q for q in queries.captured_queries if "dashboards_" in q["sql"]]
    return response.content.decode(), summary


def _figures(html):
    """The cached part: from the breadcrumbs to the chart data (the header holds a fresh CSRF token)."""
    return html[html.index('data-testid="breadcrumbs"') : html.index('id="dashboard-data"')]


def _filed(html):
    return html.split('data-testid="total-filed">', 1)[1].split("<", 1)[0]


def test_second_view_reads_no_summary_and_shows_the_same(client, tree, dataset, cached):
    head = tree.user("province", "head")
    first, summary_first = _get(client, head)
    second, summary_second = _get(client, head)
    assert summary_first and not summary_second
    assert _figures(first) == _figures(second)


def test_a_committed_review_event_shows_at_once(client, tree, dataset, cached, django_capture_on_commit_callbacks):
    head = tree.user("province", "head")
    before, _ = _get(client, head)
    with django_capture_on_commit_callbacks(execute=True):
        journey = Journey(tree)
        bulletin = journey.bulletin("county_b1", title="松源县组织工作新动态")
        journey.submit(bulletin, sh(2025, 8, 20, 9))
    after, summary = _get(client, head)
    assert summary, "the figures were read again"
    assert int(_filed(after)) == int(_filed(before)) + 1


def test_an_uncommitted_change_does_not_expire_the_cache(client, tree, dataset, cached):
    head = tree.user("province", "head")
    _get(client, head)
    # Inside the test's transaction nothing commits, so nothing is delivered: still cached.
    staff = tree.user("county_b1", "staff")
    with time_machine.travel(sh(2025, 8, 21, 9), tick=False):
        draft = bulletin_create(
            actor=staff,
            title="未提交的事务",
            body="正文" * 50,
            category=Category.objects.get(code="news"),
            contact_name="张三",
            place="某县某镇",
            source="县委组织部提供，经核实。",
            contact_phone="13800000000",
        )
        bulletin_submit(actor=staff, bulletin=draft)
    _, summary = _get(client, head)
    assert not summary


def test_a_rule_set_edit_rescores(client, tree, dataset, cached, django_capture_on_commit_callbacks):
    head = tree.user("province", "head")
    before, _ = _get(client, head)
    with django_capture_on_commit_callbacks(execute=True):
        ScoringRuleSet.objects.create(name="2025年8月起", valid_from=date(2025, 8, 1), points_province=Decimal("50"))
    after, summary = _get(client, head)
    assert summary and after != before


def test_viewers_with_other_rights_do_not_share_a_cached_page(client, tree, dataset, cached):
    head_page, _ = _get(client, tree.user("province", "head"))
    reviewer_page, summary = _get(client, tree.user("province", "reviewer"))
    assert 'data-testid="drill"' in head_page
    assert 'data-testid="drill"' not in reviewer_page
    assert summary, "the reviewer's page was computed, not taken from the head's"


def test_county_pages_are_not_cached(client, tree, dataset, cached):
    head = tree.user("county_a1", "head")
    _get(client, head)
    _, summary = _get(client, head)
    assert summary


def test_an_incident_flagged_overdue_shows_at_once(client, tree, dataset, cached, django_capture_on_commit_callbacks):
    from incidents.services import incidents_flag_overdue

    journey = Journey(tree)
    incident = journey.bulletin(
        "county_b1", title="松源县突发事件", category="incident", occurred_at=sh(2025, 8, 10, 8)
    )
    journey.submit(incident, sh(2025, 8, 10, 9))  # never signed off: due 11 August 08:00
    head = tree.user("province", "head")
    _get(client, head)
    with django_capture_on_commit_callbacks(execute=True):
        assert incidents_flag_overdue(now=sh(2025, 8, 11, 9)).flagged == (incident.pk,)
    after, summary = _get(client, head)
    assert summary
    assert 'data-col="incidents_overdue_open"><span class="text-danger fw-semibold">1<' in after
