import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import OrgLevel, OrgUnit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_level_must_follow_parent_in_model(tree):
    unit = OrgUnit(name="错层单位", short_name="错层", code="bad", level=OrgLevel.COUNTY, parent=tree.province)
    with pytest.raises(ValidationError) as excinfo:
        unit.full_clean()
    assert "level" in excinfo.value.message_dict


def test_level_must_follow_parent_in_database(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(
            name="错层单位", short_name="错层", code="bad", level=OrgLevel.COUNTY, parent=tree.province
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.filter(pk=tree.city_a.pk).update(level=OrgLevel.COUNTY)


def test_correct_levels_are_accepted(tree):
    unit = OrgUnit(name="新县委组织部", short_name="新县", code="new", level=OrgLevel.COUNTY, parent=tree.city_b)
    unit.full_clean()
    unit.save()
    assert unit.path == f"{tree.city_b.path}{unit.pk}/"
    assert tree.province.is_ancestor_of(unit)
    assert unit.ancestor_ids == [tree.central.pk, tree.province.pk, tree.city_b.pk]


def test_second_central_unit_refused(tree):
    second = OrgUnit(name="另一个中央", short_name="另一", code="zy2", level=OrgLevel.CENTRAL)
    with pytest.raises(ValidationError):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_only_central_may_lack_parent(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.create(name="孤儿", short_name="孤儿", code="orphan", level=OrgLevel.CITY)


def test_user_needs_a_unit_unless_superuser(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(unit=None)
    admin = UserFactory(unit=None, is_superuser=True)
    assert admin.pk


def test_roles_and_labels(tree):
    head = tree.user("city_a", "head")
    assert head.can_review and not head.is_officer
    assert head.role_labels == ["办公室主任"]
