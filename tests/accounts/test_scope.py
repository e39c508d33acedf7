"""The one scoping function, for every role at every level."""

import pytest
from django.utils import timezone

from accounts.models import OrgUnit
from accounts.permissions import scope
from bulletins.models import Bulletin, BulletinStatus, Category
from bulletins.services import bulletin_create
from review.models import QueueEntry

pytestmark = pytest.mark.django_db


def _file(tree, unit_attr, title):
    author = tree.user(unit_attr, "staff")
    return bulletin_create(
        actor=author,
        title=title,
        body="正文",
        category=Category.objects.get(code="news"),
        contact_name="联系人",
        contact_phone="13800000000",
    )


def _send_up(bulletin, *units):
    """Record that the bulletin was signed off and reached each unit's queue in turn."""
    now = timezone.now()
    for unit in units:
        QueueEntry.objects.filter(bulletin=bulletin, state="open").update(state="decided", closed_at=now)
        QueueEntry.objects.create(bulletin=bulletin, unit=unit, version_number=1, opened_at=now)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.IN_REVIEW, signed_off_at=now, current_unit=units[-1]
    )


@pytest.fixture
def bulletins(tree):
    drafts = {attr: _file(tree, attr, f"{attr}-草稿") for attr in ("county_a1", "county_a2", "county_b1", "city_a")}
    a1_at_city = _file(tree, "county_a1", "东湖区-已报市")
    _send_up(a1_at_city, tree.city_a)
    a1_at_central = _file(tree, "county_a1", "东湖区-已报中央")
    _send_up(a1_at_central, tree.city_a, tree.province, tree.central)
    b1_at_city = _file(tree, "county_b1", "松源县-已报市")
    _send_up(b1_at_city, tree.city_b)
    return {"drafts": drafts, "a1_at_city": a1_at_city, "a1_at_central": a1_at_central, "b1_at_city": b1_at_city}


def titles(user):
    return set(scope(user, Bulletin.objects.all()).values_list("title", flat=True))


def unit_codes(user):
    return set(scope(user, OrgUnit.objects.all()).values_list("code", flat=True))


@pytest.mark.parametrize("role", ["staff", "reviewer", "head"])
def test_county_user_never_sees_another_county(tree, bulletins, role):
    user = tree.user("county_a1", role)
    assert titles(user) == {"county_a1-草稿", "东湖区-已报市", "东湖区-已报中央"}
    assert unit_codes(user) == {"lj-dh"}


@pytest.mark.parametrize("role", ["staff", "reviewer"])
def test_city_staff_and_reviewers_see_own_unit_and_what_reached_it(tree, bulletins, role):
    user = tree.user("city_a", role)
    assert titles(user) == {"city_a-草稿", "东湖区-已报市", "东湖区-已报中央"}


def test_city_head_sees_own_counties_but_not_their_drafts_nor_sibling_city(tree, bulletins):
    head = tree.user("city_a", "head")
    assert titles(head) == {"city_a-草稿", "东湖区-已报市", "东湖区-已报中央"}
    assert unit_codes(head) == {"lj", "lj-dh", "lj-xl"}
    assert "qs-sy" not in unit_codes(head)


def test_province_reviewer_sees_only_what_reached_the_province(tree, bulletins):
    assert titles(tree.user("province", "reviewer")) == {"东湖区-已报中央"}


def test_province_head_sees_signed_off_bulletins_of_the_whole_province(tree, bulletins):
    assert titles(tree.user("province", "head")) == {"东湖区-已报市", "东湖区-已报中央", "松源县-已报市"}


def test_central_sees_all_units_and_what_reached_it(tree, bulletins):
    head = tree.user("central", "head")
    assert unit_codes(head) == set(OrgUnit.objects.values_list("code", flat=True))
    assert titles(tree.user("central", "reviewer")) == {"东湖区-已报中央"}
    assert "county_a2-草稿" not in titles(head)


def test_related_objects_follow_the_bulletin_scope(tree, bulletins):
    user = tree.user("county_b1", "staff")
    visible = scope(user, QueueEntry.objects.all())
    assert set(visible.values_list("bulletin__title", flat=True)) == {"松源县-已报市"}


def test_anonymous_sees_nothing(bulletins):
    from django.contrib.auth.models import AnonymousUser

    assert not scope(AnonymousUser(), Bulletin.objects.all()).exists()


@pytest.mark.parametrize(("unit_attr", "role"), [("province", "reviewer"), ("city_a", "head"), ("county_b1", "staff")])
def test_the_own_unit_queue_path_equals_the_generic_scope_at_that_unit(tree, bulletins, unit_attr, role):
    """The review queue's cheaper path shows exactly what the generic rule shows at the user's unit."""
    user = tree.user(unit_attr, role)
    generic = scope(user, QueueEntry.objects.filter(unit_id=user.unit_id))
    cheap = scope(user, QueueEntry.objects.all(), own_unit_queue=True)
    assert set(cheap.values_list("pk", flat=True)) == set(generic.values_list("pk", flat=True))
    assert QueueEntry.objects.filter(unit_id=user.unit_id).exists() or unit_attr == "county_b1"


def test_the_own_unit_queue_path_is_for_queue_entries_only(tree):
    with pytest.raises(TypeError):
        scope(tree.user("city_a", "head"), Bulletin.objects.all(), own_unit_queue=True)
