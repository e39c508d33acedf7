"""Bulletin.reached_unit_ids, which the visibility rule reads: kept by every transition that opens a
queue entry, left alone by the others, and equal to what migration 0005's back-fill computes."""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.models import Bulletin
from review.models import AdoptionKind, DeclineReason, QueueEntry, ReturnReason
from review.services import (
    bulletin_resubmit,
    bulletin_submit,
    bulletin_withdraw,
    review_adopt,
    review_decline,
    review_forward,
    review_return,
    review_sign_off,
)

pytestmark = pytest.mark.django_db

BACKFILL_SQL = importlib.import_module("review.migrations.0005_backfill_reached_unit_ids").BACKFILL_SQL


def first_arrivals(bulletin) -> list[int]:
    """The units of the bulletin's queue entries, each once, in the order it first arrived there."""
    units = QueueEntry.objects.filter(bulletin=bulletin).order_by("pk").values_list("unit_id", flat=True)
    return list(dict.fromkeys(units))


def reached(bulletin) -> list[int]:
    """The column as stored, checked against the queue entries and the caller's instance."""
    stored = Bulletin.objects.values_list("reached_unit_ids", flat=True).get(pk=bulletin.pk)
    assert stored == first_arrivals(bulletin)
    assert bulletin.reached_unit_ids == stored  # the services bring the caller's copy up to date
    return stored


def _return(actor, bulletin):
    review_return(actor=actor, bulletin=bulletin, reason=ReturnReason.VERIFY, comment="请核实")


def test_a_draft_has_reached_no_unit(make_draft):
    assert reached(make_draft()) == []


def test_submit_sign_off_forward_add_each_unit_once(tree, make_draft):
    bulletin = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    assert reached(bulletin) == [tree.county_a1.pk]
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    assert reached(bulletin) == [tree.county_a1.pk, tree.city_a.pk]
    review_forward(actor=tree.user("city_a", "reviewer"), bulletin=bulletin)
    assert reached(bulletin) == [tree.county_a1.pk, tree.city_a.pk, tree.province.pk]
    review_forward(actor=tree.user("province", "reviewer"), bulletin=bulletin)
    assert reached(bulletin) == [tree.county_a1.pk, tree.city_a.pk, tree.province.pk, tree.central.pk]
    review_adopt(actor=tree.user("central", "reviewer"), bulletin=bulletin, kind=AdoptionKind.FULL)
    assert reached(bulletin) == [tree.county_a1.pk, tree.city_a.pk, tree.province.pk, tree.central.pk]


def test_adopt_and_forward_adds_the_parent_adopt_alone_nothing(tree, at_city):
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind=AdoptionKind.FULL, forward=True)
    assert reached(at_city) == [tree.county_a1.pk, tree.city_a.pk, tree.province.pk]
    review_adopt(actor=tree.user("province", "reviewer"), bulletin=at_city, kind=AdoptionKind.ABRIDGED)
    assert reached(at_city) == [tree.county_a1.pk, tree.city_a.pk, tree.province.pk]


def test_return_and_resubmit_to_the_returning_level_add_no_duplicate(tree, at_city):
    _return(tree.user("city_a", "reviewer"), at_city)
    assert reached(at_city) == [tree.county_a1.pk, tree.city_a.pk]  # returned, it passed through the city
    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=at_city)
    assert reached(at_city) == [tree.county_a1.pk, tree.city_a.pk]  # its own sign-off first
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=at_city)
    assert QueueEntry.objects.filter(bulletin=at_city, unit=tree.city_a).count() == 2
    assert reached(at_city) == [tree.county_a1.pk, tree.city_a.pk]


def test_returned_at_its_own_sign_off_then_resubmitted(tree, make_draft):
    bulletin = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    _return(tree.user("county_a1", "reviewer"), bulletin)
    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    assert reached(bulletin) == [tree.county_a1.pk]
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=bulletin)
    assert reached(bulletin) == [tree.county_a1.pk, tree.city_a.pk]


def test_withdraw_and_decline_leave_it_alone(tree, make_draft, at_city):
    draft = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=draft)
    bulletin_withdraw(actor=tree.user("county_a1", "staff"), bulletin=draft)
    assert reached(draft) == [tree.county_a1.pk]  # its own unit: where it is visible anyway
    review_decline(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason=DeclineReason.LOW_VALUE)
    assert reached(at_city) == [tree.county_a1.pk, tree.city_a.pk]


def test_a_transition_costs_no_extra_query_for_the_column(tree, at_city):
    """The unit is appended on the locked instance and saved in the transition's one UPDATE."""
    with CaptureQueriesContext(connection) as captured:
        review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "bulletins_bulletin"')]
    assert len(updates) == 1 and '"reached_unit_ids"' in updates[0]


def test_the_back_fill_gives_what_the_services_kept(tree, make_draft, at_city):
    """Migration 0005's SQL, run on a route built through the services, rebuilds the column exactly."""
    other = make_draft(title="另一条")
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=other)
    _return(tree.user("county_a1", "reviewer"), other)
    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=other)
    review_sign_off(actor=tree.user("county_a1", "reviewer"), bulletin=other)
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=other, kind=AdoptionKind.FULL, forward=True)
    review_forward(actor=tree.user("province", "reviewer"), bulletin=other)
    _return(tree.user("central", "reviewer"), other)
    bulletin_resubmit(actor=tree.user("county_a1", "staff"), bulletin=other)
    review_forward(actor=tree.user("city_a", "reviewer"), bulletin=at_city)
    make_draft(title="草稿")
    kept = dict(Bulletin.objects.values_list("pk", "reached_unit_ids"))
    assert kept[other.pk] == [tree.county_a1.pk, tree.city_a.pk, tree.province.pk, tree.central.pk]

    Bulletin.objects.update(reached_unit_ids=[])
    with connection.cursor() as cursor:
        cursor.execute(BACKFILL_SQL)
    assert dict(Bulletin.objects.values_list("pk", "reached_unit_ids")) == kept
