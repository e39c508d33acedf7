"""Which units a user may see (accounts.permissions.visible_units), for every role at every level."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import OrgUnit, User
from accounts.permissions import visible_units
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def unit_codes(user):
    return set(visible_units(user, OrgUnit.objects.all()).values_list("code", flat=True))


@pytest.mark.parametrize("role", ["staff", "reviewer", "head"])
def test_a_county_user_sees_only_the_county(tree, role):
    assert unit_codes(tree.user("county_a1", role)) == {"lj-dh"}


@pytest.mark.parametrize("role", ["staff", "reviewer", "head"])
def test_a_city_user_sees_the_city_and_its_counties_not_the_sibling_city(tree, role):
    codes = unit_codes(tree.user("city_a", role))
    assert codes == {"lj", "lj-dh", "lj-xl"}
    assert "qs-sy" not in codes


@pytest.mark.parametrize("role", ["staff", "reviewer", "head"])
def test_central_sees_every_unit(tree, role):
    assert unit_codes(tree.user("central", role)) == set(OrgUnit.objects.values_list("code", flat=True))


def test_anonymous_and_users_without_a_unit_see_no_unit_but_a_superuser_every_unit(tree):
    assert unit_codes(AnonymousUser()) == set()
    assert unit_codes(User(username="no-unit", is_office_head=True)) == set()  # the database refuses to store one
    assert unit_codes(UserFactory(unit=None, is_superuser=True)) == set(OrgUnit.objects.values_list("code", flat=True))


def test_units_only(tree):
    with pytest.raises(TypeError):
        visible_units(tree.user("city_a", "head"), User.objects.all())
