"""available_actions(): the permission matrix, role by role and unit by unit."""

import pytest

from review.permissions import available_actions
from review.services import bulletin_submit, review_adopt, review_return

pytestmark = pytest.mark.django_db

ROLES = ("staff", "reviewer", "head")


def matrix(tree, bulletin):
    return {
        (unit, role): [a.value for a in available_actions(tree.user(unit, role), bulletin)]
        for unit in tree.unit_attrs
        for role in ROLES
        if available_actions(tree.user(unit, role), bulletin)
    }


def test_draft(tree, make_draft):
    assert matrix(tree, make_draft()) == {("county_a1", "staff"): ["submit"]}


def test_awaiting_sign_off(tree, make_draft):
    bulletin = make_draft()
    bulletin_submit(actor=tree.user("county_a1", "staff"), bulletin=bulletin)
    assert matrix(tree, bulletin) == {
        ("county_a1", "staff"): ["withdraw"],
        ("county_a1", "reviewer"): ["sign_off", "return"],
        ("county_a1", "head"): ["sign_off", "return"],
    }


def test_at_city(tree, at_city):
    upper = ["adopt", "adopt_forward", "forward", "return", "decline"]
    assert matrix(tree, at_city) == {("city_a", "reviewer"): upper, ("city_a", "head"): upper}


def test_at_central_nothing_to_forward_to(tree, at_city):
    review_adopt(actor=tree.user("city_a", "reviewer"), bulletin=at_city, kind="full", forward=True)
    review_adopt(actor=tree.user("province", "reviewer"), bulletin=at_city, kind="full", forward=True)
    assert matrix(tree, at_city)[("central", "reviewer")] == ["adopt", "return", "decline"]


def test_returned_and_final(tree, at_city):
    review_return(actor=tree.user("city_a", "reviewer"), bulletin=at_city, reason="other", comment="请补充")
    assert matrix(tree, at_city) == {("county_a1", "staff"): ["resubmit"]}


def test_own_author_cannot_sign_off(tree, make_draft):
    head = tree.user("county_a1", "head")
    head.is_officer = True
    bulletin = make_draft(author=head)
    bulletin_submit(actor=head, bulletin=bulletin)
    assert [a.value for a in available_actions(head, bulletin)] == ["withdraw", "return"]
